"""The AI panel's interactive parts: 'how sources differ' and 'ask about this story' (cited, rate-limited)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from newsloom.articles.models import Article
from newsloom.web import enrichment_panel
from tests.web.test_pages import html_of, tessel

pytestmark = pytest.mark.django_db

QUESTION = "How many rescues did crews carry out?"


def ask(client: Client, story_id: str, question: str, **headers: str) -> Any:
    return client.get(f"/en/story/{story_id}/ask", {"q": question}, headers=headers)


def test_article_panel_tells_how_sources_differ(client: Client, demo: None) -> None:
    story = tessel()
    html = html_of(client, f"/en/article/{story.pk}")
    panel = html.split('<aside class="ai"', 1)[1].split("</aside>", 1)[0]
    assert "How sources differ" in panel
    exclusive = [(s["source"], s["exclusive_facts"]) for s in story.comparison["sources"] if s["exclusive_facts"]]
    assert exclusive, "the demo's flood story has facts only one outlet reports"
    for name, facts in exclusive[: enrichment_panel.MAX_EXCLUSIVE_SOURCES]:
        assert f"Only {name} reports:" in panel
        assert facts[0].replace("“", "&ldquo;")[:20] in panel or facts[0][:20] in panel
    disagreements = story.comparison["disagreements"]
    assert disagreements, "the demo's outlets give different evacuation figures"
    for item in disagreements:
        assert f"<strong>{item['quantity']}</strong>: " in panel
    story_page = html_of(client, f"/en/story/{story.pk}")
    assert f"<strong>{disagreements[0]['quantity']}</strong>: " in story_page.split('id="comparison-h"', 1)[1]
    assert f'action="/en/story/{story.pk}/ask"' in panel and 'hx-get="/en/story/' in panel


def test_differences_ignore_what_is_not_a_comparison() -> None:
    assert enrichment_panel.differences(None) is None
    assert enrichment_panel.differences({"sources": "A"}) is None
    assert enrichment_panel.differences({"sources": [{"source": "A", "exclusive_facts": []}]}) is None
    found = enrichment_panel.differences({
        "sources": [{"source": "A", "exclusive_facts": ["mayor: “we will rebuild”", 3]}, "junk"],
        "disagreements": [{"quantity": "people evacuated", "values": [["3,000", ["A"]], ["4,000", ["B", "C"]]]},
                          {"quantity": "bad", "values": [["x"]]}],
    })
    assert found is not None
    assert [(s.source, s.only_here) for s in found.sources] == [("A", ["mayor: “we will rebuild”"])]
    assert found.disagreements == [("people evacuated", [("3,000", "A"), ("4,000", "B, C")])]


def test_ask_answers_with_sentences_quoted_from_the_story(client: Client, demo: None) -> None:
    story = tessel()
    response = ask(client, story.pk, QUESTION)
    assert response.status_code == 200 and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert "<html" in html and "You asked:" in html and QUESTION in html
    answer = html.split('<ul class="answer-list">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?) <a class=\"cite\" href=\"/en/article/([0-9a-f]{32})\"", answer)
    assert items, answer
    texts = dict(Article.objects.filter(story=story).values_list("pk", "text"))
    for sentence, article_id in items:
        assert article_id in texts
        assert sentence.replace("&quot;", '"').replace("&#x27;", "'") in texts[article_id]
    assert any("140 rescues" in sentence for sentence, _ in items)


def test_ask_through_htmx_returns_only_the_answer(client: Client, demo: None) -> None:
    response = ask(client, tessel().pk, QUESTION, HX_Request="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'class="answer-list"' in html


def test_ask_edges(client: Client, demo: None) -> None:
    story = tessel()
    assert ask(client, "f" * 32, QUESTION).status_code == 404
    assert client.post(f"/en/story/{story.pk}/ask", {"q": QUESTION}).status_code == 405
    empty = ask(client, story.pk, "   ").content.decode()
    assert "Type a question about this story." in empty
    hostile = ask(client, story.pk, "<script>alert(1)</script> " + "x" * 5000).content.decode()
    assert "<script>alert(1)</script>" not in hostile and "&lt;script&gt;" in hostile
    unanswerable = ask(client, story.pk, "zzqx wvut").content.decode()
    assert "None of this story" in unanswerable


def test_questions_are_rate_limited_per_client(client: Client, demo: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enrichment_panel, "ASK_RATE", 2)
    story = tessel()
    codes = [ask(client, story.pk, QUESTION, HX_Request="true").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = ask(client, story.pk, QUESTION, HX_Request="true").content.decode()
    assert "Too many questions" in limited
    other = client.get(f"/en/story/{story.pk}/ask", {"q": QUESTION}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
