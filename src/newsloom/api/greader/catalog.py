"""Subscriptions (the sources a reader follows), tags (starred, their followed hashtags and stories), unread counts."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q

from newsloom.accounts import actions as account_actions
from newsloom.accounts.models import Follow, ReadMark
from newsloom.api.greader import ids, shapes, streams
from newsloom.sources.models import Feed, Source
from newsloom.stories.models import Story


def feed_urls(sources: list[Source]) -> dict[int, str]:
    urls: dict[int, str] = {}
    for source_id, url in Feed.objects.filter(source__in=sources).order_by("-pk").values_list("source_id", "url"):
        urls[source_id] = url  # the oldest feed of each source wins
    return urls


def subscriptions(user: Any) -> list[dict[str, Any]]:
    sources = list(Source.objects.filter(slug__in=streams.followed_slugs(user)).order_by("name", "pk"))
    urls = feed_urls(sources)
    return [shapes.subscription_json(s, urls.get(s.pk, s.homepage)) for s in sources]


def tags(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"id": ids.STARRED}]
    hashtags = Follow.objects.filter(user_id=user.pk, kind="hashtag").order_by("key")
    out.extend({"id": ids.label_stream(f.key), "type": "tag"} for f in hashtags)
    stories = Follow.objects.filter(user_id=user.pk, kind="story").order_by("key")
    out.extend({"id": ids.story_stream(f.key), "type": "tag"} for f in stories)
    return out


def find_source(stream: str) -> Source | None:
    """The source a ``feed/…`` stream names: by slug, by one of its feeds' URLs, or by its homepage."""
    key = stream[len(ids.FEED_PREFIX) :] if stream.startswith(ids.FEED_PREFIX) else stream
    key = key.strip()
    if not key:
        return None
    found = Source.objects.filter(slug=key).first()
    if found is None:
        feed = Feed.objects.filter(url=key).select_related("source").first()
        found = feed.source if feed else Source.objects.filter(homepage=key).order_by("pk").first()
    return found


def follow_stream(user: Any, stream: str) -> Source | None:
    source = find_source(stream)
    if source is not None:
        account_actions.follow(user, "source", source.slug)
    return source


def unfollow_stream(user: Any, stream: str) -> None:
    source = find_source(stream)
    if source is not None:
        account_actions.unfollow(user, "source", source.slug)


def stream_title(stream: str) -> str:
    if stream.startswith(ids.FEED_PREFIX):
        source = find_source(stream)
        return source.name if source else stream
    label = ids.label_of(stream)
    if label is not None and label.startswith(ids.STORY_LABEL):
        story = Story.objects.filter(pk=label[len(ids.STORY_LABEL) :]).values_list("title", flat=True).first()
        return story or label
    if label is not None:
        return f"#{label}"
    state = ids.canonical_state(stream)
    return {"reading-list": "Your sources", "starred": "Saved articles", "read": "Read"}.get(state or "", stream)


def unread_counts(user: Any) -> list[dict[str, Any]]:
    """Unread items per followed source (one grouped query), and their total as the reading list's."""
    rows = streams.stream_rows(user, ids.READING_LIST).exclude(
        article_id__in=ReadMark.objects.filter(user_id=user.pk).values("article_id")
    )
    account_actions.number_new_articles()
    grouped = rows.values("article__source__slug").annotate(n=Count("pk"), newest=Max("article__created_at"))
    out = []
    total = 0
    for row in grouped.filter(~Q(n=0)):
        total += row["n"]
        out.append(
            {
                "id": ids.feed_stream(row["article__source__slug"]),
                "count": row["n"],
                "newestItemTimestampUsec": str(int(row["newest"].timestamp() * 1_000_000)),
            }
        )
    out.append({"id": ids.READING_LIST, "count": total, "newestItemTimestampUsec": "0"})
    return out
