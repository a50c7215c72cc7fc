"""Feed bytes -> ``ParsedFeed``: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 (``rss_atom``, through feedparser) and JSON Feed
1.0/1.1 (``jsonfeed``), both read into the shared ``model``.

``parse`` is the one entry point: it looks at the first character and hands the bytes to the format's reader.
Whatever the bytes, it returns a ``ParsedFeed`` or raises ``FeedParseError`` (``NotAFeed`` for web pages and other
documents). ``parse_compat`` returns the raw feedparser result that ``parse`` is built on, for conformance tests.
The format readers import the model, never this dispatcher.
"""

from __future__ import annotations

from typing import Any

from newsloom.core.ingest.feeds import jsonfeed, rss_atom
from newsloom.core.ingest.feeds.model import FeedEntry, ParsedFeed
from newsloom.errors import FeedParseError

__all__ = ["FeedEntry", "ParsedFeed", "parse", "parse_compat"]


def _first_char(data: bytes) -> bytes:
    head = data[:512].replace(b"\x00", b"")
    for bom in (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"):
        head = head.removeprefix(bom)
    return head.lstrip()[:1]


def _is_json(data: bytes) -> bool:
    return _first_char(data) in (b"{", b"[")


def parse_compat(data: bytes, *, url: str | None = None, content_type: str | None = None) -> Any:
    """The ``feedparser.FeedParserDict`` that ``parse`` derives its result from (same hardening, same call).

    JSON Feeds, which feedparser 6 cannot read, are mapped into the same shape by ``jsonfeed``.
    """
    if _is_json(data):
        return jsonfeed.as_feedparser_dict(jsonfeed.parse_json_feed(data, url=url, content_type=content_type))
    return rss_atom.feedparser_result(data, url, content_type)


def _parse(data: bytes, url: str | None, content_type: str | None) -> ParsedFeed:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FeedParseError(f"expected the feed as bytes, got {type(data).__name__}")
    data = bytes(data)
    if not _first_char(data):
        raise FeedParseError("the document is empty")
    if _is_json(data):
        return jsonfeed.parse_json_feed(data, url=url, content_type=content_type)
    return rss_atom.parse_xml_feed(data, url, content_type)


def parse(data: bytes, *, url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse feed bytes. ``url`` is the feed's address (base for relative links); ``content_type`` the HTTP header.

    Raises ``FeedParseError`` (``NotAFeed`` for HTML pages and OPML lists) and nothing else.
    """
    try:
        return _parse(data, url, content_type)
    except FeedParseError:
        raise
    except Exception as exc:  # the contract: no other exception escapes, whatever the bytes
        raise FeedParseError(f"could not read the feed ({type(exc).__name__}: {exc})") from exc
