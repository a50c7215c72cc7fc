"""Every page type on the ingested demo: what it shows, what it tells machines, how many queries it costs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from newsloom.articles.models import Article
from newsloom.stories.models import Story
from newsloom.web import listing_pages
from newsloom.web.story_page import comparison_matrix
from tests.web.factories import make_article, make_story

pytestmark = pytest.mark.django_db

TESSEL = "Thousands evacuated as River Tessel bursts its banks in Harrowdale"


def html_of(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return str(response.content.decode())


def json_ld(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def og(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def tessel() -> Story:
    return Story.objects.get(title=TESSEL)


# ------------------------------------------------------------------------------------------------------------- home


def test_root_redirects_to_english(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_home_ranks_stories_with_summary_sources_and_time(
    client: Client, demo: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        html = html_of(client, "/en/")
    ranked = list(Story.objects.filter(article_count__gt=0).order_by("-score", "-last_published", "pk")[:20])
    titles = re.findall(r'<h2 class="card-title"><a href="/en/story/([0-9a-f]{32})">', html)
    assert titles == [s.pk for s in ranked]
    top = ranked[0]
    assert top.title == TESSEL and top.source_count == 8
    card = html.split('class="card card-lead"', 1)[1].split("</article>", 1)[0]
    assert "8 sources" in card and "Meridian Press Agency" in card and "and 5 more" in card
    assert "hours ago" in card
    assert top.summary[0]["text"][:60] in card  # the cited summary's opening
    assert 'class="thumb"' in card and 'alt=""' in card  # decorative thumbnail next to its headline


def test_home_sections_by_hashtag(client: Client, demo: None) -> None:
    html = html_of(client, "/en/")
    assert "By topic" in html
    tags = re.findall(r'<h3 id="sec-\d+"><a href="/en/hashtag/([\w-]+)">', html)
    assert tags, "no hashtag sections"
    for tag in tags:
        assert any(tag in s.hashtags for s in Story.objects.all())


def test_home_paginates(client: Client, demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing_pages, "PAGE_SIZE", 8)
    first, second = html_of(client, "/en/"), html_of(client, "/en/?page=2")
    assert 'rel="next" href="?page=2"' in first and "Page 1 of 3" in first
    one = set(re.findall(r"/en/story/([0-9a-f]{32})", first.split("By topic")[0]))
    two = set(re.findall(r"/en/story/([0-9a-f]{32})", second))
    assert len(two) == 8 and not one & two
    fragment = client.get("/en/?page=2", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'class="story-list more"' in fragment and 'hx-get="?page=3"' in fragment


def test_home_on_an_empty_site(client: Client) -> None:
    assert "Nothing here yet" in html_of(client, "/en/")


def test_story_without_enrichment_falls_back_to_the_lead_sentences(client: Client) -> None:
    text = "Barrier approved\n\nThe council approved the barrier. Work starts in May. It costs a lot."
    lead = make_article("a" * 32, "Barrier approved", days=6.2, text=text)
    old = make_article("b" * 32, "Old news", days=30, source="Valley Courier")
    make_story([lead], score=2)
    make_story([old], score=1)
    html = html_of(client, "/en/")
    assert "The council approved the barrier. Work starts in May." in html and "It costs a lot" not in html
    assert "6 days ago" in html and date_format(timezone.localtime(old.published_at), "j F Y") in html
    assert "By topic" not in html  # no hashtags, no sections
    story = html_of(client, f"/en/story/{'a' * 32}")
    assert "In brief" in story and "How the sources compare" not in story
    article = html_of(client, f"/en/article/{'a' * 32}")
    assert 'class="ai"' not in article  # nothing to show: the panel is hidden


# ---------------------------------------------------------------------------------------------------------- article


def test_article_page(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    story = tessel()
    lead = Article.objects.get(pk=story.pk)
    with django_assert_max_num_queries(12):
        html = html_of(client, f"/en/article/{lead.pk}")
    assert f'<h1 id="article-h">{TESSEL}</h1>' in html
    assert f'href="/en/source/{lead.source.slug}"' in html and "hours ago" in html
    assert f'src="{lead.lead_image}" alt="{TESSEL}"' in html
    assert lead.html[:80] in html  # the sanitized body as stored
    for tag in story.hashtags:
        assert f'href="/en/hashtag/{tag}"' in html
    ai = html.split('<aside class="ai"', 1)[1].split("</aside>", 1)[0]
    cited = re.findall(r'class="cite" href="/en/article/([0-9a-f]{32})"', ai)
    assert {s["article_id"] for s in story.summary + story.key_points} == set(cited)
    assert f'href="/en/story/{story.pk}"' in ai
    assert "Sign in to comment" in html and 'class="thread"' in html  # the demo readers' comments
    related = html.split('id="related-h"', 1)[1].split("</section>", 1)[0]
    assert related.count("<li>") >= 3 and 'class="reason">Same story' in related
    assert "Other outlets ran this same text" in html  # the agency original, copied by others


def test_a_wire_copy_says_so_and_links_the_other_outlets(client: Client, demo: None) -> None:
    copy = next(a for a in Article.objects.exclude(wire_group=None).order_by("pk") if a.wire_group_id != a.pk)
    html = html_of(client, f"/en/article/{copy.pk}")
    wire = html.split('<aside class="wire"', 1)[1].split("</aside>", 1)[0]
    assert "Wire copy" in wire and f'href="/en/article/{copy.wire_group_id}"' in wire
    others = Article.objects.filter(wire_group_id=copy.wire_group_id).exclude(pk=copy.pk)
    for other in others:
        assert f'href="/en/article/{other.pk}"' in wire


def test_article_meta_for_previews_and_search_engines(client: Client, demo: None) -> None:
    lead = Article.objects.select_related("source").get(pk=tessel().pk)
    html = html_of(client, f"/en/article/{lead.pk}")
    assert og(html, "og:type") == "article" and og(html, "og:title") == TESSEL
    assert og(html, "og:url") == f"http://127.0.0.1:8000/en/article/{lead.pk}"  # NEWSLOOM_PUBLIC_URL's default
    assert og(html, "og:image") == lead.lead_image
    ld = json_ld(html)
    assert ld["@type"] == "NewsArticle" and ld["headline"] == TESSEL
    assert ld["publisher"]["name"] == lead.source.name and ld["isBasedOn"] == lead.canonical_url
    assert ld["datePublished"].startswith(lead.published_at.date().isoformat())
    assert f'<link rel="canonical" href="{lead.canonical_url}">' in html


def test_feed_only_article_says_so(client: Client) -> None:
    make_article("e" * 32, "Summary only", status="feed_only", error="returned HTTP 404 Not Found")
    html = html_of(client, f"/en/article/{'e' * 32}")
    assert "could not be fetched" in html and "HTTP 404" in html and "No comments yet." in html


def test_relative_times_on_an_article(client: Client) -> None:
    make_article("d" * 32, "Barrier approved", days=0.9, author="A. Writer", lead_image="https://herald.example/i.png")
    html = html_of(client, f"/en/article/{'d' * 32}")
    assert "21 hours ago" in html and "A. Writer" in html and "<p>Second paragraph.</p>" in html


# ------------------------------------------------------------------------------------------------------------ story


def test_story_page_full_coverage(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    story = tessel()
    with django_assert_max_num_queries(4):
        html = html_of(client, f"/en/story/{story.pk}")
    members = list(Article.objects.filter(story=story).select_related("source"))
    for article in members:
        assert f'href="/en/article/{article.pk}"' in html
    assert "The same text ran at" in html  # a wire group with copies
    timeline = html.split('id="timeline-h"', 1)[1].split("</section>", 1)[0]
    times = re.findall(r'<time datetime="([^"]+)"', timeline)
    assert len(times) == len(members) and times == sorted(times)
    sources = html.split('id="sources-h"', 1)[1].split("</section>", 1)[0]
    assert "Wire agency" in sources and "Public broadcaster" in sources and "United Kingdom" in sources
    assert "How the sources compare" in html and 'class="yes"' in html and "Key points" in html
    ld = json_ld(html)
    assert ld["@type"] == "NewsArticle" and len(ld["citation"]) == len(members)


def test_comparison_matrix_renders_only_with_facts_and_sources() -> None:
    assert comparison_matrix({}) is None
    assert comparison_matrix({"facts": [], "sources": ["A"]}) is None
    assert comparison_matrix({"summary": "text"}) is None
    matrix = comparison_matrix(
        {
            "facts": [{"kind": "number", "label": "people evacuated", "value": "3,000", "sources": ["A"]}],
            "sources": [{"source": "A"}, {"source": "B"}],
            "disagreements": [{"quantity": "people evacuated", "values": [["3,000", ["A"]], ["4,000", ["B"]]]}],
        }
    )
    assert matrix is not None and matrix.sources == ["A", "B"]
    assert matrix.rows == [("number", "people evacuated: 3,000", [True, False])]
    assert matrix.disagreements == [("people evacuated", [("3,000", "A"), ("4,000", "B")])]


# --------------------------------------------------------------------------------------------- source, hashtag, 404


def test_source_page(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(5):
        html = html_of(client, "/en/source/meridian-press")
    assert "<h1>Meridian Press Agency</h1>" in html and "Wire agency" in html and "United Kingdom" in html
    assert "English" in html and 'rel="noopener">http://127.0.0.1:' in html
    articles = Article.objects.filter(source__slug="meridian-press").order_by("-published_at")
    found = re.findall(r'<h3><a href="/en/article/([0-9a-f]{32})">', html)
    assert found == [a.pk for a in articles]
    assert 'type="application/atom+xml"' in html and "/feeds/source/meridian-press.atom" in html


def test_hashtag_page(client: Client, demo: None, django_assert_max_num_queries: Any) -> None:
    story = tessel()
    tag = story.hashtags[0]
    with django_assert_max_num_queries(5):
        html = html_of(client, f"/en/hashtag/{tag}")
    assert f"<h1>#{tag}</h1>" in html and f'href="/en/story/{story.pk}"' in html
    expected = {s.pk for s in Story.objects.all() if tag in s.hashtags}
    assert set(re.findall(r'class="card-title"><a href="/en/story/([0-9a-f]{32})"', html)) == expected
    html_of(client, "/en/hashtag/no-such-tag", 404)


@pytest.mark.parametrize("tag", ["भारी-बारिश", "জলাবদ্ধতা", "新加坡电信", "são-paulo-x"])
def test_hashtag_pages_and_feeds_of_any_script(client: Client, tag: str) -> None:
    # vowel signs and viramas are combining marks: the URL once refused them, and the tag itself came out in pieces
    story = make_story([make_article("a" * 32, "मुंबई में भारी बारिश")], hashtags=[tag, "mumbai"])
    html = html_of(client, f"/en/hashtag/{tag}")
    assert f"<h1>#{tag}</h1>" in html and f'href="/en/story/{story.pk}"' in html
    response = client.get(f"/feeds/hashtag/{tag}.json")
    assert response.status_code == 200
    assert [item["id"] for item in json.loads(response.content)["items"]]
    html_of(client, "/en/hashtag/भारी", 404)


@pytest.mark.parametrize(
    "path",
    [
        f"/en/article/{'f' * 32}",
        "/en/article/not-an-id",
        f"/en/story/{'f' * 32}",
        "/en/source/nobody",
        "/en/nowhere",
        "/feeds/source/nobody.atom",
        "/feeds/hashtag/nothing.json",
    ],
)
def test_unknown_pages_are_site_styled_404s(client: Client, path: str) -> None:
    html = html_of(client, path, 404)
    assert "Page not found" in html and "/static/newsloom/site.css" in html and "Back to top stories" in html


def test_500_page_looks_like_the_site_without_touching_the_database(rf: Any, django_assert_num_queries: Any) -> None:
    from newsloom.web.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/en/"))
    html = response.content.decode()
    assert response.status_code == 500 and "Something went wrong" in html
    assert "/static/newsloom/site.css" in html and 'class="site-header"' in html
