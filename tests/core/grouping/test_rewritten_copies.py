"""Wire copies as outlets really run them: dateline rewritten, time words dropped, words swapped, other paragraphs,
cut to about half. Two such copies keep only about a third of the shorter's 5-shingles in the other, and each
outlet's copy then got a wire group of its own. Different texts about the same event stay apart: another report,
one quoting the same statement or post, one under the same agency photo, a paper rewriting the agency's report.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsloom.core.grouping.wirecopies import NearDuplicateIndex, wire_groups
from tests.core.grouping.test_wirecopies import AGENCY, OTHER_REPORT, T0

# Two outlets' runs of AGENCY (356 words): 148 and 161 words, each edited its own way.
OUTLET_A = """HARBOR CITY: A magnitude 6.4 earthquake struck off the northern coast, shaking buildings across \
Harbor City and knocking out power to around 120,000 homes, officials say.

The quake hit at 4:12 a.m. about 38 kilometres (24 miles) northwest of the city at a depth of 10 kilometres, \
according to the national seismological institute.

Several aftershocks followed, the strongest measuring 5.1. Mayor Elena Vasquez told a news conference that two \
people died when a wall collapsed in the old market district and at least 47 others were treated for injuries, most \
of them minor.

"We are still going street by street, and I ask everyone to stay away from damaged buildings until engineers have \
inspected them," Vasquez said.

Rail services between Harbor City and the capital were suspended while crews checked bridges and tunnels, the \
national rail company said. Flights at the international airport resumed after a two-hour pause."""

OUTLET_B = """Harbor City, March 5 (Reuters) - A 6.4-magnitude earthquake struck off the northern coast early on \
Tuesday, shaking buildings across Harbor City and knocking out power to about 120,000 households, officials said.

The quake hit at 4:12 a.m. some 38 km (24 miles) northwest of the city at a depth of 10 km, according to the \
country's seismological institute. Several aftershocks followed, the strongest measuring 5.1.

Mayor Elena Vasquez said at a press conference that two people were killed when a wall fell in the old market \
district and at least 47 others were treated for injuries, most of them minor.

Rail service between Harbor City and the capital was halted while crews checked bridges and tunnels, the national \
railway said.

The port authority reported cracks in one of the container piers and said cargo operations would stay halted until \
at least Wednesday.

