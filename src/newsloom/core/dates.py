"""The one date parser: ISO 8601 / RFC 3339 (feeds, page metadata) and RFC 2822 (HTTP dates, RSS-style JSON Feeds).

Every stage that reads a date from outside calls ``parse_datetime``; the caller decides what is plausible for its
field (page metadata refuses years outside 1990-2100, a JSON Feed takes any year).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_TZ_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
_SPACED_ISO = re.compile(r"^\d{4}-\d{2}-\d{2} \d")
MAX_LENGTH = 64  # no real date is longer; a longer value is not worth a parser's time


def parse_datetime(value: str) -> tuple[datetime, bool] | None:
    """``value`` as (timezone-aware datetime, has_time), or None when it is no date; naive times are taken as UTC.

    The offset is kept as given (``astimezone(UTC)`` to normalise). ``has_time`` is False for a bare day
    (``2024-05-01``, whose midnight is a placeholder, not a time).
    """
    value = value.strip()
    if not value or len(value) > MAX_LENGTH:
        return None
    iso = value.replace(" ", "T", 1) if _SPACED_ISO.match(value) else value
    iso = _TZ_NO_COLON.sub(r"\1:\2", iso) if "T" in iso else iso
    iso = iso[:-1] + "+00:00" if iso.endswith(("Z", "z")) else iso
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed, "T" in iso or ":" in value
