from __future__ import annotations

import pytest

from newsloom.core.reading.sanitize import comment_text, sanitize_comment, sanitize_html

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


# ------------------------------------------------------------------------------------------------------------ comments

def test_comment_keeps_only_the_tight_allow_list() -> None:
    html = (
        "<p>A <em>b</em> <strong>c</strong> <code>d()</code><br>e</p><blockquote>q</blockquote>"
        "<ul><li>u</li></ul><ol><li>o</li></ol><h2>head</h2><b>bold</b><table><tr><td>cell</td></tr></table>"
    )
    out = sanitize_comment(html)
    assert out.startswith("<p>A <em>b</em> <strong>c</strong> <code>d()</code><br>e</p><blockquote>q</blockquote>")
    assert "<ul><li>u</li></ul><ol><li>o</li></ol>" in out
    for dropped in ("<h2", "<b>", "<table", "<td"):
        assert dropped not in out
    assert "head" in out and "bold" in out and "cell" in out  # unwrapped, the words kept


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src='x.png' onerror='alert(1)'>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href='data:text/html,alert(1)'>x</a>",
        "<p onclick='alert(1)' style='color:red'>x</p>",
        "<iframe src='https://evil.example'></iframe>",
        "<svg><script>alert(1)</script></svg>",
        "<a href='mailto:x@example.com' target='_blank' title='t'>m</a>",
    ],
)
def test_comment_drops_executable_and_unusual_content(hostile: str) -> None:
    lowered = sanitize_comment(f"<p>ok</p>{hostile}").lower()
    for bad in ("<script", "alert", "<img", "onerror", "onclick", "javascript:", "data:", "style=", "<iframe",
                "mailto:", "target=", "title="):
        assert bad not in lowered
    assert lowered.startswith("<p>ok</p>")


def test_comment_links_are_absolute_http_and_marked_user_generated() -> None:
    out = sanitize_comment('<a href="https://ok.example/a?b=1&c=2">ok</a> <a href="/local">local</a>')
    assert '<a href="https://ok.example/a?b=1&amp;c=2" rel="nofollow ugc">ok</a>' in out
    assert 'href="/local"' not in out and "local" in out


def test_comment_plain_text_becomes_paragraphs() -> None:
    assert sanitize_comment("One\r\ntwo\n\n\nThree & <3") == "<p>One<br>two</p><p>Three &amp; &lt;3</p>"
    assert sanitize_comment("<em>a\n\nb</em>") == "<p><em>a</em></p><p><em>b</em></p>"
    assert sanitize_comment("<p>given</p>\n\n<p>as is</p>") == "<p>given</p>\n\n<p>as is</p>"


@pytest.mark.parametrize("empty", ["", "  \n\t", "<p></p>", "<br>", "&nbsp;", "<script>x</script>", "<img src=x>"])
def test_comment_with_nothing_to_read_is_empty(empty: str) -> None:
    assert sanitize_comment(empty) == ""


def test_comment_text_is_what_readers_see() -> None:
    assert comment_text("<p>One &amp; two</p><p>three<br>four</p><ul><li>five</li></ul>") == "One & two three four five"
