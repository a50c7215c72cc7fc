"""Article HTML sanitizing: an allow-list of reading markup, nothing executable, absolute http(s)/mailto links only."""

from __future__ import annotations

import nh3

from newsloom.core.urls import canonicalize

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
    if not base_url:
        return None
    try:
        return canonicalize(base_url)
    except ValueError:
        return None


def sanitize_html(html: str, *, base_url: str | None = None) -> str:
    """Keep the article allow-list of tags and attributes; resolve relative links and image sources against
    ``base_url`` (or drop them when there is none); only http(s) and mailto URLs survive; every link gets
    ``rel="noopener nofollow ugc"``. Scripts, styles, frames, forms, event handlers and ``javascript:`` URLs never do.
    """
    if not html:
        return ""
    base = _base_for(base_url)
    cleaned = nh3.clean(
        html,
        tags=set(ARTICLE_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=("rewrite_with_base", base) if base else "deny",
    )
    return cleaned.strip()
