"""Hostile and broken publishers on a ``LocalServer``, for fetch tests and end-to-end crawl tests.

    names = install_hostile_routes(server)
    fetcher.fetch(server.url(names["gzip_bomb"]))   # -> ResponseTooLarge

Every case, its path in the returned ``name -> path`` dict, and what a correct pipeline does with it:

good_feed             a small valid RSS 2.0 feed (UTF-8, ETag, Last-Modified, Cache-Control max-age=600) whose two
                      items link to ``good_article_1``/``good_article_2`` on the same server: the contrast case.
                      A request with the matching If-None-Match gets 304.
good_article_1/2      plain HTML article pages the good feed links to.
malformed_xml         RSS with unclosed tags and a bare ``&``: the feed parser must record FeedParseError or recover
                      what it can (feedparser's "bozo"), never crash.
billion_laughs        a tiny RSS document declaring nested entities (lol1..lol9, 10⁹ "lol"s if expanded): the parser
                      must not expand entities (defusedxml / feedparser's safe mode) and must not hang or eat memory.
gzip_bomb             ``Content-Encoding: gzip`` body of ~100 KB that inflates to 100 MiB of zeros (built once per
                      process): the fetcher stops decompressing at ``max_bytes`` -> ResponseTooLarge.
endless_body          200 with no Content-Length that streams 64 KiB chunks forever -> ResponseTooLarge at the cap.
slow_drip             200 that sends one byte per second, forever -> FetchTimeout at the policy's ``timeout``.
redirect_loop         /loop-a -> /loop-b -> /loop-a -> TooManyRedirects ("redirect loop").
too_many_redirects    a chain of 20 distinct redirects (``?n=0`` -> ``?n=1`` ...) -> TooManyRedirects past the limit.
redirect_to_private   302 to ``http://169.254.169.254/latest/meta-data/`` (cloud metadata) -> BlockedAddress when the
                      fetcher refuses private addresses. The server itself is on loopback, so a test must trust the
                      server's ``127.0.0.1:port`` (``Fetcher(unsafe_test_trusted_hosts=...)``) to reach the redirect.
feed_private_links    a valid RSS feed whose items link to http://169.254.169.254/latest/meta-data/ and
                      http://10.0.0.1/admin and http://[::1]/: the article fetches must be refused (BlockedAddress)
                      and recorded per article, without stopping the rest of the feed.
wrong_charset         declared ``charset=utf-8`` but the body is windows-1252 bytes (curly quotes, é, €).
wrong_charset_reversed declared ``charset=windows-1252`` but the body is UTF-8 (so naive decoding gives mojibake).
missing_charset       ``Content-Type: application/rss+xml`` with no charset and an XML declaration without encoding;
                      the body is UTF-8 with non-ASCII text (XML's default applies).
html_as_feed          an HTML page served as ``application/rss+xml`` that advertises ``good_feed`` with
                      ``<link rel="alternate">``: the feed parser raises NotAFeed with that feed link.
status_404            404 Not Found -> HTTPStatusError(status=404).
status_410            410 Gone -> HTTPStatusError(status=410), message says Gone.
status_429            429 with ``Retry-After: 120`` -> RateLimited(retry_after=120).
status_500            500 -> ServerError (transient).
"""

from __future__ import annotations

import functools
import itertools
import zlib
from collections.abc import Iterator

from tests.support.httpserver import LocalServer, Request, Response, StreamResponse

PREFIX = "/hostile"
RSS = "application/rss+xml"
GOOD_ETAG = '"good-feed-v1"'
GOOD_LAST_MODIFIED = "Mon, 06 Jan 2025 10:00:00 GMT"
BOMB_SIZE = 100 * 1024 * 1024
PRIVATE_LINKS = ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin", "http://[::1]/")
NON_ASCII_TEXT = "Café “Zoë” costs 5 € – déjà vu"


