"""/metrics sums real processes: `newsloom serve` (two web processes) and a `newsloom worker` on one data dir."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.commands.conftest import newsloom
from tests.commands.test_serve import free_port
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.slow

PAGES = 4


def scrape(base: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels``."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and wanted <= set(ls))


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "newsloom", *args], env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen[bytes], sig: signal.Signals = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def site(server: LocalServer) -> Iterator[str]:
    pages = [server.serve(f"/m/{i}", article_page(f"Metrics story {i}", [f"Metrics story {i} opens.", *LOREM[i:]]))
             for i in range(PAGES)]  # fmt: skip
    items = [(f"Metrics story {i}", url) for i, url in enumerate(pages)]
    yield server.serve("/feed.xml", rss(items), "application/rss+xml")


def test_metrics_are_summed_over_the_web_and_worker_processes(cli_env: dict[str, str], site: str,
                                                              tmp_path: Path) -> None:  # fmt: skip
    env = dict(cli_env)
    newsloom(env, "feeds", "add", site, "--source", "Metrics Gazette", "--delay", "0.05")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web = start(env, tmp_path / "serve.log", "serve", "--port", str(port), "--processes", "2", "--no-worker")
    worker = start(env, tmp_path / "worker.log", "worker", "--workers", "2")
    try:

        def ready() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/readyz", timeout=5) as response:
                    return bool(json.load(response)["status"] == "ready")
            except OSError:
                return False

        wait_for(ready, 60, "newsloom serve")
        for _ in range(6):
            urllib.request.urlopen(f"{base}/en/", timeout=10).read()
        wait_for(lambda: value(scrape(base), "newsloom_pipeline_seconds_count", stage="enriched") >= 1, 180,
                 "a story enriched by the worker")  # fmt: skip
        samples = scrape(base)
        # from the web processes (the worker serves no pages) ...
        assert value(samples, "newsloom_processes", role="web") == 2
        assert value(samples, "newsloom_page_seconds_count", page="home", status="2xx") >= 6
        # ... and from the worker (the web processes run no queue consumer), in one answer
        assert value(samples, "newsloom_processes", role="worker") == 1
        assert value(samples, "newsloom_queue_consumers") == 1
        assert value(samples, "newsloom_queue_consumer_threads") == 2
        assert value(samples, "newsloom_fetches_total", kind="feed", outcome="ok") >= 1
        assert value(samples, "newsloom_fetches_total", kind="page", outcome="ok") == PAGES
        assert value(samples, "newsloom_articles_stored_total", content="full") == PAGES
        assert value(samples, "newsloom_tasks_total", task="ingest_article_task", outcome="ok") == PAGES
        assert value(samples, "newsloom_task_seconds_count", task="poll_feed_task") >= 1
        assert value(samples, "newsloom_pipeline_seconds_count", stage="stored") == PAGES
        assert value(samples, "newsloom_pipeline_seconds_count", stage="story") == PAGES
        assert value(samples, "newsloom_stories_changed_total") >= 1 and value(samples, "newsloom_queue_up") == 1
        assert value(samples, "newsloom_extraction_failures_total") == 0

        stop(worker, signal.SIGKILL)  # no goodbye: its live gauges go at the next scrape, its counters stay
        after = scrape(base)
        assert value(after, "newsloom_processes", role="worker") == 0
        assert value(after, "newsloom_queue_consumers") == 0
        assert value(after, "newsloom_processes", role="web") == 2
        assert value(after, "newsloom_fetches_total", kind="page", outcome="ok") == PAGES
        assert value(after, "newsloom_page_seconds_count", page="home", status="2xx") >= 6
    finally:
        stop(worker)
        stop(web)
    assert web.returncode == 0, (tmp_path / "serve.log").read_text()[-3000:]


def test_a_worker_without_serve_answers_the_operations_endpoints_on_its_own_port(cli_env: dict[str, str], site: str,
                                                                                  tmp_path: Path) -> None:  # fmt: skip
    """A worker on a machine of its own: `--metrics-port` is where that machine's metrics are scraped."""
    env = dict(cli_env)
    newsloom(env, "feeds", "add", site, "--source", "Metrics Gazette", "--delay", "0.05")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    worker = start(env, tmp_path / "worker.log", "worker", "--workers", "2", "--metrics-port", str(port))
    try:

        def stored() -> bool:
            try:
                return value(scrape(base), "newsloom_articles_stored_total", content="full") == PAGES
            except OSError:
                return False

        wait_for(stored, 120, "the worker's articles in its own /metrics")
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            assert json.load(response) == {"status": "ok"}
        with urllib.request.urlopen(f"{base}/readyz", timeout=10) as response:
            assert json.load(response)["status"] == "ready"
        with pytest.raises(urllib.error.HTTPError) as page:
            urllib.request.urlopen(f"{base}/en/", timeout=10)
        assert page.value.code == 404  # the site is not served here
        assert value(scrape(base), "newsloom_processes", role="worker") == 1
    finally:
        stop(worker)
    assert worker.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]
