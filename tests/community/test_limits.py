"""The abuse controls on posting, each with its setting's default: intervals, a new account's first day, links,
hold for review, comments per IP a minute (in the shared cache), the edit window, bans and the moderation log."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.utils import timezone

from newsloom.accounts.queries import ban_of
from newsloom.articles.models import Article
from newsloom.community import actions
from newsloom.community.models import Comment, Decision, Report
from newsloom.config import CommunityLimits
from newsloom.errors import CommentRejected

pytestmark = pytest.mark.django_db
LIMITS = CommunityLimits()
IP = "203.0.113.5"


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    caches["default"].clear()
    yield
    caches["default"].clear()


def aged(user: Any, **delta: float) -> Any:
    user.date_joined = timezone.now() - timedelta(**delta)
    user.save(update_fields=["date_joined"])
    return user


def backdate(comment: Comment, **delta: float) -> None:
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timedelta(**delta))
    comment.refresh_from_db()


def post(user: Any, article: Article, text: str = "A fair point.", *, ip: str | None = None, **kw: Any) -> Comment:
    return actions.post_comment(user, article, text, limits=kw.pop("limits", LIMITS), client_ip=ip, **kw)


def refused(code: str, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(CommentRejected) as caught:
        post(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return str(caught.value)


def test_an_established_account_posts_every_5_seconds(article: Article, reader: Any) -> None:
    aged(reader, days=3)
    first = post(reader, article)
    assert first.state == Comment.State.VISIBLE
    message = refused("too-fast", reader, article, "Again")
    assert "every 5 seconds" in message and "Please wait" in message
    backdate(first, seconds=6)
    assert post(reader, article, "Later").state == Comment.State.VISIBLE


def test_a_new_account_posts_every_30_seconds_and_waits_for_review(article: Article, reader: Any) -> None:
    aged(reader, hours=2)
    first = post(reader, article)
    assert first.state == Comment.State.HELD
    backdate(first, seconds=20)
    assert "New accounts can post a comment every 30 seconds" in refused("too-fast", reader, article)
    backdate(first, seconds=31)
    assert post(reader, article, "Now").state == Comment.State.HELD


def test_a_new_account_posts_at_most_10_comments_on_its_first_day(article: Article, reader: Any) -> None:
    aged(reader, hours=5)
    for n in range(10):
        backdate(post(reader, article, f"Comment {n}"), hours=4, minutes=59 - n)
    assert "10 comments on their first day" in refused("too-many", reader, article, "Eleventh")
    aged(reader, hours=25)  # a day later it is no longer new
    assert post(reader, article, "Eleventh").state == Comment.State.VISIBLE


def test_a_new_account_puts_at_most_2_links_in_a_comment(article: Article, reader: Any) -> None:
    aged(reader, hours=1)
    links = " ".join(f"https://site{n}.example/" for n in range(3))
    assert "at most 2 links" in refused("too-many-links", reader, article, links)
    assert post(reader, article, "https://a.example/ and https://b.example/").state == Comment.State.HELD


def test_comments_with_several_links_wait_for_review(article: Article, reader: Any) -> None:
    aged(reader, days=30)
    held = post(reader, article, "https://a.example/ https://b.example/ https://c.example/")
    assert held.state == Comment.State.HELD
    no_hold = dataclasses.replace(LIMITS, hold_links=0, comment_interval=0)
    assert post(reader, article, "https://a.example/ " * 5, limits=no_hold).state == Comment.State.VISIBLE


def test_two_comments_a_minute_from_one_address(article: Article, reader: Any, other_reader: Any) -> None:
    quick = dataclasses.replace(LIMITS, comment_interval=0)
    aged(reader, days=3)
    aged(other_reader, days=3)
    post(reader, article, "One", ip=IP, limits=quick)
    post(other_reader, article, "Two", ip=IP, limits=quick)  # another account, the same network
    assert "At most 2 comments a minute" in refused("too-fast", reader, article, "Three", ip=IP, limits=quick)
    post(reader, article, "From elsewhere", ip="198.51.100.2", limits=quick)
    assert Comment.objects.count() == 3


def test_the_per_address_count_is_shared_through_redis(article: Article, reader: Any, settings: Any) -> None:
    """With NEWSLOOM_CACHE_URL=redis://… every process counts in one place (this test's Redis db: 6)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/6"},
    }
    caches["default"].clear()
    try:
        quick = dataclasses.replace(LIMITS, comment_interval=0, new_account_comment_interval=0)
        post(reader, article, "One", ip=IP, limits=quick)
        post(reader, article, "Two", ip=IP, limits=quick)
        refused("too-fast", reader, article, "Three", ip=IP, limits=quick)
        import redis

        assert redis.Redis.from_url("redis://127.0.0.1:6379/6").keys("*comments-ip*")
    finally:
        caches["default"].clear()


