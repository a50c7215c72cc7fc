"""Hostile URLs already stored (a source's homepage, an article's links and lead image) never become a link, an image
or a JSON-LD/feed URL: every page kind loaded in headless Chromium, every feed out and the sitemap read back (#21).
Every page also carries its Content-Security-Policy and Permissions-Policy, and nothing on it (htmx included) breaks
the policy.

The rows are written straight through the ORM, as a row written before the storage checks existed (or by a path that
skipped them) would be: what is tested here is the second gate, at render.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.urls import get_resolver
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.community.actions import ensure_reader, post_comment
from newsloom.core.reading.sanitize import sanitize_html
from newsloom.sources.actions import ensure_source
from newsloom.stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: every way of spelling a URL that runs script (or is no web address at all) that a publisher may send
HOSTILE_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(2)",
    "  javascript:alert(3)",
    "java\tscript:alert(4)",
    "java\nscript:alert(5)",
    "\x01javascript:alert(6)",
    "data:text/html,<script>alert(7)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==",
    "vbscript:msgbox(9)",
    "javascript:/*http://ok.example/*/alert(10)",
    "//evil.example/protocol-relative",
    "http://xn--zz/bad-idna",
    "file:///etc/passwd",
]
HOSTILE_HTML = (
    '<p>Body <a href="javascript:alert(11)">one</a> <a href="data:text/html,x">two</a>'
    ' <img src="javascript:alert(12)" alt="x"> <img src="x" onerror="alert(13)" alt="y">'
    '<a href="https://ok.example/fine">fine</a></p><script>alert(14)</script>'
)
TAG = "hostiletag"
WORD = "quixotic"  # in every title: the search page finds them all


@dataclass
class Hostile:
    story: Story
    articles: list[Article]
    slugs: list[str] = field(default_factory=list)


def _aid(n: int) -> str:
    return f"{n:032x}"


@pytest.fixture
def hostile(transactional_db: None) -> Hostile:
    """One story over one article per hostile URL, each from its own source whose homepage is that URL too."""
    now = timezone.now()
    articles = []
    for n, bad in enumerate(HOSTILE_URLS, start=1):
        source = ensure_source(f"Hostile Outlet {n}", homepage="https://placeholder.example/")
        source.homepage = bad  # as stored before any check: straight into the row
        source.save(update_fields=["homepage"])
        articles.append(
            Article.objects.create(
                id=_aid(n),
                source=source,
                url=bad,
                canonical_url=bad,
                lead_image=HOSTILE_URLS[-n],
                title=f"Hostile headline {n} {WORD}",
                text=f"The {WORD} text number {n}.\n\nSecond paragraph.",
                html=sanitize_html(HOSTILE_HTML, base_url="https://ok.example/"),
                summary=f"A {WORD} summary {n}.",
                published_at=now - timedelta(minutes=n),
                status=Article.Status.OK,
                hashtags=[TAG],
            )
        )
    story = Story.objects.create(
        id=articles[-1].pk,
        title=f"Hostile story {WORD}",
        score=9.0,
        article_count=len(articles),
        source_count=len(articles),
        first_published=min(a.published_at for a in articles if a.published_at),
        last_published=max(a.published_at for a in articles if a.published_at),
        hashtags=[TAG],
        summary=[{"text": f"A {WORD} sentence.", "article_id": articles[0].pk}],
    )
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(story=story)
    post_comment(ensure_reader("mallory"), articles[0], '<a href="javascript:alert(15)">click</a> and <b>bold</b>')
    return Hostile(story, articles, [a.source.slug for a in articles])


def html_pages(data: Hostile) -> dict[str, str]:
    """Every HTML page kind, with the hostile data on it (named by URL name, so none is forgotten)."""
    pages = {
        "web:home": "/en/",
        "web:story": f"/en/story/{data.story.pk}",
        "web:ask": f"/en/story/{data.story.pk}/ask?q=what+happened",
        "web:hashtag": f"/en/hashtag/{TAG}",
        "web:search": f"/en/search?q={WORD}",
        "404": "/en/no-such-page",
        "admin:login": "/admin/login/",  # Django's own pages keep to the same policy
    }
    pages |= {f"web:article {a.pk}": f"/en/article/{a.pk}" for a in data.articles}
    pages |= {f"web:source {slug}": f"/en/source/{slug}" for slug in data.slugs}
    return pages


def signed_in_pages(data: Hostile) -> dict[str, str]:
    """The pages a signed-in staff reader sees, over the same hostile data (followed, saved, reported)."""
    return {
        "web:following": "/en/following",
        "web:saved": "/en/saved",
        "web:settings": "/en/settings",
        "web:moderation": "/en/moderation",
        "web:home (signed in)": "/en/",
        "web:story (signed in)": f"/en/story/{data.story.pk}",
        **{f"web:article {a.pk} (signed in)": f"/en/article/{a.pk}" for a in data.articles},
    }


# URL names that are form targets (POST only, answering with a redirect or a fragment), not pages to load; each is
# posted to by the browser tests of the comment and reader features
FORM_TARGETS = {
    "web:post_comment", "web:edit_comment", "web:delete_comment", "web:report_comment", "web:follow", "web:save",
    "web:mute", "web:read", "web:delete_account", "web:moderate", "web:ban", "web:create_key", "web:revoke_key",
}  # fmt: skip


def sign_in_staff(page: Any, live_site: Any, data: Hostile) -> None:
    """Sign the hostile data's commenter in as staff, with everything followed, saved and reported, and hand the
    session cookie to the browser."""
    from django.test import Client

    from newsloom.accounts.actions import follow, save_article
    from newsloom.community.actions import report_comment
    from newsloom.community.models import Comment

    reader = ensure_reader("mallory")
    type(reader).objects.filter(pk=reader.pk).update(is_staff=True)
    reader.refresh_from_db()
    for article in data.articles:
        follow(reader, "source", article.source.slug)
        save_article(reader, article)
    follow(reader, "hashtag", TAG)
    follow(reader, "story", data.story.pk)
    for comment in Comment.objects.all():
        report_comment(comment, ensure_reader("reporter"), "spam")
    client = Client()
    client.force_login(reader)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_site.url}])


def machine_files(data: Hostile) -> list[str]:
    files = ["/sitemap.xml"]
    for fmt in ("atom", "rss", "json"):
        files += [f"/feeds/top.{fmt}", f"/feeds/hashtag/{TAG}.{fmt}"]
        files += [f"/feeds/source/{slug}.{fmt}" for slug in data.slugs]
    return files


def test_every_page_kind_is_covered() -> None:
    """A new page kind must be added to ``html_pages`` (or ``machine_files``) above, and so be tried here."""
    resolver = get_resolver()
    names = {
        f"{ns}:{name}"
        for ns, (_prefix, sub) in resolver.namespace_dict.items()
        if ns in ("web", "feeds")
        for name in sub.reverse_dict
        if isinstance(name, str)
    }
    empty = Hostile(Story(pk=_aid(1)), [])
    tried = {key.split(" ")[0] for key in html_pages(empty) | signed_in_pages(empty)} | FORM_TARGETS | {
        "web:article",
        "web:source",
        "feeds:top",
        "feeds:hashtag",
        "feeds:source",
    }
    assert names - tried == set(), "page kinds not tried against hostile data"


# -------------------------------------------------------------------------------------------------------- the browser

# Every URL-valued attribute on the page, each resolved by the browser's own URL parser (which also strips the
# whitespace and control characters an obfuscated scheme hides behind), with the meta tags' and JSON-LD's URLs.
COLLECT_URLS = """() => {
  const out = [];
  const attrs = ["href", "src", "action", "formaction", "srcset", "poster", "data", "background", "cite", "ping"];
  for (const el of document.querySelectorAll("*")) {
    for (const name of attrs) {
      const raw = el.getAttribute(name);
      if (raw === null) continue;
      const values = name === "srcset" ? raw.split(",").map(s => s.trim().split(/\\s+/)[0]) : [raw];
      for (const v of values) out.push([el.tagName + "@" + name, v, new URL(v, document.baseURI).protocol]);
    }
    for (const name of el.getAttributeNames()) {
      if (name.startsWith("on")) out.push([el.tagName + "@" + name, el.getAttribute(name), "handler:"]);
    }
  }
  for (const meta of document.querySelectorAll("meta[property^='og:'], meta[name^='twitter:']")) {
    const key = meta.getAttribute("property") || meta.getAttribute("name"), v = meta.getAttribute("content") || "";
    if (/url|image/.test(key) && !/:alt$/.test(key) && v)
      out.push(["meta " + key, v, new URL(v, document.baseURI).protocol]);
  }
  const walk = (node, path) => {
    if (Array.isArray(node)) { node.forEach((x, i) => walk(x, path + "[" + i + "]")); return; }
    if (node && typeof node === "object") {
      for (const [k, x] of Object.entries(node)) walk(x, path + "." + k);
      return;
    }
    if (typeof node === "string" && /(url|image|isBasedOn|mainEntityOfPage)(\\[\\d+\\])?$/.test(path))
      out.push(["json-ld" + path, node, new URL(node, document.baseURI).protocol]);
  };
  for (const s of document.querySelectorAll("script[type='application/ld+json']")) walk(JSON.parse(s.textContent), "");
  return out;
}"""


# Recorded from before the page's own scripts run (Playwright adds it outside the page's CSP).
RECORD_VIOLATIONS = """window.__violations = [];
document.addEventListener("securitypolicyviolation", e =>
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || "")));"""
POLICY_WORDS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Permissions policy",
    "Permissions-Policy",
    "Unrecognized feature",
)


@dataclass
class Watch:
    """What a page did that it must not: dialogs opened (alert, confirm, prompt), uncaught script errors, and
    anything the Content-Security-Policy refused or the browser said about the policies."""

    events: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            self.events.append(f"dialog {dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if any(word in message.text for word in POLICY_WORDS):
                self.events.append(f"console {message.type}: {message.text}")

        page.add_init_script(RECORD_VIOLATIONS)
        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: self.events.append(f"pageerror: {error}"))
        page.on("console", on_console)

    def read(self, page: Any, name: str) -> None:
        self.events += [f"{name}: CSP refused {v}" for v in page.evaluate("window.__violations || []")]


@pytest.fixture
def watched(page: Any) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    watch.attach(page)
    yield page, watch


def policy_problems(name: str, headers: dict[str, str]) -> list[str]:
    """What is wrong with a response's security headers (names in lower case, as Playwright gives them)."""
    csp = headers.get("content-security-policy", "")
    problems = []
    if "script-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{name}: Content-Security-Policy {csp!r}")
    if "camera=()" not in headers.get("permissions-policy", ""):
        problems.append(f"{name}: Permissions-Policy {headers.get('permissions-policy')!r}")
    if headers.get("x-content-type-options") != "nosniff" or not headers.get("referrer-policy"):
        problems.append(f"{name}: X-Content-Type-Options / Referrer-Policy missing")
    return problems


