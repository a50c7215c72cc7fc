from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from newsloom.core.language.hashtags import (
    display_tag,
    hashtags,
    normalize_tag,
    story_hashtags,
    story_hashtags_from_articles,
)
from tests.core.enrichment.test_compare import OUTLETS, STORY

WORD = r"[\p{L}\p{N}][\p{L}\p{N}\p{M}]*"
SLUG = regex.compile(rf"{WORD}(?:-{WORD}){{0,2}}")
JUNK = {"monday", "tuesday", "wednesday", "thursday", "friday", "said", "say", "year", "people", "official"}


@pytest.mark.parametrize(
    ("phrase", "slug"),
    [
        ("Central Bank", "central-bank"),
        ("central banks", "central-bank"),
        ("central-bank", "central-bank"),
        ("  the Central   Bank's ", "central-bank"),
        ("Bank of England", "bank-of-england"),
        ("Türkiye", "turkiye"),
        ("São Paulo", "sao-paulo"),
        ("Cities", "city"),
        ("taxes", "tax"),
        ("United States", "united-states"),
        ("Tom Reyes", "tom-reyes"),
        ("2024 elections", "election"),
        ("2024", ""),
        ("the of and", ""),
        ("", ""),
        ("one two three four five", ""),
        ("International Monetary Fund board meeting", ""),
        ("भारतीय जनता पार्टी", "भारतीय-जनता-पार्टी"),  # vowel signs are marks, not word breaks
        ("ঢাকায় জলাবদ্ধতা", "ঢাকায়-জলাবদ্ধতা"),  # nor is the virama, and it is not an accent to strip
        ("مُحَمَّد", "محمد"),  # Arabic's optional vowel points are dropped, like Latin accents
    ],
)
def test_normalize_tag(phrase: str, slug: str) -> None:
    assert normalize_tag(phrase) == slug


@given(st.text(max_size=60))
def test_normalize_tag_is_idempotent(phrase: str) -> None:
    slug = normalize_tag(phrase)
    assert normalize_tag(slug) == slug
    assert slug == "" or SLUG.fullmatch(slug)


@given(st.lists(st.sampled_from(["Bank", "banks", "of", "the", "Cities", "Reyes", "São", "2024", "taxes"]), max_size=5))
def test_normalize_tag_is_idempotent_on_wordy_input(words: list[str]) -> None:
    slug = normalize_tag(" ".join(words))
    assert normalize_tag(slug) == slug
    assert normalize_tag(display_tag(slug)) == slug


def test_display_tag() -> None:
    assert display_tag("central-bank") == "Central Bank"
    assert display_tag("bank-of-england") == "Bank of England"
    assert display_tag("imf") == "IMF"
    assert display_tag("") == ""


def test_article_hashtags_are_normalised_and_free_of_junk() -> None:
    for doc in STORY:
        tags = hashtags(doc.title, doc.text, exclude=OUTLETS)
        assert 3 <= len(tags) <= 8, (doc.source, tags)
        assert tags == hashtags(doc.title, doc.text, exclude=OUTLETS)  # stable
        assert len(set(tags)) == len(tags)
        for tag in tags:
            assert normalize_tag(tag) == tag
            assert not set(tag.split("-")) & JUNK, tag
            assert tag not in {"wire-press", "daily-ledger", "valley-times", "coast-herald"}
    wire = hashtags(STORY[0].title, STORY[0].text, exclude=OUTLETS)
    assert {"riverton", "tom-reyes", "national-disaster-agency", "alder-river"} <= set(wire)
    assert not any(tag.startswith("national-disaster") and tag != "national-disaster-agency" for tag in wire)
    assert len(hashtags(STORY[0].title, STORY[0].text, max_tags=3)) == 3


def test_outlet_names_are_excluded() -> None:
    tags = hashtags("Wire Press reports floods in Riverton", STORY[0].text)
    assert "wire-press" in tags
    assert "wire-press" not in hashtags("Wire Press reports floods in Riverton", STORY[0].text, exclude=["Wire Press"])


def test_story_hashtags_prefer_tags_many_articles_support() -> None:
    docs = [(doc.title, doc.text) for doc in STORY]
    tags = story_hashtags(docs, exclude=OUTLETS)
    assert 3 <= len(tags) <= 8
    assert set(tags[:2]) == {"riverton", "tom-reyes"}  # in all four articles
    assert tags.index("national-disaster-agency") < tags.index("maria-santos")  # three articles against one
    assert tags == story_hashtags(list(reversed(docs)), exclude=OUTLETS)
    assert story_hashtags([]) == []


