"""End-to-end ingest throughput against bare trafilatura, side by side in one run.

    .venv/bin/python bench/ingest.py [--articles 1000] [--feeds 50] [--workers 8] [--database-url URL]

Starts a synthetic loopback web (newsloom.demo.bulk_miniweb), then in child processes, one after the other:
  * bare:     every page fetched once into memory, then `trafilatura.extract(html, with_metadata=True)` on each, timed
              over the extraction alone (the ceiling: no fetching, no storage, one core);
  * pipeline: a fresh data dir, every feed subscribed, `crawl --once` timed end to end: feed polling, robots.txt,
              page fetches, extraction, language detection, sanitizing, hashtags, storage, the queue, then
              wire copies, stories and their enrichment.
Politeness is set so the benchmark measures the pipeline, not courtesy delays: NEWSLOOM_FETCH_PER_HOST_DELAY=0 and
NEWSLOOM_FETCH_PER_HOST_CONCURRENCY=4. A third child only fetches every page with the same number of threads: the
loopback web's own ceiling on this machine (its server shares the cores). Prints articles/second for each, the
ratio, peak memory (a process plus its largest child) and CPU seconds (a process and all its descendants): on a
shared, noisy machine CPU time per article is the steadier comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and every process under it, alive or reaped: the extraction
    processes are forked by multiprocessing's forkserver, so RUSAGE_CHILDREN alone would miss them."""
    times = os.times()
    total = times.user + times.system + times.children_user + times.children_system
    tick = os.sysconf("SC_CLK_TCK")
    for pid in _descendants(os.getpid()):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return total


def _peak_mb() -> float:
    """This process's peak resident memory plus that of its largest child (the extraction processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024


def fetch_only(urls: list[str], workers: int) -> dict[str, float]:
    """The loopback web's own ceiling: every page fetched by ``workers`` threads, nothing else done."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    started, cpu = time.perf_counter(), _cpu_seconds()
    with httpx.Client(limits=httpx.Limits(max_connections=200)) as client, ThreadPoolExecutor(workers) as pool:
        fetched = sum(1 for size in pool.map(lambda u: len(client.get(u).content), urls) if size)
    seconds = time.perf_counter() - started
    return {"articles": fetched, "seconds": seconds, "per_second": fetched / seconds, "peak_mb": _peak_mb(),
            "cpu": _cpu_seconds() - cpu}


def bare(urls: list[str]) -> dict[str, float]:
    import trafilatura

    pages = []
    for url in urls:
        with urllib.request.urlopen(url, timeout=30) as response:
            pages.append(response.read())
    started, cpu = time.perf_counter(), _cpu_seconds()
    extracted = sum(1 for html in pages if trafilatura.extract(html, url=None, with_metadata=True))
    seconds = time.perf_counter() - started
    return {"articles": extracted, "seconds": seconds, "per_second": len(pages) / seconds, "peak_mb": _peak_mb(),
            "cpu": _cpu_seconds() - cpu}


def pipeline(feeds: list[str], workers: int, expected: int) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsloom.settings")
    django.setup()
    from django.core.management import call_command

    from newsloom.articles.models import Article
    from newsloom.commands.crawl import crawl_once
    from newsloom.sources.actions import create_feed, ensure_source

    call_command("migrate", verbosity=0)
    for i, url in enumerate(feeds):
        create_feed(url, ensure_source(f"Bench publisher {i}"))
    stored: list[float] = []
    done = threading.Event()

    def watch() -> None:  # when the last article is stored (before the story tail: clustering, enrichment)
        from django.db import connection

        try:
            while not done.wait(0.25):
                if Article.objects.exclude(status=Article.Status.PENDING).count() >= expected:
                    stored.append(time.perf_counter() - started)
                    return
        finally:
            connection.close()

    started, cpu = time.perf_counter(), _cpu_seconds()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    summary = crawl_once(workers=workers, progress=False)
    seconds = time.perf_counter() - started
    cpu = _cpu_seconds() - cpu
    done.set()
    watcher.join()
    ok = Article.objects.filter(status=Article.Status.OK).count()
    ingest = stored[0] if stored else seconds
    return {"articles": ok, "total": Article.objects.count(), "seconds": seconds, "per_second": ok / seconds,
            "ingest_seconds": ingest, "ingest_per_second": ok / ingest, "peak_mb": _peak_mb(),
            "finished": summary.finished, "cpu": cpu}


