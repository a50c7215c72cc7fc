"""Opaque cursors: a list's position as URL-safe text that clients pass back unchanged.

A cursor is base64url (unpadded) of a small JSON array: the list's name, then the key of the last row served (the
values of the list's keyset ordering, see ``newsloom.keyset``), datetimes as ISO 8601. A list that is not an ORM
keyset (search ranks, a counted hashtag list, a comment thread built in Python) keeps an offset or the last item's
key in the same form. Decoding checks the name and every value's type against what the list expects, so a cursor
from another list, a truncated or a made-up one is a 422, never a wrong page or a server error.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from newsloom.api.errors import invalid

CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,400}$"
CURSOR_MAX = 400
MAX_OFFSET = 100_000

# value kinds a list's key is made of
DATETIME = "datetime"
NULLABLE_DATETIME = "datetime?"
FLOAT = "float"
STRING = "str"
INT = "int"


def encode(name: str, values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps([name, *plain], separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _value(kind: str, value: Any) -> Any:
    if kind in (DATETIME, NULLABLE_DATETIME):
        if value is None and kind == NULLABLE_DATETIME:
            return None
        if not isinstance(value, str):
            raise ValueError("not a time")
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if kind == FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError("not a number")
        return float(value)
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_OFFSET:
            raise ValueError("not a position")
        return value
    if kind == STRING:
        if not isinstance(value, str) or not value or len(value) > 200:
            raise ValueError("not a key")
        return value
    raise AssertionError(kind)


def decode(cursor: str | None, name: str, kinds: Sequence[str]) -> tuple[Any, ...] | None:
    """The key in ``cursor`` for the list ``name`` whose key is made of ``kinds``; None without a cursor."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode())
        if not isinstance(data, list) or len(data) != len(kinds) + 1 or data[0] != name:
            raise ValueError("not this list's cursor")
        return tuple(_value(kind, value) for kind, value in zip(kinds, data[1:], strict=True))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, OverflowError):
        raise invalid(["query", "cursor"], "this cursor is not one this list gave out", "invalid_cursor") from None


def offset_cursor(name: str, offset: int | None) -> str | None:
    return None if offset is None or offset > MAX_OFFSET else encode(name, [offset])


def decode_offset(cursor: str | None, name: str) -> int:
    found = decode(cursor, name, [INT])
    return 0 if found is None else int(found[0])
