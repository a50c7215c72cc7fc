"""Every file in tests/data/hostile/ served by a real HTTP server on 127.0.0.1 and taken through the crawl (fetch,
parse, store, each article's page fetched and read), all in one crawl, on SQLite and on PostgreSQL: what each file's
``.expect.json`` says is recorded and stored, the crawl finishes, and everything stored is within its bounds.

The naming convention (which files are replayed and how) is in tests/data/hostile/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from newsloom import runtime
from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.core.ingest.fetch import Fetcher
from newsloom.sources.actions import create_feed, ensure_source, feed_url, import_opml
from newsloom.sources.models import Feed
from tests.support.bounds import stored_value_problems
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer, Request, Response

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = Path(__file__).parent / "data" / "hostile"
PLACEHOLDER = b"http://replay.invalid"
CONTENT_TYPES = {
    ".rss": "application/rss+xml", ".atom": "application/atom+xml", ".rdf": "application/rdf+xml",
    ".xml": "application/xml", ".json": "application/feed+json", ".html": "text/html; charset=utf-8",
}  # fmt: skip
FEED_KEYS = {"feed_error", "stored", "ok", "skipped", "item_error", "item_link", "site_url", "lead_images",
             "canonical_is_url", "homepage"}
OPML_KEYS = {"opml_added", "opml_errors", "feeds"}


@dataclass
class Fixture:
    path: Path
    kind: str  # "feed", "raw" (.http), "page" (.page.html), "opml"
    expect: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


def replayable() -> tuple[list[Fixture], list[str]]:
    """The fixtures the convention covers, and the names of the files it leaves alone."""
    found: list[Fixture] = []
    skipped: list[str] = []
    for path in sorted(HOSTILE.iterdir()):
        name = path.name
        if not path.is_file() or name.startswith(("_", ".")) or name.endswith(".expect.json") or name == "README.md":
            continue
        if name.endswith(".page.html"):
            kind = "page"
        elif path.suffix == ".opml":
            kind = "opml"
        elif path.suffix == ".http":
            kind = "raw"
        elif path.suffix in CONTENT_TYPES:
            kind = "feed"
        else:
            skipped.append(name)
            continue
        sidecar = path.with_name(name + ".expect.json")
        expect = json.loads(sidecar.read_text()) if sidecar.exists() else {}
        found.append(Fixture(path, kind, expect))
    return found, skipped


def _raw_response(data: bytes) -> Response:
    """A ``.http`` file: a status line, header lines, a blank line, the body (CRLF or LF)."""
    sep = b"\r\n\r\n" if b"\r\n\r\n" in data else b"\n\n"
    head, _, body = data.partition(sep)
    lines = head.decode("latin-1").splitlines()
    status = int(lines[0].split()[1])
    headers = dict(line.split(":", 1) for line in lines[1:] if ":" in line)
    return Response(status, body, {k.strip(): v.strip() for k, v in headers.items()})


def _install(server: LocalServer, fixtures: list[Fixture]) -> dict[str, str]:
    """Routes for every fixture; returns fixture name -> the URL a feed is subscribed at (OPML lists: none)."""
    base = server.base.encode()
    subscribed: dict[str, str] = {}

    def page_route(request: Request) -> Response:
        if request.path.startswith("/a-feed/"):
            stem = request.path.rsplit("/", 1)[1].removesuffix(".rss")
            items = [(f"{stem} story {n}", server.url(f"/a/{stem}-{n}")) for n in (1, 2)]
            return Response(200, rss(items, title=f"Feed {stem}"), {"Content-Type": "application/rss+xml"})
        if request.path.startswith("/a/"):
            return Response(200, article_page(f"Story {request.path[3:60]}", LOREM))
        return Response(404, b"not found", {"Content-Type": "text/plain"})

    server.default = page_route
    for fx in fixtures:
        data = fx.path.read_bytes().replace(PLACEHOLDER, base)
        path = f"/f/{fx.name}"
        if fx.kind == "raw":
            response = _raw_response(data)
        elif fx.kind == "page":
            page_path = f"/p/{fx.name}"
            server.serve(page_path, data)
            feed = rss([(f"Page {fx.name}", server.url(page_path))], title=f"Feed of {fx.name}")
            response = Response(200, feed, {"Content-Type": "application/rss+xml"})
        elif fx.kind == "feed":
            response = Response(200, data, {"Content-Type": CONTENT_TYPES[fx.path.suffix]})
        else:
            continue
        server.route(path, lambda _req, fixed=response: fixed)
        subscribed[fx.name] = server.url(path)
    return subscribed


def _check_feed(label: str, feed: Feed, expect: dict[str, Any], base: str) -> list[str]:
    problems: list[str] = []
    articles = Article.objects.filter(feed=feed)

    def differs(key: str, actual: object) -> None:
        wanted = expect[key]
        if isinstance(wanted, str):
            wanted = wanted.replace(PLACEHOLDER.decode(), base)
        if actual != wanted:
            state = f"{feed.last_status}; {feed.last_error}"
            problems.append(f"{label}: {key} is {actual!r}, expected {wanted!r} ({state})")

    for key in sorted(set(expect) - FEED_KEYS):
        problems.append(f"{label}: unknown expectation {key!r}")
    if "feed_error" in expect:
        differs("feed_error", feed.last_error_code)
    if "stored" in expect:
        differs("stored", articles.count())
    if "ok" in expect:
        differs("ok", articles.filter(status=Article.Status.OK).count())
    if "skipped" in expect:
        differs("skipped", feed.skipped_items)
    if "site_url" in expect:
        differs("site_url", feed.site_url)
    if "homepage" in expect:
        differs("homepage", feed.source.homepage)
    if "lead_images" in expect:
        differs("lead_images", articles.exclude(lead_image="").count())
    if expect.get("canonical_is_url"):
        moved = [a.canonical_url[:80] for a in articles if a.canonical_url != a.url]
        if moved:
            problems.append(f"{label}: canonical URLs taken from the page: {moved}")
    for key, attr in (("item_error", "last_item_error"), ("item_link", "last_item_link")):
        if key in expect and expect[key] not in getattr(feed, attr):
            problems.append(f"{label}: {attr} {getattr(feed, attr)[:200]!r} lacks {expect[key]!r}")
    return problems


@pytest.fixture
def offline(pipeline, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing leaves the machine: every host name resolves to a link-local address, which is always refused (a
    fixture linking to http://example.org/ gets a recorded BlockedAddress, not a lookup); the test server is an IP."""
    fetcher = Fetcher(runtime.fetch_policy(), limiter=runtime.host_limiter(), resolver=lambda _h, _p: ["169.254.0.1"])
    monkeypatch.setattr(runtime, "fetcher", lambda: fetcher)
    yield
    fetcher.close()


