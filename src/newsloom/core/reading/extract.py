"""Page -> ExtractedArticle: main text, sanitized HTML and metadata, in one parse and one trafilatura pass.

Steps: decode the bytes (BOM, HTTP charset, <meta charset>, detection), parse once with trafilatura's loader, read the
page's declared metadata from that tree, remove obvious boilerplate containers (``BOILERPLATE_TOKENS`` below), run
``trafilatura.bare_extraction`` once on the same tree, drop boilerplate paragraphs from its body, then derive the plain
text and the sanitized HTML from that one body element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.pagemeta import absolute_url, decode_page, plausible_datetime, read_page_meta
from newsloom.core.reading.sanitize import sanitize_html
from newsloom.core.text import word_count
from newsloom.core.urls import canonicalize, same_site
from newsloom.errors import ExtractionError

MAX_PAGE_CHARS = 8_000_000  # bigger pages are refused rather than parsed
MIN_WORDS = 15  # fewer words of main text is not an article

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\x00\x00\x01\x00",
)


@dataclass(frozen=True)
class ExtractedArticle:
    url: str
    canonical_url: str
    title: str
    author: str | None
    published: datetime | None
    published_has_time: bool
    text: str
    html: str
    site_name: str | None
    lead_image: str | None
    language: str | None
    description: str | None
    word_count: int
    hashtags: tuple[str, ...] = ()  # filled by core.reading.read_article, not by extract()


def _looks_binary(text: str) -> bool:
    sample = text[:2048]
    if not sample:
        return True
    bad = sum(1 for char in sample if char == "\ufffd" or (ord(char) < 32 and char not in "\t\n\r\f"))
    return bad > len(sample) * 0.05


def _parse(page: bytes | str, charset: str | None) -> HtmlElement:
    if isinstance(page, bytes):
        if page.lstrip()[:4].startswith(_BINARY_MAGIC) or page.startswith(_BINARY_MAGIC):
            raise ExtractionError("the response is a binary file, not an HTML page")
        page = decode_page(page, charset)
    if len(page) > MAX_PAGE_CHARS:
        raise ExtractionError(f"the page is too large to extract ({len(page):,} characters)")
    if not page.strip():
        raise ExtractionError("the page is empty")
    if _looks_binary(page):
        raise ExtractionError("the response is not an HTML page (binary or undecodable content)")
    head = page[:2048].lstrip().lower()
    if head.startswith(("{", "[")) or (head.startswith("<?xml") and "<html" not in head):
        raise ExtractionError("the response is not an HTML page (JSON or XML)")
    try:
        tree = load_html(page)
    except (ValueError, TypeError, etree.LxmlError) as error:
        raise ExtractionError(f"the page could not be parsed as HTML: {error}") from error
    if tree is None or not isinstance(tree, HtmlElement):
        raise ExtractionError("the page could not be parsed as HTML")
    return tree


# --- boilerplate ---------------------------------------------------------------------------------------------------
# Containers removed before extraction when their class or id contains one of these words as a whole "-"/"_"/space
# separated part (so "share-bar" and "article_share" match, "shareholders" does not). Kept small and general.
BOILERPLATE_TOKENS: tuple[str, ...] = (
    # cookie and consent banners
    "cookies?", "consent", "gdpr", "cmp", "onetrust", "didomi", "cookiebar",
    # newsletter and subscription boxes
    "newsletters?", "subscribe", "subscription", "signup", "sign-up", "optin", "opt-in",
    # share bars and social widgets
    "share", "sharing", "sharebar", "social", "addthis", "sharethis", "shariff",
    # app promotions
    "app-promo", "app-banner", "app-download", "appbanner", "smartbanner", "get-the-app", "download-app",
    # comment sections
    "comments?", "commentlist", "disqus", "respond", "reader-comments",
    # related / read more lists, recommendation widgets
    "related", "read-more", "readmore", "more-stories", "recommended", "recommendations", "outbrain", "taboola",
    "trending", "most-read", "most-popular", "most-viewed", "also-read", "further-reading",
    # ads and promotions
    "promo", "advert", "advertisement", "ad-slot", "ad-container", "sponsored",
    # author boxes repeated under the text
    "author-bio", "author-box", "about-author",
)  # fmt: skip
# aria-label texts that mark the same kinds of boxes
BOILERPLATE_LABELS = r"cookie|consent|newsletter|subscribe|share|social|comments|related|read more|recommended|advert"
BOILERPLATE_ROLES = ("dialog", "alertdialog", "navigation", "contentinfo", "banner")
_TOKEN_RE = re.compile(r"(?:^|[\s_-])(?:" + "|".join(BOILERPLATE_TOKENS) + r")(?:$|[\s_-])", re.IGNORECASE)
_LABEL_RE = re.compile(BOILERPLATE_LABELS, re.IGNORECASE)
_BOILERPLATE_XPATH = etree.XPath(".//body//*[@class or @id or @aria-label or @role]")


def _is_boilerplate_container(element: etree._Element) -> bool:
    if element.get("role") in BOILERPLATE_ROLES:
        return True
    label = element.get("aria-label")
    if label and _LABEL_RE.search(label):
        return True
    return any(_TOKEN_RE.search(value) for value in (element.get("class"), element.get("id")) if value)


_PROTECTED_TAGS = frozenset({"html", "body", "main", "article", "head"})
_CONTENT_CLASS = re.compile(r"content|entry|article|story|body|te?xt")
_HOLDS_ARTICLE = etree.XPath(".//*[self::h1 or self::article or self::main or @itemprop='articleBody']")

# Short blocks of extracted text that are boilerplate whatever the markup around them.
BOILERPLATE_LINES = re.compile(
    r"^(?:share (?:this|on)\b|sign up\b|subscribe\b"
    r"|get (?:our|the) (?:\w+ ){0,3}app\b|download (?:our|the) (?:\w+ ){0,3}app\b"
    r"|read more\b|related(?: articles| stories| content| coverage| posts)?:?$|more (?:stories|from|on this)\b"
    r"|(?:we|this (?:site|website)) uses? cookies|accept (?:all )?cookies|follow us\b|advertisement$|sponsored$"
    r"|comments?(?: \(\d+\))?:?$|\d+ comments?$|join the (?:conversation|discussion)|leave a (?:comment|reply)"
    r"|click here\b|all rights reserved|copyright\b)",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_LINE = 160


def _looks_like_content(element: etree._Element) -> bool:
    """Guards against removing the article: a content class among the element's classes ("entry-content read-more",
    "article-text js_readmore"), or plenty of text that is not mostly links."""
    classes = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    if any(_CONTENT_CLASS.search(name) for name in classes):
        return True
    if len(element.findall(".//p")) > 12:
        return True
    text_length = len(" ".join(element.itertext()))
    if text_length < 1000:
        return False
    link_length = sum(len(" ".join(link.itertext())) for link in element.iter("a"))
    return link_length < 0.5 * text_length


def prune_boilerplate(tree: HtmlElement) -> int:
    """Remove cookie banners, newsletter boxes, share bars, app promotions, comments and related-link lists from the
    page, in place; never a container holding the headline or the article itself. Returns how many were removed."""
    candidates = _BOILERPLATE_XPATH(tree)
    removed = 0
    for element in candidates:
        if element.tag in _PROTECTED_TAGS or not isinstance(element.tag, str):
            continue
        if not _is_boilerplate_container(element):
            continue
        parent = element.getparent()
        if parent is None or any(a.get("data-newsloom-removed") for a in element.iterancestors()):
            continue
        if _HOLDS_ARTICLE(element) or _looks_like_content(element):
            continue
        element.set("data-newsloom-removed", "1")
        removed += 1
    for element in candidates:
        if element.get("data-newsloom-removed") and element.getparent() is not None:
            element.drop_tree()
    return removed


# --- trafilatura's body element -> text and HTML -----------------------------------------------------------------
_LIST_LIKE = frozenset({"list", "table"})
_NESTED_BLOCKS = frozenset({"p", "head", "list", "quote", "table", "code", "div"})
_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_SIMPLE_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "lb": "br", "graphic": "img", "row": "tr"}


def _inline_text(element: etree._Element) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag in _NESTED_BLOCKS or child.tag == "item":
            parts.append(" " + _inline_text(child) + " ")
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _blocks(element: etree._Element) -> list[tuple[etree._Element, str]]:
    """(element, text) for each paragraph-level block, in order."""
    blocks: list[tuple[etree._Element, str]] = []
    for child in element:
        if not isinstance(child.tag, str) or child.tag == "graphic":
            continue
        if child.tag == "list":
            blocks.extend((item, _tidy(_inline_text(item))) for item in child if item.tag == "item")
        elif child.tag == "table":
            for row in child.iter("row"):
                cells = [_tidy(_inline_text(cell)).replace("\n", " ") for cell in row if cell.tag == "cell"]
                blocks.append((row, " | ".join(cell for cell in cells if cell)))
        elif child.tag in ("quote", "div") and any(c.tag in _NESTED_BLOCKS for c in child):
            if child.text and child.text.strip():
                blocks.append((child, _tidy(child.text)))
            blocks.extend(_blocks(child))
        else:
            blocks.append((child, _tidy(_inline_text(child))))
    return blocks


def _is_boilerplate(text: str, title: str | None, author: str | None) -> bool:
    if len(text) > _MAX_BOILERPLATE_LINE:
        return False
    folded = text.casefold().strip(" .:|")
    if title and folded == title.casefold().strip(" .:|"):
        return True
    if author and folded in (author.casefold(), "by " + author.casefold()):
        return True
    return bool(BOILERPLATE_LINES.match(text))


def _to_html(body: etree._Element) -> str:
    for element in body.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag == "head":
            level = min(max(int((element.get("rend") or "h3")[1:2] or 3), 2), 6)
            element.tag = f"h{level}"
        elif tag == "hi":
            element.tag = _HI_TAGS.get(element.get("rend") or "", "span")
        elif tag == "ref":
            element.tag = "a"
            element.set("href", element.get("target") or "")
        elif tag == "cell":
            element.tag = "th" if element.get("role") == "head" else "td"
        elif tag == "list" and element.get("rend") == "ol":
            element.tag = "ol"
        elif tag == "code":
            element.tag = "pre"
        else:
            element.tag = _SIMPLE_TAGS.get(tag, tag)
    body.tag = "div"
    return etree.tostring(body, method="html", encoding="unicode")


def clean_body(body: etree._Element, *, title: str | None, author: str | None) -> tuple[str, str, str | None]:
    """Drop boilerplate blocks from trafilatura's body (in place), then return (text, unsanitized HTML, first image)."""
    paragraphs: list[str] = []
    for element, text in _blocks(body):
        if not text:
            continue
        if _is_boilerplate(text, title, author) and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        paragraphs.append(text)
    first_image = next((src for graphic in body.iter("graphic") if (src := graphic.get("src"))), None)
    return "\n\n".join(paragraphs), _to_html(body), first_image


