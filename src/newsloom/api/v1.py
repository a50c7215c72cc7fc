"""The JSON API v1: one NinjaAPI, mounted at ``/api/v1/`` by ``newsloom.urls``.

OpenAPI at ``/api/v1/openapi.json``, its docs page (Swagger UI) at ``/api/v1/docs`` with the assets django-ninja
ships, served from this site's static files (``ninja`` is an installed app), so the page works offline and asks no
CDN for anything.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from newsloom.api import articles, catalog, errors, me, stories
from newsloom.api.throttle import ClientRateThrottle

DESCRIPTION = """Stories (all coverage of one event, with a cited summary and a comparison of the sources), articles,
search, sources, hashtags and comments, read-only and anonymous; and under `/me/` the caller's own follows, saved
articles and read marks, signed in by the session or by a personal token (`Authorization: Bearer nlt_…`, made on
the account page or with `newsloom tokens create USER`).

* **Pagination**: lists answer `{"items": [...], "next_cursor": "..."}`; pass `?cursor=` back unchanged for the next
  page (`null` on the last). Cursors are opaque.
* **Caching**: every answer has an `ETag`; send it as `If-None-Match` and an unchanged answer is `304 Not Modified`.
  Responses are gzipped for clients that accept it.
* **Errors**: every 4xx and 5xx has the body `{"status", "code", "message", "details"}`.
* **Rate limit**: so many requests per client (a token, else the address) per period;
  past it, `429` with `Retry-After` (seconds).
"""

api = NinjaAPI(
    title="newsloom API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    throttle=[ClientRateThrottle()],
)
errors.install(api)
api.add_router("", stories.router)
api.add_router("", articles.router)
api.add_router("", catalog.router)
api.add_router("", me.router)
