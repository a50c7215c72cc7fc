"""The Google Reader and Fever APIs with many unread items: what a reader app's sync costs.

    .venv/bin/python bench/greader.py [--articles 12000] [--database-url URL] [--repeat 5]

A fresh data dir (SQLite, or the PostgreSQL database given), ``--articles`` readable articles in 10 sources, all
followed by one reader, none read. Times, in-process through Django's test client (no network), the median of
``--repeat`` runs of: ClientLogin; ``unread-count``; ``stream/items/ids`` of the unread reading list at n=1000 (the
first page, as NetNewsWire asks) and all pages; ``stream/items/contents`` of 100 long ids; ``stream/contents`` n=50
deep in the list (a continuation); ``edit-tag`` of 100 ids; Fever ``unread_item_ids`` and an ``items`` page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(label: str, call: Callable[[], object], repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append(time.perf_counter() - start)
    print(f"{label:58s} {statistics.median(runs) * 1000:9.1f} ms  (min {min(runs) * 1000:.1f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ["NEWSLOOM_DATA_DIR"] = tempfile.mkdtemp(prefix="newsloom-bench-greader-")
    if args.database_url:
        os.environ["NEWSLOOM_DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsloom.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    import dataclasses
    import hashlib
    from datetime import timedelta

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from newsloom.accounts import actions
    from newsloom.accounts.models import ItemNumber
    from newsloom.articles.models import Article
    from newsloom.sources.actions import ensure_source

    settings.ALLOWED_HOSTS = ["*"]
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=None)
    call_command("migrate", interactive=False, verbosity=0)
    user = actions.create_account("bench", password="a-long-pass-phrase")
    sources = [ensure_source(f"Bench Source {i}", homepage=f"https://s{i}.example/") for i in range(10)]
    start = timezone.now() - timedelta(days=30)
    batch = [
        Article(
            id=hashlib.md5(str(n).encode()).hexdigest(),
            url=f"https://s{n % 10}.example/{n}",
            canonical_url=f"https://s{n % 10}.example/{n}",
            source=sources[n % 10],
            title=f"Article {n}",
            html="<p>" + "Some text. " * 40 + "</p>",
            status="ok",
            published_at=start + timedelta(minutes=n),
            created_at=start + timedelta(minutes=n),
        )
        for n in range(args.articles)
    ]
    Article.objects.bulk_create(batch, batch_size=1000)
    for source in sources:
        actions.follow(user, "source", source.slug)
    _, app = actions.create_access_key(user, "app_password")
    client = Client()
    base, api = "/api/greader", "/api/greader/reader/api/0"
    login = client.post(f"{base}/accounts/ClientLogin", {"Email": "bench", "Passwd": app}).content.decode()
    auth = {"HTTP_AUTHORIZATION": "GoogleLogin auth=" + login.split("Auth=")[1].strip()}
    started = time.perf_counter()
    actions.number_new_articles()
    print(f"{args.articles} unread articles; numbering them took {(time.perf_counter() - started) * 1000:.0f} ms once")
    unread = f"{api}/stream/items/ids?output=json&n=1000&s=user/-/state/com.google/reading-list"
    unread += "&xt=user/-/state/com.google/read"

    def all_pages() -> None:
        page = client.get(unread, **auth).json()
        while "continuation" in page:
            page = client.get(unread + "&c=" + page["continuation"], **auth).json()

    numbers = list(ItemNumber.objects.order_by("-number").values_list("number", flat=True)[:100])
    long_ids = "&".join(f"i=tag:google.com,2005:reader/item/{n:016x}" for n in numbers)
    deep = numbers[-1] - args.articles // 2
    fever_key = hashlib.md5(f"bench:{app}".encode()).hexdigest()
    form = "application/x-www-form-urlencoded"
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}; median of {args.repeat} runs")
    timed(
        "ClientLogin (an app password)",
        lambda: client.post(f"{base}/accounts/ClientLogin", {"Email": "bench", "Passwd": app}),
        args.repeat,
    )
    timed("unread-count", lambda: client.get(f"{api}/unread-count?output=json", **auth), args.repeat)
    timed("stream/items/ids, unread, n=1000, first page", lambda: client.get(unread, **auth), args.repeat)
    timed(f"stream/items/ids, unread, every page ({args.articles // 1000 + 1})", all_pages, args.repeat)
    timed(
        "stream/items/contents, 100 long ids (POST)",
        lambda: client.post(f"{api}/stream/items/contents", long_ids, content_type=form, **auth),
        args.repeat,
    )
    timed(
        "stream/contents, n=50, halfway down (c=)",
        lambda: client.get(f"{api}/stream/contents?n=50&c={deep}", **auth),
        args.repeat,
    )
    timed(
        "edit-tag, 100 ids read",
        lambda: client.post(f"{api}/edit-tag", long_ids + "&a=user/-/state/com.google/read", content_type=form, **auth),
        args.repeat,
    )
    timed(
        "Fever unread_item_ids",
        lambda: client.post("/api/fever/?api&unread_item_ids", {"api_key": fever_key}),
        args.repeat,
    )
    timed(
        "Fever items, since_id halfway",
        lambda: client.post(f"/api/fever/?api&items&since_id={deep}", {"api_key": fever_key}),
        args.repeat,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