def _language(text: str, page_lang: str | None, detector: LanguageDetector | None) -> str | None:
    """The page's declared language when the detector does not clearly disagree, else the detector's answer."""
    if detector is None:
        return page_lang
    detected = detector.detect(text)
    if page_lang and page_lang in detector.languages and detected in (None, page_lang):
        return page_lang
    return detected or (page_lang if page_lang in detector.languages else None)


def _canonical(url: str, declared: str | None) -> str:
    if declared and same_site(declared, url):
        try:
            return canonicalize(declared)
        except ValueError:
            pass
    try:
        return canonicalize(url)
    except ValueError as error:
        raise ExtractionError(f"the page URL is not an http(s) URL: {url!r}") from error


def _run_trafilatura(tree: HtmlElement, url: str, *, with_metadata: bool = True) -> Any:
    try:
        return bare_extraction(
            tree,
            url=url,
            with_metadata=with_metadata,
            include_comments=False,
            include_tables=True,
            include_images=True,
            include_links=True,
            include_formatting=True,
        )
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError) as error:
        raise ExtractionError(f"the text extractor failed on this page: {error}") from error


def extract(
    page: bytes | str, *, url: str, charset: str | None = None, detector: LanguageDetector | None = None
) -> ExtractedArticle:
    """Extract the article of ``page`` fetched from ``url``; raises ExtractionError when there is none."""
    canonical_base = _canonical(url, None)
    tree = _parse(page, charset)
    meta = read_page_meta(tree, url)
    prune_boilerplate(tree)
    # trafilatura's own metadata pass (a fifth of its time) only fills in what the page's declared metadata lacks
    declared = bool(meta.title and meta.published and meta.author and meta.site_name)
    document = _run_trafilatura(tree, url, with_metadata=not declared)
    if document is None or document.body is None:
        raise ExtractionError("no article text found on the page")
    title = meta.title if not document.title else str(document.title)
    text, html, first_image = clean_body(document.body, title=title, author=meta.author or document.author)
    words = word_count(text)
    if words < MIN_WORDS:
        raise ExtractionError(f"no article text found on the page (only {words} words of main text)")

    published, has_time = meta.published, meta.published_has_time
    if published is None and document.date:
        parsed = plausible_datetime(str(document.date))
        if parsed:
            published, has_time = parsed[0].astimezone(UTC) if parsed[1] else parsed[0], parsed[1]

    lead_image = meta.image or (absolute_url(first_image, url) if first_image else None)
    return ExtractedArticle(
        url=url,
        canonical_url=_canonical(url, meta.canonical) if meta.canonical else canonical_base,
        title=title or "",
        author=_author(document.author, meta.author),
        published=published,
        published_has_time=has_time,
        text=text,
        html=sanitize_html(html, base_url=url),
        site_name=meta.site_name or (str(document.sitename) if document.sitename else None),
        lead_image=lead_image or None,
        language=_language(text, meta.lang, detector),
        description=meta.description or (str(document.description) if document.description else None),
        word_count=words,
    )


def _author(trafilatura_author: Any, meta_author: str | None) -> str | None:
    if meta_author:
        return meta_author
    if isinstance(trafilatura_author, str) and trafilatura_author.strip():
        return trafilatura_author.strip()
    return None
