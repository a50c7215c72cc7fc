"""Security headers on every response: Content-Security-Policy (django-csp), Permissions-Policy, and Django's own,
the same on a page answered from the page cache as on a fresh one."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from newsloom.web.headers import permissions_policy
from tests.web.test_caching import paths

pytestmark = pytest.mark.django_db
EXPECTED = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
)


def test_permissions_policy_syntax() -> None:
    assert permissions_policy({"camera": [], "fullscreen": ["self"], "payment": ["self", "https://pay.example"]}) == (
        'camera=(), fullscreen=(self), payment=(self "https://pay.example")'
    )
    assert permissions_policy({}) == ""


def test_every_page_feed_and_error_carries_the_policies(
    client: Client, demo: None, django_assert_num_queries: Any
) -> None:
    for name, path in paths().items():
        fresh = client.get(path)
        with django_assert_num_queries(1):  # answered from the page cache
            stored = client.get(path)
        for response in (fresh, stored):
            assert all(response.has_header(h) for h in EXPECTED), (name, dict(response.items()))
            assert response["Content-Security-Policy"] == fresh["Content-Security-Policy"]
    csp = fresh["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    assert "unsafe" not in csp
    assert "camera=()" in fresh["Permissions-Policy"] and "geolocation=()" in fresh["Permissions-Policy"]
    for response in (client.get("/en/no-such-page"), client.get("/en/", headers={"Host": "evil.example"})):
        assert response.status_code in (400, 404) and all(response.has_header(h) for h in EXPECTED)
