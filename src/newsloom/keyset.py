"""Keyset ("seek") pagination over an ORM ordering: the rows after a given row, found by its key, without OFFSET.

A list is ordered by a few columns ending in a unique one (the primary key). A page ends with a row whose values in
those columns are its *key*; the next page is the rows that sort after that key, which one indexed ``WHERE`` finds
however deep the page, and which rows added or removed in between do not shift. NULLs sort last in either direction
on every database (PostgreSQL would put them first in a descending order by default).

The apps' query functions use it; the API turns a key into an opaque cursor (``newsloom.api.pagination``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.db.models.expressions import OrderBy

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Key:
    """One column of an ordering: its field (or annotation), its direction, whether it may be NULL."""

    field: str
    descending: bool = False
    nullable: bool = False


def ordering(keys: Sequence[Key]) -> list[OrderBy]:
    return [F(k.field).desc(nulls_last=True) if k.descending else F(k.field).asc(nulls_last=True) for k in keys]


def after(keys: Sequence[Key], values: Sequence[Any]) -> Q:
    """The rows sorting strictly after the row whose key is ``values`` (one value per key)."""
    if len(values) != len(keys):
        raise ValueError(f"a key of {len(keys)} values was expected, got {len(values)}")
    beyond: list[Q] = []
    same = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            same &= Q(**{f"{key.field}__isnull": True})  # nothing sorts after NULL in this column: NULLs are last
            continue
        later = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
        if key.nullable:
            later |= Q(**{f"{key.field}__isnull": True})
        beyond.append(same & later)
        same &= Q(**{key.field: value})
    found = Q(pk__in=[])
    for condition in beyond:
        found |= condition
    return found


def key_of(row: Any, keys: Sequence[Key]) -> tuple[Any, ...]:
    return tuple(getattr(row, "pk" if k.field == "pk" else k.field) for k in keys)


def page(
    queryset: QuerySet[M], keys: Sequence[Key], start: Sequence[Any] | None, limit: int
) -> tuple[list[M], tuple[Any, ...] | None]:
    """Up to ``limit`` rows of ``queryset`` in ``keys``' order, after the key ``start`` (from the beginning when
    None), and the key to continue after (None on the last page)."""
    rows = queryset.order_by(*ordering(keys))
    if start is not None:
        rows = rows.filter(after(keys, start))
    found = list(rows[: limit + 1])
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, key_of(found[-1], keys)
