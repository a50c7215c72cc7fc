"""A crawl of Chinese pages end to end: wire copies grouped, one story, tags that are words, summaries in sentences."""

from __future__ import annotations

import dataclasses

import pytest

from newsloom import runtime
from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.stories.models import Story
from tests.support.feeds import article_page, rss
from tests.support.httpserver import LocalServer

pytestmark = pytest.mark.django_db(transaction=True)

AGENCY = [
    "新加坡电信在澳大利亚的子公司又遭网络袭击，可能泄露少于二十名客户和一千名员工的数据。",
    "遇袭的是澳洲电子通信服务咨询公司Dialog Group，该公司今年四月被新加坡电信收购。",
    "公司上星期五获悉有一部分数据在暗网上公开，包括员工的个人资料。",
    "新加坡电信发表声明说，没有证据显示这次网络袭击同上个月的Optus事件存在任何关联。",
]
OWN = [
    "上个月，新加坡电信旗下澳大利亚移动运营商Optus遭到网络攻击，影响了多达九百万客户。",
    "新加坡电信表示，子公司Dialog Group的系统完全独立，这次网络袭击影响少于一千名员工。",
    "澳大利亚政府表示将审查电信公司的数据保护规定，并考虑提高罚款金额。",
    "网络安全专家指出，近期针对澳洲企业的网络袭击明显增加，新加坡电信需要加强防护。",
]


def test_a_chinese_story_end_to_end(settings, pipeline, server: LocalServer) -> None:  # type: ignore[no-untyped-def]
    settings.CONFIG = dataclasses.replace(settings.CONFIG, languages=("en", "zh"))
    runtime.reset()
    agency = server.serve("/a/1", article_page("新加坡电信澳洲子公司遭网络袭击", AGENCY))
    copy = server.serve("/c/1", article_page("新电信澳洲子公司遭网袭", ["（本报讯）", *AGENCY]))
    own = server.serve("/b/1", article_page("新加坡电信：网络袭击与Optus无关", OWN))
    server.serve("/a.xml", rss([("新加坡电信澳洲子公司遭网络袭击", agency)]), "application/rss+xml")
    server.serve("/b.xml", rss([("新加坡电信：网络袭击与Optus无关", own), ("新电信澳洲子公司遭网袭", copy)]),
                 "application/rss+xml")
    create_feed(server.url("/a.xml"), ensure_source("联合早报"))
    create_feed(server.url("/b.xml"), ensure_source("星洲日报"))

    crawl_once(progress=False, timeout=120)

    articles = {a.canonical_url: a for a in Article.objects.all()}
    assert sorted(articles) == sorted([agency, copy, own])
    assert {a.language for a in articles.values()} == {"zh"}
    assert articles[copy].wire_group_id == articles[agency].wire_group_id != articles[own].wire_group_id
    assert all(a.word_count >= 60 for a in articles.values())  # about two characters a word, not a clause a word
    for article in articles.values():
        assert article.hashtags and all(len(tag) <= 12 for tag in article.hashtags), article.hashtags
    (story,) = Story.objects.all()
    assert story.article_count == 3
    assert {"新加坡电信", "网络袭击", "optus"} <= set(story.hashtags)
    assert "电信" not in story.hashtags  # inside 新加坡电信
    sentences = [s["text"] for s in story.summary]
    assert len(sentences) >= 3 and all(s.endswith("。") and s.count("。") == 1 for s in sentences), sentences
