"""A reader's own newsloom: follow, the Following page and what is new since the last visit, saved articles,
muted sources, read marks; the settings page and account deletion; the moderation page for staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from newsloom.accounts.models import Follow, MutedSource, Profile, ReadMark, SavedArticle
from newsloom.community.actions import post_comment, report_comment
from newsloom.community.models import Comment, Decision
from tests.web.factories import make_article, make_story
from tests.web.test_posting import account, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    harbour = make_article("a" * 32, "Harbour wall repaired", days=1, source="Loom Herald")
    ferry = make_article("b" * 32, "Ferry timetable changes", days=0.2, source="Coastal Times")
    ferry_copy = make_article("e" * 32, "Ferry timetable: what changes", days=0.1, source="Loom Herald")
    storm = make_article("d" * 32, "Storm warning for the coast", days=0.5, source="Coastal Times")
    return {
        "harbour": make_story([harbour], hashtags=["harbour"]),
        "ferry": make_story([ferry, ferry_copy], hashtags=["ferries"]),
        "storm": make_story([storm], hashtags=["weather"]),
        "articles": (harbour, ferry, ferry_copy, storm),
    }


def following_titles(client: Client) -> list[str]:
    html = client.get("/en/following").content.decode()
    return [part.split("</a>", 1)[0].rsplit(">", 1)[1] for part in html.split('class="card-title"')[1:]]


def test_follow_a_source_a_hashtag_and_a_story(world: dict[str, Any]) -> None:
    reader = account("maren")
    client = signed_in(reader)
    assert "You follow nothing yet" in client.get("/en/following").content.decode()
    assert client.post("/en/me/follow", {"kind": "hashtag", "key": "harbour", "on": "1"}).status_code == 302
    assert following_titles(client) == ["Harbour wall repaired"]
    button = client.post(
        "/en/me/follow", {"kind": "source", "key": "coastal-times", "on": "1"}, headers={"HX-Request": "true"}
    )
    assert 'aria-pressed="true"' in button.content.decode()  # htmx swaps the button in place
    assert following_titles(client) == [
        "Ferry timetable changes",
        "Storm warning for the coast",
        "Harbour wall repaired",
    ]  # newest activity first
    client.post("/en/me/follow", {"kind": "source", "key": "coastal-times", "on": "0"})
    client.post("/en/me/follow", {"kind": "story", "key": world["storm"].pk, "on": "1"})
    assert following_titles(client) == ["Storm warning for the coast", "Harbour wall repaired"]
    assert set(Follow.objects.values_list("kind", flat=True)) == {"hashtag", "story"}
    story_page = client.get(f"/en/story/{world['storm'].pk}").content.decode()
    assert 'aria-pressed="true">Following' in story_page


def test_following_marks_what_is_new_since_the_last_visit(world: dict[str, Any]) -> None:
    reader = account("maren")
    client = signed_in(reader)
    client.post("/en/me/follow", {"kind": "source", "key": "coastal-times", "on": "1"})
    first = client.get("/en/following").content.decode()
    assert first.count("New since your last visit") == 2  # everything is new on a first visit
    seen = Profile.objects.get(user=reader).following_seen_at
    assert seen is not None
    world["storm"].__class__.objects.filter(pk=world["storm"].pk).update(
        last_published=timezone.now() + timedelta(minutes=1)
    )
    second = client.get("/en/following").content.decode()
    assert second.count("New since your last visit") == 1
    assert "1 story has new articles since your last visit" in second


def test_muting_a_source_takes_its_articles_off_my_pages(world: dict[str, Any]) -> None:
    reader = account("maren")
    client = signed_in(reader)
    client.post("/en/me/follow", {"kind": "hashtag", "key": "weather", "on": "1"})
    client.post("/en/me/follow", {"kind": "hashtag", "key": "ferries", "on": "1"})
    assert following_titles(client) == ["Ferry timetable changes", "Storm warning for the coast"]
    assert client.post("/en/me/mute", {"source": "coastal-times", "on": "1"}).status_code == 302
    assert MutedSource.objects.filter(user=reader).count() == 1
    assert following_titles(client) == ["Ferry timetable changes"]  # Loom Herald also covers it
    home = client.get("/en/").content.decode()
    assert "Storm warning for the coast" not in home and "Harbour wall repaired" in home
    assert "Storm warning for the coast" in Client().get("/en/").content.decode()  # only my pages change
    client.post("/en/me/mute", {"source": "coastal-times", "on": "0"})
    assert "Storm warning for the coast" in client.get("/en/").content.decode()


def test_saved_articles_and_read_marks(world: dict[str, Any]) -> None:
    harbour, ferry, *_ = world["articles"]
    reader = account("maren")
    client = signed_in(reader)
    client.post("/en/me/save", {"article": harbour.pk, "on": "1"})
    client.post("/en/me/save", {"article": ferry.pk, "on": "1"})
    saved = client.get("/en/saved").content.decode()
    assert saved.index("Ferry timetable changes") < saved.index("Harbour wall repaired")  # last saved first
    assert saved.count("<strong>unread</strong>") == 2
    client.get(f"/en/article/{ferry.pk}")  # reading it marks it read
    assert ReadMark.objects.filter(user=reader, article=ferry).exists()
    assert client.get("/en/saved").content.decode().count("<strong>unread</strong>") == 1
    client.post("/en/me/read", {"article": ferry.pk, "on": "0"})
    assert not ReadMark.objects.filter(user=reader, article=ferry).exists()
    client.post("/en/me/save", {"article": harbour.pk, "on": "0"})
    assert list(SavedArticle.objects.values_list("article_id", flat=True)) == [ferry.pk]
    assert 'aria-pressed="true">Saved' in client.get(f"/en/article/{ferry.pk}").content.decode()


def test_personal_pages_need_a_reader(world: dict[str, Any]) -> None:
    for path in ("/en/following", "/en/saved", "/en/settings"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/"), path


def test_settings_change_the_display_name_and_delete_the_account(world: dict[str, Any]) -> None:
    harbour = world["articles"][0]
    reader = account("maren")
    post_comment(reader, harbour, "Glad it held.")
    client = signed_in(reader)
    assert client.post("/en/settings", {"display_name": "  Maren   H. "}).status_code == 302
    assert Profile.objects.get(user=reader).display_name == "Maren H."
    assert "Maren H." in client.get(f"/en/article/{harbour.pk}").content.decode()
    wrong = client.post("/en/settings/delete", {"password": "not it", "confirm": "on"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.content.decode()
    gone = client.post("/en/settings/delete", {"password": "harbour-wall-1987", "confirm": "on"})
    assert gone.status_code == 302 and "_auth_user_id" not in client.session
    page = Client().get(f"/en/article/{harbour.pk}").content.decode()
    assert "Glad it held." in page and '<span class="author" id="comment-' in page and "deleted user" in page


def test_the_moderation_page_is_for_staff_and_logs_each_decision(world: dict[str, Any]) -> None:
    harbour = world["articles"][0]
    newcomer = account("newcomer", days=0.1)
    regular = account("regular")
    moderator = account("mod", staff=True)
    held = post_comment(newcomer, harbour, "Held one", limits=settings.COMMUNITY)
    reported = post_comment(regular, harbour, "Reported one")
    report_comment(reported, newcomer, "abuse", "rude")
    assert signed_in(regular).get("/en/moderation").status_code == 404
    assert Client().get("/en/moderation").status_code == 302
    staff = signed_in(moderator)
    queue = staff.get("/en/moderation").content.decode()
    assert "Held one" in queue and "Reported one" in queue and "Reported by newcomer: Harassment or hate" in queue
    assert staff.post(f"/en/moderation/comment/{held.pk}", {"action": "approve"}).status_code == 302
    staff.post(f"/en/moderation/comment/{reported.pk}", {"action": "hide", "reason": "rude"})
    assert Comment.objects.get(pk=held.pk).state == "visible" and Comment.objects.get(pk=reported.pk).state == "hidden"
    staff.post(f"/en/moderation/user/{regular.pk}", {"reason": "Insults"})
    log = staff.get("/en/moderation").content.decode()
    assert "Nothing waits for a decision." in log
    decisions = list(Decision.objects.order_by("created").values_list("action", "moderator__username", "reason"))
    assert decisions == [("approve", "mod", ""), ("hide", "mod", "rude"), ("ban", "mod", "Insults")]
    assert "Banned an account" in log and "Insults" in log
    assert "Reason: Insults" in signed_in(regular).get(f"/en/article/{harbour.pk}").content.decode()
