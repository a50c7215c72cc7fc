"""The search page over the full-text search module: highlighted snippets, filters, pagination, bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from newsloom.articles.models import Article
from newsloom.web import views

pytestmark = pytest.mark.django_db


def test_results_with_highlighted_snippets(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    client.get("/en/search?q=warm")  # the search module heals its SQLite index on first use
    with django_assert_max_num_queries(10):  # state, sources; search: index check, count, page, articles
        html = client.get("/en/search?q=evacuated").content.decode()
    assert "articles found" in html and "<mark>" in html.lower()
    assert 'value="evacuated"' in html  # the query stays in the box
    hits = re.findall(r'<h3><a href="/en/article/([0-9a-f]{32})">', html)
    assert hits and all(Article.objects.filter(pk=h).exists() for h in hits)


def test_wire_copies_fold_into_one_result(client: Client, demo: None) -> None:
    html = client.get("/en/search?q=Tessel").content.decode()
    assert "Same text also at" in html
    shown = re.findall(r'<h3><a href="/en/article/([0-9a-f]{32})">', html)
    groups = [Article.objects.get(pk=pk).wire_group_id for pk in shown]
    grouped = [g for g in groups if g]
    assert len(grouped) == len(set(grouped))


def test_filters_by_source_language_and_date(client: Client, demo: None) -> None:
    html = client.get("/en/search?q=evacuated&source=meridian-press").content.decode()
    hits = re.findall(r'<h3><a href="/en/article/([0-9a-f]{32})">', html)
    assert hits and {Article.objects.get(pk=h).source.slug for h in hits} == {"meridian-press"}
    assert '<option value="meridian-press" selected>' in html
    assert "English" in html  # language filter choices by name
    none = client.get("/en/search?q=evacuated&until=2000-01-01").content.decode()
    assert "0 articles found" in none
    wrong = client.get("/en/search?q=evacuated&since=2030-01-02&until=2030-01-01").content.decode()
    assert "The end date is before the start date." in wrong


def test_paginates(client: Client, demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 2)
    html = client.get("/en/search?q=said&source=").content.decode()
    assert 'rel="next" href="?q=said&amp;page=2"' in html
    second = client.get("/en/search?q=said&page=2").content.decode()
    assert 'rel="prev" href="?q=said&amp;page=1"' in second


def test_empty_and_unusable_queries(client: Client, demo: None) -> None:
    assert "articles found" not in client.get("/en/search").content.decode()
    assert "articles found" not in client.get("/en/search?q=").content.decode()
    only_excluded = client.get("/en/search?q=-flood").content.decode()
    assert "not only words to leave out" in only_excluded
