"""Display helpers: localized country and language names, JSON-LD, summaries as plain text, stored URLs checked."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from newsloom.web import links

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@lru_cache(maxsize=16)
def _locale(language: str) -> Any:
    try:  # babel ships with trafilatura (through courlan); names stay codes without it
        from babel import Locale

        return Locale.parse(language.replace("-", "_"))
    except Exception:  # unknown locale or no babel: fall back to codes
        return None


@register.filter
def country_name(code: str | None) -> str:
    """"GB" -> "United Kingdom", in the page's language."""
    if not code:
        return ""
    locale = _locale(get_language() or "en")
    name = locale.territories.get(code.upper()) if locale is not None else None
    return str(name or code.upper())


@register.filter
def language_name(code: str | None) -> str:
    if not code:
        return ""
    locale = _locale(get_language() or "en")
    name = locale.languages.get(code.lower()) if locale is not None else None
    return str(name or code)


@register.filter
def http_url(value: object) -> str:
    """A stored URL as an ``http``/``https`` URL fit for ``href``/``src``, or ``""`` (then show it as text only):
    ``{% with href=source.homepage|http_url %}{% if href %}<a href="{{ href }}">…{% endif %}{% endwith %}``."""
    return links.http_url(value)


@register.filter
def json_ld(data: Any) -> SafeString:
    """A ``<script type="application/ld+json">`` element; <, > and & escaped so no text can end the script."""
    if not data:
        return mark_safe("")
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


_FEED_TYPES = (("atom", "application/atom+xml", "Atom"), ("rss", "application/rss+xml", "RSS"),
               ("json", "application/feed+json", "JSON Feed"))


@register.simple_tag
def feed_alternates(label: str, url_name: str, **kwargs: Any) -> SafeString:
    """``<link rel="alternate">`` for the Atom, RSS and JSON Feed versions of a page, so readers discover them."""
    return format_html_join(
        "\n  ", '<link rel="alternate" type="{}" title="{} ({})" href="{}">',
        ((mime, label, name, reverse(url_name, kwargs={**kwargs, "fmt": fmt})) for fmt, mime, name in _FEED_TYPES),
    )
