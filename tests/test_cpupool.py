"""Extraction in child processes gives what read_article in-thread gives, and survives a child that dies."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.article import read_article
from newsloom.cpupool import CpuPool
from newsloom.errors import ExtractionError
from tests.support.feeds import LOREM, article_page


@pytest.fixture(scope="module")
def pool() -> Iterator[CpuPool]:
    extraction = CpuPool(2, ["en", "de"], timeout=30)
    yield extraction
    extraction.close()


def test_same_result_as_in_thread(pool: CpuPool) -> None:
    page = article_page("Council approves flood barrier", LOREM).encode()
    in_child = pool(page, url="http://x.test/a", exclude=["Daily Lantern"])
    in_thread = read_article(page, url="http://x.test/a", detector=LanguageDetector(["en", "de"]),
                             exclude=["Daily Lantern"])
    assert in_child == in_thread and in_child.language == "en" and in_child.hashtags


def test_a_story_is_analysed_in_a_child_as_in_thread(pool: CpuPool) -> None:
    from newsloom.core.enrichment.story import enrich_story
    from tests.core.enrichment.test_story import story_input

    story = story_input()
    assert pool.enrich(story, "none") == enrich_story(story, embedder=None)


def test_errors_come_back_as_extraction_errors(pool: CpuPool) -> None:
    with pytest.raises(ExtractionError, match="no article text"):
        pool(b"<html><body><nav>Home</nav></body></html>", url="http://x.test/empty")


def test_a_dead_child_is_replaced(pool: CpuPool) -> None:
    page = article_page("Council approves flood barrier", LOREM).encode()
    pool(page, url="http://x.test/a")  # children are up
    for pid in list(pool._pool._processes):  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
    assert LOREM[0] in pool(page, url="http://x.test/after-crash").text


def test_a_hanging_extraction_times_out() -> None:
    slow = CpuPool(1, [], timeout=0.01)
    try:
        page = article_page("A long page", LOREM * 200).encode()
        with pytest.raises(ExtractionError, match="took longer"):
            slow(page, url="http://x.test/slow")
    finally:
        slow.close()
