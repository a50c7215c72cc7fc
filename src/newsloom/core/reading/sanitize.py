"""HTML sanitizing: articles (an allow-list of reading markup, absolute http(s)/mailto links) and readers' comments
(plain text, its http(s) links made clickable and marked ``nofollow ugc``); nothing executable survives either."""

from __future__ import annotations

import re
from html import escape, unescape

import nh3

from newsloom.core.urls import safe_http_url

# Reading markup only: text structure, quotes, figures, simple tables, code. No layout, forms, media players.
ARTICLE_TAGS: frozenset[str] = frozenset(
    {
        "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "a",
        "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "q", "cite", "abbr",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "pre", "code", "br", "hr",
    }
)  # fmt: skip
ARTICLE_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# Dropped together with everything inside them (the other unknown tags are unwrapped, keeping their text).
REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet",
        "form", "button", "select", "textarea", "input", "svg", "math", "canvas", "audio", "video", "head", "title",
    }
)  # fmt: skip
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener nofollow ugc"


def _base_for(base_url: str | None) -> str | None:
    return safe_http_url(base_url)  # a host nh3 (or a browser) would refuse is no base at all


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Keep the article allow-list of tags and attributes; resolve relative links and image sources against
    ``base_url`` (or drop them when there is none); only http(s) and mailto URLs survive; every link gets
    ``rel="noopener nofollow ugc"``. Scripts, styles, frames, forms, event handlers and ``javascript:`` URLs never do.
    """
    if not html:
        return ""
    base = _base_for(base_url)
    try:
        cleaned = _clean_article(html, base)
    except ValueError:  # nh3 refused the base URL after all: relative links are dropped instead
        cleaned = _clean_article(html, None)
    return cleaned.strip()


def _clean_article(html: str, base: str | None) -> str:
    return nh3.clean(
        html,
        tags=set(ARTICLE_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=("rewrite_with_base", base) if base else "deny",
    )


# ------------------------------------------------------------------------------------------------------------ comments

# What a reader may write: paragraphs, line breaks, emphasis, quotes, inline code, lists and plain links.
COMMENT_TAGS: frozenset[str] = frozenset({"p", "br", "a", "em", "strong", "blockquote", "code", "ul", "ol", "li"})
COMMENT_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "*": set()}  # "*": no lang or title anywhere
COMMENT_URL_SCHEMES: frozenset[str] = frozenset({"http", "https"})
COMMENT_LINK_REL = "nofollow ugc"
_COMMENT_BLOCK = re.compile(r"<\s*(?:p|br|ul|ol|li|blockquote)\b", re.I)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TEXT_BREAK = re.compile(r"<(/?(?:p|br|li|blockquote)\b)", re.I)


def sanitize_comment(body: str) -> str:
    """A reader's comment as safe HTML: the comment allow-list only, absolute http(s) links with
    ``rel="nofollow ugc"``, nothing executable. Text without block markup becomes paragraphs at blank lines and
    line breaks at single newlines. Returns "" when no visible text is left."""
    cleaned = _clean_comment(body.replace("\r\n", "\n").replace("\r", "\n"))
    if cleaned and not _COMMENT_BLOCK.search(cleaned):
        paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(cleaned) if p.strip()]
        cleaned = _clean_comment("".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs))
    return cleaned if comment_text(cleaned) else ""


def _clean_comment(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(COMMENT_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=COMMENT_ATTRIBUTES,
        url_schemes=set(COMMENT_URL_SCHEMES),
        link_rel=COMMENT_LINK_REL,
        strip_comments=True,
        url_relative="deny",
    ).strip()


def comment_text(html: str) -> str:
    """The words a reader sees in comment HTML, whitespace collapsed (for length checks and previews)."""
    plain = nh3.clean(_TEXT_BREAK.sub(r" <\1", html), tags=set(), clean_content_tags=set(REMOVED_WITH_CONTENT))
    return " ".join(unescape(plain).split())


# --------------------------------------------------------------------------------------------- comments as plain text

_URL_IN_TEXT = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.I)
_URL_TRAILING = ".,;:!?)]}*_~"
PLAIN_COMMENT_TAGS: frozenset[str] = frozenset({"p", "br", "a"})


def _linked(line: str) -> tuple[str, int]:
    """One line of text as HTML, each valid http(s) URL in it a link; and how many links were made."""
    out: list[str] = []
    links = 0
    pos = 0
    for match in _URL_IN_TEXT.finditer(line):
        typed = match.group(0).rstrip(_URL_TRAILING)
        href = safe_http_url(typed, max_length=1000)
        out.append(escape(line[pos : match.start()]))
        if href is None:
            out.append(escape(typed))
        else:
            out.append(f'<a href="{escape(href)}">{escape(typed)}</a>')
            links += 1
        pos = match.start() + len(typed)
    out.append(escape(line[pos:]))
    return "".join(out), links


def comment_links(text: str) -> int:
    """How many links ``comment_html`` makes of ``text``."""
    return sum(_linked(line)[1] for line in text.splitlines())


def comment_html(text: str) -> str:
    """A reader's plain text as safe HTML: every character shown as typed (markup included, as text), paragraphs at
    blank lines, line breaks at single newlines, http(s) URLs made links with ``rel="nofollow ugc"``. nh3 checks the
    result against an allow-list of p, br and a. Returns "" when no visible text is left."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    paragraphs = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    html = "".join("<p>" + "<br>".join(_linked(line)[0] for line in p.split("\n")) + "</p>" for p in paragraphs)
    cleaned = nh3.clean(
        html,
        tags=set(PLAIN_COMMENT_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={"a": {"href"}, "*": set()},
        url_schemes=set(COMMENT_URL_SCHEMES),
        link_rel=COMMENT_LINK_REL,
        strip_comments=True,
        url_relative="deny",
    ).strip()
    return cleaned if comment_text(cleaned) else ""
