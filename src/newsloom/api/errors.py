"""The one error body of the API (``schemas.Error``) and the handlers that give every error that body.

``{"status": 404, "code": "not_found", "message": "No such story.", "details": []}``: ``code`` is stable and
machine-readable, ``message`` is for people, ``details`` lists the fields of a 422. The NinjaAPI's exception
handlers (``install``) cover what its operations raise; ``middleware.ApiMiddleware`` reshapes what Django answers
before or around them (an unknown URL's 404, a 405, a 500).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    404: "Nothing is here.",
    405: "This method is not allowed here.",
    429: "Too many requests: slow down.",
    500: "Something went wrong on our side.",
}
RETRY_AFTER_ATTR = "_newsloom_retry_after"


class ApiError(HttpError):
    """An error an operation raises on purpose, with its code and field details."""

    def __init__(
        self, status: int, message: str, code: str | None = None, details: Sequence[dict[str, Any]] = ()
    ) -> None:
        super().__init__(status, message)
        self.code = code or CODES.get(status, "error")
        self.details = list(details)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)


def invalid(loc: list[str | int], message: str, kind: str) -> ApiError:
    return ApiError(422, "The request is not valid.", details=[{"loc": loc, "message": message, "type": kind}])


def body(
    status: int, message: str | None = None, code: str | None = None, details: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    return {
        "status": status,
        "code": code or CODES.get(status, "client_error" if status < 500 else "server_error"),
        "message": message or MESSAGES.get(status, "The request failed."),
        "details": list(details),
    }


def error_response(
    status: int, message: str | None = None, code: str | None = None, details: Sequence[dict[str, Any]] = ()
) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body(status, message, code, details)), status=status, content_type="application/json"
    )
    response["Cache-Control"] = "no-store" if status in (429, 500) else "public, max-age=60"
    return response


def _validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for item in errors:
        if not isinstance(item, dict):
            continue
        loc = [part if isinstance(part, int) else str(part) for part in item.get("loc") or ()]
        out.append({"loc": loc, "message": str(item.get("msg") or "not valid"), "type": str(item.get("type") or "")})
    return out


def install(api: NinjaAPI) -> None:
    """Every exception an operation can end in, answered with the one body."""

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, "The request is not valid.", details=_validation_details(exc.errors))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, str(exc) or None)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return error_response(exc.status_code, exc.message, exc.code, exc.details)
        if isinstance(exc, Throttled):
            response = error_response(429)
            wait = getattr(request, RETRY_AFTER_ATTR, None) or exc.wait or 1
            response["Retry-After"] = str(max(1, int(wait + 0.999)))
            return response
        if isinstance(exc, AuthenticationError):
            return error_response(exc.status_code, "Sign in or send a valid token.")
        return error_response(exc.status_code, str(exc) or None)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API request %s %s failed", request.method, request.get_full_path())
        return error_response(500)
