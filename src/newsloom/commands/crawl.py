"""`newsloom crawl [--once]`: poll due feeds and drain the resulting work, with a progress bar on a terminal."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from huey import Huey
from tqdm import tqdm

from newsloom import tasks
from newsloom.articles.queries import status_counts
from newsloom.consumer import InProcessConsumer, run_until_idle
from newsloom.sources.models import Feed
from newsloom.stories.models import Story


@dataclass
class CrawlSummary:
    feeds_queued: int
    recovered: int
    counts: dict[str, int]
    seconds: float
    finished: bool
    stories: int = 0

    def describe(self) -> str:
        c = self.counts
        return (
            f"{self.feeds_queued} feeds polled, {c.get('ok', 0)} articles with full text, "
            f"{c.get('feed_only', 0)} with feed content only, {c.get('pending', 0)} pending, "
            f"{self.stories} stories ({self.seconds:.1f} s)"
        )


def crawl_once(*, workers: int | None = None, every_feed: bool = False, progress: bool | None = None,
               timeout: float | None = None) -> CrawlSummary:
    """Queue every due feed (or all of them) and any article left pending, then work until nothing is left."""
    huey: Huey = settings.HUEY
    started = time.monotonic()
    if every_feed:
        Feed.objects.filter(disabled=False).update(next_fetch_at=timezone.now())
    recovered = tasks.enqueue_pending_articles()
    feeds_queued = tasks.enqueue_due_feeds()
    show = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=0, unit="article", disable=not show, file=sys.stderr, dynamic_ncols=True)
    before = status_counts()
    base_done = before.get("ok", 0) + before.get("feed_only", 0)

    def tick() -> None:
        counts = status_counts()
        done = counts.get("ok", 0) + counts.get("feed_only", 0) - base_done
        bar.total = max(bar.total or 0, done + counts.get("pending", 0))
        bar.n = done
        bar.set_postfix(feeds=feeds_queued, queued=huey.pending_count(), refresh=False)
        bar.refresh()

    finished = run_until_idle(huey, workers=workers or settings.CONFIG.workers, tick=tick, timeout=timeout)
    bar.close()
    tasks.build_stories_now()  # whatever the last debounced pass did not see
    tasks.enrich_stories_now()
    stories = Story.objects.count()
    return CrawlSummary(feeds_queued, recovered, status_counts(), time.monotonic() - started, finished, stories)


def run(args: argparse.Namespace) -> int:
    if args.once:
        summary = crawl_once(workers=args.workers, every_feed=args.all, progress=False if args.no_progress else None)
        print(summary.describe())
        return 0 if summary.finished else 1
    consumer = InProcessConsumer(settings.HUEY, workers=args.workers or settings.CONFIG.workers, periodic=True)
    tasks.enqueue_pending_articles()
    tasks.enqueue_due_feeds()
    consumer.start()
    print("crawling; Ctrl-C to stop", file=sys.stderr)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        print("stopping after the tasks in hand…", file=sys.stderr)
    finally:
        consumer.stop(graceful=True)
    return 0