@functools.cache
def gzip_bomb() -> bytes:
    """100 MiB of zeros, gzip-compressed (~100 KB), built once per process."""
    chunk = bytes(1024 * 1024)
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [deflater.compress(chunk) for _ in range(BOMB_SIZE // len(chunk))]
    parts.append(deflater.flush())
    return b"".join(parts)


def rss(title: str, items: list[tuple[str, str]], *, encoding: str | None = "utf-8") -> str:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>' if encoding else '<?xml version="1.0"?>'
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 06 Jan 2025 0{i}:00:00 GMT</pubDate><description>{t}</description></item>"
        for i, (t, link) in enumerate(items)
    )
    return (f"{declaration}\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://example.org/</link>"
            f"<description>{title}</description>{body}</channel></rss>\n")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><link>http://example.org/</link><description>laughs</description>
<item><title>&lol9;</title><link>http://example.org/a</link><description>&lol9;</description></item>
</channel></rss>
"""

MALFORMED_XML = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Broken & unclosed</title><link>http://example.org/</link>
<item><title>First<link>http://example.org/1</link></item>
<item><title>Second</title><description>no end
"""


def _endless() -> Iterator[bytes]:
    chunk = b"<item>" + b"x" * (64 * 1024 - 6)
    while True:
        yield chunk


def install_hostile_routes(server: LocalServer) -> dict[str, str]:
    """Add every hostile route to ``server`` and return ``name -> path`` (see the module docstring)."""
    paths: dict[str, str] = {}

    def add(name: str, path: str, handler: object) -> None:
        full = PREFIX + path
        if isinstance(handler, Response | StreamResponse):
            fixed = handler
            server.route(full, lambda _req: fixed)
        else:
            server.route(full, handler)  # type: ignore[arg-type]
        paths[name] = full

    article_urls = [server.url(f"{PREFIX}/articles/{n}") for n in (1, 2)]
    good = rss("Good feed", [("First good story", article_urls[0]), ("Second good story", article_urls[1])])
    good_headers = {"Content-Type": f"{RSS}; charset=utf-8", "ETag": GOOD_ETAG,
                    "Last-Modified": GOOD_LAST_MODIFIED, "Cache-Control": "max-age=600"}

    def good_feed(req: Request) -> Response:
        if req.headers.get("if-none-match") == GOOD_ETAG:
            return Response(304, b"", {"ETag": GOOD_ETAG})
        return Response(200, good, good_headers)

    add("good_feed", "/feed.xml", good_feed)
    for n in (1, 2):
        page = (f"<!doctype html><html><head><title>Good story {n}</title></head><body><article><h1>Good story {n}"
                f"</h1><p>{'A plain paragraph of article text. ' * 20}</p></article></body></html>")
        add(f"good_article_{n}", f"/articles/{n}", Response(200, page, {"Content-Type": "text/html; charset=utf-8"}))

    add("malformed_xml", "/malformed.xml", Response(200, MALFORMED_XML, {"Content-Type": RSS}))
    add("billion_laughs", "/laughs.xml", Response(200, BILLION_LAUGHS, {"Content-Type": RSS}))
    add("gzip_bomb", "/bomb.xml", lambda _req: Response(
        200, gzip_bomb(), {"Content-Type": RSS, "Content-Encoding": "gzip"}))
    add("endless_body", "/endless.xml", lambda _req: StreamResponse(200, _endless(), {"Content-Type": RSS}))
    add("slow_drip", "/drip.xml", lambda _req: StreamResponse(
        200, itertools.repeat(b"<", 3600), {"Content-Type": RSS}, delay=1.0))

    add("redirect_loop", "/loop-a", Response(302, b"", {"Location": f"{PREFIX}/loop-b"}))
    server.route(f"{PREFIX}/loop-b", lambda _req: Response(302, b"", {"Location": f"{PREFIX}/loop-a"}))

    def chain(req: Request) -> Response:
        n = int(req.query.partition("n=")[2] or 0)
        return Response(302, b"", {"Location": f"{PREFIX}/chain?n={n + 1}"})

    add("too_many_redirects", "/chain", chain)
    add("redirect_to_private", "/to-metadata", Response(302, b"", {"Location": PRIVATE_LINKS[0]}))
    private_feed = rss("Links inside", [(f"Private {i}", link) for i, link in enumerate(PRIVATE_LINKS)])
    add("feed_private_links", "/private-links.xml",
        Response(200, private_feed, {"Content-Type": f"{RSS}; charset=utf-8"}))

    cp1252 = rss(NON_ASCII_TEXT, [(NON_ASCII_TEXT, "http://example.org/c")], encoding=None).encode("windows-1252")
    utf8 = rss(NON_ASCII_TEXT, [(NON_ASCII_TEXT, "http://example.org/u")], encoding=None).encode("utf-8")
    add("wrong_charset", "/wrong-charset.xml", Response(200, cp1252, {"Content-Type": f"{RSS}; charset=utf-8"}))
    add("wrong_charset_reversed", "/wrong-charset-reversed.xml",
        Response(200, utf8, {"Content-Type": f"{RSS}; charset=windows-1252"}))
    add("missing_charset", "/missing-charset.xml", Response(200, utf8, {"Content-Type": RSS}))

    html = (f'<!doctype html><html><head><title>Not a feed</title><link rel="alternate" type="{RSS}" '
            f'title="Good feed" href="{PREFIX}/feed.xml"></head><body><p>Welcome!</p></body></html>')
    add("html_as_feed", "/html-as-feed.xml", Response(200, html, {"Content-Type": RSS}))

    add("status_404", "/status/404", Response(404, "no such feed", {"Content-Type": "text/plain"}))
    add("status_410", "/status/410", Response(410, "gone for good", {"Content-Type": "text/plain"}))
    add("status_429", "/status/429", Response(429, "slow down", {"Content-Type": "text/plain", "Retry-After": "120"}))
    add("status_500", "/status/500", Response(500, "oops", {"Content-Type": "text/plain"}))
    return paths
