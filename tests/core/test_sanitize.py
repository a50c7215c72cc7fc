from __future__ import annotations

import pytest

from newsloom.core.sanitize import sanitize_html

BASE = "https://news.example.com/world/story.html"


def test_keeps_article_markup() -> None:
    html = (
        "<h2>Sub</h2><p>Text <em>em</em> <strong>strong</strong></p><ul><li>a</li></ul><ol><li>b</li></ol>"
        "<blockquote><p>q</p></blockquote><figure><img src='/i.jpg' alt='Alt'><figcaption>Cap</figcaption></figure>"
        "<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>c</td></tr></tbody></table><pre><code>x</code></pre>"
        "<br><hr>"
    )
    out = sanitize_html(html, base_url=BASE)
    for fragment in (
        "<h2>Sub</h2>",
        "<em>em</em>",
        "<strong>strong</strong>",
        "<ul><li>a</li></ul>",
        "<blockquote>",
        "<figcaption>Cap</figcaption>",
        "<th>h</th>",
        "<td>c</td>",
        "<pre><code>x</code></pre>",
        "<hr>",
    ):
        assert fragment in out
    assert '<img src="https://news.example.com/i.jpg" alt="Alt">' in out


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        "<iframe src='https://evil.example'></iframe>",
        "<form action='/x'><input name='q'><button>go</button></form>",
        "<img src='x.png' onerror='alert(1)'>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href='JaVaScRiPt:alert(1)'>x</a>",
        "<a href='data:text/html,alert(1)'>x</a>",
        "<p onclick='alert(1)' style='color:red'>x</p>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_removes_executable_content(hostile: str) -> None:
    out = sanitize_html(f"<p>ok</p>{hostile}", base_url=BASE)
    lowered = out.lower()
    for bad in (
        "<script",
        "alert",
        "<style",
        "<iframe",
        "<form",
        "<input",
        "onerror",
        "onclick",
        "javascript:",
        "data:",
        "style=",
    ):
        assert bad not in lowered
    assert "<p>ok</p>" in out


def test_links_are_absolute_with_rel() -> None:
    out = sanitize_html(
        "<a href='../other.html' title='T' target='_blank'>o</a><a href='mailto:x@example.com'>m</a>", base_url=BASE
    )
    assert '<a href="https://news.example.com/other.html" title="T" rel="noopener nofollow ugc">o</a>' in out
    assert 'href="mailto:x@example.com"' in out
    assert "target" not in out


def test_relative_links_dropped_without_base() -> None:
    out = sanitize_html("<a href='/x'>x</a><a href='https://ok.example/'>y</a>")
    assert 'href="/x"' not in out
    assert 'href="https://ok.example/"' in out


def test_unknown_tags_unwrapped_and_empty_input() -> None:
    assert sanitize_html("<div><span>text</span></div>") == "text"
    assert sanitize_html("") == ""
