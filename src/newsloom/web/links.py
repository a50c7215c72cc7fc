"""URLs on the way out: what is stored, checked again before it becomes a link, and our own pages' absolute URLs.

Every ``href``, ``src``, JSON-LD URL, ``og:`` URL and feed-out URL built from stored data goes through
:func:`http_url` (the ``http_url`` template filter is the same function): a stored URL that is not an ``http``/``https``
URL with a valid host (``newsloom.core.urls.safe_http_url``) comes back as ``""``, and the page shows the text
without a link. What is stored was checked on the way in as well; this is the second gate, for rows written before
that check existed or by any path that skipped it.

Absolute URLs of newsloom's own pages (``og:url``, JSON-LD, feeds out, the sitemap) come from one configured base,
``NEWSLOOM_PUBLIC_URL`` (:func:`absolute`), never from the Host a request named.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from newsloom.core.urls import safe_http_url


def http_url(value: object) -> str:
    """``value`` as a safe ``http``/``https`` URL, or ``""`` when it is missing or anything else (``javascript:``,
    ``data:``, ``vbscript:``, no host, a host IDNA refuses, too long)."""
    return safe_http_url(value) or ""


def public_origin() -> tuple[str, str]:
    """(scheme, host[:port]) of ``NEWSLOOM_PUBLIC_URL``."""
    parts = urlsplit(settings.CONFIG.public_url)
    return parts.scheme, parts.netloc


def absolute(path: str) -> str:
    """Our own ``path`` (as ``reverse`` gives it) as an absolute URL under ``NEWSLOOM_PUBLIC_URL``."""
    scheme, netloc = public_origin()
    return f"{scheme}://{netloc}{path}"
