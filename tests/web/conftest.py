"""The reader pages' fixtures; the session-wide ones (browser, miniweb, demo_snapshot) are in tests/support/demo.py,
shared through tests/conftest.py so that the API's tests use the same browser and the same ingested demo."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from tests.support.demo import CHROMIUM_ARGS, load_snapshot

__all__ = ["CHROMIUM_ARGS", "load_snapshot"]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(autouse=True)
def _fresh_cache(request: Any, django_db_blocker: Any) -> Iterator[None]:
    """Stored pages and remembered related articles must not leak between tests' data, nor rate-limit counts (the
    shared cache is a database table: cleared only where the test may use the database, which this fixture may run
    before the test's own database fixture has opened it)."""
    uses_db = bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
        or request.node.get_closest_marker("django_db")
    )

    def clear() -> None:
        caches["pages"].clear()
        if uses_db:
            with django_db_blocker.unblock():
                caches["default"].clear()

    clear()
    yield
    clear()


@pytest.fixture
def demo(demo_snapshot: str, db: None) -> None:
    """The ingested demo in this test's database (rolled back afterwards)."""
    load_snapshot(demo_snapshot)


@pytest.fixture
def live_site(live_server: Any, settings: Any) -> Any:
    """pytest-django's live server, named as the site's public URL (``NEWSLOOM_PUBLIC_URL``) for the test."""
    settings.CONFIG = dataclasses.replace(settings.CONFIG, public_url=live_server.url)
    return live_server


@pytest.fixture
def live_demo(demo_snapshot: str, transactional_db: None, live_site: Any) -> Any:
    """The ingested demo behind pytest-django's live server (committed, flushed afterwards)."""
    load_snapshot(demo_snapshot)
    return live_site
