"""RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 -> ``ParsedFeed``, through feedparser.

The document is sniffed first (an HTML page or an OPML list is refused with ``NotAFeed``), XML whose DOCTYPE declares
entities is refused (``xmlguard``, by what expat sees) before feedparser reads it, and feedparser's result is mapped
to the plain model.
"""

from __future__ import annotations

import calendar
import io
import re
import time
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
from feedparser.encodings import convert_to_utf8

from newsloom.core.ingest.discover import discover_feeds
from newsloom.core.ingest.feeds.fastrss import MIN_ITEMS as FAST_MIN_ITEMS
from newsloom.core.ingest.feeds.fastrss import plain_result
from newsloom.core.ingest.feeds.model import (
    FeedEntry,
    ParsedFeed,
    absolute,
    future_warning,
    looks_like_image,
    plain_text,
)
from newsloom.core.ingest.feeds.xmlguard import refuse_entities
from newsloom.errors import FeedParseError, NotAFeed

# ---------------------------------------------------------------------------------------------------------- sniffing

_PROLOG_TOKEN = re.compile(rb"<!--|<\?|<!|<([A-Za-z_:][-\w.:]*)")


def _prolog(text: bytes) -> tuple[bytes, str | None]:
    """The part of ``text`` before the root element (comments and PIs skipped) and the root's local name: a sniff
    for HTML pages and OPML lists, not a security check (``xmlguard`` is that)."""
    pos = 0
    while True:
        match = _PROLOG_TOKEN.search(text, pos)
        if match is None:
            return text, None
        token = match.group(0)
        if token == b"<!--" or token == b"<?":
            end = text.find(b"-->" if token == b"<!--" else b"?>", match.end())
            if end < 0:
                return text, None
            pos = end + 2
        elif token == b"<!":
            pos = match.end()
        else:
            name = match.group(1).decode("ascii", "replace").rpartition(":")[2].lower()
            return text[: match.start()], name


def _as_utf8(data: bytes, content_type: str | None) -> bytes:
    """The document as feedparser will see it: converted to UTF-8 the way feedparser converts it."""
    headers = {"content-type": content_type} if content_type else {}
    return bytes(convert_to_utf8(headers, data, {}))


# ---------------------------------------------------------------------------------------------------------- feedparser


