"""Keywords of Chinese and Japanese headlines, found by repetition in the body (no segmenting dictionary)."""

from __future__ import annotations

import pytest

from newsloom.core.language.cjk_terms import cjk_terms, is_clause

ZH_TITLE = "新加坡电信澳洲子公司遭网络袭击"
ZH_TEXT = (
    "新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户和一千名员工的数据。"
    "遇袭的是澳洲电子通信服务咨询公司Dialog Group，该公司今年四月被新加坡电信收购。"
    "新加坡电信发表声明说，没有证据显示这次网络袭击同上个月的Optus事件存在任何关联。"
)


def test_repeated_headline_terms_longest_first() -> None:
    assert cjk_terms(ZH_TITLE, ZH_TEXT) == ["新加坡电信", "网络袭击"]


def test_of_overlapping_pieces_of_one_phrase_the_rightmost_is_kept() -> None:
    text = "他被令接受神经心理检测。法官说接受神经心理检测是必要的。"
    terms = cjk_terms("儿子被令接受神经心理检测", text)
    assert terms[0] == "神经心理检测"
    assert not {"接受神经心理", "受神经心理检", "神经心理", "心理检测"} & set(terms)


def test_japanese_terms_without_particles() -> None:
    text = "東京で記録的な大雨が降り、多くの電車が止まった。気象庁は東京に大雨警報を出した。電車の運転再開は未定。"
    assert cjk_terms("東京で大雨、電車が止まる", text) == ["電車", "大雨", "東京"]


def test_nothing_repeated_nothing_found() -> None:
    assert cjk_terms("韩国总理访问美国", "总理今天抵达。") == []
    assert cjk_terms("Floods in Riverton", "Riverton floods again.") == []


@pytest.mark.parametrize(
    ("word", "clause"),
    [("新加坡电信", False), ("新加坡电信在澳大利亚的子公司", True), ("東京で大雨", True), ("止まる", False),
     ("riverton", False)],
)
def test_is_clause(word: str, clause: bool) -> None:
    assert is_clause(word) is clause
