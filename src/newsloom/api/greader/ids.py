"""Google Reader's names for things: item ids in every form clients send, and stream ids.

An item is an article's ``ItemNumber``. ``stream/items/ids`` answers it as a short decimal ("12"), everything else
as the long form ``tag:google.com,2005:reader/item/000000000000000c``. Clients send back any of: the long form, its
bare 16 hex digits, hex without the padding, or a decimal, signed when a client kept the 64 bits in a signed integer
(two's complement: a negative decimal and a 16-digit hex above 7fff… are the same item).
"""

from __future__ import annotations

import re

LONG_PREFIX = "tag:google.com,2005:reader/item/"
MASK = (1 << 64) - 1
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
KEPT_UNREAD = "user/-/state/com.google/kept-unread"
FRESH = "user/-/state/com.google/fresh"
FEED_PREFIX = "feed/"
LABEL_RE = re.compile(r"^user/[^/]+/label/(?P<label>.+)$")
STATE_RE = re.compile(r"^user/[^/]+/state/com\.google/(?P<state>[\w.-]+)$")
_HEX = re.compile(r"^[0-9a-fA-F]{1,16}$")
_DEC = re.compile(r"^-?[0-9]{1,20}$")


def long_id(number: int) -> str:
    return f"{LONG_PREFIX}{number & MASK:016x}"


def short_id(number: int) -> str:
    return str(number)


def parse_item_id(value: str) -> int | None:
    """The item number in any form a client sends, or None for something that is no item id."""
    text = value.strip()
    if text.startswith(LONG_PREFIX):
        text = text[len(LONG_PREFIX) :]
        return int(text, 16) & MASK if _HEX.match(text) else None
    if _DEC.match(text) and not (len(text) == 16 and not text.startswith("-")):
        number = int(text)
        return number & MASK if -(1 << 63) <= number <= MASK else None
    if _HEX.match(text):  # 16 digits (all decimal ones included: padded hex is what a 16-digit id means) or fewer
        return int(text, 16)
    return None


def signed(number: int) -> int:
    """The number as a signed 64-bit integer (what the database keeps)."""
    number &= MASK
    return number - (1 << 64) if number >= 1 << 63 else number


def canonical_state(stream: str) -> str | None:
    """``user/<anyone>/state/com.google/read`` → ``read`` (clients put their user id or ``-``)."""
    found = STATE_RE.match(stream.strip())
    return found.group("state") if found else None


def label_of(stream: str) -> str | None:
    found = LABEL_RE.match(stream.strip())
    return found.group("label") if found else None


def feed_stream(slug: str) -> str:
    return f"{FEED_PREFIX}{slug}"


def label_stream(tag: str) -> str:
    return f"user/-/label/{tag}"


STORY_LABEL = "story/"  # a followed story's label: user/-/label/story/<story id> (hashtags hold no slash)


def story_stream(story_id: str) -> str:
    return label_stream(STORY_LABEL + story_id)
