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
