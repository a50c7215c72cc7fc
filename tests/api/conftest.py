"""The API's tests run on the ingested demo (built once per session by the web tests' fixtures) and call the real
WSGI application in-process or through pytest-django's live server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.web.conftest import (  # noqa: F401
    _fresh_cache,
    browser,
    demo,
    demo_snapshot,
    live_demo,
    live_site,
    miniweb,
    page,
)


@pytest.fixture
def no_rate_limit(settings: Any) -> Iterator[None]:
    settings.CONFIG = dataclasses.replace(settings.CONFIG, api_rate_limit=None)
    yield


@pytest.fixture
def api(demo: None, no_rate_limit: None) -> Client:  # noqa: F811
    """A client for the API on the demo data, without the rate limit."""
    return Client()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.api.test_schema import REQUESTS

    if not REQUESTS:
        return
    by_status: dict[int, int] = {}
    for (_, status), n in REQUESTS.items():
        by_status[status] = by_status.get(status, 0) + n
    operations = len({operation for operation, _ in REQUESTS})
    terminalreporter.write_line(
        f"schemathesis: {sum(REQUESTS.values())} requests to {operations} operations; by status: "
        + ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items()))
    )