def bad_urls(found: list[list[str]]) -> list[str]:
    return [f"{where}={value!r} ({scheme})" for where, value, scheme in found if scheme not in ("http:", "https:")]


def test_no_page_links_loads_or_runs_a_hostile_url(
    hostile: Hostile, live_site: Any, watched: tuple[Any, Watch]
) -> None:
    page, watch = watched
    problems = []
    for name, path in html_pages(hostile).items():
        for visit in ("first", "stored"):  # the second answer comes from the page cache
            response = page.goto(live_site.url + path)
            assert response is not None and response.status in (200, 404), (name, response and response.status)
            problems += policy_problems(f"{name} ({visit})", response.headers)
            problems += [f"{name}: {bad}" for bad in bad_urls(page.evaluate(COLLECT_URLS))]
            watch.read(page, name)
    # htmx at work under the policy: a question asked in place, its answer swapped in
    page.goto(live_site.url + f"/en/story/{hostile.story.pk}")
    page.get_by_role("searchbox", name="Ask about this story").fill(f"what is {WORD}?")
    page.get_by_role("searchbox", name="Ask about this story").press("Enter")
    page.locator(".answer .answer-q").wait_for()
    watch.read(page, "ask in place")
    sign_in_staff(page, live_site, hostile)
    for name, path in signed_in_pages(hostile).items():
        response = page.goto(live_site.url + path)
        assert response is not None and response.status == 200, (name, response and response.status)
        problems += policy_problems(name, response.headers)
        problems += [f"{name}: {bad}" for bad in bad_urls(page.evaluate(COLLECT_URLS))]
        watch.read(page, name)
    assert not problems, "\n".join(problems)
    assert not watch.events, "\n".join(watch.events)
    # the text is still there, only the link is gone
    page.goto(live_site.url + f"/en/source/{hostile.slugs[0]}")
    assert "javascript:alert(1)" in page.locator(".facts").inner_text()
    assert page.locator(".facts a").count() == 0


