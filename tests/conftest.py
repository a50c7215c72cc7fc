from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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


# one browser, one mini-web and one ingested demo per run, for the reader pages' and the API's tests alike
from tests.support.demo import browser, demo_snapshot, miniweb  # noqa: E402, F401