def test_a_comment_is_editable_for_15_minutes(article: Article, reader: Any) -> None:
    aged(reader, days=3)
    comment = post(reader, article, "Teh wall held.")
    edited = actions.edit_comment(comment, "The wall held.", editor=reader, limits=LIMITS)
    assert edited.edited is not None and edited.text == "The wall held."
    backdate(comment, minutes=16)
    with pytest.raises(CommentRejected) as caught:
        actions.edit_comment(comment, "The wall held, just.", editor=reader, limits=LIMITS)
    assert caught.value.code == "edit-closed" and "15 minutes" in str(caught.value)


def test_the_author_deletes_a_comment(article: Article, reader: Any, other_reader: Any) -> None:
    comment = actions.post_comment(reader, article, "Oops")
    with pytest.raises(CommentRejected):
        actions.delete_comment(comment, by=other_reader)
    assert actions.delete_comment(comment, by=reader).state == Comment.State.REMOVED


def test_a_ban_hides_the_comments_refuses_posting_and_is_logged(
    article: Article, reader: Any, other_reader: Any
) -> None:
    moderator = aged(other_reader, days=100)
    first = actions.post_comment(reader, article, "Buy pumps")
    actions.report_comment(first, moderator, Report.Reason.SPAM)
    decision = actions.ban_author(reader, moderator=moderator, reason="Advertising")
    assert Comment.objects.get(pk=first.pk).state == Comment.State.HIDDEN
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert ban_of(reader) == "Advertising"
    with pytest.raises(CommentRejected) as caught:
        actions.post_comment(reader, article, "Again")
    assert caught.value.code == "banned" and "suspended from commenting: Advertising" in str(caught.value)
    assert (decision.moderator_id, decision.subject_id, decision.action) == (moderator.pk, reader.pk, "ban")
    actions.unban_author(reader, moderator=moderator)
    assert ban_of(reader) is None
    assert list(Decision.objects.values_list("action", flat=True)) == ["unban", "ban"]


def test_every_decision_on_a_comment_is_logged_with_who_and_when(
    article: Article, reader: Any, other_reader: Any
) -> None:
    aged(reader, hours=1)
    held = post(reader, article)
    before = timezone.now()
    actions.moderate(held, "approve", moderator=other_reader, reason="fine")
    actions.moderate(held, "hide", moderator=other_reader)
    actions.moderate(held, "restore", moderator=other_reader)
    actions.moderate(held, "remove", moderator=other_reader)
    log = list(Decision.objects.order_by("created", "pk"))
    assert [d.action for d in log] == ["approve", "hide", "restore", "remove"]
    assert all(d.moderator_id == other_reader.pk and d.comment_id == held.pk and d.created >= before for d in log)
    assert log[0].reason == "fine" and Comment.objects.get(pk=held.pk).state == Comment.State.REMOVED
    with pytest.raises(CommentRejected):
        actions.moderate(held, "delete", moderator=other_reader)
