"""The installable web app's service worker, served from the site's root so that its scope is every page.

The script itself is a static file (``static/newsloom/sw.js``, no build step); the manifest and the icons are served
as static files too. Browsers check a service worker for updates on their own schedule, so it is served
``no-cache``: a deploy's new version is picked up at the next visit.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

SCRIPT = "newsloom/sw.js"


@lru_cache(maxsize=1)
def _script() -> bytes:
    path = finders.find(SCRIPT)
    if not path or isinstance(path, list):
        raise FileNotFoundError(SCRIPT)
    with open(path, "rb") as file:
        return file.read()


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response
