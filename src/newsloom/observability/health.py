"""``/healthz`` (this process answers) and ``/readyz`` (it can do its work: database, queue, migrations).

A load balancer or orchestrator restarts a process whose ``/healthz`` fails and sends no traffic to one whose
``/readyz`` answers 503; the JSON body says which check failed and why. Both are cheap: ``/healthz`` touches nothing,
``/readyz`` one query, one queue read and (until they are found applied, then never again in this process) the
migration plan.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)
_migrated = threading.Event()


def check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_queue() -> str:
    settings.HUEY.pending_count()  # a read of the queue's storage (Redis or the SQLite file)
    return "ok"


def check_migrations() -> str:
    if _migrated.is_set():
        return "ok"
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied ({names}{', ...' if len(plan) > 5 else ''}): "
                           "run newsloom migrate")  # fmt: skip
    _migrated.set()
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "queue": check_queue,
    "migrations": check_migrations,
}


def _run(checks: dict[str, Callable[[], str]]) -> tuple[dict[str, str], str | None]:
    results: dict[str, str] = {}
    reason = None
    for name, check in checks.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "not checked: no database"
            continue
        try:
            results[name] = check()
        except Exception as exc:
            results[name] = f"failed: {type(exc).__name__}: {str(exc).strip()[:300]}"
            reason = reason or f"{name}: {results[name]}"
    return results, reason


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks, reason = _run(CHECKS)
    if reason is not None:
        log.warning("not ready: %s", reason)
        # a failed connection must not be reused by the next request of this thread
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
        return JsonResponse({"status": "unavailable", "reason": reason, "checks": checks}, status=503)
    return JsonResponse({"status": "ready", "checks": checks})
