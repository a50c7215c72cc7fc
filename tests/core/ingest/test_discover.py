"""Feed discovery in HTML pages."""

from __future__ import annotations

from newsloom.core.ingest.discover import DiscoveredFeed, discover_feeds

PAGE = """<html><head>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Main" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://other.example/atom.xml">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rdf+xml" href="/index.rdf">
<link rel="alternate" type="application/json" href="/api.json">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" type="text/html" hreflang="de" href="/de/">
</head><body>
<a href="/feed/">dup</a> <a href="/rss">  RSS   feed </a> <a href="/about">About</a> <a href="/sitemap.xml">map</a>
<a href="mailto:x@example.com">mail</a> <a href="javascript:void(0)">js</a>
</body></html>"""


def test_alternates_in_order_then_anchor_fallbacks() -> None:
    assert discover_feeds(PAGE, "https://site.example/blog/") == [
        DiscoveredFeed("https://site.example/feed/", "Main", "rss"),
        DiscoveredFeed("https://other.example/atom.xml", None, "atom"),
        DiscoveredFeed("https://site.example/blog/feed.json", None, "json"),
        DiscoveredFeed("https://site.example/index.rdf", None, "rdf"),
        DiscoveredFeed("https://site.example/api.json", None, "json"),
        DiscoveredFeed("https://site.example/rss", "RSS feed", "rss"),
    ]


def test_base_href_and_bytes_with_charset() -> None:
    page = '<html><head><meta charset="iso-8859-1"><base href="https://cdn.example/x/">'
    page += '<link rel="alternate" type="application/rss+xml" title="Caf\xe9" href="f.xml"></head></html>'
    assert discover_feeds(page.encode("iso-8859-1"), "https://site.example/") == [
        DiscoveredFeed("https://cdn.example/x/f.xml", "Café", "rss")
    ]


def test_broken_html_never_raises() -> None:
    assert discover_feeds(b"<html><<a href='/feed'>><link rel=alternate type=application/atom+xml href=/a", "") == []
    assert discover_feeds("<a href='/atom.xml'>x", "http://h.example") == [
        DiscoveredFeed("http://h.example/atom.xml", "x", "atom")
    ]
