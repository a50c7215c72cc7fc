"""`newsloom serve` (gunicorn, threaded; on the embedded default also the queue consumer) and `newsloom worker`.

The site is served by one gunicorn worker process per CPU by default: a page answered from the cache is mostly Python
time, and one process holds one core at most (the GIL). With more than one, each worker listens on its own
``SO_REUSEPORT`` socket, so the kernel spreads connections evenly; on one shared socket the first worker to wake
takes them, and a few long keep-alive clients can all end up queued behind one GIL while another core idles. With the
embedded SQLite queue every worker serves, and exactly one of them also runs the queue consumer and the periodic
schedule (``ConsumerSlot``).
"""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections
from gunicorn.app.base import BaseApplication

from newsloom import tasks
from newsloom.consumer import InProcessConsumer
from newsloom.observability import metrics, multiproc
from newsloom.observability import server as operations_server

# Threads per worker process. More let requests that wait on I/O (PostgreSQL, an LLM endpoint answering questions)
# overlap; but a cached page is Python time under the process's one GIL, and there more threads only take the GIL from
# each other mid-request instead of finishing in turn. bench/pages.py, 2 cores, 2 processes, 32 clients, article page:
# p99 ~45-60 ms with 2 or 4 threads, ~70-85 ms with 8, and 16 served fewer requests per second.
THREADS = 4
SLOT_RETRY = 2.0  # seconds between a serving-only worker's attempts to take over the queue consumer


def embedded_queue() -> bool:
    """The SQLite queue lives beside one machine's data: run its consumer inside the server."""
    return str(settings.CONFIG.queue_url).startswith("sqlite:")


def default_processes() -> int:
    """One web process per CPU this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity (macOS)
        return max(1, os.cpu_count() or 1)


def address_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``. Asked before serving: ``SO_REUSEPORT`` sockets would
    otherwise join another server's on the same port (an old newsloom still running) and split the traffic with it."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no conflict
        try:
            probe.bind(address)
        except OSError:
            return True
    return False


def consumer_lock_path() -> Path:
    """The lock whose holder runs the embedded queue's consumer: beside the queue file."""
    return Path(f"{settings.HUEY.storage.filename}.consumer.lock")


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


class ConsumerSlot:
    """Exactly one holder at a time, across processes: an exclusive ``flock`` on ``path``.

    Each gunicorn worker makes one at start (``post_worker_init`` runs in every worker). The worker that takes the
    lock runs the queue consumer until it exits; the others serve pages only and try again every ``retry`` seconds,
    so when the consumer's worker goes (a restart, a crash, a kill) another takes over: the kernel drops a dead
    process's lock. The lock file is opened after gunicorn's fork and is not inherited across exec, so no other
    process shares it.
    """

    def __init__(self, path: Path, *, retry: float = SLOT_RETRY) -> None:
        self.path = path
        self.retry = retry
        self.consumer: InProcessConsumer | None = None
        self._fd: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _try_acquire(self) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def _start_consumer(self) -> None:
        connections.close_all()  # this thread's: never reuse one opened before the fork
        consumer = InProcessConsumer(settings.HUEY, workers=settings.CONFIG.workers, periodic=True)
        tasks.enqueue_pending_articles()
        tasks.enqueue_due_feeds()  # as `newsloom worker` does, rather than at the schedule's next minute
        consumer.start()
        self.consumer = consumer
        print(f"newsloom: queue consumer running in web process {os.getpid()}", file=sys.stderr, flush=True)

    def _wait_for_turn(self) -> None:
        while not self._stop.wait(self.retry):
            if self._try_acquire():
                if not self._stop.is_set():
                    self._start_consumer()
                    connections.close_all()  # the ones this short-lived thread opened
                return

    def start(self) -> None:
        """Take the slot now if it is free, else keep trying in the background."""
        if self._try_acquire():
            self._start_consumer()
            return
        self._thread = threading.Thread(target=self._wait_for_turn, name="newsloom-consumer-slot", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.retry + 5)
        if self.consumer is not None:
            self.consumer.stop(graceful=True)
            self.consumer = None
        if self._fd is not None:
            os.close(self._fd)  # releases the lock
            self._fd = None


