from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from newsloom.articles.models import Article, WireGroup
from newsloom.sources.actions import ensure_source
from newsloom.stories import actions
from newsloom.stories.models import ClusterState, Story

pytestmark = pytest.mark.django_db(transaction=True)

FLOOD = [
    "More than 3,000 people were evacuated from their homes in Harrowdale overnight after the River Tessel burst "
    "its banks following three days of torrential rain, emergency officials said on Tuesday.",
    "The Harrowdale county council opened four rest centres in schools and sports halls, and said around 600 "
    "residents had spent the night there while others stayed with relatives.",
    "Rescue crews used boats to reach elderly residents trapped on upper floors in the low-lying Millbrook district, "
    "where water reached the first floor of some houses by dawn.",
    "The national weather service said more rain was expected on Wednesday and kept its red warning in place for "
    "the Tessel valley, the first such warning in the region for eleven years.",
    "Insurers said it was too early to estimate the damage, but a trade group put losses to shops and warehouses in "
    "the town centre at about 25 million pounds, a figure it expected to rise.",
]
FLOOD_OTHER = [
    "Shopkeepers in Harrowdale town centre spent Wednesday shovelling mud out of their premises as the River Tessel "
    "began to fall back after the worst flooding the county has seen in decades.",
    "Emergency officials said 3,500 people had now been evacuated and warned that some would not return home "
    "for weeks.",
    "In Millbrook, volunteers handed out blankets and hot meals from a church hall while boats ferried pensioners "
    "to dry ground; one resident said the water rose faster than anyone expected.",
    "The county council said the flood defences built after the last major flood had held in most places but were "
    "overtopped near the old mill bridge.",
]
RATES = [
    "The central bank of Norland raised its main interest rate by a quarter of a percentage point to 4.5 percent on "
    "Thursday, its third increase this year, citing stubborn inflation in services.",
    "Governor Elsa Marten told reporters the bank was prepared to act again if price growth did not slow, although "
    "most members of the rate committee expected inflation to ease by the spring.",
    "Mortgage lenders said they would pass the increase on to borrowers within days, adding roughly 40 crowns a month "
    "to the average home loan repayment.",
    "Economists had been divided ahead of the decision, with several arguing that a weakening labour market "
    "justified a pause.",
]


def make(source: str, aid: str, title: str, paragraphs: list[str], hours_ago: float) -> Article:
    src = ensure_source(source)
    text = "\n\n".join(paragraphs)
    return Article.objects.create(
        id=aid, url=f"https://{src.slug}.example/{aid}", canonical_url=f"https://{src.slug}.example/{aid}",
        source=src, title=title, text=text, status=Article.Status.OK, language="en",
        published_at=timezone.now() - timedelta(hours=hours_ago),
    )


def corpus(order: list[int] | None = None) -> None:
    items = [
        ("Meridian Press", "a" * 32, "Thousands evacuated as Tessel floods Harrowdale", FLOOD, 10),
        ("Daily Lantern", "b" * 32, "Floods force 3,000 from homes", FLOOD, 9),  # verbatim wire copy
        ("Valley Courier", "c" * 32, "Tessel floods: rest centres open", FLOOD[:3], 8),  # cut copy
        ("Harbour Gazette", "d" * 32, "Harrowdale counts the cost as Tessel recedes", FLOOD_OTHER, 5),
        ("Norland Times", "e" * 32, "Central bank raises rates to 4.5 percent", RATES, 7),
        ("Capital Post", "f" * 32, "Norland rate rise to hit mortgages", [RATES[2], RATES[0], RATES[3], RATES[1]],
         6),
    ]
    for i in order or range(len(items)):
        make(*items[i])


def placement() -> dict[str, tuple[str | None, str | None]]:
    return {a.pk: (a.wire_group_id, a.story_id) for a in Article.objects.all()}


def test_wire_copies_and_stories() -> None:
    corpus()
    assert actions.build_stories() == 6
    p = placement()
    a, b, c, d, e, f = (ch * 32 for ch in "abcdef")
    assert p[a][0] == p[b][0] == p[c][0] == a  # the earliest copy is the origin
    assert p[d][0] == d  # a different report on the same event is not a copy
    assert p[e][0] == p[f][0] == e  # paragraphs reordered: still a copy
    assert p[a][1] == p[b][1] == p[c][1] == p[d][1] == a
    assert p[e][1] == p[f][1] == e and p[e][1] != p[a][1]
    flood = Story.objects.get(pk=a)
    assert (flood.article_count, flood.source_count, flood.wire_group_count) == (4, 4, 2)
    assert flood.first_published < flood.last_published and flood.score > 0 and flood.title
    assert WireGroup.objects.get(pk=a).size == 3
    assert actions.build_stories() == 0  # idempotent


