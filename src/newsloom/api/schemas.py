"""The API's response bodies. They are the OpenAPI document's schemas, so every field says what it holds."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

# ------------------------------------------------------------------------------------------------------------- errors


class ErrorDetail(Schema):
    loc: list[str | int] = Field(description='where the problem is, e.g. ["query", "limit"]')
    message: str
    type: str = Field(description='a machine-readable kind, e.g. "less_than_equal"')


class Error(Schema):
    """The one body of every error response (4xx and 5xx) under /api/."""

    status: int = Field(description="the HTTP status code, repeated")
    code: str = Field(description="not_found, validation_error, method_not_allowed, rate_limited, server_error, …")
    message: str = Field(description="a sentence for people")
    details: list[ErrorDetail] = Field(default_factory=list, description="per-field problems of a 422")


# ------------------------------------------------------------------------------------------------------------ sources


class SourceRef(Schema):
    slug: str
    name: str


class Source(SourceRef):
    homepage: str | None
    country: str | None = Field(description="ISO 3166-1 alpha-2")
    language: str | None
    owner: str | None
    kind: str = Field(description="wire, public, private, state or unknown")
    article_count: int
    web_url: str = Field(description="the source's page on this site (a path)")


class SourcePage(Schema):
    items: list[Source]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


# ----------------------------------------------------------------------------------------------------------- articles


class ArticleSummary(Schema):
    id: str = Field(description="32 hex characters: the digest of the canonical URL")
    title: str
    url: str = Field(description="the publisher's (canonical) URL")
    source: SourceRef
    published: datetime | None
    language: str | None
    lead_image: str | None
    wire_group: str | None = Field(description="id of the group of copies of one agency text, if any")
    story: str | None = Field(description="id of the story the article is in, if any")
    web_url: str


class Article(ArticleSummary):
    author: str | None
    site_name: str | None
    summary: str = Field(description="the feed's summary, plain text")
    html: str = Field(description="the article's body, sanitized HTML")
    text: str = Field(description="the article's body, plain text")
    word_count: int
    hashtags: list[str]
    full_text: bool = Field(description="false when the page could not be read and only the feed's content is kept")
    fetched: datetime | None
    wire_copies: list[ArticleSummary] = Field(description="other outlets' copies of the same text")


class RelatedArticle(Schema):
    article: ArticleSummary
    reason: str = Field(description="why it is related, in words")


class RelatedList(Schema):
    items: list[RelatedArticle]


# ------------------------------------------------------------------------------------------------------------ stories


class CitedSentence(Schema):
    text: str
    article_id: str | None = Field(description="the article the sentence is quoted from (its citation)")
    supporting: list[str] = Field(description="other articles that say the same")
    kind: str | None = Field(description="extractive (quoted) or abstractive (written by the configured model)")


class Fact(Schema):
    kind: str = Field(description="number, person, place, organisation or quote")
    label: str
    value: str | None
    sources: list[str]
    article_ids: list[str]
    evidence: list[str] = Field(description="a supporting sentence per article, aligned with article_ids")


class DisagreementValue(Schema):
    value: str
    sources: list[str]


class Disagreement(Schema):
    quantity: str
    values: list[DisagreementValue]


class SourceCoverage(Schema):
    source: str
    article_ids: list[str]
    first_published: datetime | None
    wire_copy: bool
    exclusive_facts: list[str]


class Comparison(Schema):
    facts: list[Fact]
    disagreements: list[Disagreement]
    sources: list[SourceCoverage]


class StorySummary(Schema):
    id: str
    title: str
    language: str | None
    first_published: datetime | None
    last_published: datetime | None
    article_count: int
    source_count: int
    wire_group_count: int
    score: float
    hashtags: list[str]
    summary: list[CitedSentence]
    lead_image: str | None
    sources: list[SourceRef]
    web_url: str


class StoryPage(Schema):
    items: list[StorySummary]
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class WireGroup(Schema):
    wire_group: str | None = Field(description="null for an outlet's own reporting (a group of one)")
    origin: ArticleSummary
    copies: list[ArticleSummary]


class Story(StorySummary):
    key_points: list[CitedSentence]
    comparison: Comparison | None
    articles: list[ArticleSummary]
    wire_groups: list[WireGroup]
    enriched: datetime | None


# ------------------------------------------------------------------------------------------------- search, hashtags


class SearchHit(Schema):
    article: ArticleSummary
    snippet_html: str = Field(description="escaped text with <mark> around the matches")
    rank: float


class SearchPage(Schema):
    query: str
    total: int
    message: str | None = Field(description="why a query found nothing it could search for, if so")
    items: list[SearchHit]
    next_cursor: str | None


class Hashtag(Schema):
    tag: str
    stories: int = Field(description="how many of the top stories carry it")
    web_url: str | None = Field(description="the hashtag's page on this site (a path), if it has one")


class HashtagPage(Schema):
    items: list[Hashtag]
    next_cursor: str | None


# ----------------------------------------------------------------------------------------------------------- comments


class Comment(Schema):
    id: int
    author: str | None = Field(description="display name; null for a removed comment or a deleted account")
    body_html: str = Field(description="sanitized HTML; empty for a removed comment kept for its replies")
    created: datetime | None
    edited: datetime | None
    removed: bool
    replies: list[Comment]


class CommentPage(Schema):
    count: int = Field(description="visible comments in the whole thread, replies included")
    items: list[Comment] = Field(description="top-level comments, oldest first, each with its replies")
    next_cursor: str | None


Comment.model_rebuild()
