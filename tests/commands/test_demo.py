"""`newsloom demo` and `newsloom crawl` as a user runs them: real processes, the real mini-web, the real site."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsloom.core.evaluation.clustering import scores
from newsloom.core.urls import article_id
from newsloom.demo import start_miniweb
from tests.commands.conftest import newsloom


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_ingests_the_mini_web_and_serves_the_site(cli_env: dict[str, str]) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "demo", "--port", str(port), "--mini-web-port", "0"],
        env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/en/", timeout=180)
        assert "Top stories" in home and "hours ago" in home
        story = home.split('href="/en/story/', 1)[1].split('"', 1)[0]
        coverage = wait_for(f"http://127.0.0.1:{port}/en/story/{story}")
        assert "Coverage" in coverage
        first = coverage.split('href="/en/article/', 1)[1].split('"', 1)[0]
        page = wait_for(f"http://127.0.0.1:{port}/en/article/{first}")
        assert 'id="article-h"' in page and "Read it at" in page
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert "67 articles with full text" in err, err


def test_demo_text_is_clean_and_complete(cli_env: dict[str, str]) -> None:
    started = time.time()
    newsloom(cli_env, "demo", "--no-serve", "--mini-web-port", "0")
    articles = [json.loads(line) for line in newsloom(cli_env, "export", "articles").stdout.splitlines()]
    with start_miniweb() as web:  # the same content: its truth tables
        truth, phrases = web.articles, web.boilerplate_phrases
    # the mini-web dates its articles relative to its start: the demo's clock ran `lag` earlier than the truth's
    lag = timedelta(seconds=time.time() - started + 5)
    assert len(articles) == len(truth) >= 50
    by_path = {(a["source"], urlsplit(a["canonical_url"]).path): a for a in articles}  # the ports differ
    for item in truth:
        stored = by_path[item.source_slug, urlsplit(item.url).path]
        assert stored["status"] == "ok", stored["error"]
        for sentence in item.body_sentences:
            assert sentence in stored["text"], f"{item.url} lost: {sentence}"
        leaked = [p for p in phrases if p.lower() in stored["text"].lower()]
        assert not leaked, f"{item.url} kept boilerplate: {leaked}"
        days = {item.published.date().isoformat(), (item.published - lag).date().isoformat()}
        assert stored["published"] and stored["published"][:10] in days, (stored["published"], days)
    assert all("utm_" not in a["canonical_url"] for a in articles)

    # wire copies carry their agency original's group; stories follow the events
    def key(url: str, source: str) -> tuple[str, str]:
        return source, urlsplit(url).path

    agency = {urlsplit(item.url).path: item for item in truth}
    events, predicted = [], []
    for item in truth:
        stored = by_path[key(item.url, item.source_slug)]
        if item.wire_origin:
            origin = agency[urlsplit(item.wire_origin).path]
            assert stored["wire_group"] == by_path[key(origin.url, origin.source_slug)]["id"], item.url
        events.append(item.event)
        predicted.append(stored["story"])
    quality = scores(events, predicted)
    assert quality["bcubed_precision"] >= 0.95 and quality["bcubed_f1"] >= 0.9, quality


def _ok_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("select count(*) from articles_article where status != 'pending'").fetchone()
            return int(row[0])
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(os.environ.get("NEWSLOOM_DATABASE_URL", "").startswith("postgres"), reason="reads the SQLite file")
def test_a_crawl_killed_midway_resumes_with_nothing_lost_or_doubled(cli_env: dict[str, str], tmp_path: Path) -> None:
    slow = {**cli_env, "NEWSLOOM_FETCH_PER_HOST_DELAY": "0.4", "NEWSLOOM_WORKERS": "2"}
    with start_miniweb() as web:
        opml = tmp_path / "demo.opml"
        outlines = "".join(f'<outline type="rss" text="{f.source_name}" xmlUrl="{f.url}"/>' for f in web.feeds)
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
        newsloom(slow, "feeds", "import", str(opml))
        db = Path(slow["NEWSLOOM_DATA_DIR"]) / "newsloom.sqlite3"
        proc = subprocess.Popen([sys.executable, "-m", "newsloom", "crawl", "--once"], env=slow,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while _ok_count(db) < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        proc.kill()  # no goodbye: SIGKILL mid-way
        proc.wait()
        done_when_killed = _ok_count(db)
        assert 0 < done_when_killed < len(web.articles), "the crawl was not caught mid-way"

        resumed = newsloom(slow, "crawl", "--once").stdout
        exported = newsloom(slow, "export", "articles").stdout.splitlines()
        rows: list[dict[str, Any]] = [json.loads(line) for line in exported]
        expected = {article_id(a.url) for a in web.articles}
    assert f"{len(web.articles)} articles with full text" in resumed
    assert {r["id"] for r in rows} == expected and len(rows) == len(expected)
    assert {r["status"] for r in rows} == {"ok"}
