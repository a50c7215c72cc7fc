"""The Google Reader API as clients use it: the calls in the order NetNewsWire makes them (ReaderAPICaller.swift:
ClientLogin, token, tag/list, subscription/list, stream/items/ids for unread and starred, stream/items/contents,
edit-tag), every item id form seen in the wild, continuation, and Debian's newsboat as a real client."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from newsloom.accounts import actions, queries
from newsloom.accounts.models import ItemNumber
from newsloom.api.greader import ids
from newsloom.articles.models import Article
from newsloom.sources.models import Source

BASE = "/api/greader"
API = BASE + "/reader/api/0"
PASSWORD = "a-long-pass-phrase"


def _reader_following(count: int = 2) -> tuple[Any, list[Source]]:
    user = actions.create_account("ada", password=PASSWORD)
    sources = list(Source.objects.filter(articles__status__in=["ok", "feed_only"]).distinct().order_by("slug"))[:count]
    for source in sources:
        actions.follow(user, "source", source.slug)
    return user, sources


def _unread_of(user: Any, sources: list[Source]) -> int:
    articles = Article.objects.filter(source__in=sources).exclude(status="pending")
    return articles.count() - len(queries.read_ids(user, articles.values_list("pk", flat=True)))


def _login(client: Client, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post(f"{BASE}/accounts/ClientLogin", {"Email": "ada", "Passwd": password})
    assert answer.status_code == 200, answer.content
    lines = dict(line.split("=", 1) for line in answer.content.decode().splitlines())
    return {"HTTP_AUTHORIZATION": f"GoogleLogin auth={lines['Auth']}"}


def test_the_calls_netnewswire_makes_in_its_order(api: Client) -> None:
    user, sources = _reader_following()
    actions.follow(user, "hashtag", "harbour")
    story = Article.objects.filter(source=sources[0], story__isnull=False).values_list("story_id", flat=True).first()
    assert story is not None
    actions.follow(user, "story", story)
    assert api.post(f"{BASE}/accounts/ClientLogin", {"Email": "ada", "Passwd": "wrong"}).status_code == 401
    auth = _login(api)
    token = api.get(f"{API}/token", **auth).content.decode().strip()
    assert token
    tags = api.get(f"{API}/tag/list?output=json&types=1", **auth).json()["tags"]
    assert {"id": "user/-/label/harbour", "type": "tag"} in tags and {"id": ids.STARRED} in tags
    assert {"id": f"user/-/label/story/{story}", "type": "tag"} in tags
    in_story = api.get(f"{API}/stream/contents/user/-/label/story/{story}?n=1000", **auth).json()["items"]
    assert all(f"user/-/label/story/{story}" in i["categories"] for i in in_story)
    assert len(in_story) == Article.objects.filter(story_id=story).exclude(status="pending").count() > 0
    subs = api.get(f"{API}/subscription/list?output=json", **auth).json()["subscriptions"]
    assert [s["id"] for s in subs] == sorted((f"feed/{s.slug}" for s in sources), key=lambda i: i) or len(subs) == 2
    assert {s["title"] for s in subs} == {s.name for s in sources} and all(s["url"] and "htmlUrl" in s for s in subs)
    unread: list[str] = []
    query = f"{API}/stream/items/ids?n=5&output=json&s={ids.READING_LIST}&xt={ids.READ}"
    page = api.get(query, **auth).json()
    unread += [ref["id"] for ref in page["itemRefs"]]
    while "continuation" in page:  # NetNewsWire pages with c until no continuation is left
        page = api.get(f"{query}&c={page['continuation']}", **auth).json()
        unread += [ref["id"] for ref in page["itemRefs"]]
    assert all(i.isdigit() for i in unread) and len(unread) == len(set(unread)) == _unread_of(user, sources) > 5
    starred = api.get(f"{API}/stream/items/ids?n=1000&output=json&s={ids.STARRED}", **auth).json()["itemRefs"]
    assert starred == []
    # contents: POSTed with T, long ids made as NetNewsWire makes them (%.16llx of the decimal)
    wanted = unread[:3]
    body = "T=" + token + "&output=json&" + "&".join(f"i={ids.LONG_PREFIX}{int(i):016x}" for i in wanted)
    items = api.post(
        f"{API}/stream/items/contents", body, content_type="application/x-www-form-urlencoded", **auth
    ).json()["items"]
    assert [str(int(it["id"].rsplit("/", 1)[1], 16)) for it in items] == wanted
    first = items[0]
    assert first["origin"]["streamId"] in {f"feed/{s.slug}" for s in sources}
    assert first["title"] and first["alternate"][0]["href"] and first["summary"]["content"] is not None
    assert ids.READ not in first["categories"] and first["crawlTimeMsec"].isdigit()
    # edit-tag: read and starred, as NetNewsWire posts them
    mark = f"T={token}&i={ids.LONG_PREFIX}{int(wanted[0]):016x}&a={ids.READ}"
    assert api.post(f"{API}/edit-tag", mark, content_type="application/x-www-form-urlencoded", **auth).content == b"OK"
    star = f"T={token}&i={ids.LONG_PREFIX}{int(wanted[0]):016x}&a={ids.STARRED}"
    assert api.post(f"{API}/edit-tag", star, content_type="application/x-www-form-urlencoded", **auth).content == b"OK"
    article_id = ItemNumber.objects.get(number=int(wanted[0])).article_id
    assert queries.read_ids(user, [article_id]) == {article_id} and queries.is_saved(user, article_id)
    # ... and the website shows it: the Saved page lists it, with "Mark unread"
    site = Client()
    site.force_login(user)
    saved = site.get("/en/saved").content.decode()
    assert Article.objects.get(pk=article_id).title in saved and "Mark unread" in saved
    starred = api.get(f"{API}/stream/items/ids?output=json&s={ids.STARRED}", **auth).json()["itemRefs"]
    assert [ref["id"] for ref in starred] == [wanted[0]]


def test_every_item_id_form_names_the_same_item(api: Client) -> None:
    _reader_following(1)
    auth = _login(api)
    number = int(api.get(f"{API}/stream/items/ids?n=1", **auth).json()["itemRefs"][0]["id"])
    forms = [
        f"{ids.LONG_PREFIX}{number:016x}",  # long
        f"{number:016x}",  # bare 16 hex
        f"{number:x}",  # unpadded hex (as a number, when it has a letter; digits alone read as decimal)
        str(number),  # decimal
    ]
    for form in forms:
        if form == f"{number:x}" and form.isdigit():
            continue
        got = api.get(f"{API}/stream/items/contents", {"i": form}, **auth).json()["items"]
        assert [g["id"] for g in got] == [ids.long_id(number)], form
    assert ids.parse_item_id("-1") == ids.MASK == ids.parse_item_id(f"{ids.LONG_PREFIX}ffffffffffffffff")
    assert ids.parse_item_id(str(-(1 << 63))) == 1 << 63 == ids.parse_item_id("8000000000000000")
    assert ids.parse_item_id("1a") == 26 and ids.parse_item_id("0000000000000010") == 16
    assert ids.parse_item_id("nonsense") is None and ids.parse_item_id(f"{ids.LONG_PREFIX}xyz") is None


def test_tokens_headers_and_writes(api: Client) -> None:
    user, sources = _reader_following(1)
    assert api.get(f"{API}/user-info").status_code == 401
    bad = api.get(f"{API}/user-info", HTTP_AUTHORIZATION="GoogleLogin auth=nlr_nope")
    assert bad.status_code == 401 and bad["X-Reader-Google-Bad-Token"] == "true"
    auth = _login(api)
    info = api.get(f"{API}/user-info", **auth)  # no output=json: JSON all the same
    assert info.status_code == 200 and info.json()["userName"] == "ada"
    number = api.get(f"{API}/stream/items/ids?n=1", **auth).json()["itemRefs"][0]["id"]
    token = api.get(f"{API}/token", **auth).content.decode()
    # a POST with T alone (no header), with the header alone (no T), and with a stale T
    assert api.post(f"{API}/edit-tag", {"T": token, "i": number, "a": ids.READ}).content == b"OK"
    assert api.post(f"{API}/edit-tag", {"i": number, "r": ids.READ}, **auth).content == b"OK"
    stale = api.post(f"{API}/edit-tag", {"T": "1Zdeadbeef", "i": number, "a": ids.READ}, **auth)
    assert stale.status_code == 401 and stale["X-Reader-Google-Bad-Token"] == "true"
    assert api.get(f"{API}/edit-tag", {"i": number, "a": ids.READ}, **auth).status_code == 405
    # an app password logs in too; the account password of another name does not
    _, app = actions.create_access_key(user, "app_password")
    assert _login(api, app)
    # quickadd by feed URL, unsubscribe, subscribe
    other = Source.objects.exclude(pk=sources[0].pk).filter(feeds__isnull=False).first()
    assert other is not None
    added = api.post(f"{API}/subscription/quickadd", {"quickadd": other.feeds.first().url}, **auth).json()
    assert added == {
        "numResults": 1,
        "query": other.feeds.first().url,
        "streamId": f"feed/{other.slug}",
        "streamName": other.name,
    }
    assert (
        api.post(f"{API}/subscription/quickadd", {"quickadd": "https://nowhere.example/feed"}, **auth).json()[
            "numResults"
        ]
        == 0
    )
    edit = {"ac": "unsubscribe", "s": f"feed/{other.slug}"}
    assert api.post(f"{API}/subscription/edit", edit, **auth).content == b"OK"
    assert queries.followed_keys(user, "source") == [sources[0].slug]
    # mark-all-as-read, then nothing is unread; unread-count agrees
    assert api.post(f"{API}/mark-all-as-read", {"s": f"feed/{sources[0].slug}"}, **auth).content == b"OK"
    assert api.get(f"{API}/stream/items/ids?xt={ids.READ}", **auth).json()["itemRefs"] == []
    counts = api.get(f"{API}/unread-count?output=json", **auth).json()["unreadcounts"]
    assert counts == [{"id": ids.READING_LIST, "count": 0, "newestItemTimestampUsec": "0"}]


def test_a_keys_own_rate_limit(demo: None, settings: Any) -> None:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=(1000, 60))
    user, _ = _reader_following(1)
    key, app = actions.create_access_key(user, "app_password")
    key.limit_requests, key.limit_seconds = 2, 3600
    key.save()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"GoogleLogin auth={app}"}
    assert [client.get(f"{API}/user-info", **auth).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(f"{API}/user-info", **auth)["Retry-After"]) > 0


def test_stream_contents_filters_and_pages(api: Client) -> None:
    user, sources = _reader_following(2)
    auth = _login(api)
    everything = api.get(f"{API}/stream/contents/{ids.READING_LIST}?n=1000", **auth).json()
    total = len(everything["items"])
    assert total == _unread_of(user, sources) and "continuation" not in everything
    numbers = [int(i["id"].rsplit("/", 1)[1], 16) for i in everything["items"]]
    assert numbers == sorted(numbers, reverse=True)
    oldest = api.get(f"{API}/stream/contents?s={ids.READING_LIST}&r=o&n=2", **auth).json()
    assert [int(i["id"].rsplit("/", 1)[1], 16) for i in oldest["items"]] == sorted(numbers)[:2]
    rest = api.get(f"{API}/stream/contents?s={ids.READING_LIST}&r=o&n=1000&c={oldest['continuation']}", **auth).json()
    assert len(rest["items"]) == total - 2
    one = f"feed/{sources[0].slug}"
    feed = api.get(f"{API}/stream/contents/{one}?n=1000", **auth).json()
    assert feed["title"] == sources[0].name and {i["origin"]["streamId"] for i in feed["items"]} == {one}
    assert api.get(f"{API}/stream/contents?s={ids.READING_LIST}&ot=4102444800", **auth).json()["items"] == []
    assert (
        len(api.get(f"{API}/stream/contents?s={ids.READING_LIST}&nt=4102444800&n=1000", **auth).json()["items"])
        == total
    )
    assert api.get(f"{API}/stream/contents?s={ids.READING_LIST}&it={ids.STARRED}", **auth).json()["items"] == []
    atom = api.get(f"{BASE}/reader/atom/{one}?n=1", **auth)
    assert atom["Content-Type"].startswith("application/atom+xml") and atom.content.count(b"<entry") == 1
    assert b'label="fresh"' in atom.content and b"gr:continuation" in atom.content


# ------------------------------------------------------------------------------------- newsboat, the real client


def _newsboat(home: Path, url: str, password: str, *commands: str) -> subprocess.CompletedProcess[str]:
    config = home / "config"
    config.write_text(
        'urls-source "feedhq"\n'
        f'feedhq-url "{url}"\n'
        'feedhq-login "ada"\n'
        f'feedhq-password "{password}"\n'
        "feedhq-min-items 1000\n"
        "reload-threads 1\n"
        "show-read-feeds yes\n"
    )
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home)}
    args = ["newsboat", "-C", str(config), "-c", str(home / "cache.db"), "-u", str(home / "urls")]
    for command in commands:
        args += ["-x", command]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_newsboat_lists_the_unread_articles_of_the_followed_sources(live_demo: Any, tmp_path: Path) -> None:
    if shutil.which("newsboat") is None:
        pytest.fail("newsboat is not installed: `make test` installs Debian's newsboat package (`make newsboat`)")
    user, sources = _reader_following(2)
    _, app = actions.create_access_key(user, "app_password", "newsboat")
    (tmp_path / "urls").write_text("")
    url = live_demo.url + "/api/greader/"
    ran = _newsboat(tmp_path, url, app, "reload", "print-unread")
    assert ran.returncode == 0, ran.stderr
    expected = _unread_of(user, sources)
    assert ran.stdout.strip().splitlines()[-1] == f"{expected} unread articles", ran.stdout + ran.stderr
    # a mark-read as newsboat posts it (edit-tag with T) shows on the website, and in newsboat's next reload
    client = Client()
    auth = _login(client, app)
    token = client.get(f"{API}/token", **auth).content.decode()
    number = client.get(f"{API}/stream/items/ids?n=1&xt={ids.READ}", **auth).json()["itemRefs"][0]["id"]
    item = ids.long_id(int(number))
    body = f"i={item}&a=user/-/state/com.google/read&r=user/-/state/com.google/kept-unread&ac=edit&T={token}"
    done = client.post(f"{API}/edit-tag", body, content_type="application/x-www-form-urlencoded", **auth)
    assert done.content == b"OK"
    article_id = ItemNumber.objects.get(number=int(number)).article_id
    assert queries.read_ids(user, [article_id]) == {article_id}
    again = _newsboat(tmp_path, url, app, "reload", "print-unread")
    assert again.stdout.strip().splitlines()[-1] == f"{expected - 1} unread articles", again.stdout + again.stderr
