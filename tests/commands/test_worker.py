"""`newsloom worker` as a standalone consumer, on the SQLite queue and on Redis (scale-out)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.commands.conftest import newsloom
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer


def _serve_site(server: LocalServer) -> list[str]:
    pages = [server.serve(f"/w/{i}", article_page(f"Worker story {i}", [f"Worker story {i} begins.", *LOREM[i:]]))
             for i in range(3)]
    server.serve("/feed.xml", rss([(f"Worker story {i}", url) for i, url in enumerate(pages)]), "application/rss+xml")
    return pages


def _wait_for_articles(env: dict[str, str], count: int, timeout: float = 90) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        rows = [json.loads(line) for line in newsloom(env, "export", "articles").stdout.splitlines()]
        done = [r for r in rows if r["status"] == "ok" and r["story"]]
        if len(done) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(1)


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_worker_consumes_the_queue(cli_env: dict[str, str], server: LocalServer, queue: str) -> None:
    env = dict(cli_env)
    if queue == "redis":
        import redis

        env["NEWSLOOM_QUEUE_URL"] = "redis://127.0.0.1:6379/9"
        redis.Redis.from_url(env["NEWSLOOM_QUEUE_URL"]).flushdb()
    pages = _serve_site(server)
    newsloom(env, "feeds", "add", server.url("/feed.xml"), "--source", f"Worker {uuid.uuid4().hex[:6]}",
             "--delay", "0.05", "--concurrency", "1")
    worker = subprocess.Popen([sys.executable, "-m", "newsloom", "worker", "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        rows = _wait_for_articles(env, len(pages))
    finally:
        worker.send_signal(signal.SIGTERM)
        _, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    assert sorted(r["canonical_url"] for r in rows if r["status"] == "ok") == sorted(pages)
    assert all(r["story"] for r in rows), "the worker also builds stories"
    listing = newsloom(env, "feeds", "list", "--json").stdout
    assert json.loads(listing.splitlines()[0])["last_status"] == "ok: 3 entries, 3 new"
    if queue == "redis":
        import redis

        redis.Redis.from_url(env["NEWSLOOM_QUEUE_URL"]).flushdb()


_WORDS = ["harbour", "ferry", "tariff", "glacier", "orchestra", "vaccine", "satellite", "election", "drought",
          "festival", "bridge", "lottery", "museum", "railway", "wildfire", "summit", "refinery", "stadium",
          "parliament", "vineyard"]


def _paragraphs(seed: int) -> list[str]:
    """Three paragraphs of their own for page ``seed`` (distinct words, so no two pages look like wire copies)."""
    words = [_WORDS[(seed * 7 + k * 3) % len(_WORDS)] for k in range(12)]
    return [f"Story {seed} opens: the {words[0]} and the {words[1]} dominate talk in district {seed * 13}.",
            f"Officials linked the {words[2]} to the {words[3]}, while critics blamed the {words[4]} budget.",
            f"By evening the {words[5]} report on the {words[6]} and {words[7]} reached {seed * 101} readers."]


def test_two_workers_share_one_redis_queue_without_loss_or_duplicates(cli_env: dict[str, str],
                                                                      server: LocalServer) -> None:
    """Scale-out: two worker processes (one running the schedule) on one Redis queue and one database; every page
    is stored once, wire copies are grouped and every article sits in exactly one story."""
    import redis

    env = {**cli_env, "NEWSLOOM_QUEUE_URL": "redis://127.0.0.1:6379/10"}
    queue = redis.Redis.from_url(env["NEWSLOOM_QUEUE_URL"])
    queue.flushdb()
    own = [server.serve(f"/a/{i}", article_page(f"Gazette report {i}", _paragraphs(i))) for i in range(4)]
    copies = [server.serve(f"/b/{i}", article_page(f"Courier: report {i}", ["From the wires.", *_paragraphs(i)]))
              for i in range(2)]
    others = [server.serve(f"/b/{i}", article_page(f"Courier report {i}", _paragraphs(i))) for i in range(10, 12)]
    server.serve("/a.xml", rss([(f"Gazette report {i}", url) for i, url in enumerate(own)]), "application/rss+xml")
    server.serve("/b.xml", rss([(f"Courier {i}", url) for i, url in enumerate(copies + others)]),
                 "application/rss+xml")
    for path, name in (("/a.xml", "Gazette"), ("/b.xml", "Courier")):
        newsloom(env, "feeds", "add", server.url(path), "--source", name, "--delay", "0.05")
    workers = [subprocess.Popen([sys.executable, "-m", "newsloom", "worker", "--workers", "2", *extra], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for extra in ([], ["--no-scheduler"])]
    try:
        rows = _wait_for_articles(env, 8)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        errors = [worker.communicate(timeout=60)[1] for worker in workers]
        queue.flushdb()
    assert [worker.returncode for worker in workers] == [0, 0], errors
    urls = [r["canonical_url"] for r in rows if r["status"] == "ok"]
    assert sorted(urls) == sorted(own + copies + others), "every page stored exactly once"
    group = {r["canonical_url"]: r["wire_group"] for r in rows}
    for original, copy in zip(own, copies, strict=False):
        assert group[original] == group[copy], "a wire copy joins its original's group"
    assert len({group[url] for url in own + others}) == len(own + others), "different articles, different groups"
    stories = [json.loads(line) for line in newsloom(env, "export", "stories").stdout.splitlines()]
    members = [article["url"] for story in stories for article in story["articles"]]
    assert sorted(members) == sorted(urls), "every article in exactly one story"
    story_of = {article["url"]: story["id"] for story in stories for article in story["articles"]}
    assert all(story_of[original] == story_of[copy] for original, copy in zip(own, copies, strict=False))


def test_per_feed_politeness_overrides(cli_env: dict[str, str], server: LocalServer) -> None:
    _serve_site(server)
    newsloom(cli_env, "feeds", "add", server.url("/feed.xml"), "--delay", "2.5")
    assert "delay 2.5 s, concurrency default" in newsloom(cli_env, "feeds", "set", "1", "--concurrency", "0").stdout
    out = newsloom(cli_env, "feeds", "set", server.url("/feed.xml"), "--delay", "-1", "--concurrency", "3").stdout
    assert "delay default, concurrency 3" in out


def test_worker_help_mentions_scale_out() -> None:
    out = subprocess.run([sys.executable, "-m", "newsloom", "worker", "--help"], capture_output=True, text=True,
                         env={**os.environ}, check=True).stdout
    assert "--no-scheduler" in out
