"""The operations endpoints on a port of their own, for a process that serves no site: ``newsloom worker
--metrics-port``. A worker on another machine than ``serve`` writes its metrics into that machine's data dir; this is
where that machine's processes are scraped. One thread answers, one request at a time (scrapes and probes are few),
through Django's WSGI handler, so the same access rules (allowed networks, basic auth) apply; other paths are 404.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

OPERATIONS = {"/metrics", "/healthz", "/readyz"}


class _Handler(WSGIRequestHandler):
    timeout = 10  # a client that stalls does not hold the one thread for long

    def log_message(self, format: str, *args: Any) -> None:  # no access log, as with serve
        pass


def start(host: str, port: int) -> WSGIServer:
    """Listen on ``host:port`` in a daemon thread; ``shutdown()`` the returned server to stop."""
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def operations_only(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") not in OPERATIONS:
            start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"only /metrics, /healthz and /readyz here\n"]
        result: Iterable[bytes] = app(environ, start_response)
        return result

    server = make_server(host, port, operations_only, handler_class=_Handler)
    threading.Thread(target=server.serve_forever, name="newsloom-operations", daemon=True).start()
    return server
