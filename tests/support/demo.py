"""The session-wide fixtures that every suite of the site shares, one of each per test run (pytest finds them
through tests/conftest.py): Debian's chromium under Playwright, the demo's mini-web, and the demo ingested once."""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Iterator
from itertools import chain
from typing import Any

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium package")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in the same tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


# ------------------------------------------------------------------------------------------- the demo, ingested once


def _demo_models() -> list[Any]:
    from django.contrib.auth import get_user_model

    from newsloom.articles.models import Article, ArticleURL, WireGroup
    from newsloom.community.models import Comment, Report
    from newsloom.sources.models import Feed, Source
    from newsloom.stories.models import ClusterState, Story

    return [Source, Feed, WireGroup, Story, Article, ArticleURL, ClusterState, get_user_model(), Comment, Report]


@pytest.fixture(scope="session")
def miniweb() -> Iterator[Any]:
    """The demo's offline mini-web, kept up for the session so lead images load in the browser tests."""
    from newsloom.demo import start_miniweb

    with start_miniweb(host="127.0.0.1", base_port=0) as web:
        yield web


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup: Any, django_db_blocker: Any, miniweb: Any) -> str:
    """The whole demo pipeline run in-process once (fetch, extract, wire copies, stories, enrichment), its rows
    serialized; each test loads them into its own clean database with ``demo``."""
    from django.conf import settings

    from newsloom import runtime
    from newsloom.commands.crawl import crawl_once
    from newsloom.commands.demo import seed_comments, subscribe

    original = settings.CONFIG
    with django_db_blocker.unblock():
        settings.CONFIG = dataclasses.replace(
            original, fetch_allow_private=True, per_host_delay=0.0, per_host_concurrency=4, fetch_timeout=10.0
        )
        runtime.reset()
        settings.HUEY.flush()
        try:
            subscribe(miniweb)
            summary = crawl_once(every_feed=True, progress=False, timeout=300)
            assert summary.finished and summary.stories >= 10, summary.describe()
            assert seed_comments() > 0
            rows = chain.from_iterable(model.objects.order_by("pk") for model in _demo_models())
            data = serializers.serialize("json", rows)
        finally:
            call_command("flush", interactive=False, verbosity=0)
            settings.CONFIG = original
            settings.HUEY.flush()
            runtime.reset()
    return data


def load_snapshot(data: str) -> None:
    """The rows, with their own primary keys; then the tables' id sequences moved past them (as ``loaddata`` does),
    so that a test may add rows of its own on PostgreSQL too."""
    models = set()
    for item in serializers.deserialize("json", data):
        item.save()
        models.add(type(item.object))
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)
