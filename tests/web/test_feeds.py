"""Feeds out (Atom, RSS, JSON Feed 1.1) and the sitemap, read back over real HTTP as a feed reader or crawler would."""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from xml.etree import ElementTree

import feedparser
import pytest

from newsloom.articles.models import Article
from newsloom.core.ingest.feeds import parse as parse_feed
from newsloom.stories.models import Story
from tests.web.test_pages import TESSEL

pytestmark = pytest.mark.django_db(transaction=True)
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.headers["Content-Type"]), response.read()


def top_story_ids() -> list[str]:
    return list(Story.objects.filter(article_count__gt=0).order_by("-score", "-last_published", "pk")
                .values_list("pk", flat=True)[:20])


@pytest.mark.parametrize(("fmt", "version", "mime"), [("atom", "atom10", "application/atom+xml"),
                                                      ("rss", "rss20", "application/rss+xml")])
def test_top_stories_as_atom_and_rss(live_demo: Any, fmt: str, version: str, mime: str) -> None:
    content_type, body = fetch(f"{live_demo.url}/feeds/top.{fmt}")
    assert content_type.startswith(mime)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == version and parsed.feed.title == "Top stories · newsloom"
    links = [entry.link for entry in parsed.entries]
    assert links == [f"{live_demo.url}/en/story/{sid}" for sid in top_story_ids()]
    first = parsed.entries[0]
    story = Story.objects.get(title=TESSEL)
    assert first.title == TESSEL and story.summary[0]["text"][:50] in first.summary
    assert first.published_parsed and "Meridian Press Agency" in first.author
    assert {t.term for t in first.tags} == set(story.hashtags)


def test_top_stories_as_json_feed(live_demo: Any) -> None:
    content_type, body = fetch(f"{live_demo.url}/feeds/top.json")
    assert content_type.startswith("application/feed+json")
    feed = json.loads(body)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{live_demo.url}/feeds/top.json" and feed["home_page_url"] == f"{live_demo.url}/en/"
    assert [item["id"] for item in feed["items"]] == [f"{live_demo.url}/en/story/{sid}" for sid in top_story_ids()]
    for item in feed["items"]:
        assert item["url"] == item["id"] and item["title"] and item["content_text"]
        assert item["date_published"] and item["authors"][0]["name"]
    # read back by newsloom's own feed parser, as another newsloom would subscribe to it
    parsed = parse_feed(body, url=f"{live_demo.url}/feeds/top.json", content_type=content_type)
    assert parsed.format.startswith("json") and parsed.title == "Top stories · newsloom"
    assert [e.link for e in parsed.entries] == [item["url"] for item in feed["items"]]
    assert all(e.published is not None for e in parsed.entries)


def test_source_and_hashtag_feeds(live_demo: Any) -> None:
    parsed = feedparser.parse(fetch(f"{live_demo.url}/feeds/source/meridian-press.atom")[1])
    expected = Article.objects.filter(source__slug="meridian-press").order_by("-published_at", "pk")
    assert [e.link for e in parsed.entries] == [f"{live_demo.url}/en/article/{a.pk}" for a in expected]
    assert parsed.feed.title == "Meridian Press Agency · newsloom"
    source_json = json.loads(fetch(f"{live_demo.url}/feeds/source/meridian-press.json")[1])
    assert len(source_json["items"]) == expected.count()

    tag = Story.objects.get(title=TESSEL).hashtags[0]
    rss = feedparser.parse(fetch(f"{live_demo.url}/feeds/hashtag/{tag}.rss")[1])
    tagged = {s.pk for s in Story.objects.all() if tag in s.hashtags}
    assert {e.link.rsplit("/", 1)[1] for e in rss.entries} == tagged and not rss.bozo


def test_pages_advertise_their_feeds(live_demo: Any) -> None:
    home = fetch(f"{live_demo.url}/en/")[1].decode()
    for fmt, mime in [("atom", "application/atom+xml"), ("rss", "application/rss+xml"),
                      ("json", "application/feed+json")]:
        assert f'type="{mime}"' in home and f'href="/feeds/top.{fmt}"' in home


def test_sitemap_lists_every_story_article_and_source(live_demo: Any) -> None:
    index = ElementTree.fromstring(fetch(f"{live_demo.url}/sitemap.xml")[1])
    sections = [loc.text or "" for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert {s.rsplit("/", 1)[1].split("?")[0] for s in sections} == {
        "sitemap-pages.xml", "sitemap-stories.xml", "sitemap-articles.xml", "sitemap-sources.xml"}
    urls: set[str] = set()
    for section in sections:
        tree = ElementTree.fromstring(fetch(section)[1])
        urls |= {loc.text or "" for loc in tree.findall("sm:url/sm:loc", SITEMAP_NS)}
    base = live_demo.url
    assert f"{base}/en/" in urls
    assert {f"{base}/en/story/{pk}" for pk in Story.objects.values_list("pk", flat=True)} <= urls
    assert {f"{base}/en/article/{pk}" for pk in Article.objects.values_list("pk", flat=True)} <= urls
    assert f"{base}/en/source/meridian-press" in urls
