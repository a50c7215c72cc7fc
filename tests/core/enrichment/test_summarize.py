"""Story summaries on hand-written stories: verbatim citations, wire copies, boilerplate, lead summaries, answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsloom.core.enrichment.summarize import (
    CitedSentence,
    SourceDoc,
    StorySummary,
    answer,
    content_terms,
    headline_quality,
    sentence_quality,
    summarize,
    verbatim_sentences,
)
from newsloom.core.grouping.embed import HashingEmbedder

T0 = datetime(2024, 5, 2, 8, 0, tzinfo=UTC)

WIRE = (
    "By Jane Doe\n\n"
    "The city council of Riverton voted 7-2 on Tuesday to approve a $40 million flood barrier along the Tamsin "
    "River, ending two years of debate over how to protect the low-lying east side. "
    "Construction of the barrier is expected to begin in March and take about three years, according to the "
    "council's engineering office. "
    "The project will be paid for with a mix of state grants and a municipal bond that voters approved last "
    "November. "
    "Photo: Riverton City Hall.\n\n"
    "Read more: our coverage of the floods"
)
WIRE_COPY = WIRE.replace("By Jane Doe", "By Jane Doe, Associated Wire").replace("Photo: Riverton City Hall.", "")
GAZETTE = (
    "Riverton's council approved a $40 million flood barrier on Tuesday in a 7-2 vote. "
    "Residents of the east side, where floods damaged more than 300 homes in 2022, packed the chamber and "
    "applauded when the result was announced. "
    "Council member Dana Ortiz, who voted against the plan, said the barrier would push water toward farms "
    "downstream. "
    "What happens next?"
)
RADIO = (
    "Engineers say the barrier will rise four meters above the river at its highest point. "
    "Downstream farmers have threatened to sue the city, arguing that the barrier will worsen flooding on their "
    "land, their lawyer told the station. "
    "\u201cWe will not be the city's overflow basin.\u201d "
    "The mayor said she expected the state to release the first grant payment within weeks."
)


def story() -> list[SourceDoc]:
    return [
        SourceDoc("wire", "Riverton approves $40 million flood barrier", WIRE, "Associated Wire", T0),
        SourceDoc("copy", "Riverton council backs flood barrier", WIRE_COPY, "Daily Echo", T0 + timedelta(hours=1)),
        SourceDoc(
            "gazette", "East side cheers flood barrier vote", GAZETTE, "Riverton Gazette", T0 + timedelta(hours=2)
        ),
        SourceDoc(
            "radio", "Farmers threaten to sue over Riverton barrier", RADIO, "River Radio", T0 + timedelta(hours=3)
        ),
    ]


def by_id(docs: list[SourceDoc]) -> dict[str, SourceDoc]:
    return {doc.id: doc for doc in docs}


@pytest.fixture(scope="module")
def summary() -> StorySummary:
    return summarize(story())


def test_multi_source_summary_is_cited_verbatim_and_non_redundant(summary: StorySummary) -> None:
    docs = by_id(story())
    assert 3 <= len(summary.sentences) <= 5
    for sentence in summary.sentences:
        assert sentence.text in docs[sentence.article_id].text
        assert sentence.article_id not in sentence.supporting
    texts = [s.text for s in summary.sentences]
    assert len(set(texts)) == len(texts)
    # the wire text and its copy are one voice: the vote is stated once, not once per copy or outlet
    assert sum("7-2" in text for text in texts) <= 1
    # more than one outlet is heard
    assert len({docs[s.article_id].source for s in summary.sentences} - {"Daily Echo"}) >= 2


def test_boilerplate_never_chosen(summary: StorySummary) -> None:
    for sentence in (*summary.sentences, *summary.key_points):
        assert not sentence.text.startswith(("By Jane", "Photo:", "Read more", "What happens", "\u201cWe will"))


def test_wire_sentence_cites_its_copy(summary: StorySummary) -> None:
    vote = [s for s in (*summary.sentences, *summary.key_points) if "voted 7-2" in s.text]
    for sentence in vote:
        assert sentence.article_id == "wire"  # the earliest copy is the origin
        assert "copy" in sentence.supporting


def test_key_points_carry_every_source_of_a_shared_statement(summary: StorySummary) -> None:
    docs = by_id(story())
    assert 3 <= len(summary.key_points) <= 6
    for point in summary.key_points:
        assert point.text in docs[point.article_id].text
    assert len({p.text for p in summary.key_points}) == len(summary.key_points)
    # the vote is carried by the wire text, its copy and the Gazette: said once, in the summary or a key point
    multi = [p for p in (*summary.sentences, *summary.key_points) if len(p.supporting) >= 2]
    assert multi, summary
    assert {"wire", "copy", "gazette"} <= {multi[0].article_id, *multi[0].supporting}


def _terms(text: str) -> set[str]:
    return set(content_terms(text))


def test_key_points_never_repeat_a_summary_sentence(summary: StorySummary) -> None:
    # the vote was the summary's first sentence (the Gazette's) and came back as a key point from the wire text
    # and its copy, which carry the same statement
    for point in summary.key_points:
        for sentence in summary.sentences:
            shared = _terms(point.text) & _terms(sentence.text)
            assert len(shared) < 0.5 * min(len(_terms(point.text)), len(_terms(sentence.text))), (point, sentence)


def test_a_summary_sentence_is_not_a_key_point_from_the_copy_that_carries_it() -> None:
    docs = [
        SourceDoc("wire", "Riverton approves flood barrier", WIRE, "Associated Wire", T0),
        SourceDoc("copy", "Riverton council backs flood barrier", WIRE_COPY, "Daily Echo", T0 + timedelta(hours=1)),
        SourceDoc("radio", "Farmers threaten to sue", RADIO, "River Radio", T0 + timedelta(hours=3)),
    ]
    result = summarize(docs)

    said = {s.text for s in result.sentences}
    assert result.key_points and not said & {p.text for p in result.key_points}


def test_headline_is_a_verbatim_title(summary: StorySummary) -> None:
    assert summary.headline is not None
    assert summary.headline.text == by_id(story())[summary.headline.article_id].title


def test_order_is_leads_first_then_story_order(summary: StorySummary) -> None:
    docs = story()
    rank = {doc.id: i for i, doc in enumerate(docs)}

    def key(s: CitedSentence) -> tuple[bool, int, int]:
        sentences = verbatim_sentences(by_id(docs)[s.article_id].text)
        position = sentences.index(s.text)
        first_fit = min(i for i, t in enumerate(sentences) if sentence_quality(t, i) >= 0.5)
        return position > first_fit, rank[s.article_id], position

    keys = [key(s) for s in summary.sentences]
    assert keys == sorted(keys) or [k[1:] for k in keys] == sorted(k[1:] for k in keys)


def test_deterministic_and_independent_of_input_order() -> None:
    docs = story()
    first = summarize(docs)
    assert summarize(list(reversed(docs))) == first
    assert summarize(docs) == first


def test_single_article_gets_its_lead() -> None:
    doc = SourceDoc("g", "Council votes", GAZETTE, "Riverton Gazette", None)
    result = summarize([doc])
    assert [s.text for s in result.sentences] == verbatim_sentences(GAZETTE)[:3]
    assert all(s.article_id == "g" and s.supporting == () for s in result.sentences)


def test_wire_copies_alone_are_one_article() -> None:
    docs = story()[:2]
    result = summarize(docs)
    assert result.sentences[0].text.startswith("The city council of Riverton voted")
    assert all(s.article_id == "wire" for s in result.sentences)
    assert all(s.supporting == ("copy",) for s in result.sentences)


def test_verbatim_with_odd_whitespace() -> None:
    text = "The  council\u00a0voted on Tuesday to approve the plan after a long debate.\nIt will cost\n$40 million."
    doc = SourceDoc("x", "Plan approved", text, "X", None)
    for sentence in summarize([doc]).sentences:
        assert sentence.text in text
    assert verbatim_sentences(text)[0] == "The  council\u00a0voted on Tuesday to approve the plan after a long debate."


def test_answer_returns_relevant_cited_sentences() -> None:
    docs = story()
    found = answer("Who is threatening to sue the city?", docs, k=2)
    assert 1 <= len(found) <= 2
    assert "sue" in found[0].text
    assert found[0].article_id == "radio"
    assert all(s.text in by_id(docs)[s.article_id].text for s in found)
    cost = answer("How much does the flood barrier cost?", docs, k=3)
    assert any("$40 million" in s.text for s in cost)
    assert answer("What about the football match?", docs) == () or all(
        "football" not in s.text for s in answer("What about the football match?", docs)
    )


def test_other_embedders_and_empty_input() -> None:
    assert summarize([]) == StorySummary((), ())
    assert summarize([SourceDoc("e", "Empty", "  ", "X", None)]) == StorySummary((), ())
    assert answer("anything", []) == ()
    result = summarize(story(), embedder=HashingEmbedder(), max_sentences=3)
    assert 1 <= len(result.sentences) <= 3
    with pytest.raises(ValueError):
        summarize([story()[0], story()[0]])


def test_quality_scores() -> None:
    good = "The city council voted on Tuesday to approve a new flood barrier for the east side."
    assert sentence_quality(good, 0) == 1.0
    assert sentence_quality("By Jane Doe", 0) < 0.1
    assert sentence_quality("Photo: a long caption about the river and the flood barrier in town.", 1) < 0.1
    assert sentence_quality("What does the new flood barrier mean for the people of the east side?", 1) < 0.5
    assert sentence_quality("\u201cWe will not be anyone's overflow basin for the next ten years.\u201d", 1) < 0.5
    assert sentence_quality(" ".join(["word"] * 80) + ".", 1) < 0.5
    assert headline_quality("OPINION: The barrier is a mistake") < headline_quality("Council approves barrier plan")


ZH_WIRE = (
    "新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户和一千名员工的数据。"
    "遇袭的是澳洲电子通信服务咨询公司Dialog Group，该公司今年四月被新加坡电信收购。"
    "公司上星期五获悉有一部分数据在暗网上公开，包括员工的个人资料。"
)
ZH_DAILY = (
    "新加坡电信发表声明说，没有证据显示这次网络袭击同上个月的Optus事件存在任何关联。"
    "上个月，新加坡电信旗下澳大利亚移动运营商Optus遭到网络攻击，影响了多达九百万客户。"
    "公司强调，Dialog Group的系统完全独立，同母公司没有连接！"
)


def test_chinese_story_is_summarized_in_sentences_not_paragraphs() -> None:
    # Chinese puts no space after 。, so each text used to be one "sentence" and the summary cited whole paragraphs
    docs = [SourceDoc("wire", "新加坡电信澳洲子公司遭网络袭击", ZH_WIRE, "联合早报", T0),
            SourceDoc("daily", "新电信称网袭与Optus无关", ZH_DAILY, "星洲日报", T0 + timedelta(hours=1))]
    summary = summarize(docs)
    by_doc = by_id(docs)
    assert len(summary.sentences) >= 3
    for cited in (*summary.sentences, *summary.key_points):
        assert cited.text in by_doc[cited.article_id].text
        assert cited.text.endswith(("。", "！")) and cited.text.count("。") + cited.text.count("！") == 1
    assert {s.article_id for s in summary.sentences} == {"wire", "daily"}
