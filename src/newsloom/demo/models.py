"""Plain data types of the mini-web: the public contract (DemoFeed, DemoArticle) and the internal records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class DemoFeed:
    """One feed of the mini-web, with the publisher it belongs to."""

    url: str
    source_name: str
    source_slug: str
    homepage: str
    country: str
    language: str
    kind: str  # "wire" | "public" | "private" | "state"
    format: str  # "rss20" | "atom10" | "rss10" | "json11"
    broken: bool


@dataclass(frozen=True)
class DemoArticle:
    """One article page of the mini-web and the ground truth about it."""

    url: str  # canonical page URL (without tracking params)
    source_slug: str
    title: str
    event: str
    published: datetime
    wire_origin: str | None  # url of the agency article this is a copy of, None if original
    copy_kind: str | None  # "verbatim" | "cut" | "edited" | "retitled" | "intro" | "reordered"
    body_sentences: tuple[str, ...]  # distinctive sentences of the body that extraction must keep


@dataclass(frozen=True)
class FeedSpec:
    """How a publisher serves one of its feeds."""

    path: str
    format: str
    title: str
    broken: bool = False
    tracking: bool = False  # item links carry ?utm_source=rss&utm_medium=feed
    only: tuple[str, ...] | None = None  # article ids listed (None: all of the publisher's articles)


@dataclass(frozen=True)
class Publisher:
    slug: str
    name: str
    country: str
    kind: str
    template: str
    tagline: str
    path_pattern: str  # e.g. "/news/{slug}"
    feeds: tuple[FeedSpec, ...]
    robots: str
    meta_dates: bool = True  # article:published_time and JSON-LD datePublished on pages
    canonical: bool = True  # <link rel="canonical"> on article pages
    image_format: str = "svg"  # "svg" | "png"
    language: str = "en"
    homepage: str = ""  # filled in once the server's port is known


@dataclass
class Doc:
    """An article as the server renders it."""

    id: str
    source: str
    event: str
    title: str
    author: str
    published: datetime
    paragraphs: list[str]
    url: str = ""
    path: str = ""
    summary: str = ""
    section: str = "News"
    wire_origin: str | None = None
    copy_kind: str | None = None
    visible_date_only: bool = False
    tags: list[str] = field(default_factory=list)
    image_path: str = ""

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)
