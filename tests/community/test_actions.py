"""Every write to comments and reports, on a real database: what is stored, and what is refused and why."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.community import actions
from newsloom.community.actions import (
    DEFAULT_LIMITS,
    MAX_DEPTH,
    edit_comment,
    ensure_reader,
    post_comment,
    report_comment,
    set_state,
)
from newsloom.community.models import Comment, Report
from newsloom.errors import CommentRejected
from newsloom.stories.models import Story
from tests.web.factories import make_article

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="alert(1)" style="color:red">Hello <b>there</b></p><script>alert(2)</script>'
    '<img src="x" onerror="alert(3)"><a href="javascript:alert(4)">bad</a> <a href="https://ok.example/a" '
    'target="_blank">good</a><iframe src="https://evil.example/"></iframe><a href="/relative">rel</a>'
)


def rejected(code: str, call: Any, *args: Any, **kwargs: Any) -> CommentRejected:
    with pytest.raises(CommentRejected) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --------------------------------------------------------------------------------------------------------- posting


def test_post_stores_a_visible_sanitized_comment(article: Article, reader: Any) -> None:
    before = timezone.now()
    comment = post_comment(reader, article, "Good news.\n\nThe wall held\nthis time.")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body == "<p>Good news.</p><p>The wall held<br>this time.</p>"
    assert (stored.article_id, stored.story_id, stored.author_id, stored.parent_id) == (
        article.pk,
        None,
        reader.pk,
        None,
    )
    assert stored.state == Comment.State.VISIBLE and stored.depth == 0 and stored.edited is None
    assert stored.created >= before and stored.changed_at >= before


def test_hostile_html_is_stored_as_text(article: Article, reader: Any) -> None:
    """A comment is plain text: markup shows as the characters typed; only its http(s) URLs become links."""
    comment = post_comment(reader, article, HOSTILE + " see https://ok.example/a.")
    body = comment.body
    assert set(re.findall(r"<(\w+)", body)) == {"p", "a"}  # no tag but the paragraph and links
    assert '<a href="https://ok.example/a" rel="nofollow ugc">https://ok.example/a</a>.' in body
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body and '<a href="javascript' not in body
    assert comment.text == HOSTILE + " see https://ok.example/a."


def test_backdated_comments_still_change_the_page_now(article: Article, reader: Any) -> None:
    then = timezone.now() - timedelta(hours=5)
    comment = post_comment(reader, article, "Written this morning.", now=then)
    assert comment.created == then and comment.changed_at > then + timedelta(hours=4)


@pytest.mark.parametrize("body", ["", "   \n ", "\x00", "\r\n\r\n"])
def test_an_empty_comment_is_refused(article: Article, reader: Any, body: str) -> None:
    rejected("empty", post_comment, reader, article, body)
    assert not Comment.objects.exists()


def test_length_is_capped_in_characters_as_typed(article: Article, reader: Any) -> None:
    most = DEFAULT_LIMITS.max_chars
    post_comment(reader, article, "\n " + "é" * most + " \n")  # the ends are trimmed first
    error = rejected("too-long", post_comment, reader, article, "x" * (most + 1))
    assert f"at most {most:,} characters" in str(error) and f"{most + 1:,}" in str(error)
    assert Comment.objects.count() == 1


def test_replies_nest_on_the_same_thread_up_to_the_cap(article: Article, reader: Any, other_reader: Any) -> None:
    parent = post_comment(reader, article, "Level 0")
    for depth in range(1, MAX_DEPTH + 1):
        parent = post_comment(other_reader if depth % 2 else reader, article, f"Level {depth}", parent)
        assert parent.depth == depth
    rejected("too-deep", post_comment, reader, article, "One too many", parent)
    assert Comment.objects.count() == MAX_DEPTH + 1


def test_a_reply_must_stay_on_its_parents_thread(
    article: Article, other_article: Article, story: Story, reader: Any
) -> None:
    on_article = post_comment(reader, article, "On the article")
    on_story = post_comment(reader, story, "On the story")
    rejected("wrong-thread", post_comment, reader, other_article, "Elsewhere", on_article)
    rejected("wrong-thread", post_comment, reader, article, "Article under story", on_story)
    rejected("wrong-thread", post_comment, reader, story, "Story under article", on_article)
    reply = post_comment(reader, story, "Story reply", on_story)
    assert (reply.story_id, reply.article_id, reply.parent_id, reply.depth) == (story.pk, None, on_story.pk, 1)


def test_a_removed_comment_cannot_be_answered(article: Article, reader: Any, other_reader: Any) -> None:
    parent = post_comment(reader, article, "Soon hidden")
    set_state(parent, Comment.State.HIDDEN)
    rejected("not-visible", post_comment, other_reader, article, "Too late", parent)


def test_who_may_post_and_where(article: Article, reader: Any) -> None:
    pending = make_article("e" * 32, "Waiting for its page", status=Article.Status.PENDING)
    rejected("not-open", post_comment, reader, pending, "First!")
    reader.is_active = False
    reader.save()
    rejected("not-allowed", post_comment, reader, article, "Hello")
    with pytest.raises(TypeError):
        post_comment(ensure_reader("someone"), reader, "on a user")  # type: ignore[arg-type]


def test_the_database_keeps_a_comment_on_exactly_one_thread(article: Article, story: Story, reader: Any) -> None:
    for target in ({"article": article, "story": story}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(author=reader, body="<p>x</p>", **target)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(author=reader, body="<p>x</p>", article=article, state="deleted")


# --------------------------------------------------------------------------------------------------------- editing


def test_the_author_edits_and_the_comment_says_so(article: Article, reader: Any, other_reader: Any) -> None:
    comment = post_comment(reader, article, "Teh wall held.")
    first_change = comment.changed_at
    rejected("not-allowed", edit_comment, comment, "Vandalised", editor=other_reader)
    edited = edit_comment(comment, "The wall held.\n<script>x()</script>", editor=reader)
    assert edited.body == "<p>The wall held.<br>&lt;script&gt;x()&lt;/script&gt;</p>" and edited.edited is not None
    assert edited.text == "The wall held.\n<script>x()</script>"
    assert edited.changed_at > first_change and edited.created == comment.created
    again = edit_comment(edited, "The wall held.\r\n<script>x()</script>  ", editor=reader)  # the same text
    assert again.edited == edited.edited
    rejected("empty", edit_comment, edited, " \n ", editor=reader)
    set_state(edited, Comment.State.REMOVED)
    rejected("not-visible", edit_comment, edited, "Back again", editor=reader)


# ------------------------------------------------------------------------------------------------------ moderation


def test_moderation_changes_state_and_resolves_reports(article: Article, reader: Any, other_reader: Any) -> None:
    comment = post_comment(reader, article, "Borderline")
    report = report_comment(comment, other_reader, Report.Reason.ABUSE)
    assert report.resolved_at is None
    posted_change = comment.changed_at
    hidden = set_state(comment, Comment.State.HIDDEN)
    assert hidden.state == Comment.State.HIDDEN and hidden.changed_at > posted_change
    assert Report.objects.get(pk=report.pk).resolved_at is not None
    hidden_at = hidden.changed_at
    restored = set_state(hidden, Comment.State.VISIBLE)
    assert restored.state == Comment.State.VISIBLE and restored.changed_at > hidden_at
    restored_at = restored.changed_at
    assert set_state(restored, Comment.State.VISIBLE).changed_at == restored_at  # no change: the page stays as is
    rejected("invalid", set_state, comment, "deleted")


# ------------------------------------------------------------------------------------------------------- reporting


def test_one_report_per_reader_per_comment(article: Article, reader: Any, other_reader: Any) -> None:
    comment = post_comment(reader, article, "Buy cheap pumps")
    first = report_comment(comment, other_reader, Report.Reason.SPAM, "  an   advert \n again ")
    assert (first.reason, first.note, first.reporter_id) == ("spam", "an advert again", other_reader.pk)
    assert report_comment(comment, other_reader, Report.Reason.OTHER).pk == first.pk
    assert Report.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(comment=comment, reporter=other_reader, reason=Report.Reason.OTHER)


def test_what_cannot_be_reported(article: Article, reader: Any, other_reader: Any) -> None:
    comment = post_comment(reader, article, "Mine")
    rejected("not-allowed", report_comment, comment, reader, Report.Reason.SPAM)
    rejected("invalid", report_comment, comment, other_reader, "boring")
    rejected("too-long", report_comment, comment, other_reader, Report.Reason.OTHER, "x" * (actions.MAX_NOTE + 1))
    set_state(comment, Comment.State.REMOVED)
    rejected("not-visible", report_comment, comment, other_reader, Report.Reason.SPAM)
    assert not Report.objects.exists()


# -------------------------------------------------------------------------------------------------------- readers


def test_readers_made_without_a_password_once(db: None) -> None:
    reader = ensure_reader("lucia", first_name="Lucía", last_name="Ferro")
    assert not reader.has_usable_password() and reader.get_full_name() == "Lucía Ferro"
    assert ensure_reader("lucia", first_name="Other").pk == reader.pk
