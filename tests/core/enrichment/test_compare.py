from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsloom.core.enrichment.compare import CompareDoc, Comparison, Fact, compare
from newsloom.core.language.facts import extract_facts, find_figures

# A fictional story: a wire agency's copy, a paper running it verbatim, and two papers reporting on their own with
# different evacuee figures.
WIRE_TEXT = """RIVERTON (Wire Press) – Floods forced the evacuation of 3,000 people in Riverton on Tuesday after the \
Alder River burst its banks, the National Disaster Agency (NDA) said.

Environment Minister Tom Reyes visited the town on Tuesday afternoon and promised £25 million in emergency funding. \
“We have never seen the water rise this fast, and we will not leave anyone behind,” said Reyes.

The NDA said 40 homes had been destroyed and two people were missing. Heavy rain is expected to continue until \
Thursday, forecasters said."""

VALLEY_TEXT = """About 3,500 residents were evacuated from Riverton as the Alder River rose to its highest level in a \
century, officials said on Wednesday.

Tom Reyes, the environment minister, told reporters: “We have never seen the water rise this fast.” He added that \
the army had been deployed.

Twelve schools in the Riverton district were closed. “The water came into our kitchen in minutes,” said Maria \
Santos, a shopkeeper on Mill Street."""

COAST_TEXT = """More than 2,000 evacuees spent the night in emergency shelters after floods hit Riverton, according \
to the National Disaster Agency.

The government has pledged £25m for the clean-up, Environment Minister Tom Reyes said. Harbour Insurance Ltd \
estimated the damage at £40 million.

Local councillor Jane Okafor said the flood defences had failed. “We warned them about this for years,” Okafor said."""

STORY = (
    CompareDoc(
        "a1",
        "Wire Press",
        WIRE_TEXT,
        "Floods force thousands from homes in Riverton",
        datetime(2031, 3, 4, 6, 0, tzinfo=UTC),
        "wg-1",
    ),
    CompareDoc(
        "b1",
        "Daily Ledger",
        WIRE_TEXT.removeprefix("RIVERTON (Wire Press) – "),
        "Riverton floods: 3,000 evacuated as Alder River bursts its banks",
        datetime(2031, 3, 4, 7, 30, tzinfo=UTC),
        "wg-1",
    ),
    CompareDoc(
        "c1",
        "Valley Times",
        VALLEY_TEXT,
        "Riverton evacuates 3,500 as floodwaters rise",
        datetime(2031, 3, 5, 9, 15, tzinfo=UTC),
        None,
    ),
    CompareDoc(
        "d1",
        "Coast Herald",
        COAST_TEXT,
        "More than 2,000 flee Riverton floods",
        datetime(2031, 3, 4, 11, 0, tzinfo=UTC),
        None,
    ),
)
OUTLETS = [doc.source for doc in STORY]


@pytest.fixture(scope="module")
def result() -> Comparison:
    return compare(STORY)


def find(result: Comparison, kind: str, label: str, value: str | None = None) -> Fact:
    matches = [f for f in result.facts if f.kind == kind and f.label == label and (value is None or f.value == value)]
    assert len(matches) == 1, (kind, label, value, result.facts)
    return matches[0]


def test_evacuee_figures_disagree(result: Comparison) -> None:
    assert len(result.disagreements) == 1
    disagreement = result.disagreements[0]
    assert disagreement.quantity == "people evacuated"
    assert dict(disagreement.values) == {
        "3,000": ("Wire Press", "Daily Ledger"),
        "more than 2,000": ("Coast Herald",),
        "about 3,500": ("Valley Times",),
    }
    assert disagreement.values[0][0] == "3,000"  # the value with most sources first
    fact = find(result, "number", "people evacuated", "about 3,500")
    assert fact.sources == ("Valley Times",)
    assert fact.article_ids == ("c1",)
    assert fact.evidence[0].startswith("Riverton evacuates 3,500")  # the headline is the first supporting sentence


def test_same_amount_written_differently_is_one_fact(result: Comparison) -> None:
    fact = find(result, "number", "emergency funding")
    assert fact.value == "£25 million"  # "£25 million" in the wire copy, "£25m" in the Coast Herald
    assert fact.sources == ("Wire Press", "Daily Ledger", "Coast Herald")
    assert find(result, "number", "homes destroyed").value == "40"
    assert find(result, "number", "people missing").value == "2"
    assert find(result, "number", "damage").value == "£40 million"