Fishing boats were told to stay in the harbour as a precaution, though no tsunami warning was issued."""

STATEMENT = (
    "“We are still going street by street, and I ask everyone to stay away from damaged buildings until engineers have "
    "inspected them. The city has opened three shelters, the schools will stay closed on Wednesday and the army is "
    "helping us clear the rubble in the old market district,” the mayor said in a statement."
)
# Another paper's own report built round the same statement.
QUOTING_REPORT = "\n\n".join(
    [
        "Harbor City spent the day counting cracks after the strongest tremor in decades.",
        "Mayor Elena Vasquez put out a statement by mid-morning. " + STATEMENT,
        "Shopkeepers swept glass from the pavement and compared notes on insurance, while volunteers handed out "
        "water to families who chose to sleep outdoors in the main square.",
    ]
)
BRIEF_WITH_STATEMENT = "Officials in Harbor City gave an update on Tuesday.\n\n" + STATEMENT

POST = (
    "Two dead, 47 injured, power out for 120,000 homes. Stay away from damaged buildings until engineers have checked "
    "them, and follow the emergency services for updates. — Elena Vasquez (@MayorVasquez) March 5, 2024"
)
CAPTION = (
    "FILE - In this March 5, 2024, file photo, rescue workers search the rubble of a collapsed wall in the old market "
    "district of Harbor City after a magnitude 6.4 earthquake struck off the northern coast. (AP Photo/Ana Ruiz, File)"
)

# A paper rewriting the agency's report: the agency's sentences reworded one by one, with its own sentences between.
REWRITTEN_REPORT = "\n\n".join(
    [
        "A powerful magnitude 6.4 earthquake struck off the northern coast in the early hours of Tuesday, violently "
        "shaking buildings across the whole of Harbor City and knocking out the power to about 120,000 homes, "
        "officials said.",
        "Our reporter in the city described scenes of panic as residents ran into the streets in their nightclothes, "
        "many of them carrying children and pets, and gathered in parks and squares to wait for daylight.",
        "The quake hit at 4:12 a.m. local time about 38 kilometers northwest of the city, at a shallow depth of 10 "
        "kilometers, according to the national seismological institute, which recorded several strong aftershocks.",
        "It was the strongest tremor to hit the region in more than three decades, and many older residents said it "
        "had brought back painful memories of the disaster of 1987.",
        "Mayor Elena Vasquez told reporters at a hastily arranged news conference that two people were killed when an "
        "old wall collapsed in the market district, and at least 47 others were treated for injuries, most of them "
        "minor.",
        "Hospitals in the province said they had cancelled routine operations and called in extra staff, and blood "
        "banks appealed for donors as a precaution against further casualties.",
        "Rail service between Harbor City and the capital was suspended for the day while crews checked all of the "
        "bridges and tunnels on the line, the national railway company said in a short statement.",
    ]
)


@pytest.mark.parametrize("later", [timedelta(hours=1), timedelta(hours=-1)], ids=["a first", "b first"])
def test_two_outlets_rewritten_and_cut_copies_of_one_agency_text_are_one_wire_group(later: timedelta) -> None:
    index = NearDuplicateIndex()
    sig_a, sig_b = index.signature(OUTLET_A), index.signature(OUTLET_B)
    index.add("a", sig_a)
    shingles = index.compare("a", sig_b)
    assert shingles.containment < 0.5  # what the shingles alone said: two different texts

    groups = wire_groups([("a", T0, OUTLET_A), ("b", T0 + later, OUTLET_B)])

    first = "a" if later > timedelta(0) else "b"
    assert groups == {"a": first, "b": first}


def test_each_rewritten_copy_matches_the_agency_text_and_the_agency_text_matches_it() -> None:
    for text in (OUTLET_A, OUTLET_B):
        index = NearDuplicateIndex()
        index.add("agency", index.signature(AGENCY))
        assert [m.doc_id for m in index.query(index.signature(text))] == ["agency"]
        index = NearDuplicateIndex()
        index.add("copy", index.signature(text))
        assert [m.doc_id for m in index.query(index.signature(AGENCY))] == ["copy"]


@pytest.mark.parametrize(
    "text",
    [OTHER_REPORT, QUOTING_REPORT, REWRITTEN_REPORT, BRIEF_WITH_STATEMENT],
    ids=["another report", "a report quoting the same statement", "a paper's rewrite", "a brief quoting it"],
)
def test_different_texts_about_the_same_event_are_not_copies_of_the_rewritten_ones(text: str) -> None:
    docs = [("a", T0, OUTLET_A), ("b", T0 + timedelta(minutes=5), OUTLET_B), ("x", T0 + timedelta(hours=1), text)]

    assert wire_groups(docs)["x"] == "x"


def test_a_paper_rewriting_the_report_is_told_apart_by_its_own_sentences_between() -> None:
    index = NearDuplicateIndex()
    index.add("outlet", index.signature(OUTLET_A))

    match = index.compare("outlet", index.signature(REWRITTEN_REPORT))

    # every sentence of the shorter run has a reworded counterpart, in order, but with the paper's own between
    assert match.alignment.share > 0.9 and match.alignment.first == 0
    assert match.alignment.density < index.min_aligned_density
    assert not index.is_copy(match)


def test_texts_sharing_a_statement_an_embedded_post_or_a_caption_are_not_copies() -> None:
    own = [
        "Relief groups began arriving in Harbor City on Tuesday afternoon with tents, blankets and water purifiers.",
        "The Red Crescent said it had sent forty volunteers and two field kitchens to the old market district.",
    ]
    other = [
        "The provincial government announced an emergency fund for rebuilding homes damaged by the quake.",
        "Officials said the money would be paid out within weeks to owners whose houses had been inspected.",
    ]
    for shared in (STATEMENT, POST, CAPTION):
        index = NearDuplicateIndex()
        index.add("one", index.signature("\n\n".join([shared, *own])))

        match = index.compare("one", index.signature("\n\n".join([shared, *other])))

        assert match.overlap >= index.min_overlap  # they do share a run of text
        assert not index.is_copy(match), shared[:30]


def test_a_statement_run_in_full_by_two_outlets_is_still_one_text() -> None:
    index = NearDuplicateIndex()
    index.add("one", index.signature(STATEMENT))

    assert [m.doc_id for m in index.query(index.signature("STATEMENT\n\n" + STATEMENT))] == ["one"]
