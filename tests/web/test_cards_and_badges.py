"""What a story card and a source's badges show: one or two sentences, and nothing for a kind nobody set."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from newsloom.sources.models import Source
from tests.web.factories import make_article, make_story

pytestmark = pytest.mark.django_db

SUMMARY = [
    "Floodwater reached the Ashbury gauge at 5.8 metres on Monday, the highest level in forty years.",
    "More than 3,000 people were evacuated from the low streets of Harrowdale overnight.",
    "The council opened four rest centres and asked residents to keep off the river paths.",
    "Rail services between Harrowdale and the coast were suspended until the line is inspected.",
]


def card_of(html: str) -> str:
    return html.split('class="card', 1)[1].split("</article>", 1)[0]


def test_a_home_card_shows_one_or_two_sentences_of_the_summary(client: Client) -> None:
    article = make_article("a" * 32, "River bursts its banks")
    make_story([article], summary=[{"text": text, "article_id": article.pk} for text in SUMMARY])

    card = card_of(client.get("/en/").content.decode())

    summary = re.search(r'<p class="card-summary">(.*?)</p>', card, re.S)
    assert summary is not None
    assert SUMMARY[0] in summary.group(1) and SUMMARY[1] in summary.group(1)
    assert SUMMARY[2] not in card and SUMMARY[3] not in card


def test_a_long_first_sentence_stands_alone_on_a_card(client: Client) -> None:
    long_first = " ".join(["The river rose through the night and"] * 6) + " reached the gauge."
    article = make_article("b" * 32, "River bursts its banks")
    make_story([article], summary=[{"text": t, "article_id": article.pk} for t in [long_first, *SUMMARY]])

    card = card_of(client.get("/en/").content.decode())

    assert long_first in card and SUMMARY[0] not in card


def test_a_source_whose_kind_nobody_set_shows_no_kind_badge(client: Client) -> None:
    unknown = make_article("c" * 32, "River bursts its banks", source="Loom Herald")
    wire = make_article("d" * 32, "River floods town", source="Meridian Wire")
    Source.objects.filter(name="Meridian Wire").update(kind=Source.Kind.WIRE, country="GB")
    assert Source.objects.get(name="Loom Herald").kind == Source.Kind.UNKNOWN
    story = make_story([unknown, wire])

    story_html = client.get(f"/en/story/{story.pk}").content.decode()
    source_html = client.get("/en/source/loom-herald").content.decode()

    for html in (story_html, source_html):
        assert "kind-unknown" not in html and ">Unknown<" not in html
    assert "kind-wire" in story_html  # a kind that was set still shows
    assert "United Kingdom" in story_html
