"""Signing a Google Reader client in: ``accounts/ClientLogin`` trades the account's name and password (or an app
password) for an ``Auth`` token, sent back as ``Authorization: GoogleLogin auth=…`` (``Bearer`` works too);
``reader/api/0/token`` gives the ``T`` that POSTs carry. A POST is signed in by its ``T`` or by the header (some
clients send no ``T``); a bad token is a 401 with ``X-Reader-Google-Bad-Token: true``, so the client fetches a new
one. Each key's requests count against the API's rate limit (``over_limit``).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.models import AccessKey
from newsloom.api.throttle import spend

LOGINS_PER_MINUTE = 10  # per address: ClientLogin checks passwords
_T_SEP = "Z"


def write_token(key: AccessKey) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"greader-T:{key.digest}".encode(), hashlib.sha256).hexdigest()
    return f"{key.pk}{_T_SEP}{mac[:40]}"


def key_for_write_token(token: str) -> AccessKey | None:
    pk, sep, _ = token.strip().partition(_T_SEP)
    if not sep or not pk.isdigit() or len(token) > 80:
        return None
    key = AccessKey.objects.filter(pk=int(pk), user__is_active=True).select_related("user").first()
    if key is None or not hmac.compare_digest(write_token(key), token.strip()):
        return None
    return key


def header_secret(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "").strip()
    for scheme in ("GoogleLogin auth=", "Bearer "):
        if header[: len(scheme)].lower() == scheme.lower():
            return header[len(scheme) :].strip()
    return None


class Unauthorized(Exception):
    """The request is not signed in; ``bad_token`` when it brought a token that is not (or no longer) good."""

    def __init__(self, bad_token: bool = False) -> None:
        super().__init__("unauthorized")
        self.bad_token = bad_token


def unauthorized(exc: Unauthorized) -> HttpResponse:
    response = HttpResponse("Unauthorized", status=401, content_type="text/plain; charset=utf-8")
    if exc.bad_token:
        response["X-Reader-Google-Bad-Token"] = "true"
    return response


def signed_in(request: HttpRequest, data: Any) -> AccessKey:
    """The key this request is signed in with, or ``Unauthorized``."""
    secret = header_secret(request)
    from_header = account_queries.key_for_secret(secret) if secret else None
    if secret and from_header is None:
        raise Unauthorized(bad_token=True)
    key = from_header
    if request.method == "POST" and data.get("T"):
        by_t = key_for_write_token(data.get("T", ""))
        if by_t is None or (from_header is not None and by_t.user_id != from_header.user_id):
            raise Unauthorized(bad_token=True)
        key = from_header or by_t
    if key is None:
        raise Unauthorized()
    account_actions.key_used(key)
    return key


def over_limit(key: AccessKey) -> HttpResponse | None:
    """A 429 with ``Retry-After`` once the key has spent its rate (its own, else ``NEWSLOOM_API_RATE_LIMIT``),
    counted as the JSON API counts a token's requests; None while it may go on."""
    rate = key.rate_limit or settings.CONFIG.api_rate_limit
    wait = spend(f"token:{key.rate_key}", *rate) if rate else None
    if wait is None:
        return None
    response = HttpResponse("Too many requests", status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(max(1, int(wait + 0.999)))
    return response


def client_login(request: HttpRequest, data: Any) -> tuple[Any, str] | None:
    """(user, Auth token) for a good name and password; None otherwise (also past the per-address limit)."""
    name, password = data.get("Email", ""), data.get("Passwd", "")
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if spend(f"greader-login:{address}", LOGINS_PER_MINUTE, 60) is not None:
        return None
    found = account_queries.check_login(name, password)
    if found is None:
        return None
    user, _ = found
    _, secret = account_actions.create_access_key(user, "reader_login", "Google Reader app")
    return user, secret
