"""Every write to readers' accounts: creating, naming, banning and deleting them, and each reader's own state
(follows, saved articles, muted sources, read marks). One transaction each; ``AccountRefused`` carries a sentence
for the reader when an input cannot be taken."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from newsloom.accounts.models import AccessKey, Follow, ItemNumber, MutedSource, Profile, ReadMark, SavedArticle
from newsloom.articles.models import Article
from newsloom.errors import AccountRefused

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    from newsloom.sources.models import Source

DISPLAY_NAME_MAX = 60
FOLLOW_KEY_MAX = 200


def clean_display_name(name: str) -> str:
    """The name as shown: no control or formatting characters (no bidi overrides), whitespace collapsed."""
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" or ch in " \t")
    clean = " ".join(kept.split())
    if len(clean) > DISPLAY_NAME_MAX:
        raise AccountRefused(f"A display name can be at most {DISPLAY_NAME_MAX} characters long.")
    return clean


def create_account(
    username: str,
    *,
    password: str | None,
    email: str = "",
    display_name: str = "",
    staff: bool = False,
    signup_ip: str | None = None,
) -> AbstractBaseUser:
    """A new account for operators and scripts (``newsloom users create``): its e-mail, if any, counts as verified."""
    from allauth.account.models import EmailAddress

    model = get_user_model()
    username = username.strip()
    if not username:
        raise AccountRefused("A user name is needed.")
    name = clean_display_name(display_name)
    with transaction.atomic():
        if model.objects.filter(**{f"{model.USERNAME_FIELD}__iexact": username}).exists():
            raise AccountRefused(f"There is already an account named {username!r}.")
        user = model.objects.create_user(username=username, email=email or "", password=password, is_staff=staff)
        Profile.objects.create(user=user, display_name=name, signup_ip=signup_ip)
        if email:
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def ensure_profile(user: AbstractBaseUser, *, display_name: str = "", signup_ip: str | None = None) -> Profile:
    """The reader's profile, made now if the account has none (accounts from sign-up and from the admin)."""
    with transaction.atomic():
        profile, _ = Profile.objects.get_or_create(
            user_id=user.pk,
            defaults={
                "display_name": clean_display_name(display_name),
                "signup_ip": signup_ip,
                "created": getattr(user, "date_joined", None) or timezone.now(),
            },
        )
    return profile


def set_display_name(user: AbstractBaseUser, name: str) -> Profile:
    profile = ensure_profile(user)
    profile.display_name = clean_display_name(name)
    with transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(display_name=profile.display_name)
    return profile


def delete_account(user: AbstractBaseUser) -> None:
    """The account and everything personal goes; its comments stay, shown as by a deleted user."""
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).delete()


def set_ban(user: AbstractBaseUser, reason: str, *, at: datetime | None = None) -> Profile:
    """Mark the account banned with the reason shown to them (community.actions.ban_author also hides comments)."""
    profile = ensure_profile(user)
    with transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(banned_at=at or timezone.now(), ban_reason=reason.strip())
    profile.refresh_from_db()
    return profile


def lift_ban(user: AbstractBaseUser) -> Profile:
    profile = ensure_profile(user)
    with transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(banned_at=None, ban_reason="")
    profile.refresh_from_db()
    return profile


# ------------------------------------------------------------------------------------------------ a reader's own state


def _once(model: Any, **fields: Any) -> None:
    try:
        with transaction.atomic():
            model.objects.get_or_create(**fields)
    except IntegrityError:  # the same click twice at once
        pass


def follow(user: AbstractBaseUser, kind: str, key: str) -> None:
    if kind not in Follow.Kind.values:
        raise AccountRefused(f"{kind!r} cannot be followed.")
    key = key.strip()
    if not key or len(key) > FOLLOW_KEY_MAX or any(unicodedata.category(ch) == "Cc" for ch in key):
        raise AccountRefused("Nothing to follow.")
    _once(Follow, user_id=user.pk, kind=kind, key=key)


def unfollow(user: AbstractBaseUser, kind: str, key: str) -> None:
    with transaction.atomic():
        Follow.objects.filter(user_id=user.pk, kind=kind, key=key.strip()).delete()


def save_article(user: AbstractBaseUser, article: Article) -> None:
    _once(SavedArticle, user_id=user.pk, article_id=article.pk)


def unsave_article(user: AbstractBaseUser, article: Article) -> None:
    with transaction.atomic():
        SavedArticle.objects.filter(user_id=user.pk, article_id=article.pk).delete()


def mute_source(user: AbstractBaseUser, source: Source) -> None:
    _once(MutedSource, user_id=user.pk, source_id=source.pk)


def unmute_source(user: AbstractBaseUser, source: Source) -> None:
    with transaction.atomic():
        MutedSource.objects.filter(user_id=user.pk, source_id=source.pk).delete()


def mark_read(user: AbstractBaseUser, article: Article) -> None:
    if not ReadMark.objects.filter(user_id=user.pk, article_id=article.pk).exists():
        _once(ReadMark, user_id=user.pk, article_id=article.pk)


