"""Reading accounts: profiles, bans, how many accounts an address made, and a reader's own state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from newsloom.accounts.models import Follow, MutedSource, Profile, ReadMark, SavedArticle
from newsloom.articles.models import Article


def profile_of(user: Any) -> Profile | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Profile.objects.filter(user_id=user.pk).first()


def display_name(user: Any, profile_name: str | None = None) -> str | None:
    """What readers see as the author: the display name, else the full name, else the user name."""
    if user is None:
        return None
    return str(profile_name or user.get_full_name() or user.get_username())


def ban_of(user: Any) -> str | None:
    """The reason shown to a banned reader ("" when none was given), or None when they are not banned."""
    row = Profile.objects.filter(user_id=user.pk, banned_at__isnull=False).values_list("ban_reason", flat=True)
    return next(iter(row), None)


def accounts_from_ip_since(ip: str, since: datetime) -> int:
    return Profile.objects.filter(signup_ip=ip, created__gte=since).count()


@dataclass
class ReaderState:
    """What one reader follows, saved and muted: enough to draw every button on a page in one query each."""

    follows: dict[str, set[str]] = field(default_factory=dict)
    muted: set[int] = field(default_factory=set)

    def following(self, kind: str, key: str) -> bool:
        return key in self.follows.get(kind, set())


def reader_state(user: Any) -> ReaderState:
    follows: dict[str, set[str]] = {}
    for kind, key in Follow.objects.filter(user_id=user.pk).values_list("kind", "key"):
        follows.setdefault(kind, set()).add(key)
    muted = set(MutedSource.objects.filter(user_id=user.pk).values_list("source_id", flat=True))
    return ReaderState(follows, muted)


def is_saved(user: Any, article_id: str) -> bool:
    return SavedArticle.objects.filter(user_id=user.pk, article_id=article_id).exists()


def read_ids(user: Any, article_ids: Iterable[str]) -> set[str]:
    return set(
        ReadMark.objects.filter(user_id=user.pk, article_id__in=list(article_ids)).values_list("article_id", flat=True)
    )


def saved_articles(user: Any) -> list[Article]:
    """The reader's saved articles, last saved first, without their muted sources' ones."""
    muted = MutedSource.objects.filter(user_id=user.pk).values("source_id")
    saved = SavedArticle.objects.filter(user_id=user.pk).order_by("-created", "-pk")
    ids = list(saved.values_list("article_id", flat=True))
    order = {aid: i for i, aid in enumerate(ids)}
    rows = (
        Article.objects.filter(pk__in=ids)
        .exclude(source_id__in=muted)
        .select_related("source")
        .defer("text", "html", "feed_html", "signature", "vector")
    )
    return sorted(rows, key=lambda a: order[a.pk])


def muted_sources(user: Any) -> QuerySet[MutedSource]:
    return MutedSource.objects.filter(user_id=user.pk).select_related("source").order_by("source__name")
