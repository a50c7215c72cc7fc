"""Reading accounts: profiles, bans, how many accounts an address made, and a reader's own state."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from newsloom.accounts.models import AccessKey, Follow, ItemNumber, MutedSource, Profile, ReadMark, SavedArticle
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


# ------------------------------------------------------------------------------- personal tokens and app passwords


def access_keys(user: Any, kinds: Iterable[str] = ("token", "app_password")) -> QuerySet[AccessKey]:
    return AccessKey.objects.filter(user_id=user.pk, kind__in=list(kinds)).order_by("-created", "-pk")


def key_for_secret(secret: str, kinds: Iterable[str] | None = None) -> AccessKey | None:
    """The key whose secret this is, of an active account, with its user; None for anything else."""
    if not secret or len(secret) > 200:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    rows = AccessKey.objects.filter(digest=digest, user__is_active=True).select_related("user")
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.first()


def key_for_fever(api_key: str) -> AccessKey | None:
    """The app password whose md5("name:password") a Fever client sent."""
    api_key = api_key.strip().lower()
    if len(api_key) != 32:
        return None
    rows = AccessKey.objects.filter(fever_key=api_key, kind="app_password", user__is_active=True)
    return rows.select_related("user").first()


def check_login(name: str, password: str) -> tuple[Any, AccessKey | None] | None:
    """(user, app password or None) when ``password`` is the account's own or one of its app passwords."""
    model = get_user_model()
    user = model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": name.strip()}, is_active=True).first()
    if user is None or not password:
        return None
    key = key_for_secret(password, kinds=["app_password"])
    if key is not None and key.user_id == user.pk:
        return user, key
    if user.check_password(password):
        return user, None
    return None


def item_numbers(article_ids: Iterable[str]) -> dict[str, int]:
    rows = ItemNumber.objects.filter(article_id__in=list(article_ids)).values_list("article_id", "number")
    return dict(rows)


def followed_keys(user: Any, kind: str) -> list[str]:
    return list(Follow.objects.filter(user_id=user.pk, kind=kind).order_by("key").values_list("key", flat=True))


def saved_ids(user: Any) -> QuerySet[SavedArticle]:
    return SavedArticle.objects.filter(user_id=user.pk)


def read_marks(user: Any) -> QuerySet[ReadMark]:
    return ReadMark.objects.filter(user_id=user.pk)
