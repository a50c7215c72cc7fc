"""`newsloom serve` (gunicorn, threaded; on the embedded default also the queue consumer) and `newsloom worker`."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication

from newsloom import tasks
from newsloom.consumer import InProcessConsumer


def embedded_queue() -> bool:
    """The SQLite queue lives beside one machine's data: run its consumer inside the server process."""
    return str(settings.CONFIG.queue_url).startswith("sqlite:")


class _Gunicorn(BaseApplication):
    def __init__(self, app: WSGIHandler, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        return self.application


def _start_consumer(worker: Any) -> None:
    connections.close_all()
    consumer = InProcessConsumer(settings.HUEY, workers=settings.CONFIG.workers, periodic=True)
    tasks.enqueue_pending_articles()
    consumer.start()
    worker.newsloom_consumer = consumer


def _stop_consumer(worker: Any) -> None:
    consumer = getattr(worker, "newsloom_consumer", None)
    if consumer is not None:
        consumer.stop(graceful=True)


def gunicorn_options(host: str, port: int, processes: int, consume: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": max(1, processes),
        "worker_class": "gthread",
        "threads": 16,
        "keepalive": 5,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    if consume:
        options["post_worker_init"] = _start_consumer
        options["worker_exit"] = lambda _arbiter, worker: _stop_consumer(worker)
    return options


def run(*, host: str, port: int, processes: int = 1, consume: bool = True) -> int:
    consume = consume and embedded_queue()
    if consume and processes > 1:
        print("newsloom: the embedded queue runs in one process; serving with --processes 1", file=sys.stderr)
        processes = 1
    app = get_wsgi_application()
    connections.close_all()  # never carry a database connection across gunicorn's fork
    print(f"newsloom: serving on http://{host}:{port}/", file=sys.stderr, flush=True)
    _Gunicorn(app, gunicorn_options(host, port, processes, consume)).run()
    return 0


def run_worker(*, workers: int | None, periodic: bool) -> int:
    consumer = InProcessConsumer(settings.HUEY, workers=workers or settings.CONFIG.workers, periodic=periodic)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    tasks.enqueue_pending_articles()
    if periodic:
        tasks.enqueue_due_feeds()
    consumer.start()
    print(f"newsloom worker: {consumer.workers} threads, scheduler {'on' if periodic else 'off'}", file=sys.stderr)
    stop.wait()
    consumer.stop(graceful=True)
    return 0
