"""Response headers every page carries besides Django's own: ``Permissions-Policy``.

``Content-Security-Policy`` comes from django-csp (``CONTENT_SECURITY_POLICY`` in settings); X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy from Django's ``SecurityMiddleware``; X-Frame-Options from its
clickjacking middleware. Both middlewares sit outside the page cache, so a page answered from it carries them too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Permissions-Policy"


def permissions_policy(features: Mapping[str, Sequence[str]]) -> str:
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)`` (Structured Field syntax:
    ``self`` and ``*`` bare, origins quoted)."""

    def allow(value: str) -> str:
        return value if value in ("self", "*") else f'"{value}"'

    return ", ".join(f"{name}=({' '.join(allow(v) for v in values)})" for name, values in features.items())


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` from ``settings.PERMISSIONS_POLICY`` on every response that has none of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.value = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.value and HEADER not in response:
            response[HEADER] = self.value
        return response
