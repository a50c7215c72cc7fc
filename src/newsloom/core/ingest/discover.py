"""Feed discovery: the feeds an HTML page advertises.

First the ``<link rel="alternate" type="application/rss+xml|atom+xml|feed+json|rdf+xml|json">`` elements in document
order, then, as a lower-priority fallback, ``<a href>`` links whose URL looks like a feed (``/feed``, ``/rss``,
``.xml``, ``atom`` …). URLs are made absolute (honouring ``<base href>``) and deduplicated;
only http(s) URLs are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

__all__ = ["DiscoveredFeed", "discover_feeds"]


@dataclass(frozen=True)
class DiscoveredFeed:
    url: str
    title: str | None
    type: str  # "rss" | "atom" | "json" | "rdf"


_LINK_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rdf",
    "application/x.atom+xml": "atom",
    "application/x-atom+xml": "atom",
    "application/x-rss+xml": "rss",
}
_FEEDISH = re.compile(
    r"(?:/(?:feeds?|rss|atom|rss2|index\.rss)/?$|\.(?:rss|atom|rdf|xml)$|/feed\.json$|[?&]feed=(?:rss2?|atom)\b"
    r"|/feeds?/(?:posts/)?default|feeds\.feedburner\.com/)",
    re.IGNORECASE,
)
_NOT_FEED = re.compile(r"(?:sitemap|oembed|opensearch|/wp-json/|comments/feed)", re.IGNORECASE)


def _guess_type(url: str) -> str:
    lowered = url.lower()
    if "atom" in lowered:
        return "atom"
    if lowered.endswith(".json") or "json" in lowered:
        return "json"
    if lowered.endswith(".rdf"):
        return "rdf"
    return "rss"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[str, str | None, str]] = []
        self.anchors: list[tuple[str, str | None, str]] = []
        self._anchor: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "base" and self.base is None and attr.get("href"):
            self.base = attr["href"]
        elif tag == "link":
            self._link(attr)
        elif tag == "a" and attr.get("href"):
            self._anchor = (attr["href"], [attr.get("title", "")])

    def _link(self, attr: dict[str, str]) -> None:
        rels = attr.get("rel", "").lower().split()
        kind = _LINK_TYPES.get(attr.get("type", "").lower().split(";")[0].strip())
        if "alternate" in rels and kind and attr.get("href"):
            self.links.append((attr["href"], attr.get("title") or None, kind))

    def handle_data(self, data: str) -> None:
        if self._anchor is not None:
            self._anchor[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            href, texts = self._anchor
            self._anchor = None
            if _FEEDISH.search(href.split("#")[0]) and not _NOT_FEED.search(href):
                title = " ".join(" ".join(texts).split()) or None
                self.anchors.append((href, title, _guess_type(href)))


def _decode(page: bytes | str) -> str:
    if isinstance(page, str):
        return page
    match = re.search(rb"""<meta[^>]+charset=["']?([-\w.:]+)""", page[:4096], re.IGNORECASE)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return page.decode(encoding, "replace")
    except LookupError:
        return page.decode("utf-8", "replace")


def _absolute(href: str, base: str) -> str | None:
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def discover_feeds(html: bytes | str, base_url: str) -> list[DiscoveredFeed]:
    """Feeds advertised by an HTML page, best first; never raises on malformed HTML."""
    collector = _Collector()
    try:
        collector.feed(_decode(html))
        collector.close()
        collector.handle_endtag("a")  # an anchor left open at the end of the page
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it found
        pass
    base = urljoin(base_url, collector.base) if collector.base else base_url
    found: dict[str, DiscoveredFeed] = {}
    for href, title, kind in collector.links + collector.anchors:
        url = _absolute(href, base)
        if url and url not in found:
            found[url] = DiscoveredFeed(url=url, title=title, type=kind)
    return list(found.values())
