"""Commenting in a real browser: with htmx the thread changes in place (no page load), with JavaScript off the same
forms post and come back; a refused comment keeps what the reader typed either way."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from newsloom.community.models import Comment
from tests.web.factories import make_article
from tests.web.test_xss import reader, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(transactional_db: None) -> Any:
    return make_article("c" * 32, "Harbour wall repaired after storm")


def test_with_htmx_a_comment_posts_without_a_page_load(
    live_server: Any, page: Any, article: Any, settings: Any
) -> None:
    settings.COMMUNITY = dataclasses.replace(settings.COMMUNITY, comment_interval=0)
    reader("maren", "Maren Holt")
    sign_in(page, live_server.url, "maren")
    page.goto(live_server.url + f"/en/article/{article.pk}")
    page.evaluate("window.__same_page = true")
    page.locator("#comment-form-new-text").fill("The wall held.\nSee https://harbour.example/report")
    page.locator("#comment-form-new button[type=submit]").click()
    page.locator(".comments .notice", has_text="Your comment is posted.").wait_for()
    assert page.evaluate("window.__same_page") is True  # swapped in place: the page was not reloaded
    body = page.locator(".comment-body").first
    assert body.inner_text() == "The wall held.\nSee https://harbour.example/report"
    assert body.locator("a").get_attribute("rel") == "nofollow ugc"
    too_long = "My long reply, " + "y" * 2100
    page.locator("#comment-form-new-text").fill(too_long)
    page.locator("#comment-form-new button[type=submit]").click()
    page.locator(".comment-form .error").wait_for()
    assert "at most 2,048 characters" in page.locator(".comment-form .error").inner_text()
    assert page.locator("#comment-form-new-text").input_value() == too_long  # nothing the reader wrote is lost
    assert page.evaluate("window.__same_page") is True
    tool = page.locator("details.tool", has=page.locator("summary", has_text="Reply")).first
    tool.locator("summary").click()
    reply_form = tool.locator("form.comment-form")
    reply_form.locator("textarea").fill("Answering myself")
    reply_form.locator("button[type=submit]").click()
    page.locator(".replies .comment-body", has_text="Answering myself").wait_for()
    assert Comment.objects.filter(parent__isnull=False).count() == 1


def test_with_javascript_off_the_same_forms_work(live_server: Any, browser: Any, article: Any, settings: Any) -> None:
    settings.COMMUNITY = dataclasses.replace(settings.COMMUNITY, comment_interval=0)
    reader("tobias", "Tobias")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "tobias")
        page.goto(live_server.url + f"/en/article/{article.pk}")
        page.locator("#comment-form-new-text").fill("Posted without JavaScript")
        page.locator("#comment-form-new button[type=submit]").click()
        page.wait_for_url(f"**/en/article/{article.pk}#comment-*")
        assert "Your comment is posted." in page.locator(".messages").inner_text()
        assert page.locator(".comment-body").first.inner_text() == "Posted without JavaScript"
        settings.COMMUNITY = dataclasses.replace(settings.COMMUNITY, comment_interval=3600)
        page.locator("#comment-form-new-text").fill("Second, too soon")
        page.locator("#comment-form-new button[type=submit]").click()
        page.wait_for_load_state()
        assert "every 3600 seconds" in page.locator(".comment-form .error").inner_text()
        assert page.locator("#comment-form-new-text").input_value() == "Second, too soon"
        tool = page.locator("details.tool", has=page.locator("summary", has_text="Edit")).first
        tool.locator("summary").click()  # <details>: no script needed
        edit = tool.locator("form.comment-form")
        edit.locator("textarea").fill("Posted without JavaScript, edited")
        edit.locator("button[type=submit]").click()
        page.wait_for_url(f"**/en/article/{article.pk}#comment-*")
        assert "edited" in page.locator(".comment .meta").first.inner_text()
    finally:
        context.close()


def test_the_readers_pages_pass_axe_and_fit_a_phone(live_server: Any, browser: Any, article: Any) -> None:
    """axe-core finds no serious or critical violation on the account, reader and moderation pages, and nothing
    scrolls sideways at 375 px (screenshots in test-artifacts/screenshots)."""
    from newsloom.community.actions import post_comment, report_comment
    from tests.web.factories import make_story
    from tests.web.test_browser import AXE, BLOCKING, SHOTS

    make_story([article], hashtags=["harbour"])
    staff = reader("moderator", "The Moderator")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    other = reader("tobias", "Tobias")
    mine = post_comment(staff, article, "A comment with a link: https://harbour.example/")
    report_comment(post_comment(other, article, "Reported reply", mine), staff, "spam")
    script = AXE.read_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for signed, paths in (
        (False, ["/en/accounts/login/", "/en/accounts/signup/", "/en/accounts/password/reset/"]),
        (
            True,
            [
                f"/en/article/{article.pk}",
                f"/en/story/{article.pk}",
                "/en/source/loom-herald",
                "/en/hashtag/harbour",
                "/en/following",
                "/en/saved",
                "/en/settings",
                "/en/moderation",
            ],
        ),
    ):
        context = browser.new_context(viewport={"width": 375, "height": 800}, bypass_csp=True)  # axe is injected
        page = context.new_page()
        if signed:
            sign_in(page, live_server.url, "moderator")
        for path in paths:
            page.goto(live_server.url + path)
            name = "reader-" + path.strip("/").replace("/", "-")
            page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                problems.append(f"{path}: scrolls sideways at 375 px")
            page.add_script_tag(content=script)
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            problems += [
                f"{path}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes'][:3]]}"
                for v in result["violations"]
                if v["impact"] in BLOCKING
            ]
        context.close()
    assert not problems, "\n".join(problems)
