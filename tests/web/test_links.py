"""URLs on the way out: stored ones checked again (``http_url``), our own absolute under ``NEWSLOOM_PUBLIC_URL``."""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client

from newsloom.stories.models import Story
from newsloom.web.links import absolute, http_url
from tests.web.test_pages import TESSEL

PUBLIC = "https://news.example.org"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("https://ok.example/a?b=c#d", "https://ok.example/a?b=c#d"),
        ("  HTTP://Ok.Example/x ", "http://ok.example/x"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("javascript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("\x00javascript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("file:///etc/passwd", ""),
        ("//evil.example/x", ""),
        ("/relative/path", ""),
        ("http://xn--zz/", ""),
        ("https://", ""),
        ("https://ok.example/" + "a" * 2100, ""),
        ("", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_http_url_passes_only_http_urls(stored: object, shown: str) -> None:
    assert http_url(stored) == shown


@pytest.fixture
def public(settings: Any) -> str:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, public_url=PUBLIC)
    return PUBLIC


def _locs(body: bytes) -> list[str]:
    return [el.text or "" for el in ElementTree.fromstring(body).iter() if el.tag.endswith("}loc")]


@pytest.mark.django_db
def test_absolute_urls_come_from_the_public_url_not_the_host_asked(client: Client, demo: None, public: str) -> None:
    """Asked under an allowed Host other than the public one, every page, feed and sitemap still names only the
    public origin; the request's Host appears nowhere in what is sent."""
    story = Story.objects.get(title=TESSEL)
    host = {"Host": "localhost"}
    bodies = []

    def get(path: str) -> bytes:
        response = client.get(path, headers=host)
        assert response.status_code == 200, path
        bodies.append(response.content)
        return bytes(response.content)

    def og_url(html: bytes) -> str:
        found = re.search(rb'<meta property="og:url" content="([^"]+)"', html)
        assert found is not None
        return found.group(1).decode()

    def ld(html: bytes) -> dict[str, Any]:
        found = re.search(rb'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert found is not None
        data: dict[str, Any] = json.loads(found.group(1))
        return data

    assert og_url(get("/en/")) == absolute("/en/") == f"{public}/en/"
    article = get(f"/en/article/{story.pk}")
    assert og_url(article) == ld(article)["url"] == ld(article)["mainEntityOfPage"] == f"{public}/en/article/{story.pk}"
    story_page = get(f"/en/story/{story.pk}")
    assert og_url(story_page) == f"{public}/en/story/{story.pk}"
    assert ld(story_page)["publisher"]["url"] == f"{public}/en/"
    for fmt in ("atom", "rss"):
        parsed = feedparser.parse(get(f"/feeds/top.{fmt}"))
        links = [parsed.feed.link] + [e.link for e in parsed.entries]
        assert parsed.entries and all(u.startswith(f"{public}/en/") for u in links), fmt
    feed = json.loads(get("/feeds/top.json"))
    assert feed["feed_url"] == f"{public}/feeds/top.json" and feed["home_page_url"] == f"{public}/en/"
    assert all(item["url"].startswith(f"{public}/en/story/") for item in feed["items"])
    sections = _locs(get("/sitemap.xml"))
    assert sections and all(s.startswith(f"{public}/sitemap-") for s in sections)
    for section in sections:
        locs = _locs(get(section.removeprefix(public)))
        assert locs and all(u.startswith(f"{public}/en/") for u in locs), section
    assert not [b for b in bodies if b"localhost" in b or b"testserver" in b]