def test_quotes_are_attributed(result: Comparison) -> None:
    reyes = find(result, "quote", "Tom Reyes")
    assert reyes.value == "We have never seen the water rise this fast, and we will not leave anyone behind"
    # the Valley Times trims the quote and attributes it before the colon; still the same quote
    assert reyes.sources == ("Wire Press", "Daily Ledger", "Valley Times")
    assert len(reyes.evidence) == len(reyes.article_ids) == 3
    assert "told reporters" in reyes.evidence[2]
    assert find(result, "quote", "Maria Santos").value == "The water came into our kitchen in minutes"
    okafor = find(result, "quote", "Jane Okafor")  # `“…,” Okafor said.` resolves the surname
    assert okafor.value == "We warned them about this for years"
    claim = find(result, "quote", "National Disaster Agency")  # "…, according to the National Disaster Agency"
    assert claim.sources == ("Coast Herald",)


def test_names(result: Comparison) -> None:
    reyes = find(result, "person", "Tom Reyes")
    assert reyes.value == "Environment Minister"
    assert len(reyes.sources) == 4
    agency = find(result, "organisation", "National Disaster Agency")  # "the NDA" in the wire copy counts too
    assert agency.sources == ("Wire Press", "Daily Ledger", "Coast Herald")
    assert len(find(result, "place", "Riverton").sources) == 4
    assert find(result, "place", "Alder River").sources == ("Wire Press", "Daily Ledger", "Valley Times")
    assert find(result, "organisation", "Harbour Insurance Ltd").sources == ("Coast Herald",)
    assert find(result, "place", "Mill Street").sources == ("Valley Times",)
    labels = {f.label for f in result.facts}
    assert not labels & {"Heavy", "Heavy Rain", "Local", "Twelve", "Tuesday", "Thursday", "Wire Press", "RIVERTON"}


def test_sources_wire_copy_and_exclusive_facts(result: Comparison) -> None:
    coverage = {s.source: s for s in result.sources}
    assert [s.source for s in result.sources] == ["Wire Press", "Daily Ledger", "Coast Herald", "Valley Times"]
    assert coverage["Daily Ledger"].wire_copy
    assert not coverage["Wire Press"].wire_copy  # the earliest copy is the origin
    assert not coverage["Valley Times"].wire_copy and not coverage["Coast Herald"].wire_copy
    assert coverage["Wire Press"].first_published == datetime(2031, 3, 4, 6, 0, tzinfo=UTC)
    assert coverage["Valley Times"].article_ids == ("c1",)
    assert coverage["Wire Press"].exclusive_facts == ()  # everything it says the wire copy says too
    valley = coverage["Valley Times"].exclusive_facts
    assert "Maria Santos: “The water came into our kitchen in minutes”" in valley
    assert "schools closed: 12" in valley
    assert "people evacuated: about 3,500" in valley
    coast = coverage["Coast Herald"].exclusive_facts
    assert {"damage: £40 million", "Jane Okafor", "people evacuated: more than 2,000"} <= set(coast)


def test_ranking_and_limit(result: Comparison) -> None:
    counts = [len(f.sources) for f in result.facts]
    assert counts == sorted(counts, reverse=True)
    assert result.facts[0].sources and len(result.facts[0].sources) == 4
    assert len(compare(STORY, max_facts=5).facts) == 5
    for fact in result.facts:
        assert len(fact.article_ids) == len(fact.evidence) >= len(fact.sources)


def test_input_order_does_not_matter(result: Comparison) -> None:
    shuffled = compare([STORY[2], STORY[0], STORY[3], STORY[1]])
    assert shuffled.disagreements == result.disagreements
    assert shuffled.sources == result.sources
    assert {(f.kind, f.label, f.value, f.sources) for f in shuffled.facts} == {
        (f.kind, f.label, f.value, f.sources) for f in result.facts
    }


