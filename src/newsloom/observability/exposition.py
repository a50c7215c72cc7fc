"""``/metrics``: every process's metrics, summed, in Prometheus' text format, plus the queue read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from newsloom.observability import access, multiproc


class QueueCollector(Collector):
    """The queue as it is now: tasks waiting, tasks scheduled for later, and whether it answered at all."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        huey = settings.HUEY
        up = GaugeMetricFamily("newsloom_queue_up", "1 if the task queue answered this scrape, else 0.")
        try:
            pending, scheduled = huey.pending_count(), huey.scheduled_count()
        except Exception:  # the queue is down: say so rather than fail the scrape
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("newsloom_queue_depth", "Tasks waiting in the queue.", value=pending)
        yield GaugeMetricFamily("newsloom_queue_scheduled", "Tasks scheduled to run later (retries, debounces).",
                                value=scheduled)  # fmt: skip


def registry() -> CollectorRegistry:
    """Across processes when the shared folder is set (``multiproc``), else this process's own metrics."""
    path = multiproc.folder()
    if path is None:
        scrape = CollectorRegistry(auto_describe=True)
        scrape.register(_Forward())
    else:
        multiproc.forget_dead()
        scrape = CollectorRegistry()
        MultiProcessCollector(scrape, path=str(path))
    scrape.register(QueueCollector())
    return scrape


class _Forward(Collector):
    """This process's default registry, inside a scrape registry of its own (so the queue collector is per scrape)."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def _refused(status: int) -> HttpResponse:
    response = HttpResponse(
        "metrics: log in\n" if status == 401 else "metrics: not from this network\n", status=status,
        content_type="text/plain; charset=utf-8",
    )  # fmt: skip
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="newsloom metrics", charset="UTF-8"'
    return response


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    status = access.decide(request, settings.CONFIG)
    if status != 200:
        return _refused(status)
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