def child(phase: str, payload: dict[str, object], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", phase], input=json.dumps(payload), capture_output=True, text=True,
        env=env, check=False,
    )
    if out.returncode != 0:
        sys.exit(f"{phase} phase failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--database-url", help="e.g. postgres://postgres@127.0.0.1:5432/newsloom_bench")
    parser.add_argument("--child", choices=["bare", "fetch", "pipeline"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        payload = json.loads(sys.stdin.read())
        if args.child == "bare":
            result = bare(payload["urls"])
        elif args.child == "fetch":
            result = fetch_only(payload["urls"], payload["workers"])
        else:
            result = pipeline(payload["feeds"], payload["workers"], payload["expected"])
        print(json.dumps(result))
        return

    from newsloom.demo import bulk_miniweb

    with tempfile.TemporaryDirectory(prefix="newsloom-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_")}
        env.update(
            NEWSLOOM_DATA_DIR=data_dir,
            NEWSLOOM_FETCH_ALLOW_PRIVATE="true",
            NEWSLOOM_FETCH_PER_HOST_DELAY="0",
            NEWSLOOM_FETCH_PER_HOST_CONCURRENCY="4",
            NEWSLOOM_WORKERS=str(args.workers),
        )
        if args.database_url:
            env["NEWSLOOM_DATABASE_URL"] = args.database_url
        build = time.perf_counter()
        with bulk_miniweb(articles=args.articles, feeds=args.feeds) as web:
            print(f"web: {len(web.articles)} article pages in {len(web.feeds)} feeds "
                  f"(built in {time.perf_counter() - build:.1f} s); {args.workers} worker threads; "
                  f"database {'PostgreSQL' if args.database_url else 'SQLite'}")
            urls = [a.url for a in web.articles]
            b = child("bare", {"urls": urls}, env)
            f = child("fetch", {"urls": urls, "workers": args.workers}, env)
            p = child("pipeline", {"feeds": [f.url for f in web.feeds], "workers": args.workers,
                                   "expected": len(web.articles)}, env)
    print(f"{'':28}{'articles':>10}{'seconds':>10}{'articles/s':>12}{'peak MB':>10}{'CPU s':>8}{'CPU ms/art':>12}")
    for label, r in (("bare trafilatura.extract", b), ("fetch only (the web ceiling)", f),
                     ("newsloom crawl --once", p)):
        print(f"{label:28}{r['articles']:>10.0f}{r['seconds']:>10.2f}{r['per_second']:>12.1f}{r['peak_mb']:>10.0f}"
              f"{r['cpu']:>8.1f}{1000 * r['cpu'] / max(r['articles'], 1):>12.1f}")
    print(f"{'  of which: articles stored':28}{p['articles']:>10.0f}{p['ingest_seconds']:>10.2f}"
          f"{p['ingest_per_second']:>12.1f}   (fetch, extract, tag, store; stories and enrichment follow)")
    per_article = p["cpu"] / max(p["articles"], 1) / (b["cpu"] / max(b["articles"], 1))
    print(f"CPU per article, pipeline / bare extraction: {per_article:.2f}"
          " (the loopback web's own serving is not counted; machines are noisy, CPU time much less so)")
    ingest = p["ingest_per_second"] / b["per_second"]
    print(f"ingest / bare extraction throughput: {ingest:.2f} (overhead {100 * (1 / ingest - 1):+.0f} %)")
    ratio = p["per_second"] / b["per_second"]
    print(f"pipeline / bare extraction throughput: {ratio:.2f} (overhead {100 * (1 / ratio - 1):+.0f} %)")
    floor = b["seconds"] + f["seconds"]
    print(f"pipeline time / (fetch only + bare extraction): {p['seconds'] / floor:.2f} "
          f"(overhead {100 * (p['seconds'] / floor - 1):+.0f} % over doing the two alone, one after the other)")
    if p["articles"] < len(web.articles) or not p["finished"]:
        print(f"WARNING: pipeline stored {p['articles']} of {len(web.articles)} articles with full text")


if __name__ == "__main__":
    main()