def test_deterministic_across_hash_seeds() -> None:
    script = (
        "from tests.core.enrichment.test_compare import STORY\n"
        "import newsloom.core.enrichment.compare as c\nprint(c.compare(STORY))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).resolve().parents[3],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_empty_and_degenerate_inputs() -> None:
    assert compare([]) == Comparison((), (), ())
    lone = compare([CompareDoc("x", "Solo", "", "", None, "wg-9")])
    assert lone.facts == () and lone.disagreements == ()
    assert lone.sources[0].wire_copy  # a wire group's only member here is a copy of something elsewhere
    assert lone.sources[0].first_published is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Some 3,000 people were evacuated on Monday.", [("people", 3000.0, "about 3,000", "people evacuated")]),
        ("The fund will be worth £25m.", [("GBP", 25e6, "£25 million", "value of the fund")]),
        ("It raised rates by 0.25 percentage points.", [("percentage points", 0.25, "0.25 percentage points", "")]),
        ("Prices rose 2.5% in 2024.", [("%", 2.5, "2.5%", "")]),
        ("Twelve schools were closed.", [("school", 12.0, "12", "schools closed")]),
        ("On March 3 at 5 p.m. in 1999, the 3rd team won.", []),
        ("Thousands fled.", []),
        ("Hundreds of homes were flooded.", [("home", "hundreds", "hundreds", "homes flooded")]),
    ],
)
def test_find_figures(sentence: str, expected: list[tuple[str, float | str, str, str]]) -> None:
    found = [(f.unit, f.value, f.display, f.label) for f in find_figures(sentence, 1)]
    assert [(u, v, d) for u, v, d, _ in found] == [(u, v, d) for u, v, d, _ in expected]
    for (*_, label), (*_, wanted) in zip(found, expected, strict=True):
        assert not wanted or label == wanted


def test_dead_and_evacuated_are_different_quantities() -> None:
    docs = [
        CompareDoc("1", "A", "Twelve people died and 3,000 people were evacuated.", "", None, None),
        CompareDoc("2", "B", "At least 14 people were killed. Some 3,000 residents were evacuated.", "", None, None),
    ]
    result = compare(docs)
    assert [d.quantity for d in result.disagreements] == ["people killed"]
    assert dict(result.disagreements[0].values) == {"12": ("A",), "at least 14": ("B",)}
    evacuated = [f for f in result.facts if f.label == "people evacuated"]
    assert len(evacuated) == 1 and evacuated[0].sources == ("A", "B")  # "3,000" and "about 3,000" agree


def test_names_without_figures_are_the_same_names() -> None:
    both, names_only = extract_facts([("Floods in Riverton", WIRE_TEXT)])[0], extract_facts(
        [("Floods in Riverton", WIRE_TEXT)], figures=False)[0]
    assert both.figures and not names_only.figures
    assert names_only.entities == both.entities and names_only.sentences == both.sentences


def test_sentence_initial_words_are_not_names() -> None:
    facts = extract_facts([("", "Heavy rain fell. Officials in Millbrook said heavy rain would continue.")])[0]
    assert {(e.kind, e.key) for e in facts.entities} == {("place", "millbrook")}


# --- precision on the demo flood story -------------------------------------------------------------------------------
# Small texts modelled on the bundled demo's River Tessel flood: an agency report, a tabloid running it under a
# shouting headline with the byline left in its text, a broadcaster's own report and an insurance-trade story.

AGENCY_TEXT = """More than 3,000 people were evacuated from their homes in the county of Harrowdale overnight \
after the River Tessel burst its banks, emergency officials said on Tuesday.

Parts of Ashbury and the village of Kettering Cross were cut off. “We have never seen the river rise this quickly,” \
said Chief Fire Officer Dana Whitlock. “Crews carried out more than 140 rescues during the night.”

Forecasters expect a further 30 to 40 millimetres of rain on Wednesday."""

BROADCASTER_TEXT = """Families who fled the rising River Tessel are sleeping in the sports hall of Ashbury Community \
School.

“We left with the clothes we were wearing and the dog,” said Priya Nandakumar, 41, who was woken by a neighbour at \
1am. “By the time we reached the end of the street, the water was up to my knees.”

Harrowdale council now says about 4,000 people have been displaced across the county.

Hydrologist Martin Oyelaran said the ground in the Tessel catchment had been saturated since autumn. “There was \
simply nowhere for that rain to go,” he said. “Every field upstream was already a sponge.”"""

INSURANCE_TEXT = """Insurers are preparing for a wave of claims after flooding along the River Tessel, with one \
industry body putting the likely bill at up to 60 million pounds.

“Once you add private homes, vehicles and farm losses across the valley, the total climbs quickly,” said the \
association's claims director, Olaf Brenninkmeyer.

Around 1,200 new homes have been approved in the valley since 2015. Shares in Harrow Mutual fell 1.4 per cent."""

