"""Wire copies: what must be grouped (one agency text, however outlets trim and dress it) and what must not."""

from __future__ import annotations

import pickle
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsloom.core.grouping.wirecopies import NearDuplicateIndex, Signature, WireMatch, shingle_hashes, wire_groups
from newsloom.core.text import split_sentences

AGENCY = "\n\n".join(
    [
        "HARBOR CITY (AP) — A magnitude 6.4 earthquake struck off the northern coast early Tuesday, shaking "
        "buildings across Harbor City and knocking out power to about 120,000 homes, officials said.",
        "The quake hit at 4:12 a.m. about 38 kilometers (24 miles) northwest of the city at a depth of 10 "
        "kilometers, according to the national seismological institute. Several aftershocks followed, the "
        "strongest measuring 5.1.",
        "Mayor Elena Vasquez said at a news conference that two people were killed when a wall collapsed in "
        "the old market district and at least 47 others were treated for injuries, most of them minor.",
        "“We are still going street by street, and I ask everyone to stay away from damaged buildings until "
        "engineers have inspected them,” Vasquez said.",
        "Rail service between Harbor City and the capital was suspended while crews checked bridges and "
        "tunnels, the national railway company said. Flights at the international airport resumed after a "
        "two-hour pause.",
        "The port authority reported cracks in one of the container piers and said cargo operations would "
        "remain halted at least until Wednesday. Fishing boats were ordered to stay in the harbor as a "
        "precaution, although no tsunami warning was issued.",
        "Residents described being thrown from their beds as furniture slid across rooms. Maria Okafor, a "
        "nurse who lives near the waterfront, said the shaking lasted nearly half a minute. “The windows were "
        "rattling so loudly that I thought they would explode,” she said.",
        "The region sits on a fault system that produced a deadly magnitude 7.0 earthquake in 1987, which "
        "destroyed much of the old town and killed more than 300 people. Building codes were tightened after "
        "that disaster, and engineers credited the stricter rules with limiting the damage this time.",
        "Schools across the province will stay closed on Wednesday, the education ministry said, and several "
        "hospitals moved patients out of older wings while structural checks were carried out. The national "
        "government released emergency funds and sent army engineers to help clear debris.",
        "Seismologists warned that strong aftershocks could continue for days and urged residents to keep "
        "emergency kits ready, secure heavy furniture and agree on a meeting point with their families.",
    ]
)

# Same event, another reporter: shares names, places, numbers and one quoted sentence, not the text.
OTHER_REPORT = "\n\n".join(
    [
        "Harbor City woke to sirens on Tuesday after the strongest tremor in decades rolled in from the sea "
        "before dawn.",
        "By mid-morning, Mayor Elena Vasquez had confirmed two deaths in the old market district, where a "
        "wall gave way, and 47 injuries. “We are still going street by street, and I ask everyone to stay "
        "away from damaged buildings until engineers have inspected them,” Vasquez said.",
        "The 6.4 quake, centered 38 kilometers off the coast, cut electricity to roughly 120,000 households. "
        "Trains to the capital stopped running and the port shut its container piers until Wednesday.",
        "For many older residents the morning revived memories of 1987, when a 7.0 quake flattened the old "
        "town and more than 300 people died. Since then, the city has rebuilt almost every public school and "
        "hospital to a stricter standard, a program that cost billions and was often criticised as excessive.",
        '"That money is the reason we are counting two victims and not two hundred," said Tomas Reyes, an '
        "engineer at the provincial university who helped draft the rules. He spent the day inspecting a "
        "hospital wing that had to be emptied as a precaution.",
        "Shopkeepers in the market swept glass from the pavement and compared notes on cracks. Several said "
        "insurers had already called. Others worried about the fishing fleet, kept in the harbor for a day "
        "that would normally be one of the busiest of the season.",
        "The army arrived in the afternoon with heavy equipment and began clearing the rubble from the "
        "collapsed wall, while volunteers handed out water and blankets to families who chose to sleep "
        "outdoors.",
    ]
)

UNRELATED = "\n\n".join(
    [
        "The city council on Monday approved a plan to extend the tram line to the university campus, ending "
        "a debate that has lasted almost a decade.",
        "Supporters say the extension will cut commuting times for thousands of students and reduce traffic "
        "on the ring road. Opponents argued that the money would be better spent on buses, which can be "
        "rerouted as the city grows.",
        "Construction is expected to start next spring and to take three years. The council said the project "
        "would be financed by a mix of regional grants and a bond issue, and that ticket prices would not "
        "rise as a result.",
        "Local businesses along the route welcomed the decision but asked for compensation during the works, "
        "which will close parts of the main avenue to cars for several months.",
    ]
)

