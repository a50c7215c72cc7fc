"""What an operator watches: Prometheus metrics aggregated across processes, health and readiness, JSON logs.

- ``multiproc``: the shared metrics folder of prometheus-client's multiprocess mode (``PROMETHEUS_MULTIPROC_DIR``,
  ``metrics/`` in the data dir), set up by each serving or working process before prometheus-client is imported,
  and the bookkeeping for processes that died;
- ``metrics``: the metrics themselves and the calls that record them (tasks, the consumer and the commands call these
  where the events happen);
- ``exposition`` and ``access``: ``/metrics``, readable from allowed networks or with basic auth only;
- ``health``: ``/healthz`` and ``/readyz``; ``middleware``: page latency; ``logging``: the JSON line formatter.

Nothing in ``core`` or the apps imports this package (import-linter keeps it so).
"""
