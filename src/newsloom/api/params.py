"""What the API's query and path parameters accept, in one place (the OpenAPI document shows each constraint)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

from newsloom.api import schemas

ID_PATTERN = r"^[0-9a-f]{32}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,100}$"
LANGUAGE_PATTERN = r"^[A-Za-z0-9-]{1,8}$"
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"  # no control characters (PostgreSQL refuses NUL in text)
TAG_PATTERN = r"^[^\x00-\x1f\x7f/#?]{1,100}$"

_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _rfc3339(value: Any) -> Any:
    """Only what the document promises (RFC 3339 date-time), not every form pydantic would read (a Unix time)."""
    if isinstance(value, str) and not _DATE_TIME.fullmatch(value):
        raise ValueError("a time is written like 2026-12-07T08:30:00Z")
    return value


def _full_date(value: Any) -> Any:
    if isinstance(value, str) and not _DATE.fullmatch(value):
        raise ValueError("a day is written like 2026-12-07")
    return value


DateTime = Annotated[datetime, BeforeValidator(_rfc3339)]
Day = Annotated[date, BeforeValidator(_full_date)]

ERRORS = {404: schemas.Error, 422: schemas.Error, 429: schemas.Error, 500: schemas.Error}


def utc(value: datetime | None) -> datetime | None:
    """An aware UTC time (a naive one is taken as UTC); clamped to the calendar's ends rather than overflowing."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return datetime.min.replace(tzinfo=UTC) if value.year < 5000 else datetime.max.replace(tzinfo=UTC)
