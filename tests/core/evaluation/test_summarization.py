"""NeuS evaluation: parsing, the README's ROUGE preparation, the regex tokenizer, and a fast run on 20 val stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsloom.core.evaluation.summarization import (
    RegexTokenizer,
    evaluate_neus,
    for_rouge,
    load_neus,
    parse_article,
    rouge_scores,
    strip_markers,
)

NEUS = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "summarization-neus-allsides"
needs_data = pytest.mark.skipif(not (NEUS / "neus_splits" / "val.source").exists(), reason="NeuS benchmark not present")


def test_markers_and_sentences_for_rouge() -> None:
    target = "TITLE=> NK Warns of Hydrogen Bomb Test. ARTICLE=> North Korea threatens a test. Japan braces."
    assert strip_markers(target) == "NK Warns of Hydrogen Bomb Test. North Korea threatens a test. Japan braces."
    assert for_rouge(target).splitlines() == ["NK Warns of Hydrogen Bomb Test", "North Korea threatens a test",
                                              "Japan braces."]  # fmt: skip
    assert "TITLEAN" not in strip_markers("TITLEAN=> Neutral. ARTICLE=> Text.")


def test_parse_article() -> None:
    doc = parse_article("TITLE=> Trump responds to threat. ARTICLE=> Amid new threats, Trump tweeted.", "2")
    assert (doc.id, doc.title, doc.text) == ("2", "Trump responds to threat", "Amid new threats, Trump tweeted.")


def test_regex_tokenizer() -> None:
    tokenizer = RegexTokenizer()
    assert tokenizer.to_sentences('He said "no." Then he left. 3 people stayed.') == (
        'He said "no."', "Then he left.", "3 people stayed.")  # fmt: skip
    assert tokenizer.to_words("Trump’s plan, in 2020.") == ("Trump’s", "plan", "in", "2020")


def test_rouge_identity_and_disjoint() -> None:
    same = rouge_scores(["TITLE=> A cat sat. ARTICLE=> It purred."], ["TITLE=> A cat sat. ARTICLE=> It purred."])
    assert same == {"rouge1": 100.0, "rouge2": 100.0, "rougeLsum": 100.0}
    assert rouge_scores(["dogs bark loudly"], ["cats purr softly"]) == {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}


@needs_data
def test_load_neus_val() -> None:
    stories = load_neus(NEUS, "val")
    assert len(stories) == 307
    assert all(len(story.docs) == 3 and all(doc.title for doc in story.docs) for story in stories)
    assert sum(not doc.text for story in stories for doc in story.docs) == 2  # two snippets are only a headline
    assert "=>" not in stories[0].source


@needs_data
def test_evaluate_neus_on_20_val_stories() -> None:
    result = evaluate_neus(NEUS, "val", limit=20)
    assert result["stories"] == 20
    assert result["budget"] == 3  # 75-word references over 26-word source sentences, measured on train
    assert result["newsloom"]["faithfulness"] == 1.0
    for system in ("newsloom", "lexrank", "newsloom_sentences_only"):
        scores = result[system]
        assert 25.0 < scores["rouge1"] < 65.0
        assert 5.0 < scores["rouge2"] < 45.0
        assert 20.0 < scores["rougeLsum"] < 60.0
        assert scores["rouge2"] < scores["rougeLsum"] <= scores["rouge1"] + 1e-9
