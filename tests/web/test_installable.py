"""The installable web app in headless Chromium: its manifest is valid and installable, the service worker takes
control, and pages read before (and the top stories, fetched ahead) open with the network cut, saying so."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest

from newsloom.articles.models import Article
from newsloom.stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def controlled(page: Any) -> None:
    """Wait until the service worker is active and controls this page (a reload after its first install)."""
    page.wait_for_function("navigator.serviceWorker.ready.then(r => r.active.state === 'activated')", timeout=30_000)
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")


def test_manifest_is_valid_and_chromium_finds_the_app_installable(live_demo: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_demo.url + "/en/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(live_demo.url + href)
    assert response.ok and response.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(response.body())
    assert manifest["name"] and manifest["short_name"] and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/en/" and manifest["scope"] == "/"
    sizes = set()
    for icon in manifest["icons"]:
        image = page.request.get(live_demo.url + icon["src"])
        assert image.ok and image.headers["content-type"] == "image/png"
        width, height = png_size(image.body())
        assert icon["sizes"] == f"{width}x{height}"
        sizes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes
    controlled(page)
    cdp = context.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")
    assert parsed["errors"] == [] and parsed["url"].endswith(href)
    # Playwright's contexts are incognito-like profiles, where Chromium installs nothing; no other objection
    errors = {e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert errors <= {"in-incognito"}
    context.close()


def test_pages_read_and_top_stories_open_offline(live_demo: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_demo.url + "/en/")
    controlled(page)
    assert page.locator("#offline-banner").count() == 0
    read = Article.objects.exclude(status="pending").exclude(story=None).order_by("-published_at").first()
    assert read is not None
    page.goto(f"{live_demo.url}/en/article/{read.pk}")
    title = page.get_by_role("heading", level=1).inner_text()
    top = Story.objects.filter(article_count__gt=0).order_by("-score", "-last_published", "pk").first()
    assert top is not None
    # the home page's load fetched the top stories ahead: wait until the first one is kept
    page.wait_for_function(
        """url => caches.open("newsloom-pages").then(c => c.match(url)).then(r => !!r)""",
        arg=f"/en/story/{top.pk}",
        timeout=30_000,
    )

    context.set_offline(True)
    page.goto(f"{live_demo.url}/en/article/{read.pk}")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.evaluate("document.documentElement.dataset.offlineCopy") == "1"  # from the kept copy, not the net
    banner = page.locator("#offline-banner")
    assert banner.is_visible() and "You are offline" in banner.inner_text()

    page.goto(f"{live_demo.url}/en/story/{top.pk}")  # never opened: fetched ahead as a top story
    assert page.get_by_role("heading", level=1).inner_text() == top.title
    assert (
        page.locator("link[rel=stylesheet]").count()
        and page.evaluate("getComputedStyle(document.querySelector('.site-header')).position") == "sticky"
    )  # its CSS from the cache

    never = Article.objects.exclude(status="pending").exclude(pk=read.pk).exclude(pk=top.pk).order_by("pk").last()
    page.goto(f"{live_demo.url}/en/source/no-such-source-{never.pk if never else 'x'}")
    assert page.get_by_role("heading", level=1).inner_text() == "You are offline"

    context.set_offline(False)
    page.goto(f"{live_demo.url}/en/article/{read.pk}")
    assert page.evaluate("document.documentElement.dataset.offlineCopy") is None
    assert page.locator("#offline-banner").count() == 0
    context.close()


def test_service_worker_is_served_from_the_root(live_demo: Any, browser: Any) -> None:
    context = browser.new_context()
    response = context.request.get(live_demo.url + "/sw.js")
    assert response.ok and response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache" and b'addEventListener("fetch"' in response.body()
    context.close()