FLOOD = (
    CompareDoc(
        "m1",
        "Meridian Press Agency",
        AGENCY_TEXT,
        "Thousands evacuated as River Tessel bursts its banks",
        datetime(2031, 3, 4, 3, 0, tzinfo=UTC),
        "wg-tessel",
        "Claire Ashdown",
    ),
    CompareDoc(
        "l1",
        "The Daily Lantern",
        "By Claire Ashdown, Meridian Press Agency | March 4, 2031\n\n" + AGENCY_TEXT,
        "TERROR IN THE NIGHT: 140 rescued by boat as river bursts its banks",
        datetime(2031, 3, 4, 5, 0, tzinfo=UTC),
        "wg-tessel",
    ),
    CompareDoc(
        "e1",
        "Eastmere Broadcasting Service",
        BROADCASTER_TEXT,
        "Tessel floods: families sleep in school hall",
        datetime(2031, 3, 4, 6, 0, tzinfo=UTC),
        None,
        "Joanna Pryce",
    ),
    CompareDoc(
        "x1",
        "The Crossfield Examiner",
        INSURANCE_TEXT,
        "Insurers brace for claims as Harrowdale floods swamp town centres",
        datetime(2031, 3, 4, 9, 0, tzinfo=UTC),
        None,
        "Lukas Brandt",
    ),
)


@pytest.fixture(scope="module")
def flood() -> Comparison:
    return compare(FLOOD, max_facts=100)


def exclusive(result: Comparison, source: str) -> tuple[str, ...]:
    return next(s.exclusive_facts for s in result.sources if s.source == source)


def test_flood_exclusive_facts_golden(flood: Comparison) -> None:
    assert exclusive(flood, "Meridian Press Agency") == ()
    assert exclusive(flood, "The Daily Lantern") == ("people rescued: 140",)  # the headline's own figure
    assert exclusive(flood, "Eastmere Broadcasting Service") == (
        "people evacuated: about 4,000",
        "Martin Oyelaran: “Every field upstream was already a sponge”",
        "Martin Oyelaran: “There was simply nowhere for that rain to go”",
        "Priya Nandakumar: “By the time we reached the end of the street, the water was up to my knees”",
        "Priya Nandakumar: “We left with the clothes we were wearing and the dog”",
        "Ashbury Community School",
        "Martin Oyelaran",
    )
    assert exclusive(flood, "The Crossfield Examiner") == (
        "likely bill: up to £60 million",
        "Olaf Brenninkmeyer: “Once you add private homes, vehicles and farm losses across the valley, the total "
        "climbs quickly”",
        "new homes approved: about 1,200",
        "shares in Harrow Mutual fell: 1.4%",  # "fell: 1.4%" before figures were labelled by what they measure
        "Harrow Mutual",
    )


def test_shouting_headline_words_are_not_names(flood: Comparison) -> None:
    labels = {f.label for f in flood.facts}
    assert not labels & {"TERROR", "NIGHT", "Terror", "Night"}
    # capitals that the documents also write as a name, or that introduce an acronym, are still names
    docs = [
        CompareDoc(
            "1", "A", "ASHBURY (Wire) – The Harrowdale Environment Agency (HEA) warned of rain.", "", None, None
        ),
        CompareDoc(
            "2", "B", "Rain fell on Ashbury, the HEA said. OPEC met in Vienna.", "FLOOD CHAOS: HEA warns", None, None
        ),
    ]
    result = compare(docs)
    labels = {f.label for f in result.facts}
    assert {"Ashbury", "Harrowdale Environment Agency", "OPEC"} <= labels
    assert not labels & {"FLOOD", "CHAOS", "ASHBURY", "HEA"}
    assert find(result, "organisation", "Harrowdale Environment Agency").sources == ("A", "B")


def test_an_age_or_a_lone_number_is_not_a_figure(flood: Comparison) -> None:
    texts = {f.text for f in flood.facts}
    assert not any(t.endswith((": 41", ": 30")) for t in texts), texts
    assert "rain: 40 mm" in texts


def test_quote_closing_a_sentence_is_not_given_to_the_next_sentence(flood: Comparison) -> None:
    speakers = {f.label for f in flood.facts if f.kind == "quote"}
    assert not any("council" in s.lower() for s in speakers), speakers
    knees = find(
        flood, "quote", "Priya Nandakumar", "By the time we reached the end of the street, the water was up to my knees"
    )
    assert knees.sources == ("Eastmere Broadcasting Service",)
    crews = find(flood, "quote", "Dana Whitlock", "Crews carried out more than 140 rescues during the night")
    assert crews.sources == ("Meridian Press Agency", "The Daily Lantern")


def test_places_do_not_speak(flood: Comparison) -> None:
    assert find(flood, "place", "River Tessel").sources == tuple(doc.source for doc in FLOOD)
    assert find(flood, "place", "Kettering Cross").sources == ("Meridian Press Agency", "The Daily Lantern")
    speakers = {f.label for f in flood.facts if f.kind == "quote"}
    assert speakers == {"Dana Whitlock", "Priya Nandakumar", "Martin Oyelaran", "Olaf Brenninkmeyer"}


