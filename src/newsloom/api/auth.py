"""Who is calling: a personal token (``Authorization: Bearer nlt_…``) or the signed-in reader's session.

A token's ``AccessKey`` becomes ``request.auth``: its ``rate_key`` and ``rate_limit`` are what the rate limit
(``throttle``) counts against. A session's caller is the user, counted by address as anonymous callers are.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries

API_KEY_KINDS = ("token",)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = account_queries.key_for_secret(token.strip(), kinds=API_KEY_KINDS)
        if key is None:
            return None
        account_actions.key_used(key)
        request.user = key.user
        return key


class ReaderSession(SessionAuth):
    """The session, when the request brings no token (a bad token is not rescued by a cookie)."""

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return super().__call__(request)


READER = [TokenAuth(), ReaderSession()]


def caller(request: HttpRequest) -> Any:
    """The user behind the authenticated request."""
    return request.user
