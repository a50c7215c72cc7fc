"""The API docs page in headless Chromium: Swagger UI renders every operation from assets this site serves itself,
and asks no other host for anything."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_offline_from_local_assets(live_demo: Any, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    elsewhere: list[str] = []
    own = urlsplit(live_demo.url).netloc

    def only_here(route: Any) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page.goto(live_demo.url + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = set(page.locator(".opblock-summary-path").all_inner_texts())
    assert {"/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/search"} <= {p.strip() for p in paths}
    assert elsewhere == []
    context.close()
