"""Filters for a signed-in reader's buttons: ``reader|following_story:id``, ``reader|mutes:source_id``."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def following_story(reader: Any, key: Any) -> bool:
    return bool(reader) and reader.following("story", key)


@register.filter
def following_source(reader: Any, key: Any) -> bool:
    return bool(reader) and reader.following("source", key)


@register.filter
def following_hashtag(reader: Any, key: Any) -> bool:
    return bool(reader) and reader.following("hashtag", key)


@register.filter
def mutes(reader: Any, source_id: Any) -> bool:
    return bool(reader) and reader.muted(int(source_id))