def test_the_checks_themselves_catch_a_hostile_link(page: Any) -> None:
    """The same checks on a page that does hold a hostile link and image: they find them and see the script run."""
    watch = Watch()
    watch.attach(page)
    page.set_content(
        '<a id="x" href=" java&#9;script:alert(1)">x</a><img src="data:text/html,x" alt="">'
        '<meta property="og:image" content="javascript:1">'
    )
    found = bad_urls(page.evaluate(COLLECT_URLS))
    assert len(found) == 3, found
    with page.expect_event("dialog"):
        page.click("#x")
    assert watch.events == ["dialog alert: 1"]


def test_the_policy_refuses_inline_script_and_style_and_the_watch_sees_it(
    hostile: Hostile, live_site: Any, page: Any
) -> None:
    """On a real page: an inline script, an inline style and an event handler added to it are refused by its CSP,
    and the watch reports each refusal."""
    watch = Watch()
    watch.attach(page)
    page.goto(live_site.url + "/en/")
    page.evaluate("""() => {
      const s = document.createElement("script"); s.textContent = "alert('inline')"; document.body.append(s);
      document.body.insertAdjacentHTML("beforeend", '<style>body{}</style><img alt="" src="/x" onerror="alert(2)">');
    }""")
    page.locator("img[src='/x']").wait_for(state="attached")
    page.wait_for_function("window.__violations.length >= 3")
    watch.read(page, "home")
    assert not [e for e in watch.events if e.startswith("dialog")], watch.events
    refused = " ".join(watch.events)
    assert "script-src" in refused and "style-src" in refused, watch.events


