"""Running huey's consumer inside a newsloom process: for `serve` on the embedded default, `worker` and `crawl --once`.

Huey's own consumer installs signal handlers and runs forever; here it runs as threads we start and stop, and it can
tell when all work is done (nothing queued, nothing running, nothing scheduled soon) so `crawl --once` can return.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connections
from huey import Huey
from huey.consumer import Consumer, Worker

from newsloom.observability import metrics

log = logging.getLogger(__name__)


class _Busy:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def __enter__(self) -> None:
        with self._lock:
            self.count += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.count -= 1


class _TrackedWorker(Worker):
    """huey's worker loop, counting itself busy while it runs a task.

    A task just dequeued and not yet counted is invisible for an instant; ``run_until_idle`` therefore wants several
    quiet readings in a row before it believes the queue is done.
    """

    busy: _Busy

    def loop(self, now: datetime | None = None) -> None:
        try:
            task = self.huey.dequeue()
        except Exception:
            self._logger.exception("Error reading from queue")
            self.sleep()
            return
        if task is None:
            if not self.huey.storage.blocking:
                self.sleep()
            return
        self.delay = self.default_delay
        with self.busy:
            try:
                self.huey.execute(task, now)
            except Exception:
                self._logger.exception("Unhandled error during execution of task %s.", task.id)

    def shutdown(self) -> None:
        """The thread is ending: close its database connections. Tasks only close theirs when they are too old
        (``CONN_MAX_AGE``), so a stopped consumer's threads otherwise left them open until garbage collection."""
        try:
            super().shutdown()
        finally:
            connections.close_all()


class InProcessConsumer(Consumer):
    """A huey consumer that lives inside another program: no signal handlers of its own, an idle check."""

    def __init__(self, huey: Huey, *, workers: int = 4, periodic: bool = True) -> None:
        self.busy = _Busy()
        super().__init__(
            huey, workers=workers, periodic=periodic, worker_type="thread", initial_delay=0.05, max_delay=0.5,
            check_worker_health=False,
        )

    def _create_worker(self) -> Worker:
        worker = _TrackedWorker(
            huey=self.huey, stop_flag=self.stop_flag, default_delay=self.default_delay, max_delay=self.max_delay,
            backoff=self.backoff,
        )
        worker.busy = self.busy
        return worker

    def _set_signal_handlers(self) -> None:  # the host program owns signals
        pass

    def start(self) -> None:
        super().start()
        self._counted = True
        metrics.consumer_started(self.workers)

    def stop(self, graceful: bool = False) -> None:
        try:
            super().stop(graceful=graceful)
        finally:
            if getattr(self, "_counted", False):
                self._counted = False
                metrics.consumer_stopped(self.workers)

    def idle(self, *, horizon: float = 15.0) -> bool:
        """Nothing running, nothing queued, nothing scheduled to run within ``horizon`` seconds."""
        if self.busy.count or self.huey.pending_count():
            return False
        soon = datetime.now(UTC).replace(tzinfo=None) + timedelta(seconds=horizon)
        return all(task.eta is None or task.eta > soon for task in self.huey.scheduled())


def run_until_idle(
    huey: Huey, *, workers: int = 4, tick: Callable[[], None] | None = None, horizon: float = 15.0,
    timeout: float | None = None,
) -> bool:
    """Consume the queue until all work is done; ``tick`` is called a few times a second (progress bars).

    Returns False if ``timeout`` seconds passed first. Work scheduled further ahead than ``horizon`` (a retry after a
    long Retry-After) stays in the queue for the next run or a worker.
    """
    consumer = InProcessConsumer(huey, workers=workers, periodic=False)
    consumer.start()
    started = time.monotonic()
    quiet = 0
    try:
        while True:
            time.sleep(0.3)
            if tick:
                tick()
            quiet = quiet + 1 if consumer.idle(horizon=horizon) else 0
            if quiet >= 3:
                return True
            if timeout is not None and time.monotonic() - started > timeout:
                return False
    finally:
        consumer.stop(graceful=True)
        if tick:
            tick()
