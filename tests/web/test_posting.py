"""Posting from the site: plain forms and htmx, refusals that give the reader's text back, edit, delete, report,
CSRF, and a signed-in reader's pages kept out of every shared cache."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from newsloom.accounts.actions import create_account
from newsloom.articles.models import Article
from newsloom.community.actions import ban_author, post_comment
from newsloom.community.models import Comment, Report
from tests.web.factories import make_article

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def article(db: None) -> Article:
    return make_article("c" * 32, "Harbour wall repaired after storm", days=0.5)


def account(name: str, *, days: float = 3, staff: bool = False) -> Any:
    user = create_account(name, password="harbour-wall-1987", display_name=name.title(), staff=staff)
    user.date_joined = timezone.now() - timedelta(days=days)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def maren(db: None) -> Any:
    return account("maren")


def signed_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def url(article: Article) -> str:
    return f"/en/article/{article.pk}/comments"


def textarea(html: str) -> str:
    return unescape(html.split('id="comment-form-new-text"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0])


def test_a_plain_form_posts_and_returns_to_the_comment(article: Article, maren: Any) -> None:
    client = signed_in(maren)
    page = client.get(f"/en/article/{article.pk}").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and f'action="{url(article)}"' in page
    response = client.post(url(article), {"text": "The wall held.\nhttps://harbour.example/report"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/article/{article.pk}#comment-{comment.pk}"
    assert comment.state == Comment.State.VISIBLE and comment.author_id == maren.pk
    after = client.get(response["Location"]).content.decode()
    assert "Your comment is posted." in after and "Maren" in after
    assert '<a href="https://harbour.example/report" rel="nofollow ugc">' in after


def test_htmx_gets_the_thread_back_in_place(article: Article, maren: Any) -> None:
    response = signed_in(maren).post(url(article), {"text": "In place"}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<section class="comments" id="comments"')
    assert "In place" in html and "Your comment is posted." in html and "<html" not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_post_comes_back_filled_in(article: Article, maren: Any, htmx: bool) -> None:
    client = signed_in(maren)
    long_text = "<b>My long story</b> " + "x" * 2100
    response = client.post(url(article), {"text": long_text}, headers=HX if htmx else {})
    html = response.content.decode()
    assert response.status_code == 422 and textarea(html) == long_text
    assert "A comment can be at most 2,048 characters long" in html
    client.post(url(article), {"text": "First"})
    too_fast = client.post(url(article), {"text": "Second, typed quickly"}, headers=HX if htmx else {})
    assert too_fast.status_code == 429 and textarea(too_fast.content.decode()) == "Second, typed quickly"
    assert "every 5 seconds" in too_fast.content.decode()
    assert Comment.objects.count() == 1


def test_a_held_post_is_shown_to_its_author_only(article: Article) -> None:
    newcomer = account("newcomer", days=0.1)
    response = signed_in(newcomer).post(url(article), {"text": "My first comment"})
    html = response.content.decode()
    assert response.status_code == 202 and "held for review" in html and "My first comment" in html
    assert Comment.objects.get().state == Comment.State.HELD
    assert "My first comment" not in Client().get(f"/en/article/{article.pk}").content.decode()
    assert "My first comment" not in signed_in(account("other")).get(f"/en/article/{article.pk}").content.decode()


def test_the_honeypot_is_answered_but_nothing_is_stored(article: Article, maren: Any) -> None:
    response = signed_in(maren).post(url(article), {"text": "Buy pumps", "website": "https://spam.example"})
    assert response.status_code == 302 and not Comment.objects.exists()


def test_posting_needs_a_signed_in_reader_and_a_csrf_token(article: Article, maren: Any) -> None:
    anonymous = Client().post(url(article), {"text": "Hello"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
    strict = signed_in(maren, enforce_csrf_checks=True)
    refused = strict.post(url(article), {"text": "Forged from another site"})
    assert refused.status_code == 403 and "This form could not be accepted" in refused.content.decode()
    for path in ("/en/comment/1/edit", "/en/me/follow", "/en/settings/delete", "/en/moderation/user/1"):
        assert strict.post(path, {}).status_code == 403, path
    assert not Comment.objects.exists()


def test_reply_edit_delete_and_report(article: Article, maren: Any) -> None:
    tobias = account("tobias")
    first = post_comment(maren, article, "The wall held.")
    client = signed_in(tobias)
    client.post(url(article), {"text": "Only just.", "parent": first.pk})
    reply = Comment.objects.get(parent=first)
    page = client.get(f"/en/article/{article.pk}").content.decode()
    assert f'action="/en/comment/{reply.pk}/edit"' in page and f'action="/en/comment/{first.pk}/edit"' not in page
    assert client.post(f"/en/comment/{reply.pk}/edit", {"text": "Only just, this time."}).status_code == 302
    assert Comment.objects.get(pk=reply.pk).edited is not None
    assert '<span class="edited">edited' in client.get(f"/en/article/{article.pk}").content.decode()
    denied = client.post(f"/en/comment/{first.pk}/edit", {"text": "Vandalised"})
    assert denied.status_code == 422 and "Only its author" in denied.content.decode()
    Comment.objects.filter(pk=reply.pk).update(created=timezone.now() - timedelta(minutes=16))
    closed = client.post(f"/en/comment/{reply.pk}/edit", {"text": "Too late"}, headers=HX)
    assert closed.status_code == 422 and "15 minutes" in closed.content.decode()
    assert client.post(f"/en/comment/{first.pk}/report", {"reason": "abuse", "note": "rude"}).status_code == 302
    assert Report.objects.get().reason == "abuse"
    assert client.post(f"/en/comment/{reply.pk}/delete").status_code == 302
    assert Comment.objects.get(pk=reply.pk).state == Comment.State.REMOVED


def test_a_banned_reader_sees_the_reason_and_cannot_post(article: Article, maren: Any) -> None:
    ban_author(maren, moderator=account("mod", staff=True), reason="Repeated advertising")
    client = signed_in(maren)
    page = client.get(f"/en/article/{article.pk}").content.decode()
    assert "Your account is suspended from commenting. Reason: Repeated advertising" in page
    assert 'id="comment-form-new"' not in page
    refused = client.post(url(article), {"text": "Let me in"})
    assert refused.status_code == 422 and "Repeated advertising" in refused.content.decode()
    assert not Comment.objects.exists()


def test_a_signed_in_readers_page_is_never_stored_or_served_from_the_page_cache(article: Article, maren: Any) -> None:
    anonymous = Client()
    first = anonymous.get(f"/en/article/{article.pk}")
    assert "public" in first["Cache-Control"] and "Cookie" in first["Vary"]
    stored = [k for k in caches["pages"]._cache if "response" in k]  # type: ignore[attr-defined]
    assert len(stored) == 1
    client = signed_in(maren)
    mine = client.get(f"/en/article/{article.pk}")
    assert "private" in mine["Cache-Control"] and "no-cache" in mine["Cache-Control"]
    assert "Sign out" in mine.content.decode() and "Sign out" not in first.content.decode()
    assert [k for k in caches["pages"]._cache if "response" in k] == stored  # type: ignore[attr-defined]
    assert client.get(f"/en/article/{article.pk}", headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert "Sign in to comment" in anonymous.get(f"/en/article/{article.pk}").content.decode()


def test_signing_out_shows_its_message_on_the_next_page_even_a_stored_one(article: Article, maren: Any) -> None:
    anonymous = Client()
    anonymous.get("/en/")  # the home page is now stored
    client = signed_in(maren)
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "sessionid" not in client.cookies or not client.cookies["sessionid"].value
    home = client.get("/en/").content.decode()
    assert "You have signed out." in home and "Sign in" in home
    assert "You have signed out." not in anonymous.get("/en/").content.decode()
