"""Reading threads: nesting, order, who wrote what, and what moderation leaves behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.community import queries
from newsloom.community.actions import ensure_reader, post_comment, report_comment, set_state
from newsloom.community.models import Comment, Report
from newsloom.community.queries import ThreadComment
from newsloom.stories.models import Story

pytestmark = pytest.mark.django_db


def shape(items: list[ThreadComment]) -> list[Any]:
    """(body or "[removed]", replies' shape) for every comment, in the thread's order."""
    return [("[removed]" if c.removed else c.body, shape(c.replies)) for c in items]


def test_a_thread_shows_two_levels_replies_oldest_first(
    article: Article, reader: Any, other_reader: Any, django_assert_num_queries: Any
) -> None:
    start = timezone.now() - timedelta(hours=3)
    first = post_comment(reader, article, "First", now=start)
    second = post_comment(other_reader, article, "Second", now=start + timedelta(minutes=5))
    reply = post_comment(other_reader, article, "Reply to first", first, now=start + timedelta(minutes=10))
    post_comment(reader, article, "Reply to the reply", reply, now=start + timedelta(minutes=20))
    post_comment(reader, article, "Earlier reply", first, now=start + timedelta(minutes=7))
    with django_assert_num_queries(1):
        thread = queries.article_thread(article.pk)
    assert thread.count == 5
    assert shape(thread.comments) == [  # every reply under its top-level comment, in the order written
        (
            "<p>First</p>",
            [("<p>Earlier reply</p>", []), ("<p>Reply to first</p>", []), ("<p>Reply to the reply</p>", [])],
        ),
        ("<p>Second</p>", []),
    ]
    assert [r.reply_to for r in thread.comments[0].replies] == [None, None, "tobias"]  # whom a deeper one answers
    newest = queries.article_thread(article.pk, order="newest")
    assert [c.id for c in newest.comments] == [second.pk, first.pk] and newest.order == "newest"
    top = thread.comments[0]
    assert (top.id, top.author, top.created, top.edited, top.removed) == (first.pk, "Maren Holt", start, None, False)
    assert thread.comments[1].author == "tobias" and thread.comments[1].id == second.pk  # no name: the username


def test_removed_comments_keep_their_place_only_for_visible_replies(
    article: Article, reader: Any, other_reader: Any
) -> None:
    kept = post_comment(reader, article, "Hidden, but answered")
    answer = post_comment(other_reader, article, "An answer", kept)
    gone = post_comment(reader, article, "Hidden, unanswered")
    chain = post_comment(reader, article, "Removed, with a removed reply")
    chain_reply = post_comment(other_reader, article, "Also removed", chain)
    deep = post_comment(reader, article, "Removed two levels above a visible reply")
    middle = post_comment(other_reader, article, "Hidden in the middle", deep)
    post_comment(reader, article, "Still here", middle)
    for comment, state in (
        (kept, "hidden"),
        (gone, "hidden"),
        (chain, "removed"),
        (chain_reply, "removed"),
        (deep, "removed"),
        (middle, "hidden"),
    ):
        set_state(comment, state)
    thread = queries.article_thread(article.pk)
    assert shape(thread.comments) == [
        ("[removed]", [("<p>An answer</p>", [])]),
        ("[removed]", [("<p>Still here</p>", [])]),  # its removed parent leaves no placeholder at the second level
    ]
    assert thread.comments[1].replies[0].reply_to == "a removed comment"
    placeholder = thread.comments[0]
    assert (placeholder.author, placeholder.body, placeholder.created, placeholder.edited) == (None, "", None, None)
    assert thread.count == 2 and answer.pk == placeholder.replies[0].id


def test_a_deleted_account_leaves_its_comments(article: Article, reader: Any) -> None:
    post_comment(reader, article, "Still worth reading")
    reader.delete()
    [comment] = queries.article_thread(article.pk).comments
    assert comment.author is None and comment.body == "<p>Still worth reading</p>"


def test_threads_are_per_article_and_per_story(
    article: Article, other_article: Article, story: Story, reader: Any, other_reader: Any
) -> None:
    post_comment(reader, article, "On the article")
    post_comment(other_reader, article, "Also on the article")
    hidden = post_comment(other_reader, article, "Hidden on the article")
    set_state(hidden, Comment.State.HIDDEN)
    post_comment(reader, story, "On the story")
    assert shape(queries.story_thread(story.pk).comments) == [("<p>On the story</p>", [])]
    empty = queries.article_thread(other_article.pk)
    assert empty.comments == [] and empty.count == 0
    assert queries.article_thread(article.pk).count == 2  # the hidden one is not counted


def test_the_moderation_queue_puts_the_most_reported_first(article: Article, reader: Any, other_reader: Any) -> None:
    third = ensure_reader("ifeoma")
    once = post_comment(reader, article, "Reported once")
    twice = post_comment(reader, article, "Reported twice")
    post_comment(reader, article, "Never reported")
    report_comment(once, other_reader, Report.Reason.SPAM)
    report_comment(twice, other_reader, Report.Reason.ABUSE)
    report_comment(twice, third, Report.Reason.ABUSE)
    assert [(c.pk, c.open_reports) for c in queries.open_reports()] == [(twice.pk, 2), (once.pk, 1)]
    set_state(twice, Comment.State.HIDDEN)  # decided: its reports are resolved
    assert [c.pk for c in queries.open_reports()] == [once.pk]