# ----------------------------------------------------------------------------------------- feeds out and the sitemap


def _read(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        headers = {name.lower(): value for name, value in response.headers.items()}
    return body, headers


def urls_in(body: bytes, path: str) -> list[str]:
    """Every URL a feed reader or crawler would follow or load in a feed out, the sitemap or a section of it."""
    if path.endswith(".json"):
        feed = json.loads(body)
        found = [feed.get("home_page_url"), feed.get("feed_url")]
        for item in feed["items"]:
            found += [
                item.get("id"),
                item.get("url"),
                item.get("image"),
                item.get("banner_image"),
                item.get("external_url"),
            ]
        return [u for u in found if u is not None]
    root = ElementTree.fromstring(body)
    found = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if "href" in el.attrib:
            found.append(el.attrib["href"])
        if "url" in el.attrib:
            found.append(el.attrib["url"])
        if tag in ("link", "loc", "guid", "id", "comments") and (el.text or "").strip():
            found.append((el.text or "").strip())
    return found


def test_feeds_out_and_the_sitemap_hold_only_http_urls(hostile: Hostile, live_site: Any) -> None:
    problems = []
    seen = 0
    files = machine_files(hostile)
    for path in files:
        body, headers = _read(live_site.url + path)
        problems += policy_problems(path, headers)
        urls = urls_in(body, path)
        seen += len(urls)
        problems += [f"{path}: {u!r}" for u in urls if urlsplit(u).scheme not in ("http", "https")]
        if path == "/sitemap.xml":
            files += [urlsplit(u).path for u in urls]  # its sections too
    assert seen > 100 and not problems, "\n".join(problems)
    body = _read(live_site.url + "/feeds/top.json")[0]
    assert not re.search(rb"javascript|vbscript|data:text", body, re.I)
