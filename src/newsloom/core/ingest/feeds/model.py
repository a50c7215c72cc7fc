"""The shared feed model: what every feed format is read into, and the small helpers the format readers share."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin


@dataclass(frozen=True)
class FeedEntry:
    guid: str | None
    link: str | None
    title: str
    author: str | None
    published: datetime | None
    updated: datetime | None
    summary: str
    content_html: str
    categories: tuple[str, ...]
    image: str | None


@dataclass(frozen=True)
class ParsedFeed:
    format: str
    title: str
    link: str | None
    description: str
    language: str | None
    ttl_minutes: int | None
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]


_TAG = re.compile(r"<[^>]*>")
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg)(?:$|[?#])", re.IGNORECASE)
_FUTURE_SLACK = timedelta(days=1)


def plain_text(value: str | None, *, is_html: bool = True) -> str:
    """Whitespace-normalised text; for HTML, tags dropped and entities decoded."""
    if not value:
        return ""
    if is_html:
        value = html.unescape(_TAG.sub(" ", value))
    return " ".join(value.split())


def absolute(url: object, base: str | None) -> str | None:
    """``url`` resolved against ``base`` (when there is one); None for empty or non-string values."""
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if not base:
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def looks_like_image(url: str | None, mime: object = None, medium: object = None) -> bool:
    if not url:
        return False
    if isinstance(mime, str) and mime:
        return mime.lower().startswith("image/")
    if medium == "image":
        return True
    return bool(_IMAGE_EXT.search(url))


def future_warning(entries: Iterable[FeedEntry]) -> list[str]:
    """One warning if any entry is dated more than a day ahead (the dates are kept)."""
    limit = datetime.now(UTC) + _FUTURE_SLACK
    count = sum(1 for e in entries if (e.published or e.updated or limit) > limit)
    return [f"{count} entries are dated more than a day in the future"] if count else []
