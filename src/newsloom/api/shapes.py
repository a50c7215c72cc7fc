"""The API's bodies filled from the apps' query results.

The stored enrichment (summary, key points, comparison) is JSON written by the pipeline; it is read here tolerantly,
as the pages read it: an item of an unexpected shape is left out, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from newsloom.api import schemas
from newsloom.articles.models import Article
from newsloom.community.queries import ThreadComment
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.stories.queries import RelatedArticle, WireCoverage


def web_url(name: str, **kwargs: str) -> str:
    """The path of a reader page, in the site's default language (the API itself speaks no language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(f"web:{name}", kwargs=kwargs)


def hashtag_url(tag: str) -> str | None:
    """A hashtag's page, if the tag can be spelled in a path at all."""
    try:
        return web_url("hashtag", tag=tag)
    except NoReverseMatch:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(values: Any) -> list[str]:
    return (
        [str(v) for v in values if isinstance(v, str | int | float) and not isinstance(v, bool)]
        if isinstance(values, list | tuple)
        else []
    )


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def source_ref(source: Source) -> schemas.SourceRef:
    return schemas.SourceRef(slug=source.slug, name=source.name)


def source(item: Source) -> schemas.Source:
    return schemas.Source(
        slug=item.slug,
        name=item.name,
        homepage=_text(item.homepage),
        country=_text(item.country),
        language=_text(item.language),
        owner=_text(item.owner),
        kind=item.kind,
        article_count=int(getattr(item, "article_count", 0) or 0),
        web_url=web_url("source", slug=item.slug),
    )


def article_summary(article: Article) -> schemas.ArticleSummary:
    return schemas.ArticleSummary(
        id=article.pk,
        title=article.title,
        url=article.canonical_url or article.url,
        source=source_ref(article.source),
        published=article.published_at,
        language=_text(article.language),
        lead_image=_text(article.lead_image),
        wire_group=article.wire_group_id,
        story=article.story_id,
        web_url=web_url("article", article_id=article.pk),
    )


def article(item: Article, copies: Sequence[Article]) -> schemas.Article:
    return schemas.Article(
        **article_summary(item).model_dump(),
        author=_text(item.author),
        site_name=_text(item.site_name),
        summary=item.summary,
        html=item.html or item.feed_html,
        text=item.text,
        word_count=item.word_count,
        hashtags=_strings(item.hashtags),
        full_text=item.status == Article.Status.OK,
        fetched=item.fetched_at,
        wire_copies=[article_summary(a) for a in copies],
    )


def related(items: Iterable[RelatedArticle]) -> schemas.RelatedList:
    return schemas.RelatedList(
        items=[schemas.RelatedArticle(article=article_summary(r.article), reason=r.reason) for r in items]
    )


def cited(items: Any) -> list[schemas.CitedSentence]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str) and item.strip():
            out.append(schemas.CitedSentence(text=item.strip(), article_id=None, supporting=[], kind=None))
        elif isinstance(item, dict) and _text(item.get("text")):
            out.append(
                schemas.CitedSentence(
                    text=str(item["text"]).strip(),
                    article_id=_text(item.get("article_id")),
                    supporting=_strings(item.get("supporting")),
                    kind=_text(item.get("kind")),
                )
            )
    return out


def comparison(data: Any) -> schemas.Comparison | None:
    if not isinstance(data, dict) or not (data.get("facts") or data.get("sources")):
        return None
    facts = [
        schemas.Fact(
            kind=str(f.get("kind") or ""),
            label=str(f.get("label") or ""),
            value=None if f.get("value") is None else str(f["value"]),
            sources=_strings(f.get("sources")),
            article_ids=_strings(f.get("article_ids")),
            evidence=_strings(f.get("evidence")),
        )
        for f in data.get("facts") or []
        if isinstance(f, dict)
    ]
    disagreements = []
    for item in data.get("disagreements") or []:
        if not isinstance(item, dict):
            continue
        values = [
            schemas.DisagreementValue(value=str(v[0]), sources=_strings(v[1]))
            for v in item.get("values") or []
            if isinstance(v, list | tuple) and len(v) == 2
        ]
        if values:
            disagreements.append(schemas.Disagreement(quantity=str(item.get("quantity") or ""), values=values))
    sources = [
        schemas.SourceCoverage(
            source=str(s.get("source") or ""),
            article_ids=_strings(s.get("article_ids")),
            first_published=_time(s.get("first_published")),
            wire_copy=bool(s.get("wire_copy")),
            exclusive_facts=_strings(s.get("exclusive_facts")),
        )
        for s in data.get("sources") or []
        if isinstance(s, dict)
    ]
    return schemas.Comparison(facts=facts, disagreements=disagreements, sources=sources)


def _story_fields(story: Story, members: Sequence[Article]) -> dict[str, Any]:
    seen: dict[int, Source] = {}
    for member in members:
        seen.setdefault(member.source_id, member.source)
    image = next((a.lead_image for a in members if a.lead_image), None)
    return {
        "id": story.pk,
        "title": story.title,
        "language": _text(story.language),
        "first_published": story.first_published,
        "last_published": story.last_published,
        "article_count": story.article_count,
        "source_count": story.source_count,
        "wire_group_count": story.wire_group_count,
        "score": story.score,
        "hashtags": _strings(story.hashtags),
        "summary": cited(story.summary),
        "lead_image": image,
        "sources": [source_ref(s) for s in seen.values()],
        "web_url": web_url("story", story_id=story.pk),
    }


def story_summary(story: Story, members: Sequence[Article]) -> schemas.StorySummary:
    return schemas.StorySummary(**_story_fields(story, members))


def story(item: Story, groups: Sequence[WireCoverage]) -> schemas.Story:
    members = list(item.articles.all())
    return schemas.Story(
        **_story_fields(item, members),
        key_points=cited(item.key_points),
        comparison=comparison(item.comparison),
        articles=[article_summary(a) for a in members],
        wire_groups=[
            schemas.WireGroup(
                wire_group=g.wire_group, origin=article_summary(g.origin), copies=[article_summary(a) for a in g.copies]
            )
            for g in groups
        ],
        enriched=item.enriched_at,
    )


def comment(item: ThreadComment) -> schemas.Comment:
    return schemas.Comment(
        id=item.id,
        author=item.author,
        body_html=item.body,
        created=item.created,
        edited=item.edited,
        removed=item.removed,
        replies=[comment(r) for r in item.replies],
    )