BRIEF_SENTENCE = (
    "Officials urged residents to avoid the area and follow updates from the emergency services on local radio."
)
BRIEF_A = (
    "A fire broke out in a warehouse near the river on Sunday evening, sending smoke over the suburbs. "
    + BRIEF_SENTENCE
)
BRIEF_B = "A delivery truck overturned on the coastal highway on Monday morning, spilling its load. " + BRIEF_SENTENCE

BOILERPLATE = ["Sign up for our newsletter", "Share this article", "Advertisement"]
T0 = datetime(2024, 3, 5, 6, 0, tzinfo=UTC)


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


def lead(text: str, share: float) -> str:
    """Keep whole sentences from the top until ``share`` of the words are kept, paragraph breaks intact."""
    budget = share * len(text.split())
    kept: list[str] = []
    for paragraph in paragraphs(text):
        sentences = []
        for sentence in split_sentences(paragraph):
            if budget <= 0:
                break
            sentences.append(sentence)
            budget -= len(sentence.split())
        if sentences:
            kept.append(" ".join(sentences))
    return "\n\n".join(kept)


def edit_words(text: str, every: int) -> str:
    """Replace every ``every``-th word (outlets' house style: "said" for "says", a name spelled out, ...)."""
    words = text.split(" ")
    return " ".join("changed" if i % every == every // 2 else word for i, word in enumerate(words))


COPIES = {
    "verbatim": AGENCY,
    "lead 50%": lead(AGENCY, 0.5),
    "lead 30%": lead(AGENCY, 0.3),
    "paragraphs reordered": "\n\n".join(reversed(paragraphs(AGENCY))),
    "new headline": "Deadly quake shakes Harbor City, power cut to thousands\n\n" + AGENCY,
    "5% of words changed": edit_words(AGENCY, 20),
    "outlet intro and boilerplate": "\n\n".join(
        [
            "Our correspondent in the region has been following the story since the early hours. Here is what we "
            "know so far about the earthquake and the response of the authorities.",
            *paragraphs(AGENCY)[:5],
            BOILERPLATE[0],
            *paragraphs(AGENCY)[5:],
            *BOILERPLATE[1:],
        ]
    ),
    "half, edited, with boilerplate": "\n\n".join([edit_words(lead(AGENCY, 0.5), 30), *BOILERPLATE]),
    "typography": AGENCY.replace("“", '"').replace("”", '"').replace("—", "-").upper(),
}


@pytest.fixture
def index() -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    index.add("agency", index.signature(AGENCY))
    index.add("unrelated", index.signature(UNRELATED))
    return index


@pytest.mark.parametrize("name", COPIES)
def test_copies_of_the_agency_text_match_it(index: NearDuplicateIndex, name: str) -> None:
    matches = index.query(index.signature(COPIES[name]))

    assert [m.doc_id for m in matches] == ["agency"]
    assert matches[0].containment >= 0.7
    assert index.is_copy(matches[0])


def test_a_cut_copy_is_contained_in_its_original_though_its_jaccard_is_low(index: NearDuplicateIndex) -> None:
    (match,) = index.query(index.signature(COPIES["lead 30%"]))

    assert match.containment > 0.95
    assert match.jaccard < 0.4


def test_the_original_finds_its_copies_when_they_were_indexed_first() -> None:
    index = NearDuplicateIndex()
    for name, text in COPIES.items():
        index.add(name, index.signature(text))

    assert {m.doc_id for m in index.query(index.signature(AGENCY))} == set(COPIES)


@pytest.mark.parametrize("text", [OTHER_REPORT, UNRELATED], ids=["same event, other reporter", "unrelated"])
def test_different_articles_do_not_match(index: NearDuplicateIndex, text: str) -> None:
    sig = index.signature(text)

    assert all(m.doc_id != "agency" for m in index.query(sig))
    figures = index.compare("agency", sig)
    assert not index.is_copy(figures)


def test_short_briefs_sharing_a_sentence_do_not_match() -> None:
    index = NearDuplicateIndex()
    index.add("a", index.signature(BRIEF_A))

    assert index.query(index.signature(BRIEF_B)) == []
    assert not index.is_copy(index.compare("a", index.signature(BRIEF_B)))


def test_a_short_text_still_matches_its_own_copy() -> None:
    text = BRIEF_A + " The cause of the fire was not immediately known, and no injuries were reported by police."
    index = NearDuplicateIndex()
    index.add("a", index.signature(text))

    assert [m.doc_id for m in index.query(index.signature("BREAKING\n\n" + text))] == ["a"]


def test_decision_rule_needs_both_containment_and_absolute_overlap() -> None:
    index = NearDuplicateIndex(min_containment=0.5, min_overlap=25)

    assert index.is_copy(WireMatch("x", jaccard=0.3, containment=0.9, overlap=100))
    assert not index.is_copy(WireMatch("x", jaccard=0.9, containment=0.95, overlap=24))
    assert not index.is_copy(WireMatch("x", jaccard=0.1, containment=0.45, overlap=400))


def test_matches_are_sorted_best_first() -> None:
    index = NearDuplicateIndex()
    index.add("edited", index.signature(COPIES["5% of words changed"]))
    index.add("verbatim", index.signature(AGENCY))
    index.add("lead", index.signature(COPIES["lead 50%"]))

    matches = index.query(index.signature(AGENCY))

    assert [m.doc_id for m in matches] == ["verbatim", "lead", "edited"]
    assert matches[0].jaccard == matches[0].containment == 1.0


def test_add_replaces_remove_forgets_and_len_counts() -> None:
    index = NearDuplicateIndex()
    index.add("a", index.signature(AGENCY))
    index.add("a", index.signature(UNRELATED))
    index.add("empty", index.signature(""))

    assert len(index) == 2 and "a" in index
    assert index.query(index.signature(AGENCY)) == []
    assert [m.doc_id for m in index.query(index.signature(UNRELATED))] == ["a"]
    index.remove("a")
    index.remove("a")  # idempotent
    index.remove("empty")
    assert len(index) == 0
    assert index.query(index.signature(UNRELATED)) == []


def test_empty_and_tiny_texts_match_nothing() -> None:
    index = NearDuplicateIndex()
    index.add("empty", index.signature(""))
    index.add("tiny", index.signature("Share this article"))

    assert len(index.signature("   ")) == 0
    assert index.query(index.signature("")) == []
    assert index.query(index.signature("Share this article")) == []


def test_signatures_from_another_configuration_are_refused() -> None:
    sig = NearDuplicateIndex(shingle_size=4).signature(AGENCY)

    with pytest.raises(ValueError, match="shingle_size=4"):
        NearDuplicateIndex().add("a", sig)


def test_signature_round_trips_through_bytes_and_pickle() -> None:
    index = NearDuplicateIndex()
    sig = index.signature(AGENCY)

    for copy in (Signature.from_bytes(sig.to_bytes()), pickle.loads(pickle.dumps(sig))):
        assert copy.shingles.tolist() == sig.shingles.tolist()
        assert copy.minhash.hashvalues.tolist() == sig.minhash.hashvalues.tolist()
        assert (copy.shingle_size, copy.num_perm, copy.seed) == (5, 128, 1)
        assert copy.unquoted is not None and copy.unquoted.tolist() == sig.unquoted.tolist()
        assert copy.sentences is not None and sig.sentences is not None
        assert copy.sentences.hashes.tolist() == sig.sentences.hashes.tolist()
        assert copy.sentences.words.tolist() == sig.sentences.words.tolist() and copy.current
    restored = Signature.from_bytes(sig.to_bytes())
    index.add("agency", restored)
    assert [m.doc_id for m in index.query(index.signature(COPIES["lead 30%"]))] == ["agency"]
    sentences = sig.sentences
    assert 0 < len(sig.unquoted) < len(sig)  # the quoted words are set apart
    mask = (len(sig) + 7) // 8
    assert len(sig.to_bytes()) == 27 + 4 * len(sig) + mask + 4 * len(sentences) + 4 * sentences.hashes.size


def test_a_signature_of_the_first_format_is_still_read_and_compared_on_shingles() -> None:
    index = NearDuplicateIndex()
    sig = index.signature(AGENCY)
    first_format = b"NLW1" + sig.to_bytes()[4:19] + sig.shingles.astype("<u4").tobytes()

    old = Signature.from_bytes(first_format)

    assert old.shingles.tolist() == sig.shingles.tolist()
    assert old.unquoted is None and old.sentences is None and not old.current
    index.add("old", old)
    assert [m.doc_id for m in index.query(index.signature(COPIES["lead 50%"]))] == ["old"]


@pytest.mark.parametrize("data", [b"", b"XXXX" + bytes(20), NearDuplicateIndex().signature(AGENCY).to_bytes()[:-1]])
def test_corrupt_signature_bytes_are_refused(data: bytes) -> None:
    with pytest.raises(ValueError):
        Signature.from_bytes(data)


def test_shingle_hashes_are_stable_and_ignore_case_punctuation_and_accents() -> None:
    # Stored signatures depend on these values: changing the hashing needs a migration.
    assert shingle_hashes("One two three four five six").tolist() == [1500782145, 4022899272]
    assert shingle_hashes("ONE, two—three: Four five; six.").tolist() == [1500782145, 4022899272]
    assert shingle_hashes("Café's menu has 12 dishes").tolist() == shingle_hashes("CAFES MENU HAS 12 DISHES").tolist()
    assert shingle_hashes("the 12 dishes are here").tolist() != shingle_hashes("the 13 dishes are here").tolist()


def test_shingles_do_not_straddle_paragraphs() -> None:
    joined = shingle_hashes("a b c d e f")
    split = shingle_hashes("a b c d e\n\nf x y z w")

    assert len(joined) == 2 and len(split) == 2
    assert joined[0] in split or joined[1] in split
    assert set(joined.tolist()) != set(split.tolist())


# ----------------------------------------------------------------------------------------------------- wire groups

DOCS = [
    ("wapo", T0 + timedelta(minutes=5), COPIES["verbatim"]),
    ("ap", T0, AGENCY),
    ("local", T0 + timedelta(hours=2), COPIES["lead 30%"]),
    ("blog", T0 + timedelta(hours=1), COPIES["outlet intro and boilerplate"]),
    ("times", T0 + timedelta(minutes=30), OTHER_REPORT),
    ("council", T0 - timedelta(hours=3), UNRELATED),
    ("brief-a", T0 + timedelta(minutes=1), BRIEF_A),
    ("brief-b", T0 + timedelta(minutes=2), BRIEF_B),
]
EXPECTED = {
    "ap": "ap",
    "wapo": "ap",
    "local": "ap",
    "blog": "ap",
    "times": "times",
    "council": "council",
    "brief-a": "brief-a",
    "brief-b": "brief-b",
}


ZH_AGENCY = (
    "新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户和一千名员工的数据。"
    "遇袭的是澳洲电子通信服务咨询公司Dialog Group，该公司今年四月被新加坡电信收购。"
    "公司上星期五获悉有一部分数据在暗网上公开，包括员工的个人资料。"
    "新加坡电信发表声明说，没有证据显示这次网络袭击同上个月的Optus事件存在任何关联。"
    "上个月，新加坡电信旗下澳大利亚移动运营商Optus遭到网络攻击，影响了多达九百万客户。"
    "澳大利亚政府表示将审查电信公司的数据保护规定，并考虑提高罚款金额。"
)
ZH_SAME_EVENT = (
    "澳大利亚政府今天宣布新的网络安全战略，计划在未来五年投入十亿澳元。"
    "内政部长表示，Optus和新加坡电信子公司的数据泄露事件暴露了企业防护的不足。"
    "战略包括加强关键基础设施保护、培训网络安全人才以及与盟国合作。"
)


def test_a_chinese_copy_matches_its_original_and_other_coverage_does_not() -> None:
    # with no spaces between words a whole clause was one "word": a page had about 17 shingles and no copy matched
    copy = "（本报讯）" + ZH_AGENCY.replace("又遭网络袭击", "再次遭到网络袭击").replace("，并考虑提高罚款金额", "")
    docs = [("agency", T0, ZH_AGENCY), ("copy", T0 + timedelta(hours=1), copy),
            ("other", T0 + timedelta(hours=2), ZH_SAME_EVENT)]
    assert wire_groups(docs) == {"agency": "agency", "copy": "agency", "other": "other"}


def test_wire_groups_map_copies_to_the_earliest_copy() -> None:
    assert wire_groups(DOCS) == EXPECTED


def test_wire_group_origin_ties_are_broken_by_id() -> None:
    docs = [("b", T0, AGENCY), ("a", T0, COPIES["lead 50%"]), ("c", T0 - timedelta(seconds=1), UNRELATED)]

    assert wire_groups(docs) == {"a": "a", "b": "a", "c": "c"}


def test_origin_is_the_earliest_copy_even_when_it_is_the_shortened_one() -> None:
    docs = [("full", T0 + timedelta(hours=1), AGENCY), ("brief", T0, COPIES["lead 30%"])]

    assert wire_groups(docs) == {"full": "brief", "brief": "brief"}


@pytest.mark.parametrize("seed", range(5))
def test_wire_groups_do_not_depend_on_input_order(seed: int) -> None:
    docs = DOCS[:]
    random.Random(seed).shuffle(docs)

    assert wire_groups(docs) == EXPECTED


@settings(max_examples=20, deadline=None)
@given(st.permutations(DOCS))
def test_wire_groups_are_order_independent_for_any_permutation(docs: list[tuple[str, datetime, str]]) -> None:
    assert wire_groups(docs) == EXPECTED


def test_wire_groups_use_the_given_index_and_refuse_a_used_one() -> None:
    index = NearDuplicateIndex(min_containment=0.99, min_aligned_bigrams=0.99)
    docs = [*DOCS, ("edited", T0 + timedelta(hours=3), COPIES["5% of words changed"])]

    groups = wire_groups(docs, index)

    # edits keep ~77 % of the shingles, not 99 %, and ~90 % of the sentences' bigrams, not 99 %
    assert groups["local"] == "ap" and groups["edited"] == "edited"
    assert len(index) == len(docs)
    with pytest.raises(ValueError):
        wire_groups(docs, index)


def test_wire_groups_refuse_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        wire_groups([("a", T0, AGENCY), ("a", T0, UNRELATED)])
