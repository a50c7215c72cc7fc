from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.extract import ExtractedArticle, extract
from newsloom.core.reading.pagemeta import decode_page
from newsloom.errors import ExtractionError

PAGES = Path(__file__).parent / "testdata"
GOLDEN = sorted(path.stem for path in PAGES.glob("*.html"))
DETECTOR = LanguageDetector(["en", "de", "fr"])

PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the committee heard evidence from engineers, residents and officials about the bridge, "
    f"and it will publish its conclusions in a report to parliament next spring.</p>"
    for i in range(6)
)


def _page(body: str, head: str = "<title>Bridge inquiry hears evidence</title>") -> str:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_page(name: str) -> None:
    expected: dict[str, Any] = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    article = extract(
        (PAGES / f"{name}.html").read_bytes(), url=expected["url"], charset=expected.get("charset"), detector=DETECTOR
    )
    assert isinstance(article, ExtractedArticle)
    for key in ("title", "author", "canonical_url", "lead_image", "site_name", "language", "description"):
        assert getattr(article, key) == expected[key], key
    published = article.published.isoformat() if article.published else None
    assert published == expected["published"]
    assert article.published_has_time == expected["published_has_time"]
    assert article.published is None or article.published.tzinfo is not None
    for sentence in expected["must_contain"]:
        assert sentence in article.text
    for phrase in expected["must_not_contain"]:
        assert phrase not in article.text, phrase
    for fragment in expected.get("html_must_contain", []):
        assert fragment in article.html
    for fragment in expected.get("html_must_not_contain", []):
        assert fragment not in article.html
    assert "\n\n" in article.text
    assert article.word_count > 50
    assert "<script" not in article.html and "javascript:" not in article.html


def test_text_and_html_come_from_one_body() -> None:
    items = "<ul><li>First point of the list</li></ul>"
    body = f"<article><h1>Bridge inquiry hears evidence</h1>{PARAGRAPHS}{items}</article>"
    article = extract(_page(body), url="https://example.com/bridge")
    assert article.text.count("\n\n") >= 5
    assert article.html.count("<p>") == 6
    assert article.title == "Bridge inquiry hears evidence"
    assert not article.text.startswith("Bridge inquiry hears evidence")  # the headline is not repeated in the text


def test_cross_site_canonical_is_ignored() -> None:
    head = "<title>T</title><link rel='canonical' href='https://other-site.example/stolen'>"
    article = extract(_page(f"<article>{PARAGRAPHS}</article>", head), url="https://example.com/a?utm_source=x")
    assert article.canonical_url == "https://example.com/a"


def test_same_site_canonical_is_used() -> None:
    head = "<title>T</title><link rel='canonical' href='/news/a-story?utm_medium=rss'>"
    article = extract(_page(f"<article>{PARAGRAPHS}</article>", head), url="https://www.example.com/amp/a")
    assert article.canonical_url == "https://www.example.com/news/a-story"


def test_script_and_javascript_links_are_sanitized_out() -> None:
    body = (
        f"<article>{PARAGRAPHS}<p>See <a href='javascript:alert(1)' onclick='x()'>this</a> and "
        "<a href='/more'>that</a> for the full committee report published today.</p>"
        "<script>alert('owned')</script><iframe src='https://evil.example'></iframe></article>"
    )
    article = extract(_page(body), url="https://example.com/x")
    assert "alert" not in article.html and "alert" not in article.text
    assert "javascript:" not in article.html and "onclick" not in article.html and "iframe" not in article.html
    assert 'href="https://example.com/more"' in article.html
    assert 'rel="noopener nofollow ugc"' in article.html


def test_date_only_metadata() -> None:
    head = "<title>T</title><meta property='article:published_time' content='2024-02-03'>"
    article = extract(_page(f"<article>{PARAGRAPHS}</article>", head), url="https://example.com/x")
    assert article.published is not None and article.published.isoformat() == "2024-02-03T00:00:00+00:00"
    assert article.published_has_time is False


@pytest.mark.parametrize(
    "page",
    [
        b"",
        "   ",
        "<html><head><title>x</title></head></html>",
        _page("<nav><a href='/a'>Home</a> <a href='/b'>News</a> <a href='/c'>Sport</a></nav>"),
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20,
        bytes(range(256)) * 40,
        b'{"articles": [{"title": "not html"}]}',
        "<html><body><p>Too short.</p></body></html>",
    ],
    ids=["empty", "blank", "no-body", "navigation-only", "png", "binary-garbage", "json", "too-short"],
)
def test_no_article_raises_extraction_error(page: bytes | str) -> None:
    with pytest.raises(ExtractionError) as info:
        extract(page, url="https://example.com/x")
    assert str(info.value)


def test_non_http_url_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        extract(_page(f"<article>{PARAGRAPHS}</article>"), url="ftp://example.com/x")


def test_huge_nested_page_neither_crashes_nor_hangs() -> None:
    depth = 5000
    nested = "<div>" * depth + PARAGRAPHS + "</div>" * depth
    filler = "<div class='x'><span>filler text</span></div>" * 120_000
    page = _page(nested + filler)
    assert len(page) > 5_000_000
    started = time.monotonic()
    with contextlib.suppress(ExtractionError):
        extract(page, url="https://example.com/x")
    assert time.monotonic() - started < 60


def test_windows_1252_labelled_utf8_is_not_mojibake() -> None:
    sentence = "<p>The café owners – who pay €5 more – called the levy “unfair” and naïve.</p>"
    raw = f"<html><head><meta charset='utf-8'></head><body><p>Café – €5 “quoted”</p>{sentence * 5}</body></html>"
    text = decode_page(raw.encode("cp1252"), "utf-8")
    assert "na\u00efve" in text
    assert "Café – €5 “quoted”" in text


GERMAN = "Die Bürger äußerten große Sorge über die Größe der Straßen und die Öffnungszeiten der Ämter. " * 3


@pytest.mark.parametrize(
    ("raw", "charset", "expected"),
    [
        ("\ufeffgr\u00fc\u00dfe".encode("utf-8-sig"), "iso-8859-1", "gr\u00fc\u00dfe"),
        ("gr\u00fc\u00dfe".encode("utf-16"), None, "gr\u00fc\u00dfe"),
        (
            "<meta charset='koi8-r'>\u043f\u0440\u0438\u0432\u0435\u0442".encode("koi8-r"),
            None,
            "\u043f\u0440\u0438\u0432\u0435\u0442",
        ),
        ("gr\u00fc\u00dfe".encode(), "iso-8859-1", "gr\u00fc\u00dfe"),  # utf-8 bytes mislabelled latin-1
        (GERMAN.encode("cp1252"), "bogus-charset", GERMAN),
    ],
)
def test_decode_page(raw: bytes, charset: str | None, expected: str) -> None:
    assert expected in decode_page(raw, charset)


def test_language_from_detector_when_lang_attribute_lies() -> None:
    german = "".join(
        "<p>Die Bundesregierung hat am Dienstag neue Maßnahmen beschlossen, um die Preise für Energie zu senken "
        "und kleine Unternehmen in den kommenden Monaten gezielt zu entlasten.</p>"
        for _ in range(5)
    )
    article = extract(_page(f"<article>{german}</article>"), url="https://example.de/x", detector=DETECTOR)
    assert article.language == "de"
    assert extract(_page(f"<article>{german}</article>"), url="https://example.de/x").language == "en"
