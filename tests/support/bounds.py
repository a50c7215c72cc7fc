"""What must hold of everything stored, whatever publishers sent: checked by the replay and property tests."""

from __future__ import annotations

import re

from django.db import models

from newsloom.articles.models import Article
from newsloom.core.urls import safe_http_url
from newsloom.sources.models import Feed, Source

STORED_MODELS: tuple[type[models.Model], ...] = (Source, Feed, Article)
# NUL, the other control characters XML forbids, lone surrogates, U+FFFE/U+FFFF: no column should hold them
NOT_STORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def stored_value_problems(*, pending_ok: bool = False) -> list[str]:
    """Every stored text within its column, without a character XML forbids; every stored URL an http(s) URL that
    passes the gate; no feed with an internal error or a traceback recorded; no article left pending (unless
    ``pending_ok``: nothing has crawled the pages yet). One line per problem."""
    problems: list[str] = []
    for model in STORED_MODELS:
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.all():
            for field in fields:
                value = getattr(row, field.attname)
                where = f"{model.__name__} {row.pk} {field.name}"
                if not isinstance(value, str):
                    continue
                if field.max_length is not None and len(value) > field.max_length:
                    problems.append(f"{where}: {len(value)} characters in a column of {field.max_length}")
                if bad := NOT_STORABLE.search(value):
                    problems.append(f"{where}: holds {bad.group()!r}")
                if isinstance(field, models.URLField) and value and safe_http_url(value) is None:
                    problems.append(f"{where}: {value[:80]!r} is not a good http(s) URL")
    for feed in Feed.objects.all():
        if feed.last_error_code == "internal-error" or "Traceback" in feed.last_error:
            problems.append(f"feed {feed.url[:80]}: {feed.last_error[:200]}")
    if not pending_ok:
        for article in Article.objects.filter(status=Article.Status.PENDING):
            problems.append(f"article {article.url[:80]} left pending")
    return problems
