"""Which items a Google Reader (or Fever) request means, in item-number order, one keyset page at a time.

A reader's items are the readable articles of the sources they follow (less their muted sources); a stream narrows
them: ``feed/<source slug>``, ``user/-/label/<hashtag>`` (articles of stories with that hashtag),
``user/-/label/story/<id>`` (a followed story's articles), the states
``read`` and ``starred`` (the reader's read marks and saved articles, the website's own rows), ``reading-list``
(all). ``xt``/``it`` exclude or keep a state, ``ot``/``nt`` bound the arrival time (seconds), ``r=o`` is oldest
first, ``n`` the page size and ``c`` the continuation: the last item number of the page before (a keyset, so a
page costs the same at 10,000 unread items as at 10).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.models import ItemNumber, MutedSource, ReadMark, SavedArticle
from newsloom.api.greader import ids
from newsloom.articles.models import Article
from newsloom.stories import queries as story_queries
from newsloom.stories.models import Story

DEFAULT_N = 20
MAX_N = 10_000
HEAVY = ("text", "vector", "signature")


@dataclass
class Filters:
    stream: str = ids.READING_LIST
    exclude: list[str] = field(default_factory=list)  # xt
    include: list[str] = field(default_factory=list)  # it
    older_than: int | None = None  # nt, seconds
    newer_than: int | None = None  # ot
    oldest_first: bool = False  # r=o
    n: int = DEFAULT_N
    after: int | None = None  # c


def to_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def filters_of(data: Any, stream: str | None = None, *, default_n: int = DEFAULT_N) -> Filters:
    n = to_int(data.get("n"))
    return Filters(
        stream=(stream or data.get("s") or ids.READING_LIST).strip(),
        exclude=data.getlist("xt"),
        include=data.getlist("it"),
        older_than=to_int(data.get("nt")),
        newer_than=to_int(data.get("ot")),
        oldest_first=data.get("r") == "o",
        n=max(1, min(MAX_N, n if n is not None else default_n)),
        after=to_int(data.get("c")),
    )


def followed_slugs(user: Any) -> list[str]:
    return account_queries.followed_keys(user, "source")


def _readable(user: Any) -> QuerySet[ItemNumber]:
    muted = MutedSource.objects.filter(user_id=user.pk).values("source_id")
    return ItemNumber.objects.exclude(article__status=Article.Status.PENDING).exclude(article__source_id__in=muted)


def _state_rows(user: Any, state: str) -> QuerySet[Any] | None:
    if state == "read":
        return ReadMark.objects.filter(user_id=user.pk).values("article_id")
    if state == "starred":
        return SavedArticle.objects.filter(user_id=user.pk).values("article_id")
    return None


def stream_rows(user: Any, stream: str) -> QuerySet[ItemNumber]:
    """The items of one stream (unknown streams are empty)."""
    rows = _readable(user)
    state = ids.canonical_state(stream)
    label = ids.label_of(stream)
    if state == "reading-list":
        return rows.filter(article__source__slug__in=followed_slugs(user))
    if state in ("read", "starred"):
        return rows.filter(article_id__in=_state_rows(user, state))
    if label is not None and label.startswith(ids.STORY_LABEL):
        return rows.filter(article__story_id=label[len(ids.STORY_LABEL) :])
    if label is not None:
        stories = story_queries.with_hashtag(Story.objects.all(), label).values("pk")
        return rows.filter(article__story_id__in=stories)
    if stream.startswith(ids.FEED_PREFIX):
        return rows.filter(article__source__slug=stream[len(ids.FEED_PREFIX) :])
    return rows.none()


def filtered(user: Any, f: Filters) -> QuerySet[ItemNumber]:
    account_actions.number_new_articles()
    rows = stream_rows(user, f.stream)
    for stream in f.exclude:
        state_rows = _state_rows(user, ids.canonical_state(stream) or "")
        if state_rows is not None:
            rows = rows.exclude(article_id__in=state_rows)
    for stream in f.include:
        state = ids.canonical_state(stream) or ""
        state_rows = _state_rows(user, state)
        if state_rows is not None:
            rows = rows.filter(article_id__in=state_rows)
        elif state != "reading-list":
            rows = rows.filter(pk__in=stream_rows(user, stream).values("pk"))
    if f.newer_than is not None:
        rows = rows.filter(article__created_at__gte=at_time(f.newer_than))
    if f.older_than is not None:
        rows = rows.filter(article__created_at__lt=at_time(f.older_than))
    return rows


def at_time(seconds: int) -> datetime:
    return datetime.fromtimestamp(max(0, min(seconds, 253402300799)), tz=UTC)


def page(user: Any, f: Filters) -> tuple[list[int], int | None]:
    """One page of item numbers and the continuation for the next (None on the last)."""
    rows = filtered(user, f)
    if f.after is not None:
        rows = rows.filter(number__gt=f.after) if f.oldest_first else rows.filter(number__lt=f.after)
    rows = rows.order_by("number" if f.oldest_first else "-number")
    numbers = list(rows.values_list("number", flat=True)[: f.n + 1])
    more = len(numbers) > f.n
    numbers = numbers[: f.n]
    return numbers, (numbers[-1] if more else None)


@dataclass
class Item:
    number: int
    article: Article
    read: bool
    starred: bool
    hashtags: list[str]


def items(user: Any, numbers: Sequence[int]) -> list[Item]:
    """The items with these numbers, in that order (unknown ones left out), with the reader's state."""
    account_actions.number_new_articles()
    by_article = dict(ItemNumber.objects.filter(number__in=list(numbers)).values_list("article_id", "number"))
    articles = Article.objects.filter(pk__in=list(by_article)).select_related("source", "story").defer(*HEAVY)
    found = {by_article[a.pk]: a for a in articles}
    aids = list(by_article)
    read = set(ReadMark.objects.filter(user_id=user.pk, article_id__in=aids).values_list("article_id", flat=True))
    saved = set(SavedArticle.objects.filter(user_id=user.pk, article_id__in=aids).values_list("article_id", flat=True))
    out = []
    for number in numbers:
        article = found.get(number)
        if article is None:
            continue
        tags = list(article.story.hashtags or []) if article.story_id and article.story else []
        out.append(Item(number, article, article.pk in read, article.pk in saved, tags))
    return out


def article_ids(numbers: Iterable[int]) -> list[str]:
    return list(ItemNumber.objects.filter(number__in=list(numbers)).values_list("article_id", flat=True))