def mark_unread(user: AbstractBaseUser, article: Article) -> None:
    with transaction.atomic():
        ReadMark.objects.filter(user_id=user.pk, article_id=article.pk).delete()


SEEN_AGAIN_AFTER = timedelta(minutes=1)


def saw_following(user: AbstractBaseUser, at: datetime | None = None) -> None:
    """The reader has seen their Following page: what is new is counted from now on (a reload within a minute
    keeps the earlier visit, and costs no write)."""
    at = at or timezone.now()
    with transaction.atomic():
        updated = (
            Profile.objects.filter(user_id=user.pk)
            .filter(Q(following_seen_at__isnull=True) | Q(following_seen_at__lt=at - SEEN_AGAIN_AFTER))
            .update(following_seen_at=at)
        )
    if not updated and not Profile.objects.filter(user_id=user.pk).exists():
        ensure_profile(user)
        Profile.objects.filter(user_id=user.pk).update(following_seen_at=at)


# ------------------------------------------------------------------------------- personal tokens and app passwords

KEY_PREFIXES = {"token": "nlt_", "app_password": "nlp_", "reader_login": "nlr_"}
KEY_NAME_MAX = 100
READER_LOGINS_KEPT = 20
USED_AGAIN_AFTER = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def fever_key(username: str, password: str) -> str:
    """What a Fever client sends as ``api_key``: md5 of "name:password" (the protocol's, not a choice of ours)."""
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


def create_access_key(user: AbstractBaseUser, kind: str, name: str = "") -> tuple[AccessKey, str]:
    """A new key and its secret, which is shown once and stored only as its digest."""
    if kind not in AccessKey.Kind.values:
        raise AccountRefused(f"{kind!r} is not a kind of key.")
    name = clean_display_name(name[:KEY_NAME_MAX]) if name else ""
    secret = KEY_PREFIXES[kind] + secrets.token_urlsafe(30)
    fever = fever_key(user.get_username(), secret) if kind == AccessKey.Kind.APP_PASSWORD else ""
    with transaction.atomic():
        key = AccessKey.objects.create(
            user_id=user.pk, kind=kind, name=name, prefix=secret[:12], digest=_digest(secret), fever_key=fever
        )
        if kind == AccessKey.Kind.READER_LOGIN:  # every log-in of a reader app makes one: keep the latest few
            old = AccessKey.objects.filter(user_id=user.pk, kind=kind).order_by("-created", "-pk")
            stale = list(old.values_list("pk", flat=True)[READER_LOGINS_KEPT:])
            AccessKey.objects.filter(pk__in=stale).delete()
    return key, secret


def revoke_access_key(user: AbstractBaseUser, key_id: int) -> bool:
    """Revoke (delete) one of the reader's keys; False if they have no such key."""
    with transaction.atomic():
        deleted, _ = AccessKey.objects.filter(user_id=user.pk, pk=key_id).delete()
    return bool(deleted)


def key_used(key: AccessKey, at: datetime | None = None) -> None:
    """Note when a key was last used (at most one write every few minutes per key)."""
    at = at or timezone.now()
    if key.last_used_at is not None and key.last_used_at > at - USED_AGAIN_AFTER:
        return
    with transaction.atomic():
        AccessKey.objects.filter(pk=key.pk).update(last_used_at=at)
    key.last_used_at = at


def number_new_articles() -> None:
    """Give every article without one its ``ItemNumber``, in the order they arrived (one statement)."""
    from django.db import connection

    numbers = connection.ops.quote_name(ItemNumber._meta.db_table)
    articles = connection.ops.quote_name(Article._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {numbers} (article_id) SELECT a.id FROM {articles} a WHERE NOT EXISTS "
            f"(SELECT 1 FROM {numbers} n WHERE n.article_id = a.id) ORDER BY a.created_at, a.id "
            "ON CONFLICT DO NOTHING"
        )


def set_read_many(user: AbstractBaseUser, article_ids: Iterable[str], read: bool = True) -> None:
    """Read (or unread) these articles at once, for the reader apps' bulk marks; unknown ids are skipped."""
    ids = list(dict.fromkeys(article_ids))
    with transaction.atomic():
        if not read:
            ReadMark.objects.filter(user_id=user.pk, article_id__in=ids).delete()
            return
        known = Article.objects.filter(pk__in=ids).values_list("pk", flat=True)
        ReadMark.objects.bulk_create(
            [ReadMark(user_id=user.pk, article_id=aid) for aid in known], ignore_conflicts=True, batch_size=500
        )


def set_saved_many(user: AbstractBaseUser, article_ids: Iterable[str], saved: bool = True) -> None:
    ids = list(dict.fromkeys(article_ids))
    with transaction.atomic():
        if not saved:
            SavedArticle.objects.filter(user_id=user.pk, article_id__in=ids).delete()
            return
        known = Article.objects.filter(pk__in=ids).values_list("pk", flat=True)
        SavedArticle.objects.bulk_create(
            [SavedArticle(user_id=user.pk, article_id=aid) for aid in known], ignore_conflicts=True, batch_size=500
        )
