"""Accounts' writes on a real database: creating, naming, banning, deleting, and a reader's own state."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from newsloom.accounts import actions, queries
from newsloom.accounts.models import Follow, Profile, ReadMark, SavedArticle
from newsloom.community.actions import post_comment, report_comment
from newsloom.community.models import Comment, Report
from newsloom.community.queries import article_thread
from newsloom.errors import AccountRefused
from tests.accounts.conftest import PASSWORD
from tests.web.factories import make_article

pytestmark = pytest.mark.django_db


def test_an_operator_creates_an_account_with_a_verified_address(alice: Any) -> None:
    assert alice.check_password(PASSWORD) and not alice.is_staff
    assert EmailAddress.objects.get(user=alice).verified
    assert Profile.objects.get(user=alice).display_name == "Alice A."
    with pytest.raises(AccountRefused, match="already an account"):
        actions.create_account("ALICE", password=PASSWORD)
    staff = actions.create_account("mod", password=None, staff=True)
    assert staff.is_staff and not staff.has_usable_password()


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("  Maren   Holt ", "Maren Holt"),
        ("Mal\u202eicious\u200b", "Malicious"),  # bidi override and zero-width characters go
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # kept as text; templates escape it
        ("", ""),
    ],
)
def test_display_names_are_cleaned(alice: Any, typed: str, shown: str) -> None:
    assert actions.set_display_name(alice, typed).display_name == shown


def test_a_display_name_has_a_maximum(alice: Any) -> None:
    with pytest.raises(AccountRefused, match="at most 60"):
        actions.set_display_name(alice, "x" * 61)


def test_deleting_an_account_keeps_its_comments_as_a_deleted_users(alice: Any) -> None:
    article = make_article("a" * 32, "Harbour wall repaired")
    other = actions.create_account("bob", password=PASSWORD)
    comment = post_comment(alice, article, "Still worth reading")
    report_comment(post_comment(other, article, "Spam"), alice, Report.Reason.SPAM)
    actions.follow(alice, "source", "loom-herald")
    actions.save_article(alice, article)
    actions.mark_read(alice, article)
    actions.delete_account(alice)
    assert not get_user_model().objects.filter(username="alice").exists()
    assert Comment.objects.get(pk=comment.pk).author_id is None
    [shown, _spam] = article_thread(article.pk).comments
    assert shown.author is None and shown.body == "<p>Still worth reading</p>"
    assert not (Follow.objects.exists() or SavedArticle.objects.exists() or ReadMark.objects.exists())
    assert not Report.objects.exists() and not EmailAddress.objects.filter(email="alice@example.org").exists()


def test_follows_saves_mutes_and_read_marks_are_idempotent(alice: Any) -> None:
    article = make_article("b" * 32, "Ferry timetable")
    for _ in range(2):
        actions.follow(alice, "hashtag", "ferries")
        actions.save_article(alice, article)
        actions.mute_source(alice, article.source)
        actions.mark_read(alice, article)
    state = queries.reader_state(alice)
    assert state.following("hashtag", "ferries") and state.muted == {article.source_id}
    assert queries.is_saved(alice, article.pk) and queries.read_ids(alice, [article.pk]) == {article.pk}
    assert queries.saved_articles(alice) == []  # its source is muted
    actions.unmute_source(alice, article.source)
    assert [a.pk for a in queries.saved_articles(alice)] == [article.pk]
    actions.unfollow(alice, "hashtag", "ferries")
    actions.unsave_article(alice, article)
    actions.mark_unread(alice, article)
    assert not queries.reader_state(alice).follows and not queries.is_saved(alice, article.pk)
    with pytest.raises(AccountRefused):
        actions.follow(alice, "user", "bob")


def test_a_ban_and_its_reason(alice: Any) -> None:
    assert queries.ban_of(alice) is None
    actions.set_ban(alice, "  Spam links ")
    assert queries.ban_of(alice) == "Spam links"
    actions.lift_ban(alice)
    assert queries.ban_of(alice) is None
