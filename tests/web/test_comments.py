"""The comment thread on an article's page: read-only, nested, sanitized, and never stale behind the page's ETag."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.http import parse_http_date

from newsloom.articles.models import Article
from newsloom.community.actions import edit_comment, ensure_reader, post_comment, set_state
from newsloom.community.models import Comment
from newsloom.stories.models import Story
from tests.web.factories import make_article
from tests.web.test_pages import TESSEL

pytestmark = pytest.mark.django_db

NOTE = "Sign in to comment"
HOSTILE = (
    '<p onclick="alert(1)">Look <b>here</b></p><script>alert(2)</script><img src="x" onerror="alert(3)">'
    '<a href="javascript:alert(4)">click</a> <a href="https://ok.example/">fine</a>'
    '<style>body{display:none}</style><iframe src="https://evil.example/"></iframe>'
)


@pytest.fixture
def article(db: None) -> Article:
    return make_article("c" * 32, "Harbour wall repaired after storm", days=0.5)


@pytest.fixture
def reader(db: None) -> Any:
    return ensure_reader("maren", first_name="Maren", last_name="Holt")


def comments_of(client: Client, article_id: str) -> str:
    response = client.get(f"/en/article/{article_id}")
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('<section class="comments"', 1)[1].split("</section>", 1)[0]


def test_without_comments_the_section_says_so(client: Client, article: Article) -> None:
    section = comments_of(client, article.pk)
    assert '<h2 id="comments-h">Comments</h2>' in section
    assert '<p class="empty">No comments yet.</p>' in section and NOTE in section
    assert "<ol" not in section


def test_the_thread_shows_two_levels_and_no_form_to_anonymous(client: Client, article: Article, reader: Any) -> None:
    other = ensure_reader("tobias")
    start = timezone.now() - timedelta(hours=3)
    first = post_comment(reader, article, "The wall held.", now=start)
    reply = post_comment(other, article, "Only just.", first, now=start + timedelta(minutes=30))
    edit_comment(reply, "Only just, <em>this</em> time.", editor=other)
    hidden = post_comment(other, article, "Spam spam", now=start + timedelta(minutes=40))
    post_comment(reader, article, "Ignore the spam above.", hidden, now=start + timedelta(minutes=50))
    set_state(hidden, Comment.State.HIDDEN)

    section = comments_of(client, article.pk)
    assert '<h2 id="comments-h">Comments <span class="count">(3)</span></h2>' in section
    assert section.count('<ol class="thread">') == 1 and section.count('<ol class="replies"') == 2
    assert section.count("<li>") == 4 and section.count('<article class="comment') == 4
    first_html = section.split(f'id="comment-{first.pk}"', 1)[1].split("</article>", 1)[0]
    assert f'<span class="author" id="comment-{first.pk}-by">Maren Holt</span>' in first_html
    assert f'aria-labelledby="comment-{first.pk}-by"' in section
    assert "3 hours ago</time>" in first_html and "<p>The wall held.</p>" in first_html
    assert f'id="comment-{reply.pk}"' in first_html  # the reply sits inside its parent
    reply_html = section.split(f'id="comment-{reply.pk}"', 1)[1].split("</article>", 1)[0]
    assert "tobias" in reply_html and '<span class="edited">edited <time' in reply_html
    assert "<p>Only just, &lt;em&gt;this&lt;/em&gt; time.</p>" in reply_html  # plain text, shown as typed
    assert '<p class="removed-note">[removed]</p>' in section and "Spam spam" not in section
    assert "Ignore the spam above." in section and NOTE in section
    assert "<form" not in section and "<textarea" not in section  # nothing to post with yet


def test_hostile_html_in_a_body_is_sanitized(client: Client, article: Article) -> None:
    author = ensure_reader("mallory", first_name="<b>Mallory</b>", last_name="M")
    post_comment(author, article, HOSTILE)
    section = comments_of(client, article.pk).lower()
    body = section.split('<div class="comment-body">', 1)[1].split("</div>", 1)[0]
    assert set(re.findall(r"<(\w+)", body)) <= {"p", "a", "br"}  # markup typed shows as text
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in body and '<a href="javascript' not in body
    assert '<a href="https://ok.example/" rel="nofollow ugc">https://ok.example/</a>' in section
    assert "&lt;b&gt;mallory&lt;/b&gt; m</span>" in section  # the name is shown as text, escaped


def test_the_article_pages_etag_follows_its_comments(client: Client, article: Article, reader: Any) -> None:
    path = f"/en/article/{article.pk}"
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first["ETag"]}).status_code == 304

    comment = post_comment(reader, article, "Fresh from the harbour")
    posted = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert posted.status_code == 200 and posted["ETag"] != first["ETag"]
    assert "Fresh from the harbour" in posted.content.decode()
    assert parse_http_date(posted["Last-Modified"]) == int(comment.changed_at.timestamp())

    changes = [
        lambda: edit_comment(comment, "Fresh from the harbour wall", editor=reader),
        lambda: set_state(comment, Comment.State.HIDDEN),
        lambda: set_state(comment, Comment.State.VISIBLE),
        lambda: Comment.objects.filter(pk=comment.pk).delete(),  # an administrator's hard delete
    ]
    previous = posted["ETag"]
    for change in changes:
        change()
        response = client.get(path, headers={"If-None-Match": previous})
        assert response.status_code == 200 and response["ETag"] != previous
        previous = response["ETag"]
    assert previous == first["ETag"] and "No comments yet." in client.get(path).content.decode()  # as it began


def test_comments_elsewhere_do_not_change_the_page(client: Client, article: Article, reader: Any) -> None:
    other = make_article("f" * 32, "Another article")
    first = client.get(f"/en/article/{article.pk}")
    post_comment(reader, other, "Somewhere else")
    again = client.get(f"/en/article/{article.pk}", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_demo_article_shows_its_readers_thread(
    client: Client, demo: None, django_assert_max_num_queries: Any
) -> None:
    lead = Story.objects.get(title=TESSEL).pk  # the article page the browser and axe tests visit
    with django_assert_max_num_queries(13):
        section = comments_of(client, lead)
    count = int(re.search(r'<span class="count">\((\d+)\)</span>', section).group(1))  # type: ignore[union-attr]
    assert count == Comment.objects.filter(article_id=lead, state=Comment.State.VISIBLE).count() >= 5
    assert "Maren Holt" in section and "dbrennan" not in section  # the hidden advert's author
    assert '<span class="edited">' in section and "replying to" in section  # a reply to a reply says whom
    assert "“the barrier at Millbrook" in section


def test_the_story_page_shows_the_storys_own_thread_and_follows_it(client: Client, demo: None, reader: Any) -> None:
    story = Story.objects.get(title=TESSEL)
    path = f"/en/story/{story.pk}"
    first = client.get(path)
    assert "No comments yet." in first.content.decode().split('<section class="comments"', 1)[1]  # the article's
    comment = post_comment(reader, story, "Which outlet had it <b>first</b>?")  # thread is not the story's
    posted = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert posted.status_code == 200 and posted["ETag"] != first["ETag"]
    section = posted.content.decode().split('<section class="comments"', 1)[1].split("</section>", 1)[0]
    assert "Which outlet had it" in section and "Maren Holt" in section
    set_state(comment, Comment.State.REMOVED)
    removed = client.get(path, headers={"If-None-Match": posted["ETag"]})
    assert removed.status_code == 200 and "Which outlet" not in removed.content.decode()