def test_story_hashtags_from_the_articles_own_tags() -> None:
    tags = story_hashtags_from_articles([hashtags(d.title, d.text, exclude=OUTLETS) for d in STORY])
    assert 3 <= len(tags) <= 8
    assert set(tags[:2]) == {"riverton", "tom-reyes"}  # in all four articles
    assert set(tags) & set(story_hashtags([(d.title, d.text) for d in STORY], exclude=OUTLETS)) >= set(tags[:4])
    assert story_hashtags_from_articles([["a", "b"], ["b"], []]) == ["b", "a"]
    assert story_hashtags_from_articles([]) == []


def test_a_story_drops_tags_naming_any_of_its_outlets() -> None:
    # each article was tagged at ingest knowing only its own outlet; the story knows them all
    tags = story_hashtags_from_articles([["riverton", "daily-lantern"], ["riverton", "daily-lantern-staff"]],
                                        exclude=["Daily Lantern", "Valley Courier"])
    assert tags == ["riverton"]


def test_tags_in_scripts_with_combining_marks_are_whole_words() -> None:
    title = "मुंबई में भारी बारिश, लोकल ट्रेनें रद्द"
    text = "मुंबई में भारी बारिश के कारण लोकल ट्रेन सेवाएं रद्द कर दी गईं। मौसम विभाग ने रेड अलर्ट जारी किया है।"
    tags = hashtags(title, text, language="hi")
    assert "भारी-बारिश" in tags
    words = set(regex.findall(WORD, f"{title} {text}"))
    assert all(set(tag.split("-")) <= words for tag in tags), tags  # no word cut into pieces ("म-बई")


def test_chinese_and_japanese_tags_are_terms_not_clauses() -> None:
    # a splitter that wants spaces read whole clauses as words: "新加坡电信在澳大利亚的子公司又遭网络袭击-可能泄露…"
    title = "新加坡电信澳洲子公司遭网络袭击"
    text = ("新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户和一千名员工的数据。"
            "遇袭的是澳洲电子通信服务咨询公司Dialog Group，该公司今年四月被新加坡电信收购。"
            "新加坡电信发表声明说，没有证据显示这次网络袭击同上个月的Optus事件存在任何关联。")
    tags = hashtags(title, text, language="zh")
    assert tags[:2] == ["新加坡电信", "网络袭击"] and "optus" in tags
    assert all(len(tag) <= 12 for tag in tags), tags
    text = "東京で記録的な大雨が降り、多くの電車が止まった。気象庁は東京に大雨警報を出した。電車の運転再開は未定。"
    assert hashtags("東京で大雨、電車が止まる", text, language="ja") == ["電車", "大雨", "東京"]
    # a story keeps "新加坡电信" and drops the "电信" of an article that only saw the short form
    assert story_hashtags_from_articles([["电信", "optus"], ["新加坡电信", "网络袭击"], ["新加坡电信"]])[:2] == [
        "新加坡电信", "optus"]


def test_other_languages_do_not_crash() -> None:
    tags = hashtags("Banjir di Kuala Lumpur", "Banjir besar melanda Kuala Lumpur pada hari Isnin.", language="ms")
    assert "kuala-lumpur" in tags
    assert isinstance(hashtags("标题", "这是一个测试。", language="zz"), list)


def test_a_demonym_is_tagged_as_the_place_it_names() -> None:
    title = "North Korean leader hails ties with Russia"
    text = (
        "North Korea's leader praised Russia's support on Saturday, as a North Korean delegation arrived in Moscow. "
        "Russian officials said the talks would cover trade. North Korean state media said the visit was a success."
    )
    tags = hashtags(title, text)

    assert "north-korea" in tags and "russia" in tags
    assert not {"north-korean", "russian", "korean"} & set(tags)
    assert normalize_tag("North Korean") == normalize_tag("north-korea") == "north-korea"
    assert normalize_tag("Russians") == "russia" and normalize_tag(normalize_tag("Russian")) == "russia"
    # tags stored before the fold give the place once
    assert story_hashtags_from_articles([["north-korean", "russia"], ["north-korea", "russian"]]) == [
        "north-korea", "russia"
    ]