def test_bylines_are_not_facts(flood: Comparison) -> None:
    labels = {f.label for f in flood.facts}
    assert not labels & {"Claire Ashdown", "Joanna Pryce", "Lukas Brandt"}
    # the author line without "By" is recognised from the author field
    text = "Claire Ashdown | Meridian Press Agency\n\nRescuers reached Kettering Cross by boat and stayed in Millbrook."
    with_author = compare([CompareDoc("1", "A", text, "", None, None, "Claire Ashdown, Meridian Press Agency")])
    assert {f.label for f in with_author.facts} == {"Kettering Cross", "Millbrook"}
    # a reporter named in the story itself is still a fact
    text = "Reporter Claire Ashdown was rescued by boat from Millbrook, Harrowdale police said."
    named = compare([CompareDoc("1", "A", text, "", None, None, "Claire Ashdown")])
    assert find(named, "person", "Claire Ashdown").value == "Reporter"


def test_a_person_named_only_where_quoted_is_not_repeated(flood: Comparison) -> None:
    people = {f.label for f in flood.facts if f.kind == "person"}
    assert "Priya Nandakumar" not in people and "Olaf Brenninkmeyer" not in people  # only in their quotes
    assert {"Martin Oyelaran", "Dana Whitlock"} <= people  # named apart from his quote; she has a role
    assert find(flood, "person", "Dana Whitlock").value == "Chief Fire Officer"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("“We left,” said Priya Nandakumar, 41, who was woken at 1am.", []),
        ("Forecasters expect a further 30 to 40 millimetres of rain.", [("mm", 40.0, "40 mm")]),
        ("Around 1,200 new homes have been approved in the valley.", [("home", 1200.0, "about 1,200")]),
        ("No deaths have been reported, but two people were taken to hospital.", [("people", 2.0, "2")]),
    ],
)
def test_find_figures_precision(sentence: str, expected: list[tuple[str, float, str]]) -> None:
    found = find_figures(sentence, 1)
    assert [(f.unit, f.value, f.display) for f in found] == expected
    assert all("killed" not in f.label for f in found)


def test_claims_according_to_someone_are_found_from_each_attribution() -> None:
    text = ("Fares will rise by a tenth next year, according to Transport Minister Ana Lopes. The line reopens on "
            "Monday, according to the operator Rail North. “Short,” according to her. " + "Filler words. " * 400
            + "Repairs will cost 4 million pounds, according to engineer Tom Reyes.")
    doc = CompareDoc("x1", "Wire", text, "Fares", None, None)
    quotes = [f for f in compare([doc]).facts if f.kind == "quote"]
    said = {(f.label, f.value) for f in quotes}
    assert ("Ana Lopes", "Fares will rise by a tenth next year") in said
    assert ("Tom Reyes", "Repairs will cost 4 million pounds") in said


# Real coverage listed "Russia's", "Russian" and "North Korean" as places beside Russia and North Korea.
KOREA_TITLE = "North Korean leader hails ties with Russia"
KOREA_TEXT = (
    "SEOUL, South Korea — North Korea's leader praised Russia's support on Saturday, as a North Korean delegation "
    "arrived in Moscow. Russian officials said the talks in Vladivostok would cover trade. North Korea has sent "
    "artillery shells to Russia, according to South Korean intelligence. Crowds in Pyongyang cheered as Russians and "
    "North Koreans met in the streets, officials in Russia's far east said."
)
KOREA_OTHER = (
    "Russia and North Korea signed a new agreement on Monday. The Russian defence minister met North Korean generals "
    "in Pyongyang. Analysts in Seoul said the war in Ukraine had made North Korea an important partner for Russia."
)


def test_possessives_and_demonyms_fold_into_the_place_they_name() -> None:
    docs = [
        CompareDoc("k1", "Seoul Daily", KOREA_TEXT, KOREA_TITLE, datetime(2024, 9, 14, tzinfo=UTC), None),
        CompareDoc("k2", "Asia Wire", KOREA_OTHER, "Russia and North Korea deepen ties",
                   datetime(2024, 9, 16, tzinfo=UTC), None),
    ]
    places = [fact.label for fact in compare(docs).facts if fact.kind == "place"]

    assert "Russia" in places and "North Korea" in places
    assert not {"Russia's", "Russian", "North Korean", "South Korean", "Russians", "North Koreans"} & set(places)
    assert len(places) == len(set(places))
    facts = extract_facts([(KOREA_TITLE, KOREA_TEXT)])[0]
    assert all("'s" not in e.name and e.name not in ("Russians", "North Koreans") for e in facts.entities)
