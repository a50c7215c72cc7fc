"""Queue tasks, the periodic schedule, and the policy that decides when the story steps run.

The tasks call the apps' actions with this process's tools (``runtime``). Beside them lives the scheduling policy,
kept here because it is made of tasks scheduling tasks:

- **follow-ups**: this module registers the handlers of ``followups`` — recorded articles are queued for ingest, and
  changed stories request an enrichment pass. Actions announce; they never import this module.
- **debounce**: a story pass (``request_story_build``) or an enrichment pass (``request_enrichment``) asked for while
  one is already waiting folds into it, through a claim key in the queue's storage (``queue.claim``).
- **one at a time**: each pass runs under a queue lock (``queue.exclusive``) — one clusterer, one enricher across every
  process — and drains its work before it lets go (``_drain``).
- **yielding**: enrichment waits while ingestion may still grow the stories it would summarise (``ingest_backlog``),
  up to ENRICH_YIELD_MAX; a story is re-enriched at most every ENRICH_REST while it keeps changing.
- **priority**: story passes go ahead of the ingest backlog (STORY_PRIORITY).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from newsloom import followups, runtime
from newsloom.articles import actions as article_actions
from newsloom.articles.queries import stories_still_growing
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.errors import ExtractionError
from newsloom.observability import metrics
from newsloom.queue import claim, exclusive, release
from newsloom.sources import actions as source_actions
from newsloom.stories import actions as story_actions

log = logging.getLogger(__name__)


metrics.instrument_queue(settings.HUEY)


def retention_cutoff() -> datetime | None:
    """Articles published before this are removed (NEWSLOOM_RETENTION_DAYS); None: everything is kept."""
    days = runtime.config().retention_days
    return timezone.now() - timedelta(days=days) if days else None


def _record_entries(feed: Any, entries: Sequence[FeedEntry]) -> source_actions.RecordedEntries:
    """Record a feed's entries, less those older than the retention keeps (a feed's archive would otherwise bring
    back, every poll, what retention removed)."""
    cutoff = retention_cutoff()
    if cutoff is not None:
        entries = [e for e in entries if (when := e.published or e.updated) is None or when >= cutoff]
    return article_actions.record_entries(feed, entries)


@db_task()
def poll_feed_task(feed_id: int) -> str:
    outcome = source_actions.poll_feed(feed_id, fetcher=runtime.fetcher(), record_entries=_record_entries)
    metrics.feed_polled(outcome.status, outcome.code)
    return outcome.status


@db_task()
def ingest_article_task(article_id: str) -> str:
    outcome = article_actions.ingest_article(
        article_id, fetcher=runtime.fetcher(), detector=runtime.detector(), extractor=runtime.extractor()
    )
    metrics.article_ingested(outcome.result, outcome.code)
    if outcome.retry_in is not None:
        ingest_article_task.schedule((article_id,), delay=outcome.retry_in.total_seconds())
    elif outcome.result in {"stored", "merged", "feed-only"}:
        request_story_build()
    return outcome.result


def _drain(lock: str, request_key: str, step: Callable[[], int]) -> int:
    """Run ``step`` until it does nothing more, in one process at a time; a pending request is consumed first, so
    one asked for during this pass schedules another."""
    release(settings.HUEY, request_key)
    done = 0
    with exclusive(settings.HUEY, lock) as mine:
        while mine and (progress := step()):
            done += progress
    return done


def _request(request_key: str, task: Any, delay: float, stale_after: float) -> None:
    """Schedule ``task`` after ``delay`` unless one is already waiting: requests meanwhile fold into it."""
    if claim(settings.HUEY, request_key, stale_after=stale_after):
        task.schedule(delay=delay)


STORIES_REQUESTED = "newsloom:stories-requested"
STORY_DEBOUNCE = 2.0  # seconds: articles finishing together are placed in one pass
ENRICH_REQUESTED = "newsloom:enrich-requested"
ENRICH_DEBOUNCE = 5.0  # seconds: a story still gaining articles is summarised once they have landed


def request_story_build() -> None:
    _request(STORIES_REQUESTED, build_stories_task, STORY_DEBOUNCE, stale_after=120)


def build_stories_now() -> int:
    """Place every article not yet in a story, unless another process is doing it (then it will)."""
    return _drain("stories", STORIES_REQUESTED,
                  lambda: story_actions.build_stories(embedder=runtime.embedder(), report=_observe_pass))


def _observe_pass(report: story_actions.PassReport) -> None:
    metrics.stories_changed(report.stories_changed)
    metrics.stage_reached("stored", report.stored_after)
    metrics.stage_reached("story", report.placed_after)


def _observe_enriched(seconds: list[float]) -> None:
    metrics.story_enriched()
    metrics.stage_reached("enriched", seconds)


ENRICH_REST = timedelta(seconds=60)  # a story is re-enriched at most this often while it keeps changing


def request_enrichment(delay: float = ENRICH_DEBOUNCE) -> None:
    _request(ENRICH_REQUESTED, enrich_stories_task, delay, stale_after=300)


def _enrich_one(story_id: str, enricher: runtime.StoryEnricher | None) -> bool:
    try:
        return story_actions.enrich_story(story_id, embedder=runtime.embedder() if enricher is None else None,
                                          llm=runtime.llm(), enricher=enricher, report=_observe_enriched)
    except ExtractionError as exc:  # its enrichment crashed or hung a worker process: the other stories go on
        log.warning("story %s not enriched: %s", story_id, exc)
        return False


def _enrich_stale(resting: timedelta | None) -> int:
    """Enrich the stale stories; with extraction processes, as many at a time as there are processes (each thread
    reads and writes the database while a process computes)."""
    ids = story_actions.stale_story_ids(resting=resting)
    enricher = runtime.story_enricher()
    if enricher is None or len(ids) < 2:
        return sum(_enrich_one(sid, enricher) for sid in ids)

    def enrich(story_id: str) -> bool:
        try:
            return _enrich_one(story_id, enricher)
        finally:
            connections.close_all()  # this thread's own connections

    with ThreadPoolExecutor(runtime.config().extract_processes, thread_name_prefix="enrich") as pool:
        return sum(pool.map(enrich, ids))


def enrich_stories_now(*, resting: timedelta | None = None) -> int:
    """Enrich every story changed since its last enrichment (one process at a time). With ``resting``, stories
    enriched less than that long ago wait, and a later pass is scheduled for them."""
    done = _drain("enrich", ENRICH_REQUESTED, lambda: _enrich_stale(resting))
    if resting is not None and story_actions.stale_story_ids(limit=1):
        request_enrichment(delay=resting.total_seconds())
    return done


# Story passes go ahead of the ingest backlog (a crawl queues thousands of pages at once): stories then form while
# pages are still being fetched, instead of all at the end, and a reader sees them sooner.
STORY_PRIORITY = 10


@db_task(priority=STORY_PRIORITY)
def build_stories_task() -> int:
    return build_stories_now()


# Enrichment yields to ingestion: while articles are on their way into stories those stories are still growing, and a
# summary written now is thrown away by the next one (a first crawl of 1,000 pages enriched most stories twice). A
# requested pass waits while there is such work (``ingest_backlog``), ENRICH_YIELD_POLL seconds at a time, but no
# longer than ENRICH_YIELD_MAX after it was first due, so work that never ends does not starve the summaries.
ENRICH_YIELD_POLL = 2.0
ENRICH_YIELD_MAX = 120.0
ENRICH_YIELD_RECENT = timedelta(minutes=5)  # a page still pending after this long is waiting on a retry, not fetching


def ingest_backlog() -> bool:
    """Work that may still grow stories: tasks waiting in the queue, articles recorded in the last minutes still
    waiting for their page (those being fetched right now are no longer in the queue), or stored articles the
    (debounced) story pass has not placed yet."""
    return bool(settings.HUEY.pending_count()) or stories_still_growing(ENRICH_YIELD_RECENT)


@db_task(priority=STORY_PRIORITY)
def enrich_stories_task(first_due: float | None = None) -> int:
    first_due = time.time() if first_due is None else first_due
    if ingest_backlog() and time.time() - first_due < ENRICH_YIELD_MAX:
        enrich_stories_task.schedule((first_due,), delay=ENRICH_YIELD_POLL)  # the request stays claimed meanwhile
        return 0
    return enrich_stories_now(resting=ENRICH_REST)


def enqueue_due_feeds() -> int:
    ids = source_actions.claim_due_feeds()
    for feed_id in ids:
        poll_feed_task(feed_id)
    return len(ids)


def enqueue_pending_articles(idle_for: timedelta | None = None) -> int:
    """Re-queue articles left pending by a crash; harmless if they are already queued (ingest is idempotent)."""
    ids = article_actions.pending_article_ids(idle_for=idle_for)
    for aid in ids:
        ingest_article_task(aid)
    return len(ids)


def _ingest_recorded(article_ids: list[str]) -> None:
    for aid in article_ids:
        ingest_article_task(aid)


followups.register(followups.ARTICLES_RECORDED, _ingest_recorded)
followups.register(followups.STORIES_CHANGED, request_enrichment)


@db_periodic_task(crontab(minute="*"))
def schedule_due_feeds() -> int:
    return enqueue_due_feeds()


@db_periodic_task(crontab(minute="*"))
def sweep_stories() -> int:
    """Catches articles whose story request was lost (a crash between request and pass)."""
    return build_stories_now()


@db_periodic_task(crontab(minute="*/10"))
def rescore_stories() -> int:
    return story_actions.rescore_recent()


@db_periodic_task(crontab(minute="*/5"))
def sweep_enrichment() -> int:
    return enrich_stories_now()


@db_periodic_task(crontab(minute="*/15"))
def recover_pending_articles() -> int:
    return enqueue_pending_articles(idle_for=timedelta(hours=1))


RETENTION_WAIT = 30  # tries, a second apart, for the story lock before a retention pass leaves the rest to the next


def apply_retention(cutoff: datetime | None = None, *, batch: int = story_actions.RETENTION_BATCH) -> int:
    """Remove what is older than the retention, a batch per transaction, each under the story lock (taken and
    released per batch, so story passes go on in between); returns how many articles were removed."""
    cutoff = cutoff or retention_cutoff()
    removed, waited = 0, 0
    while cutoff is not None:
        with exclusive(settings.HUEY, "stories") as mine:
            if mine:
                stories, articles = story_actions.remove_expired(cutoff, batch=batch)
        if not mine:
            waited += 1
            if waited >= RETENTION_WAIT:
                break
            time.sleep(1)
            continue
        metrics.retention_removed(stories, articles)
        removed += articles
        if not stories and not articles:
            break
    return removed


@db_periodic_task(crontab(minute="23"))
def retention() -> int:
    """Hourly: NEWSLOOM_RETENTION_DAYS (nothing when unset)."""
    return apply_retention() if retention_cutoff() is not None else 0