def _headers(url: str | None, content_type: str | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if content_type:
        headers["content-type"] = content_type
    if url:
        headers["content-location"] = url
    return headers


def _run_feedparser(data: bytes, url: str | None, content_type: str | None) -> Any:
    """feedparser on the bytes (never a path or URL), with the HTTP headers we know."""
    return feedparser.parse(
        io.BytesIO(data),
        response_headers=_headers(url, content_type),
        resolve_relative_uris=True,
        sanitize_html=True,
    )


def _guess_charset(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # a trafilatura dependency; only needed for mislabelled feeds

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    letters = [ch for ch in str(best) if ord(ch) > 127 and ch.isalpha()]
    non_latin = sum(1 for ch in letters if not unicodedata.name(ch, "LATIN").startswith("LATIN"))
    # Only trust a guess that turns the text into a non-Latin script (Cyrillic, Greek, CJK …): among Latin
    # code pages, feedparser's windows-1252 fallback is right far more often than a statistical guess.
    return best.encoding if letters and non_latin > len(letters) / 2 else None


def _feedparse(data: bytes, url: str | None, content_type: str | None) -> Any:
    """feedparser, retried with a detected charset when the declared (or default) one was wrong."""
    result = _run_feedparser(data, url, content_type)
    if not isinstance(result.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        return result
    guess = _guess_charset(data)
    if not guess or guess.replace("_", "-") == str(result.get("encoding")).replace("_", "-"):
        return result
    retry = _run_feedparser(data, url, f"application/xml; charset={guess}")
    if retry.get("entries") or retry.get("version"):
        retry["bozo"], retry["bozo_exception"] = (
            True,
            feedparser.CharacterEncodingOverride(f"the declared character encoding was wrong; decoded as {guess}"),
        )
        return retry
    return result


_FORMATS = {
    "rss090": "rss09x", "rss091n": "rss09x", "rss091u": "rss09x", "rss092": "rss09x", "rss093": "rss09x",
    "rss094": "rss09x", "atom01": "atom03", "atom02": "atom03",
}  # fmt: skip
_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200, "yearly": 525600}


def _ttl_minutes(feed: Mapping[str, Any]) -> int | None:
    ttl = str(feed.get("ttl") or "").strip()
    if ttl.isdigit() and int(ttl) > 0:
        return int(ttl)
    period = _PERIOD_MINUTES.get(str(feed.get("sy_updateperiod") or "").strip().lower())
    if period is None:
        return None
    freq = str(feed.get("sy_updatefrequency") or "1").strip()
    return max(1, period // int(freq)) if freq.isdigit() and int(freq) > 0 else period


_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _impossible_day(raw: object) -> bool:
    """feedparser rolls 2024-02-30 over to March 1st; an impossible calendar day is an invalid date."""
    match = _ISO_DAY.match(raw) if isinstance(raw, str) else None
    if match is None:
        return False
    try:
        year, month, day = (int(g) for g in match.groups())
        datetime(year, month, day)
    except ValueError:
        return True
    return False


def _datetime(value: object, raw: object = None) -> datetime | None:
    if not isinstance(value, time.struct_time) or _impossible_day(raw):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _text_field(item: Mapping[str, Any], key: str) -> str:
    detail = item.get(f"{key}_detail") or {}
    return plain_text(item.get(key), is_html=detail.get("type", "text/html") != "text/plain")


def _content_html(entry: Mapping[str, Any]) -> str:
    contents = [c for c in entry.get("content") or [] if isinstance(c.get("value"), str)]
    for part in contents:
        if "html" in str(part.get("type", "")):
            return str(part["value"])
    return str(contents[0]["value"]) if contents else ""


def _entry_image(entry: Mapping[str, Any], base: str | None) -> str | None:
    candidates: list[tuple[object, object, object]] = []
    candidates += [(m.get("url"), "image/", None) for m in entry.get("media_thumbnail") or []]
    candidates += [(m.get("url"), m.get("type"), m.get("medium")) for m in entry.get("media_content") or []]
    candidates += [(m.get("href"), m.get("type"), None) for m in entry.get("enclosures") or []]
    itunes = entry.get("image")
    if isinstance(itunes, Mapping):
        candidates.append((itunes.get("href"), "image/", None))
    for raw, mime, medium in candidates:
        url = absolute(raw, base)
        if looks_like_image(url, mime, medium):
            return url
    return None


def _author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail") or {}
    name = plain_text(detail.get("name") or entry.get("author"), is_html=False)
    return name or None


def _categories(entry: Mapping[str, Any]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in entry.get("tags") or []:
        term = plain_text(tag.get("term") or tag.get("label"), is_html=False)
        if term:
            seen.setdefault(term, None)
    return tuple(seen)


def _entry(entry: Mapping[str, Any], base: str | None) -> FeedEntry:
    guid = entry.get("id")
    return FeedEntry(
        guid=guid.strip() or None if isinstance(guid, str) else None,
        link=absolute(entry.get("link"), base),
        title=_text_field(entry, "title"),
        author=_author(entry),
        published=_datetime(entry.get("published_parsed"), entry.get("published")),
        updated=_datetime(entry.get("updated_parsed"), entry.get("updated")),
        summary=str(entry.get("summary") or ""),
        content_html=_content_html(entry),
        categories=_categories(entry),
        image=_entry_image(entry, base),
    )


def _bozo_warning(result: Mapping[str, Any], content_type: str | None) -> list[str]:
    exc = result.get("bozo_exception")
    if not result.get("bozo") or (content_type is None and isinstance(exc, feedparser.NonXMLContentType)):
        return []  # "no Content-type specified" only means we were not told one
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return [str(exc) if "decoded as" in str(exc) else f"{exc}; decoded as {result.get('encoding')}"]
    return [f"the feed is not well-formed ({exc}); entries were recovered by a lenient parser"]


def _not_a_feed(result: Mapping[str, Any], utf8: bytes, url: str | None, root: str | None) -> FeedParseError:
    if root == "html" or re.search(rb"<(?:html|body)[\s>]", utf8[:65536], re.IGNORECASE):
        return _html_page(utf8, url)
    if result.get("bozo"):
        return FeedParseError(f"not a readable feed: {result.get('bozo_exception')}")
    found = f"<{root}>" if root else "no XML element"
    return FeedParseError(f"not an RSS, Atom or JSON feed: the document has {found} where a feed root was expected")


def _html_page(data: bytes, url: str | None) -> NotAFeed:
    links = tuple(f.url for f in discover_feeds(data, url or ""))
    advert = f"it advertises {len(links)} feed(s)" if links else "it advertises no feed"
    return NotAFeed(f"this is an HTML page, not a feed; {advert}", feed_links=links)


def _from_feedparser(result: Mapping[str, Any], url: str | None, content_type: str | None) -> ParsedFeed:
    feed = result.get("feed") or {}
    link = absolute(feed.get("link"), url)
    entries = tuple(_entry(e, url or link) for e in result.get("entries") or [])
    version = str(result.get("version") or "rss")
    return ParsedFeed(
        format=_FORMATS.get(version, version),
        title=_text_field(feed, "title"),
        link=link,
        description=str(feed.get("subtitle") or feed.get("description") or ""),
        language=plain_text(feed.get("language"), is_html=False) or None,
        ttl_minutes=_ttl_minutes(feed),
        entries=entries,
        warnings=tuple(_bozo_warning(result, content_type) + future_warning(entries)),
    )


def parse_xml_feed(data: bytes, url: str | None, content_type: str | None, *,
                   fast_min_items: int | None = FAST_MIN_ITEMS) -> ParsedFeed:
    """RSS or Atom bytes -> ``ParsedFeed``; raises ``FeedParseError`` (``NotAFeed`` for web pages and OPML lists).

    A large plain RSS 2.0 feed (``fast_min_items`` items or more) takes ``fastrss``'s path to the same result;
    ``fast_min_items=None`` always uses feedparser on the whole document.
    """
    utf8 = _as_utf8(data, content_type)
    _prolog_bytes, root = _prolog(utf8)
    if root == "html":
        raise _html_page(utf8, url)
    if root == "opml":
        raise NotAFeed("this is an OPML subscription list, not a feed; import it as a list of feeds")
    refuse_entities(utf8)
    result = None
    if fast_min_items is not None:
        result = plain_result(data, utf8, url, content_type, lambda doc: _feedparse(doc, url, content_type),
                                      min_items=fast_min_items)
    if result is None:
        result = _feedparse(data, url, content_type)
    if not result.get("version") and not result.get("entries"):
        raise _not_a_feed(result, utf8, url, root)
    return _from_feedparser(result, url, content_type)


def feedparser_result(data: bytes, url: str | None, content_type: str | None) -> Any:
    """The ``feedparser.FeedParserDict`` that ``parse_xml_feed`` derives its result from (same hardening, same call)."""
    refuse_entities(_as_utf8(data, content_type))
    return _feedparse(data, url, content_type)
