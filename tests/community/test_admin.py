"""Moderation in the admin: the queue of reported comments, their reports inline, and hide / remove / restore."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from newsloom.articles.models import Article
from newsloom.community.actions import post_comment, report_comment
from newsloom.community.models import Comment, Report

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/community/comment/"


@pytest.fixture
def moderator(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("mod", "mod@example.com", "correct horse battery")
    client.force_login(user)
    return client


def test_the_queue_lists_reported_comments_with_their_reports(moderator: Client, article: Article, reader: Any,
                                                              other_reader: Any) -> None:
    reported = post_comment(reader, article, "Cheap pumps, click here")
    post_comment(reader, article, "A fair point")
    report_comment(reported, other_reader, Report.Reason.SPAM, "an advert")
    queue = moderator.get(CHANGELIST, {"reports": "open"}).content.decode()
    assert "Cheap pumps, click here" in queue and "A fair point" not in queue
    assert f"article: {article.title}" in queue
    page = moderator.get(f"{CHANGELIST}{reported.pk}/change/").content.decode()
    assert "an advert" in page and "Spam or advertising" in page
    assert moderator.get(f"{CHANGELIST}add/").status_code == 403  # comments come from readers only


@pytest.mark.parametrize(("action", "state"), [("hide", "hidden"), ("remove", "removed"), ("restore", "visible")])
def test_moderation_actions(moderator: Client, article: Article, reader: Any, other_reader: Any, action: str,
                            state: str) -> None:
    comments = [post_comment(reader, article, f"Comment {i}") for i in range(2)]
    report = report_comment(comments[0], other_reader, Report.Reason.ABUSE)
    if action == "restore":
        Comment.objects.update(state=Comment.State.HIDDEN)
    response = moderator.post(CHANGELIST, {"action": action, "_selected_action": [c.pk for c in comments]})
    assert response.status_code == 302
    assert set(Comment.objects.values_list("state", flat=True)) == {state}
    assert Report.objects.get(pk=report.pk).resolved_at is not None
