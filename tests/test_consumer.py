"""The in-process consumer: its worker threads leave no database connection open behind them."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from newsloom.consumer import InProcessConsumer

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_thread_closes_its_connections_when_it_ends() -> None:
    consumer = InProcessConsumer(settings.HUEY, workers=1, periodic=False)
    worker = consumer._create_worker()
    seen: list[object] = []

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute("select 1")
        seen.append(connection.connection)  # this thread's open connection
        worker.shutdown()
        seen.append(connection.connection)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen[0] is not None and seen[1] is None
