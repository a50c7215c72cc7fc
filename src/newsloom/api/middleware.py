"""Under ``/api/``: the stored answer first (``fastpath``), gzip, and the one error body for whatever Django answered
outside the API's own handlers.

An unknown URL's 404 (Django's HTML page), the 405 django-ninja answers for a method an operation does not take, and
a 500 raised outside an operation all reach the client as ``{"status", "code", "message", "details"}``, with their
``Allow`` and ``Retry-After`` headers kept. The Google Reader and Fever APIs keep their own dialects' errors; they
and ``/api/v1/me/`` answer ``Cache-Control: private, no-store``. Everything else passes untouched; other paths are
not looked at (the reader pages keep their own validators, which gzip would have weakened).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

from newsloom.api import fastpath
from newsloom.api.errors import error_response

PREFIX = "/api/"
#: the reader-app protocols answer their errors in their own dialects (a 401 that says "bad token" in a header)
OWN_ERRORS = ("/api/greader/", "/api/fever/")
#: a caller's own state: never kept by a cache between them and us
PRIVATE = ("/api/v1/me/", "/api/greader/", "/api/fever/")
KEPT_HEADERS = ("Allow", "Retry-After")


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        stored = fastpath.answer(request)
        if stored is not None:
            return stored
        response = self.get_response(request)
        fastpath.remember(request, response)
        if (
            response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
            and not request.path_info.startswith(OWN_ERRORS)
        ):
            reshaped = error_response(response.status_code)
            for name in KEPT_HEADERS:
                if name in response:
                    reshaped[name] = response[name]
            response = reshaped
        if request.path_info.startswith(PRIVATE):
            response["Cache-Control"] = "private, no-store"
        return self.gzip.process_response(request, response)
