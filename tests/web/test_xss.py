"""Hostile text in headless Chromium: every vector of testdata/xss_vectors.txt posted as a comment (through the
site's own form, with htmx) and set as a display name (through the settings form); no script may run (dialogs,
page errors, ``window.onerror``, an ``xss()`` marker and ``print`` are watched) and each shows as the text typed.
``pytest -s`` prints the count tried and the count that got through."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from newsloom.accounts.actions import DISPLAY_NAME_MAX, clean_display_name, create_account
from newsloom.community.actions import post_comment
from tests.web.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = [
    line
    for line in (Path(__file__).parent / "testdata" / "xss_vectors.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]
PASSWORD = "harbour-wall-1987"
WATCH = """
window.__xss = [];
window.xss = function () { window.__xss.push('xss()'); };
window.print = function () { window.__xss.push('print()'); };
window.addEventListener('error', function (e) { window.__xss.push('error: ' + e.message); });
"""
ALLOWED = {"P", "BR", "A"}  # what a comment body may hold


@pytest.fixture
def open_limits(settings: Any) -> None:
    settings.COMMUNITY = dataclasses.replace(
        settings.COMMUNITY,
        comment_interval=0,
        new_account_comment_interval=0,
        new_account_max_comments=0,
        new_account_max_links=1000,
        hold_new_accounts=False,
        hold_links=0,
        comments_per_ip_minute=0,
    )


def watched(page: Any) -> list[str]:
    ran: list[str] = []
    page.add_init_script(WATCH)
    page.on("dialog", lambda dialog: (ran.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: ran.append(f"pageerror: {error}"))
    return ran


def sign_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/en/accounts/login/")
    page.locator("main input[name=login]").fill(name)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(base + "/en/")


def reader(name: str, display_name: str = "") -> Any:
    user = create_account(name, password=PASSWORD, email=f"{name}@example.org", display_name=display_name)
    user.date_joined = timezone.now() - timedelta(days=3)
    user.save(update_fields=["date_joined"])
    return user


def escaped_markup(page: Any) -> list[str]:
    """Elements or attributes in comment bodies and author names that no typed text may create."""
    found: list[str] = page.evaluate(
        """(allowed) => {
          const bad = [];
          document.querySelectorAll('.comment-body *, .author *, .account-name *').forEach(el => {
            if (!allowed.includes(el.tagName)) bad.push(el.outerHTML.slice(0, 80));
            for (const attr of el.attributes) {
              if (!['href', 'rel'].includes(attr.name)) bad.push(el.tagName + ' ' + attr.name);
              if (attr.name === 'href' && !/^https?:/i.test(attr.value)) bad.push('href ' + attr.value);
            }
          });
          return bad.concat(window.__xss || []);
        }""",
        sorted(ALLOWED),
    )
    return found


def squash(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())


def test_xss_vectors_posted_as_comments_run_nothing_and_show_as_text(
    live_server: Any, page: Any, open_limits: None
) -> None:
    assert len(VECTORS) >= 100
    article = make_article("a" * 32, "Harbour wall repaired after storm")
    reader("mallory", "Mallory")
    ran = watched(page)
    sign_in(page, live_server.url, "mallory")
    page.goto(live_server.url + f"/en/article/{article.pk}")
    got_through: list[str] = []
    for n, vector in enumerate(VECTORS, start=1):
        page.locator("#comment-form-new-text").fill(vector)
        with page.expect_response(lambda r: r.url.endswith("/comments") and r.request.method == "POST") as answer:
            page.locator("#comment-form-new button[type=submit]").click()
        assert answer.value.status == 200, (vector, answer.value.status)
        page.locator(".comments .count", has_text=f"({n})").wait_for()  # the thread swapped in place
        bad = escaped_markup(page)
        if bad or ran:
            got_through.append(vector)
            ran.clear()
    page.goto(live_server.url + f"/en/article/{article.pk}")  # the whole page, as the next reader gets it
    bodies = page.locator(".comment-body").all_inner_texts()
    shown = sorted(squash(b) for b in bodies)
    assert shown == sorted(squash(v) for v in VECTORS)  # every vector shows as the text typed
    got_through += escaped_markup(page) + ran
    print(f"\nXSS as comments: {len(VECTORS)} vectors tried, {len(got_through)} got through")
    assert got_through == []


def test_xss_vectors_as_display_names_run_nothing_and_show_as_text(live_server: Any, page: Any) -> None:
    article = make_article("b" * 32, "Ferry timetable changes")
    reader("eve")
    ran = watched(page)
    sign_in(page, live_server.url, "eve")
    got_through: list[str] = []
    for vector in VECTORS:
        page.goto(live_server.url + "/en/settings")
        page.locator("#id_display_name").fill(vector)
        page.locator("form[action='/en/settings'] button[type=submit]").click()
        page.wait_for_load_state()
        expected = clean_display_name(vector) if len(vector) <= DISPLAY_NAME_MAX else None
        if expected is None:  # refused as too long, given back in the field as typed
            assert page.locator("#id_display_name").input_value() == vector
        elif expected:
            assert page.locator(".account-name").inner_text() == expected, vector
        if escaped_markup(page) or ran:
            got_through.append(vector)
            ran.clear()
    for n, vector in enumerate(v for v in VECTORS if len(v) <= DISPLAY_NAME_MAX):  # as comments' authors
        post_comment(reader(f"author{n}", vector), article, f"Comment {n}")
    page.goto(live_server.url + f"/en/article/{article.pk}")
    names = [squash(n) for n in page.locator(".comment .author").all_inner_texts()]
    assert names == [
        squash(clean_display_name(v)) or f"author{n}"
        for n, v in enumerate(v for v in VECTORS if len(v) <= DISPLAY_NAME_MAX)
    ]
    got_through += escaped_markup(page) + ran
    print(f"\nXSS as display names: {len(VECTORS)} vectors tried, {len(got_through)} got through")
    assert got_through == []
