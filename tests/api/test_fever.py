"""The Fever API: api_key = md5("name:app password"), the reply fields every client checks, groups and feeds,
item pages of exactly 50 forward (since_id) and backward (max_id), with_ids, unread and saved ids, marks set
outright, on the same rows as the website."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from newsloom.accounts import actions, queries
from newsloom.accounts.models import ItemNumber
from newsloom.articles.models import Article
from tests.web.factories import make_article

URL = "/api/fever/?api"
pytestmark = pytest.mark.django_db


@pytest.fixture
def reader() -> tuple[Any, str]:
    user = actions.create_account("ada", password="a-long-pass-phrase")
    _, app = actions.create_access_key(user, "app_password", "fever app")
    start = timezone.now() - timedelta(days=1)
    for n in range(123):  # arrival order = id order
        make_article(
            f"{n:032x}",
            f"Item {n}",
            source="Loom Herald" if n % 2 else "Coastal Times",
            created_at=start + timedelta(minutes=n),
        )
    make_article("f" * 32, "Not followed", source="Elsewhere")
    actions.follow(user, "source", "loom-herald")
    actions.follow(user, "source", "coastal-times")
    actions.follow(user, "hashtag", "harbour")
    return user, hashlib.md5(f"ada:{app}".encode()).hexdigest()


def fever(client: Client, key: str, query: str = "", **form: Any) -> dict[str, Any]:
    answer = client.post(URL + query, {"api_key": key, **form})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    body: dict[str, Any] = answer.json()
    assert body["api_version"] == 3 and isinstance(body["last_refreshed_on_time"], int)
    return body


def test_a_bad_key_is_200_with_auth_0(reader: tuple[Any, str]) -> None:
    client = Client()
    assert fever(client, "0" * 32)["auth"] == 0
    assert fever(client, hashlib.md5(b"ada:a-long-pass-phrase").hexdigest())["auth"] == 0  # app passwords only
    assert set(fever(client, "", "&items")) == {"api_version", "auth", "last_refreshed_on_time"}
    assert fever(client, reader[1])["auth"] == 1


def test_groups_and_feeds(reader: tuple[Any, str]) -> None:
    body = fever(Client(), reader[1], "&groups&feeds")
    assert [g["title"] for g in body["groups"]] == ["Sources", "#harbour"]
    assert sorted(f["title"] for f in body["feeds"]) == ["Coastal Times", "Loom Herald"]
    feed_ids = {str(f["id"]) for f in body["feeds"]}
    assert set(body["feeds_groups"][0]["feed_ids"].split(",")) == feed_ids and body["feeds_groups"][0]["group_id"] == 1
    assert all(f["last_updated_on_time"] > 0 for f in body["feeds"])


def test_items_page_by_exactly_50(reader: tuple[Any, str]) -> None:
    client, key = Client(), reader[1]
    seen: list[int] = []
    since = 0
    while True:  # as Reeder and Unread sync: since_id = the highest id so far, until a short page
        page = fever(client, key, f"&items&since_id={since}")
        got = [item["id"] for item in page["items"]]
        assert page["total_items"] == 123
        seen += got
        if len(got) < 50:
            break
        assert len(got) == 50
        since = max(got)
    assert len(seen) == len(set(seen)) == 123 and seen == sorted(seen)
    titles = [i["title"] for i in fever(client, key, f"&items&since_id={seen[0] - 1}")["items"][:3]]
    assert titles == ["Item 0", "Item 1", "Item 2"]  # ids follow arrival
    back = fever(client, key, f"&items&max_id={seen[-1]}")["items"]
    assert [i["id"] for i in back] == sorted(seen, reverse=True)[1:51]
    wanted = f"{seen[3]},{seen[7]},999999"
    assert [i["id"] for i in fever(client, key, f"&items&with_ids={wanted}")["items"]] == [seen[3], seen[7]]
    item = fever(client, key, f"&items&with_ids={seen[0]}")["items"][0]
    assert item["is_read"] == 0 and item["is_saved"] == 0 and item["url"].startswith("https://")
    assert item["html"] and item["created_on_time"] > 0 and isinstance(item["feed_id"], int)


def test_marks_set_state_outright_and_show_on_the_website(reader: tuple[Any, str]) -> None:
    user, key = reader
    client = Client()
    unread = fever(client, key, "&unread_item_ids")["unread_item_ids"].split(",")
    assert len(unread) == 123 and fever(client, key, "&saved_item_ids")["saved_item_ids"] == ""
    first = int(unread[0])
    article_id = ItemNumber.objects.get(number=first).article_id
    for _ in range(2):  # read twice is still read: set, not toggled
        after = fever(client, key, "", mark="item", **{"as": "read"}, id=first)
    assert str(first) not in after["unread_item_ids"].split(",") and queries.read_ids(user, [article_id])
    fever(client, key, "", mark="item", **{"as": "unread"}, id=first)
    assert not queries.read_ids(user, [article_id])
    for _ in range(2):
        saved = fever(client, key, "", mark="item", **{"as": "saved"}, id=first)
    assert saved["saved_item_ids"] == str(first) and queries.is_saved(user, article_id)
    site = Client()
    site.force_login(user)
    assert Article.objects.get(pk=article_id).title in site.get("/en/saved").content.decode()
    fever(client, key, "", mark="item", **{"as": "unsaved"}, id=first)
    assert not queries.is_saved(user, article_id)
    feed_id = Article.objects.get(pk=article_id).source_id
    done = fever(client, key, "", mark="feed", **{"as": "read"}, id=feed_id, before=int(timezone.now().timestamp()))
    assert len(done["unread_item_ids"].split(",")) == 123 - Article.objects.filter(source_id=feed_id).count()
    assert fever(client, key, "", mark="group", **{"as": "read"}, id=1)["unread_item_ids"] == ""