def test_every_hostile_file_is_recorded_and_the_crawl_carries_on(offline: None, server: LocalServer) -> None:
    fixtures, _left_alone = replayable()
    assert len([fx for fx in fixtures if fx.name.startswith("store-")]) >= 10
    subscribed = _install(server, fixtures)
    feeds = {name: create_feed(feed_url(url), ensure_source(f"Replay {name}")) for name, url in subscribed.items()}
    problems: list[str] = []
    for fx in fixtures:
        if fx.kind != "opml":
            continue
        for key in sorted(set(fx.expect) - OPML_KEYS):
            problems.append(f"{fx.name}: unknown expectation {key!r}")
        result = import_opml(fx.path.read_bytes().replace(PLACEHOLDER, server.base.encode()))
        for key, actual in (("opml_added", len(result.added)), ("opml_errors", len(result.errors))):
            if key in fx.expect and actual != fx.expect[key]:
                problems.append(f"{fx.name}: {key} is {actual}, expected {fx.expect[key]} ({result.errors})")

    summary = crawl_once(progress=False, timeout=240)
    assert summary.finished, "the crawl did not finish"

    for fx in fixtures:
        if fx.kind == "opml":
            for stem, expect in fx.expect.get("feeds", {}).items():
                feed = Feed.objects.filter(url=server.url(f"/a-feed/{stem}.rss")).select_related("source").first()
                if feed is None:
                    problems.append(f"{fx.name}: feed {stem} was not imported")
                    continue
                problems += _check_feed(f"{fx.name} {stem}", feed, expect, server.base)
        else:
            feed = Feed.objects.select_related("source").get(pk=feeds[fx.name].pk)
            if feed.last_fetched_at is None:
                problems.append(f"{fx.name}: never fetched")
            problems += _check_feed(fx.name, feed, fx.expect, server.base)
    problems += stored_value_problems()
    assert not problems, "\n".join(problems)


def test_the_naming_convention_leaves_only_unknown_kinds_alone() -> None:
    fixtures, left_alone = replayable()
    names = {fx.name for fx in fixtures}
    assert "store-05-idna-bad-host.rss" in names and "store-02-lead-image-javascript.page.html" in names
    assert all(not name.startswith("store-") for name in left_alone), left_alone
    for sidecar in HOSTILE.glob("*.expect.json"):
        assert sidecar.name.removesuffix(".expect.json") in names, f"{sidecar.name} describes no replayed file"
