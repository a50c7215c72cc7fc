from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from newsloom.accounts.actions import create_account

PASSWORD = "harbour-wall-1987"


@pytest.fixture(autouse=True)
def _fresh_limits(db: None) -> Iterator[None]:
    caches["default"].clear()  # allauth's and our counters live in the shared cache
    yield
    caches["default"].clear()


@pytest.fixture
def limits(settings: Any) -> Any:
    """Change one limit: ``limits(signups_per_ip_day=1)``."""

    def change(**values: Any) -> None:
        settings.COMMUNITY = dataclasses.replace(settings.COMMUNITY, **values)

    return change


@pytest.fixture
def alice(db: None) -> Any:
    return create_account("alice", password=PASSWORD, email="alice@example.org", display_name="Alice A.")
