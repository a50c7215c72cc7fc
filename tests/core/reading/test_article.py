"""read_article: extraction plus the article's own hashtags, in one call (what an extraction process runs)."""

from __future__ import annotations

import pytest

from newsloom.core.reading.article import read_article
from newsloom.core.reading.extract import extract
from newsloom.errors import ExtractionError

PARAGRAPHS = [
    "Floodwater forced the evacuation of 1,200 residents in Harrowdale on Tuesday, the Harrowdale council said.",
    "Mayor Elena Brandt told the Daily Lantern that the new flood barrier on the River Wend had held overnight.",
    "The Harrowdale council will meet on Friday to decide whether the flood barrier should be extended upstream.",
]


def _page(site: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f'<html lang="en"><head><title>Harrowdale evacuates as River Wend floods</title>'
            f'<meta property="og:site_name" content="{site}"></head>'
            f"<body><article><h1>Harrowdale evacuates as River Wend floods</h1>{body}</article></body></html>").encode()


def test_the_article_comes_with_its_hashtags_and_is_otherwise_what_extract_gives() -> None:
    page = _page("Valley Courier")
    read = read_article(page, url="http://courier.test/flood")
    plain = extract(page, url="http://courier.test/flood")
    assert read.hashtags and "harrowdale" in read.hashtags and len(read.hashtags) <= 8
    assert read.text == plain.text and not plain.hashtags


def test_the_outlet_names_are_never_tags() -> None:
    read = read_article(_page("Daily Lantern"), url="http://lantern.test/flood", exclude=["Daily Lantern Group"])
    assert not any("lantern" in tag for tag in read.hashtags)  # the page's site name is excluded too


def test_a_page_without_an_article_still_fails_as_extraction_does() -> None:
    with pytest.raises(ExtractionError):
        read_article(b"<html><body><nav>Home</nav></body></html>", url="http://x.test/")


def test_an_article_whose_text_trips_the_tagger_is_kept_without_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsloom.core.reading import article as reading

    def broken(*args: object, **kwargs: object) -> list[str]:
        raise RecursionError("a hostile text")

    monkeypatch.setattr(reading, "hashtags", broken)
    read = read_article(_page("Valley Courier"), url="http://courier.test/flood")
    assert read.hashtags == () and "Harrowdale" in read.text
