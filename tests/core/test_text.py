from __future__ import annotations

import re

import pytest

from newsloom.core.text import (
    content_hash,
    normalize_whitespace,
    split_sentences,
    tokens,
    word_count,
)


def test_normalize_whitespace() -> None:
    assert normalize_whitespace("  a\u00a0 b\n\n\tc\u200b ") == "a b c"


def test_tokens_and_word_count() -> None:
    assert tokens("Don’t STOP me_now, Straße 42!") == ["don’t", "stop", "me", "now", "strasse", "42"]
    assert tokens("Привет, мир") == ["привет", "мир"]
    assert word_count("It's 3 p.m. in New York.") == 7
    assert word_count("") == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("मुंबई में भारी बारिश", ["मुंबई", "में", "भारी", "बारिश"]),  # Devanagari vowel signs and anusvara
        ("ঢাকায় জলাবদ্ধতা", ["ঢাকায়", "জলাবদ্ধতা"]),  # Bengali virama inside a word
        ("ฝนตกหนัก กรุงเทพ", ["ฝนตกหนัก", "กรุงเทพ"]),  # Thai vowel marks (no spaces between words)
        ("Cafe\u0301 olé", ["café", "olé"]),  # a decomposed accent stays with its letter
    ],
)
def test_tokens_keep_combining_marks_inside_words(text: str, words: list[str]) -> None:
    # Python's re counts marks as non-word characters and used to cut these words into letters
    assert tokens(text) == words
    assert word_count(text) == len(words)


def test_content_hash_ignores_whitespace_and_case() -> None:
    digest = content_hash("Hello   World\n")
    assert re.fullmatch(r"[0-9a-f]{32}", digest)
    assert digest == content_hash("hello world")
    assert digest != content_hash("hello, world")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith paid $3.50 for it. Then he left.", ["Mr. Smith paid $3.50 for it.", "Then he left."]),
        ('"Is this real?" she asked. Nobody knew.', ['"Is this real?" she asked.', "Nobody knew."]),
        (
            "The U.S. government said no. It was 5 p.m. Then J. K. Rowling spoke.",
            ["The U.S. government said no.", "It was 5 p.m.", "Then J. K. Rowling spoke."],
        ),
        (
            "Prices rose 2.5% in Jan. 2024 and fell later. “We are worried,” he said. “Very.”",
            ["Prices rose 2.5% in Jan. 2024 and fell later.", "“We are worried,” he said.", "“Very.”"],
        ),
        (
            "Dr. No met Gen. Lee at No. 10 Downing St. yesterday!",
            ["Dr. No met Gen. Lee at No. 10 Downing St. yesterday!"],
        ),
        ("First paragraph without stop\n\nSecond one.", ["First paragraph without stop", "Second one."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # each of these used to come back as one "sentence": the summary then cited whole paragraphs
        ("北京今天下雨。气象台发布了暴雨预警！市民出行请注意安全？",
         ["北京今天下雨。", "气象台发布了暴雨预警！", "市民出行请注意安全？"]),
        ("他说：“我们明天出发。”然后离开了。价格为3.5元。",
         ["他说：“我们明天出发。”", "然后离开了。", "价格为3.5元。"]),
        ("東京で大雨が降った。電車が止まった。", ["東京で大雨が降った。", "電車が止まった。"]),
        ("मुंबई में भारी बारिश हुई। स्कूल बंद हैं।", ["मुंबई में भारी बारिश हुई।", "स्कूल बंद हैं।"]),
        ("ঢাকায় ভারী বৃষ্টি হয়েছে। জলাবদ্ধতা দেখা দিয়েছে।", ["ঢাকায় ভারী বৃষ্টি হয়েছে।", "জলাবদ্ধতা দেখা দিয়েছে।"]),
        ("وأغلقت المدارس؟ نعم.", ["وأغلقت المدارس؟", "نعم."]),
        ("Record rain in Tokyo. 東京で大雨。 Trains stopped.",
         ["Record rain in Tokyo.", "東京で大雨。", "Trains stopped."]),
    ],
)
def test_split_sentences_of_other_scripts(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