def _serving(worker: Any) -> None:
    metrics.process_started("web")


def _post_worker_init(worker: Any) -> None:
    _serving(worker)
    slot = ConsumerSlot(consumer_lock_path())
    worker.newsloom_slot = slot
    slot.start()


def _worker_exit(_arbiter: Any, worker: Any) -> None:
    slot = getattr(worker, "newsloom_slot", None)
    if slot is not None:
        slot.stop()


def gunicorn_options(host: str, port: int, processes: int, consume: bool, threads: int = THREADS) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": max(1, processes),
        "worker_class": "gthread",
        "threads": max(1, threads),
        "keepalive": 5,
        "timeout": 60,
        "graceful_timeout": 10,
        "reuse_port": processes > 1 and port != 0 and hasattr(socket, "SO_REUSEPORT"),
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "post_worker_init": _serving,
        "child_exit": multiproc.child_exit,  # the metrics' bookkeeping for a worker process that ended
    }
    if settings.CONFIG.log_format == "json":
        options["logconfig_dict"] = gunicorn_json_logging()
    if consume:
        options["post_worker_init"] = _post_worker_init
        options["worker_exit"] = _worker_exit
    return options


def gunicorn_json_logging() -> dict[str, Any]:
    """gunicorn's own logs (worker boots, timeouts) as JSON lines too, with NEWSLOOM_LOG_FORMAT=json. gunicorn lays
    this over its defaults key by key, so both of its handlers are named; the root logger gets none, or newsloom's
    records (already written by Django's logging set-up) would be written twice."""
    json_handler = {"class": "logging.StreamHandler", "formatter": "json"}
    return {
        "root": {"level": "WARNING", "handlers": []},
        "formatters": {"json": {"()": "newsloom.observability.logging.JsonFormatter"}},
        "handlers": {
            "console": {**json_handler, "stream": "ext://sys.stdout"},
            "error_console": {**json_handler, "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "gunicorn.error": {
                "level": "WARNING",
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            # no access log, as in text mode (``accesslog`` None): a line per request costs more than a cached page
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False, "qualname": "gunicorn.access"},
        },
    }


def run(*, host: str, port: int, processes: int | None = None, threads: int | None = None, consume: bool = True) -> int:
    """Serve on ``host:port`` with ``processes`` workers (default: one per CPU); with the embedded queue and
    ``consume``, one of them also runs the queue consumer."""
    consume = consume and embedded_queue()
    processes = default_processes() if processes is None else max(1, processes)
    threads = THREADS if threads is None else max(1, threads)
    if address_in_use(host, port):
        print(f"newsloom: {host}:{port} is already in use (choose another with --port)", file=sys.stderr)
        return 1
    app = get_wsgi_application()
    connections.close_all()  # never carry a database connection across gunicorn's fork
    print(f"newsloom: serving on http://{host}:{port}/ with {processes} "
          f"process{'es' if processes > 1 else ''} of {threads} threads", file=sys.stderr, flush=True)
    _Gunicorn(app, gunicorn_options(host, port, processes, consume, threads)).run()
    return 0


def run_worker(*, workers: int | None, periodic: bool, metrics_port: int | None = None,
               metrics_host: str = "127.0.0.1") -> int:
    metrics.process_started("worker")
    operations = None
    if metrics_port is not None:
        if address_in_use(metrics_host, metrics_port):
            print(f"newsloom worker: {metrics_host}:{metrics_port} is already in use", file=sys.stderr)
            return 1
        operations = operations_server.start(metrics_host, metrics_port)
        connections.close_all()  # this thread's: the server's thread has its own
        print(f"newsloom worker: /metrics, /healthz and /readyz on http://{metrics_host}:{metrics_port}/",
              file=sys.stderr, flush=True)  # fmt: skip
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
    if operations is not None:
        operations.shutdown()
    return 0
