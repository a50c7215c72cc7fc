"""Values from outside, fitted to the columns they are stored in: the one place that bounds them.

PostgreSQL refuses a string longer than its ``varchar`` column, a NUL character anywhere and a lone surrogate;
SQLite refuses none of these, so without this a hostile feed fails on one database only. Every action passes what it
stores through here before saving:

- ``fit_values(Model, {field: value})`` (and ``fit_row(instance)``, the same for every field of an instance): text is
  cleaned (NUL and the other control characters XML forbids removed, lone surrogates replaced by U+FFFD) and cut to
  the column's ``max_length`` on a character boundary (never between a letter and its combining marks); a URL
  column's value is never cut: one longer than the column raises ValueError (a cut URL points somewhere else);
- ``checked_url(Model, field, value)`` is the URL gate (``core.urls.checked_http_url``: http/https, a valid host,
  the column's length), optionally canonical; ``optional_url`` the same for values that may be dropped (an image, a
  homepage): "" instead of an error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from newsloom.core.urls import canonicalize, checked_http_url

M = TypeVar("M", bound=models.Model)

# What no column should hold: NUL and lone surrogates (PostgreSQL refuses them), and the other characters XML 1.0
# forbids (C0 controls but tab, newline and return; U+FFFE, U+FFFF), which would make newsloom's own feeds out and
# OPML export unreadable.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_JOINERS = frozenset({"\u200c", "\u200d", "\u034f"})  # zero-width (non-)joiner, combining grapheme joiner


@dataclass(frozen=True)
class _Column:
    kind: str  # "text", "url", "json", "other"
    max_length: int | None


_CACHE: dict[type[models.Model], dict[str, _Column]] = {}


def _columns(model: type[models.Model]) -> dict[str, _Column]:
    cached = _CACHE.get(model)
    if cached is not None:
        return cached
    columns: dict[str, _Column] = {}
    for field in model._meta.concrete_fields:
        if isinstance(field, models.URLField):
            kind = "url"
        elif isinstance(field, models.CharField | models.TextField):
            kind = "text"
        elif isinstance(field, models.JSONField):
            kind = "json"
        else:
            kind = "other"
        column = _Column(kind, getattr(field, "max_length", None))
        columns[field.name] = column
        columns[field.attname] = column
    _CACHE[model] = columns
    return columns


def max_length(model: type[models.Model], field: str) -> int:
    """The column's length limit (``core.urls.MAX_URL_LENGTH``-sized for URL columns)."""
    limit = _columns(model)[field].max_length
    if limit is None:
        raise ValueError(f"{model.__name__}.{field} has no length limit")
    return limit


def clean_text(value: str) -> str:
    """``value`` as every database and every XML document accepts it: lone surrogates replaced by U+FFFD, NUL and the
    other control characters XML forbids removed (tab, newline and return stay)."""
    if _UNSTORABLE.search(value) is None:
        return value
    return _UNSTORABLE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", value)


def _joins_previous(char: str) -> bool:
    return char in _JOINERS or unicodedata.category(char) in ("Mn", "Mc", "Me")


def cut(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, before the last whole character (a combining mark or a
    zero-width joiner stays with the letter before it, or goes with it)."""
    if len(value) <= limit:
        return value
    end = limit
    while end > 0 and (_joins_previous(value[end]) or value[end - 1] in _JOINERS):
        end -= 1
    return value[:end] if end > 0 else value[:limit]


def _fit_json(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_fit_json(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): _fit_json(item) for key, item in value.items()}
    return value


def _fit(model: type[models.Model], name: str, column: _Column, value: Any) -> Any:
    if column.kind == "json":
        return _fit_json(value)
    if not isinstance(value, str) or column.kind == "other":
        return value
    value = clean_text(value)
    if column.max_length is None or len(value) <= column.max_length:
        return value
    if column.kind == "url":
        raise ValueError(f"{model.__name__}.{name}: URL longer than {column.max_length} characters ({len(value)})")
    return cut(value, column.max_length)


def fit_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (field name -> value) fitted to ``model``'s columns; ValueError for a URL too long to store."""
    columns = _columns(model)
    return {
        name: _fit(model, name, columns[name], value) if name in columns else value for name, value in values.items()
    }


def fit_text(model: type[models.Model], field: str, value: str) -> str:
    """One text value fitted to ``model.field``'s column: cleaned, cut on a character boundary."""
    fitted: str = _fit(model, field, _columns(model)[field], value)
    return fitted


def fit_row(instance: M) -> M:
    """Every field of ``instance`` fitted to its column, in place; ValueError for a URL too long to store."""
    model = type(instance)
    for name, column in _columns(model).items():
        if column.kind in ("text", "url", "json") and name in instance.__dict__:
            value = instance.__dict__[name]
            fitted = _fit(model, name, column, value)
            if fitted is not value:
                instance.__dict__[name] = fitted
    return instance


def checked_url(
    model: type[models.Model], field: str, value: str, *, base: str | None = None, canonical: bool = False
) -> str:
    """``value`` as ``model.field`` may store it: through the URL gate (http/https, a valid host, no longer than the
    column), canonical (``core.urls.canonicalize``) when asked; ValueError, with the reason, otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("no URL")
    limit = max_length(model, field)
    url = checked_http_url(clean_text(value), base=base, max_length=limit)
    if canonical:
        url = canonicalize(url)
        if len(url) > limit:
            raise ValueError(f"URL longer than {limit} characters ({len(url)}) once canonical")
    return url


def optional_url(
    model: type[models.Model], field: str, value: object, *, base: str | None = None, canonical: bool = False
) -> str:
    """``checked_url`` for a value that may be dropped (an image, a homepage): the stored form, or "" when bad."""
    if not isinstance(value, str):
        return ""
    try:
        return checked_url(model, field, value, base=base, canonical=canonical)
    except ValueError:
        return ""
