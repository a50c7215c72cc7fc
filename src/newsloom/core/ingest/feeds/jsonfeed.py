"""JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1) -> ``ParsedFeed``.

feedparser 6 cannot read JSON Feed, so this small reader does. A JSON document whose ``version`` is not a jsonfeed.org
version URL is refused with ``FeedParseError``. ``as_feedparser_dict`` maps a result back to feedparser's field names
so the conformance harness can evaluate feedparser's expectations against it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsloom.core.dates import parse_datetime
from newsloom.core.ingest.feeds.model import (
    FeedEntry,
    ParsedFeed,
    absolute,
    future_warning,
    looks_like_image,
    plain_text,
)
from newsloom.errors import FeedParseError

__all__ = ["as_feedparser_dict", "parse_json_feed"]

_VERSION_PREFIX = "jsonfeed.org/version/"


def _load(data: bytes, content_type: str | None) -> object:
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        pass
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"not a feed: the document looks like JSON but is not valid JSON ({exc})") from exc
    charset = "cp1252"
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or charset
    try:
        return json.loads(data.decode(charset, "replace"))
    except (LookupError, ValueError, RecursionError) as exc:
        raise FeedParseError(f"not a feed: the JSON document cannot be decoded ({exc})") from exc


def _format(doc: Mapping[str, Any]) -> str:
    version = doc.get("version")
    if not isinstance(version, str) or _VERSION_PREFIX not in version:
        raise FeedParseError("not a feed: a JSON document, but not a JSON Feed (no jsonfeed.org version)")
    return "json10" if version.rstrip("/").endswith("/1") else "json11"


def _str(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def parse_date(value: object) -> datetime | None:
    """RFC 3339 (or, leniently, RFC 822) to an aware UTC datetime; None when absent or unparsable."""
    text = _str(value)
    parsed = parse_datetime(text) if text is not None else None
    if parsed is None:
        return None
    try:
        return parsed[0].astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _author(item: Mapping[str, Any]) -> str | None:
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [_str(a.get("name")) for a in candidates if isinstance(a, Mapping)]
    joined = ", ".join(n for n in names if n)
    return joined or None


def _image(item: Mapping[str, Any], base: str | None) -> str | None:
    for key in ("image", "banner_image"):
        url = absolute(_str(item.get(key)), base)
        if url:
            return url
    for attachment in item.get("attachments") or []:
        if isinstance(attachment, Mapping):
            url = absolute(_str(attachment.get("url")), base)
            if looks_like_image(url, attachment.get("mime_type") or "none/none"):
                return url
    return None


def _summary(item: Mapping[str, Any]) -> str:
    summary = _str(item.get("summary"))
    if summary is not None:
        return summary
    text = _str(item.get("content_text"))
    return html.escape(text, quote=False) if text else ""


def _entry(item: Mapping[str, Any], base: str | None) -> FeedEntry:
    tags = item.get("tags")
    return FeedEntry(
        guid=_str(item.get("id")),
        link=absolute(_str(item.get("url")) or _str(item.get("external_url")), base),
        title=plain_text(_str(item.get("title"))),
        author=_author(item),
        published=parse_date(item.get("date_published")),
        updated=parse_date(item.get("date_modified")),
        summary=_summary(item),
        content_html=_str(item.get("content_html")) or "",
        categories=tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))
        if isinstance(tags, list)
        else (),
        image=_image(item, base),
    )


def parse_json_feed(data: bytes, *, url: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse JSON Feed bytes; raises ``FeedParseError`` for invalid JSON or JSON that is not a JSON Feed."""
    doc = _load(data, content_type)
    if not isinstance(doc, Mapping):
        raise FeedParseError("not a feed: a JSON document, but not a JSON Feed object")
    fmt = _format(doc)
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedParseError("not a feed: the JSON Feed has no items list")
    link = absolute(_str(doc.get("home_page_url")), url)
    base = url or _str(doc.get("feed_url")) or link
    entries = tuple(_entry(item, base) for item in items if isinstance(item, Mapping))
    skipped = len(items) - len(entries)
    warnings = [f"{skipped} items were not JSON objects and were skipped"] if skipped else []
    return ParsedFeed(
        format=fmt,
        title=plain_text(_str(doc.get("title"))),
        link=link,
        description=_str(doc.get("description")) or "",
        language=_str(doc.get("language")),
        ttl_minutes=None,
        entries=entries,
        warnings=tuple(warnings + future_warning(entries)),
    )


def _fp_entry(entry: FeedEntry) -> Any:
    tags = [{"term": c} for c in entry.categories]
    fields: dict[str, Any] = {"title": entry.title, "summary": entry.summary, "tags": tags}
    optional = {"id": entry.guid, "link": entry.link, "author": entry.author}
    fields.update({k: v for k, v in optional.items() if v is not None})
    if entry.content_html:
        fields["content"] = [feedparser.FeedParserDict(value=entry.content_html, type="text/html")]
    for key in ("published", "updated"):
        moment = getattr(entry, key)
        if moment is not None:
            fields[key] = moment.isoformat()
            fields[f"{key}_parsed"] = moment.utctimetuple()
    return feedparser.FeedParserDict(fields)


def as_feedparser_dict(parsed: ParsedFeed) -> Any:
    """``parsed`` in feedparser's shape (``bozo``, ``version``, ``feed``, ``entries``) for the conformance harness."""
    feed = {"title": parsed.title, "subtitle": parsed.description}
    if parsed.link:
        feed["link"] = parsed.link
    if parsed.language:
        feed["language"] = parsed.language
    return feedparser.FeedParserDict(
        bozo=False,
        version=parsed.format,
        encoding="utf-8",
        headers={},
        feed=feedparser.FeedParserDict(feed),
        entries=[_fp_entry(e) for e in parsed.entries],
    )
