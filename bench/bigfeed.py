"""One feed of many items from one publisher (issue #21, row 12), broken down: fetch, parse, store, pages.

    .venv/bin/python bench/bigfeed.py [--items 10000] [--page-seconds 60] [--workers 8] [--database-url URL]

Starts a synthetic loopback publisher (newsloom.demo.bulk_miniweb with one feed of ``--items`` items), then in a
child process with a fresh data dir:
  * fetch:  the feed fetched once (newsloom's fetcher);
  * parse:  ``core.ingest.feeds.parse`` on its bytes;
  * store:  ``articles.actions.record_entries`` in one transaction, as a poll stores them, up to the commit and the
            queueing of one page task per new article (the queueing also shown on its own);
  * again:  the same entries stored a second time (nothing new: the poll is idempotent), and a whole second poll
            (``poll_feed``, unconditional) of the feed;
  * pages:  the queue consumed for ``--page-seconds`` seconds (page fetch, extraction, tagging, storage; the story
            passes the articles trigger run too): pages read per second. For comparison, the same is run on the same
            number of seconds of a crawl of 50 publishers (``--no-compare`` skips it).
Politeness is off as in bench/ingest.py (NEWSLOOM_FETCH_PER_HOST_DELAY=0, NEWSLOOM_FETCH_PER_HOST_CONCURRENCY=4):
with the default delay of one second between requests to a host, one publisher's pages go at one a second.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsloom.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _pages_rate(seconds: float, workers: int) -> dict[str, float]:
    from django.conf import settings

    from newsloom.articles.queries import status_counts
    from newsloom.consumer import run_until_idle

    before = status_counts()
    started = time.perf_counter()
    finished = run_until_idle(settings.HUEY, workers=workers, timeout=seconds)
    elapsed = time.perf_counter() - started
    after = status_counts()
    done = sum(after.get(k, 0) - before.get(k, 0) for k in ("ok", "feed_only"))
    return {"pages": done, "seconds": elapsed, "per_second": done / elapsed, "finished": finished,
            "pending": after.get("pending", 0)}


def big_feed(feed_url: str, page_seconds: float, workers: int) -> dict[str, Any]:
    _setup()
    from django.db import transaction

    from newsloom import followups, runtime, tasks
    from newsloom.articles.actions import record_entries
    from newsloom.articles.models import Article
    from newsloom.core.ingest import feeds
    from newsloom.sources.actions import FEED_ACCEPT, create_feed, ensure_source, poll_feed
    from newsloom.sources.models import Feed

    fetcher = runtime.fetcher()
    t = time.perf_counter()
    result = fetcher.fetch(feed_url, accept=FEED_ACCEPT)
    fetch_s = time.perf_counter() - t
    t, c = time.perf_counter(), time.process_time()
    parsed = feeds.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
    parse_s, parse_cpu = time.perf_counter() - t, time.process_time() - c

    queued: list[float] = []

    def timed_queueing(ids: list[str]) -> None:
        start = time.perf_counter()
        tasks._ingest_recorded(ids)
        queued.append(time.perf_counter() - start)

    followups.register(followups.ARTICLES_RECORDED, timed_queueing)
    feed = create_feed(feed_url, ensure_source("Big publisher"))
    t, c = time.perf_counter(), time.process_time()
    with transaction.atomic():
        recorded = record_entries(feed, parsed.entries)
    store_s, store_cpu = time.perf_counter() - t, time.process_time() - c
    followups.register(followups.ARTICLES_RECORDED, tasks._ingest_recorded)

    t = time.perf_counter()
    with transaction.atomic():
        again = record_entries(feed, parsed.entries)
    again_s = time.perf_counter() - t
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    t = time.perf_counter()
    poll = poll_feed(feed.pk, fetcher=fetcher, record_entries=record_entries)
    poll_s = time.perf_counter() - t
    return {
        "bytes": len(result.content), "entries": len(parsed.entries), "fetch_s": fetch_s, "parse_s": parse_s,
        "parse_cpu": parse_cpu, "store_s": store_s, "store_cpu": store_cpu, "queue_s": queued[0] if queued else 0.0,
        "new": len(recorded.new_ids),
        "skipped": len(recorded.skipped), "again_s": again_s, "again_new": len(again.new_ids), "poll_s": poll_s,
        "poll_status": poll.status, "poll_new": len(poll.new_article_ids), "stored": Article.objects.count(),
        "pages": _pages_rate(page_seconds, workers),
    }


def many_feeds(feed_urls: list[str], page_seconds: float, workers: int) -> dict[str, Any]:
    _setup()
    from newsloom import tasks
    from newsloom.sources.actions import create_feed, ensure_source

    for i, url in enumerate(feed_urls):
        create_feed(url, ensure_source(f"Publisher {i}"))
    tasks.enqueue_due_feeds()
    return {"pages": _pages_rate(page_seconds, workers)}


def child(phase: str, payload: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", phase], input=json.dumps(payload), capture_output=True,
                         text=True, env=env, check=False)
    if out.returncode != 0:
        sys.exit(f"{phase} phase failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _env(data_dir: str, workers: int, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_")}
    env.update(NEWSLOOM_DATA_DIR=data_dir, NEWSLOOM_FETCH_ALLOW_PRIVATE="true", NEWSLOOM_FETCH_PER_HOST_DELAY="0",
               NEWSLOOM_FETCH_PER_HOST_CONCURRENCY="4", NEWSLOOM_WORKERS=str(workers))
    if database_url:
        env["NEWSLOOM_DATABASE_URL"] = database_url
    return env


def _reset_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--page-seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--no-compare", action="store_true", help="skip the 50-publisher crawl for comparison")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (dropped and created again)")
    parser.add_argument("--child", choices=["big", "many"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        payload = json.loads(sys.stdin.read())
        if args.child == "big":
            print(json.dumps(big_feed(payload["url"], payload["seconds"], payload["workers"])))
        else:
            print(json.dumps(many_feeds(payload["urls"], payload["seconds"], payload["workers"])))
        return

    from newsloom.demo import bulk_miniweb

    database = "PostgreSQL" if args.database_url else "SQLite"
    build = time.perf_counter()
    with bulk_miniweb(articles=args.items, feeds=1) as web, tempfile.TemporaryDirectory() as data_dir:
        print(f"one publisher, one feed of {len(web.articles)} items (built in {time.perf_counter() - build:.1f} s); "
              f"{args.workers} worker threads; database {database}")
        if args.database_url:
            _reset_postgres(args.database_url)
        big = child("big", {"url": web.feeds[0].url, "seconds": args.page_seconds, "workers": args.workers},
                    _env(data_dir, args.workers, args.database_url))
    print(f"feed: {big['bytes'] / 1e6:.1f} MB, {big['entries']} entries")
    print(f"  fetch                    {big['fetch_s']:8.2f} s")
    print(f"  parse                    {big['parse_s']:8.2f} s   (CPU {big['parse_cpu']:.2f} s)")
    print(f"  store the entries        {big['store_s']:8.2f} s   (CPU {big['store_cpu']:.2f} s; {big['new']} new, "
          f"{big['skipped']} skipped; of which queueing their pages {big['queue_s']:.2f} s)")
    print(f"  parse + store            {big['parse_s'] + big['store_s']:8.2f} s   "
          f"(CPU {big['parse_cpu'] + big['store_cpu']:.2f} s)")
    print(f"  store them again         {big['again_s']:8.2f} s   ({big['again_new']} new)")
    print(f"  a whole poll again       {big['poll_s']:8.2f} s   ({big['poll_status']}, {big['poll_new']} new; "
          f"{big['stored']} articles stored in all)")
    pages = big["pages"]
    print(f"  pages fetched and read   {pages['per_second']:8.1f} /s  ({pages['pages']} in {pages['seconds']:.0f} s, "
          f"{pages['pending']} still pending)")
    if args.no_compare:
        return
    with bulk_miniweb(articles=args.items // 4, feeds=50) as web, tempfile.TemporaryDirectory() as data_dir:
        if args.database_url:
            _reset_postgres(args.database_url)
        many = child("many", {"urls": [f.url for f in web.feeds], "seconds": args.page_seconds,
                              "workers": args.workers}, _env(data_dir, args.workers, args.database_url))
    pages = many["pages"]
    print(f"  for comparison, 50 publishers: {pages['per_second']:.1f} pages/s ({pages['pages']} in "
          f"{pages['seconds']:.0f} s, polling included)")


if __name__ == "__main__":
    main()