def test_a_late_article_joins_its_story() -> None:
    corpus()
    actions.build_stories()
    make("Late Herald", "9" * 32, "Harrowdale flood: insurers count losses", FLOOD_OTHER[::-1], 1)
    assert actions.build_stories() == 1
    assert Article.objects.get(pk="9" * 32).story_id == "a" * 32
    assert Story.objects.get(pk="a" * 32).article_count == 5


def test_another_process_writing_triggers_a_replay_with_the_same_result() -> None:
    corpus()
    actions.build_stories()
    before = placement()
    actions.forget_engine()
    ClusterState.objects.update(version=ClusterState.objects.get().version + 1)  # someone else wrote
    make("Late Herald", "9" * 32, "Norland borrowers face higher costs", RATES[2:], 1)
    actions.build_stories()
    after = placement()
    assert {k: after[k] for k in before} == before
    assert after["9" * 32][1] == "e" * 32


def test_the_result_does_not_depend_on_arrival_order() -> None:
    corpus([5, 3, 1, 4, 0, 2])
    actions.build_stories()
    first = placement()
    Article.objects.all().delete()
    Story.objects.all().delete()
    WireGroup.objects.all().delete()
    actions.forget_engine()
    ClusterState.objects.all().delete()
    corpus()
    actions.build_stories()
    assert placement() == first


def test_score_prefers_more_sources_and_recency() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert actions.story_score(5, now, 0, now) > actions.story_score(2, now, 0, now)
    assert actions.story_score(3, now, 0, now) > actions.story_score(3, now - timedelta(days=1), 0, now)
    assert actions.story_score(3, now, 4, now) > actions.story_score(3, now, 0, now)
    assert actions.story_score(3, None, 0, now) == 0


def test_a_pass_refreshes_only_the_wire_groups_an_article_joined_or_left() -> None:
    corpus()
    actions.build_stories()
    other = Article.objects.get(pk="d" * 32).wire_group_id  # the same story's other text
    WireGroup.objects.filter(pk=other).update(size=99)  # a group this pass has no reason to touch
    make("Late Herald", "9" * 32, "Floods force thousands out", FLOOD, 1)  # another copy of the agency text
    assert actions.build_stories() == 1
    late = Article.objects.get(pk="9" * 32)
    assert late.wire_group_id == "a" * 32 and WireGroup.objects.get(pk="a" * 32).size == 4
    assert late.story_id == Article.objects.get(pk="d" * 32).story_id
    assert WireGroup.objects.get(pk=other).size == 99  # untouched: no article joined or left it

    WireGroup.objects.create(id="7" * 32, size=3)
    actions.refresh_wire_groups(["7" * 32, "a" * 32])
    assert WireGroup.objects.get(pk="7" * 32).size == 0  # every article left it
    assert WireGroup.objects.get(pk="a" * 32).size == 4


def test_a_pass_applies_the_window_to_the_engine_it_keeps() -> None:
    """A process that keeps the lock keeps its engine between passes: articles older than the window are placed and
    stored, and then no longer held in memory (they used to be, until the process restarted)."""
    actions.forget_engine()
    days_ago = (actions.DEFAULT_WINDOW + timedelta(days=5)).total_seconds() / 3600
    make("Meridian Press", "a" * 32, "Thousands evacuated as Tessel floods Harrowdale", FLOOD, days_ago)
    make("Harbour Gazette", "d" * 32, "Harrowdale counts the cost as Tessel recedes", FLOOD_OTHER, days_ago - 1)
    make("Norland Times", "e" * 32, "Central bank raises rates to 4.5 percent", RATES, 7)
    assert actions.build_stories() == 3
    assert all(story for _, story in placement().values())
    kept = actions.engine()
    assert [s.id for s in kept.clusterer.stories()] == ["e" * 32]
    assert set(kept.wire_of) == {"e" * 32} and set(kept.published) == {"e" * 32}
    make("Capital Post", "f" * 32, "Norland rate rise to hit mortgages", [RATES[2], RATES[0], RATES[3], RATES[1]], 6)
    assert actions.build_stories() == 1
    assert actions.engine() is kept
    assert placement()["f" * 32] == ("e" * 32, "e" * 32)
