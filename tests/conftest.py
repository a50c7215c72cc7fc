from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.httpserver import LocalServer

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BENCHMARKS = SHARED / "benchmarks"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1, stopped after the test."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture(scope="session")
def benchmarks_dir() -> Path:
    if not BENCHMARKS.is_dir():
        pytest.fail(f"benchmark data not found at {BENCHMARKS}: clone the repo beside ../shared")
    return BENCHMARKS


@pytest.fixture
def pipeline(settings):  # type: ignore[no-untyped-def]
    """Settings for crawling test servers on loopback without courtesy delays; a fresh queue and fresh tools."""
    import dataclasses

    from newsloom import runtime

    settings.CONFIG = dataclasses.replace(
        settings.CONFIG, fetch_allow_private=True, per_host_delay=0.0, per_host_concurrency=4, fetch_timeout=5.0
    )
    runtime.reset()
    settings.HUEY.flush()
    yield settings.CONFIG
    settings.HUEY.flush()
    runtime.reset()


# One browser for the whole run: Playwright's sync API refuses a second instance while one is running, so a fixture
# that conftests of several folders import would start two.
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
