"""/healthz and /readyz on a real database and queue, and /readyz when either is out of reach."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from newsloom.observability import health
from newsloom.queue import make_huey

pytestmark = pytest.mark.django_db(transaction=True)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once this socket is closed


@contextmanager
def database_out_of_reach() -> Iterator[None]:
    """The default connection pointed at a database that cannot be opened: a SQLite file in a folder that does not
    exist, or a PostgreSQL port where nothing listens."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/newsloom/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_healthz_answers_without_touching_anything() -> None:
    with database_out_of_reach():
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_database_queue_and_migrations() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "queue": "ok", "migrations": "ok"}}


def test_readyz_is_503_with_a_reason_when_the_database_is_unreachable() -> None:
    with database_out_of_reach():
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["reason"].startswith("database: failed: OperationalError")
    assert body["checks"]["queue"] == "ok" and body["checks"]["migrations"] == "not checked: no database"
    assert Client().get("/readyz").status_code == 200  # and ready again once it is back


def test_readyz_is_503_when_the_queue_is_unreachable(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HUEY = make_huey(f"redis://127.0.0.1:{closed_port()}/11")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("queue: failed: ConnectionError")


def test_readyz_is_503_while_migrations_are_not_applied() -> None:
    from django.core.management import call_command

    health._migrated.clear()
    call_command("migrate", "community", "zero", verbosity=0)
    try:
        response = Client().get("/readyz")
        reason = response.json()["reason"]
        assert response.status_code == 503
        assert "community.0001_initial" in reason and "run newsloom migrate" in reason
    finally:
        call_command("migrate", verbosity=0)
    assert Client().get("/readyz").status_code == 200


def test_probes_by_address_over_plain_http_are_answered(settings) -> None:  # type: ignore[no-untyped-def]
    """A load balancer names the server by its address, not by a host in NEWSLOOM_ALLOWED_HOSTS: the operations
    endpoints still answer, while the site refuses that host as before."""
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.1.2.3:8000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200  # from loopback, the test client's address
    settings.SECURE_SSL_REDIRECT = False
    assert client.get("/en/").status_code == 400  # DisallowedHost: the site refuses that host as before
