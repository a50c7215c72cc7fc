"""newsloom's metrics and the calls that record them, where the events happen.

Counters and histograms are written by whichever process sees the event (a web process, a worker) and summed over
processes at scrape time (``multiproc``); the queue's depth is read at scrape time (``exposition``). Names follow
Prometheus' conventions: ``_total`` counters, ``_seconds`` histograms, labels of small fixed sets only.

The pipeline's latency is measured per article from the moment it was first seen in a feed (the article's
``created_at``) to each stage: ``stored`` (its page fetched and stored, or its feed content kept), ``story`` (placed in
a story) and ``enriched`` (its story's summary first written with it).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600, 86400, 7 * 86400)
TASK_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
PAGE_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
STAGES = ("stored", "story", "enriched")

TASKS = Counter("newsloom_tasks", "Queue tasks run, by task and outcome (ok, error, locked).", ["task", "outcome"])
TASK_SECONDS = Histogram("newsloom_task_seconds", "Time a queue task ran.", ["task"], buckets=TASK_BUCKETS)
FETCHES = Counter(
    "newsloom_fetches",
    "HTTP fetches by kind (feed, page) and outcome (ok, not-modified, or the error's code: timeout, http-error, ...).",
    ["kind", "outcome"],
)
EXTRACTION_FAILURES = Counter(
    "newsloom_extraction_failures", "Fetched pages from which no article could be extracted (feed content kept)."
)
ARTICLES_STORED = Counter(
    "newsloom_articles_stored",
    "Articles stored, with their page's full text (full) or the feed's content (feed).",
    ["content"],
)
STORIES_CHANGED = Counter("newsloom_stories_changed", "Stories created or changed by story passes.")
STORIES_ENRICHED = Counter("newsloom_stories_enriched", "Story enrichments written (summary, key points, ...).")
RETENTION_REMOVED = Counter(
    "newsloom_retention_removed", "Stories and articles removed by the retention (NEWSLOOM_RETENTION_DAYS).", ["kind"]
)
PIPELINE_SECONDS = Histogram(
    "newsloom_pipeline_seconds",
    "Time from an article's first sighting in a feed to each stage: stored, story (placed in one), enriched.",
    ["stage"],
    buckets=LATENCY_BUCKETS,
)
PAGE_SECONDS = Histogram(
    "newsloom_page_seconds",
    "Time to answer a web request, by page kind and status class.",
    ["page", "status"],
    buckets=PAGE_BUCKETS,
)
PROCESSES = Gauge("newsloom_processes", "Running newsloom processes by role.", ["role"], multiprocess_mode="livesum")
CONSUMERS = Gauge("newsloom_queue_consumers", "Queue consumers running.", multiprocess_mode="livesum")
CONSUMER_THREADS = Gauge("newsloom_queue_consumer_threads", "Queue worker threads running.",
                         multiprocess_mode="livesum")  # fmt: skip


def process_started(role: str) -> None:
    """This process runs as ``role`` (web, worker, crawl, demo): counted while it lives."""
    PROCESSES.labels(role).inc()


def consumer_started(threads: int) -> None:
    CONSUMERS.inc()
    CONSUMER_THREADS.inc(threads)


def consumer_stopped(threads: int) -> None:
    CONSUMERS.dec()
    CONSUMER_THREADS.dec(threads)


# ------------------------------------------------------------------------------------------------ the queue's tasks


def instrument_queue(huey: Any) -> None:
    """Count and time every task this process's consumer runs (huey's pre- and post-execute hooks)."""

    @huey.pre_execute(name="newsloom-metrics")
    def _started(task: Any) -> None:
        task._newsloom_started = time.monotonic()

    @huey.post_execute(name="newsloom-metrics")
    def _finished(task: Any, _value: Any, exc: BaseException | None) -> None:
        name = getattr(task, "name", type(task).__name__)
        outcome = "ok" if exc is None else ("locked" if type(exc).__name__ == "TaskLockedException" else "error")
        TASKS.labels(name, outcome).inc()
        started = getattr(task, "_newsloom_started", None)
        if started is not None:
            TASK_SECONDS.labels(name).observe(time.monotonic() - started)


# ------------------------------------------------------------------------------------------------ pipeline events


def feed_polled(status: str, code: str = "") -> None:
    """A feed was polled: ``status`` of ``sources.actions.poll_feed`` ("ok", "not-modified", "error", or "disabled"
    when this failure disabled it) and the failure's ``code``; skipped polls fetched nothing."""
    if status in {"ok", "not-modified"}:
        FETCHES.labels("feed", status).inc()
    elif code or status == "error":
        FETCHES.labels("feed", code or "error").inc()


def article_ingested(result: str, code: str = "") -> None:
    """An article's page was dealt with: ``result`` of ``articles.actions.ingest_article`` and the error's code."""
    if result == "skipped":
        return
    extraction_failed = code == "extraction-failed"
    if result in {"stored", "merged"} or extraction_failed:
        FETCHES.labels("page", "ok").inc()
    else:
        FETCHES.labels("page", code or result).inc()
    if extraction_failed:
        EXTRACTION_FAILURES.inc()
    if result == "stored":
        ARTICLES_STORED.labels("full").inc()
    elif result == "feed-only":
        ARTICLES_STORED.labels("feed").inc()


def stage_reached(stage: str, seconds: Iterable[float]) -> None:
    """Articles reached ``stage`` (one of STAGES) this many seconds after their first sighting in a feed."""
    histogram = PIPELINE_SECONDS.labels(stage)
    for value in seconds:
        histogram.observe(max(0.0, value))


def stories_changed(count: int) -> None:
    if count:
        STORIES_CHANGED.inc(count)


def story_enriched() -> None:
    STORIES_ENRICHED.inc()


def retention_removed(stories: int, articles: int) -> None:
    if stories:
        RETENTION_REMOVED.labels("stories").inc(stories)
    if articles:
        RETENTION_REMOVED.labels("articles").inc(articles)


def page_answered(page: str, status: int, seconds: float) -> None:
    PAGE_SECONDS.labels(page, f"{status // 100}xx").observe(seconds)
