"""What a page declares about itself: its charset (``decode_page``) and, from the parsed lxml tree, <meta> tags,
JSON-LD, <link rel=canonical> and <time> (``read_page_meta``).

Everything here is cheap (one pass over <meta>, a few XPath look-ups, JSON-LD only when present) and never raises on
bad input: a malformed value is ignored.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from charset_normalizer import from_bytes
from lxml.html import HtmlElement

from newsloom.core.dates import parse_datetime

# JSON-LD types whose fields describe the article itself (others, like Organization or BreadcrumbList, do not).
ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "blogposting", "liveblogposting", "socialmediaposting",
        "report", "scholarlyarticle", "techarticle", "webpage", "medicalwebpage", "creativework",
    }
)  # fmt: skip
_PRIMARY_PUBLISHED_KEYS = ("article:published_time", "og:article:published_time")
_OTHER_PUBLISHED_KEYS = (
    "datepublished", "og:published_time",
    "sailthru.date", "parsely-pub-date", "pubdate", "publishdate", "publish-date", "dc.date.issued", "dc.date",
    "dcterms.created", "dcterms.date", "date",
)  # fmt: skip
_MAX_JSON_LD = 500_000
_LANG = re.compile(r"^\s*([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*\s*$")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
WEB_ENCODINGS = frozenset(
    {"utf_8", "utf_16", "utf_16_le", "utf_16_be", "cp866", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874",
     "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr"}
    | {f"iso8859_{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
    | {f"cp125{n}" for n in range(9)}
)  # fmt: skip
# WHATWG: these labels mean windows-1252 in browsers
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819", "iso_8859-1"}


@dataclass(frozen=True)
class PageMeta:
    canonical: str | None = None  # rel=canonical, else og:url (absolute, not yet trusted)
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    published_has_time: bool = False
    site_name: str | None = None
    image: str | None = None
    description: str | None = None
    lang: str | None = None  # ISO 639-1 from <html lang>, content-language or og:locale


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try_decode(page: bytes, codec: str) -> str | None:
    try:
        text = page.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == "cp1252":  # bytes undefined in windows-1252 (0x81, 0x8d, ...): latin-1 maps them all
            return page.decode("latin-1")
        return None
    return text


def _is_utf8(page: bytes) -> bool:
    try:
        page.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_page(page: bytes, charset: str | None = None) -> str:
    """Decode honouring, in order: a BOM, the HTTP ``charset`` when it decodes the bytes, <meta charset>/http-equiv,
    then detection. A single-byte label on bytes that are valid non-ASCII UTF-8 is taken to be wrong (common)."""
    for bom, codec in _BOMS:
        if page.startswith(bom):
            return page[len(bom) :].decode(codec, errors="replace")
    meta = _META_CHARSET.search(page[:4096])
    for declared in (_codec(charset), _codec(meta.group(1).decode("ascii")) if meta else None):
        if declared is None:
            continue
        if declared in ("utf-16", "utf-16-le", "utf-16-be", "utf-32") and meta and declared != _codec(charset):
            continue  # a <meta> cannot truthfully declare UTF-16 in bytes it was readable in as ASCII
        if codecs.lookup(declared).name != "utf-8" and not page.isascii() and _is_utf8(page):
            return page.decode("utf-8")
        text = _try_decode(page, declared)
        if text is not None:
            return text
    if _is_utf8(page):
        return page.decode("utf-8")
    sample = page if len(page) < 200_000 else page[:100_000] + page[-100_000:]
    results = [match for match in from_bytes(sample) if match.encoding]
    # browsers only know the WHATWG encodings: a DOS or Mac code page guess is never right for a web page
    candidates = [match for match in results if match.encoding in WEB_ENCODINGS] or results
    if candidates:
        best = candidates[0]
        encoding = best.encoding
        # equally plausible single-byte guesses: windows-1252 is by far the web's most common legacy encoding
        for match in candidates:
            if (
                match.encoding == "cp1252"
                and match.chaos <= best.chaos + 0.01
                and match.coherence >= best.coherence - 0.01
            ):
                encoding = "cp1252"
        text = _try_decode(page, encoding)
        if text is not None:
            return text
    return page.decode("cp1252", errors="replace")


def plausible_datetime(value: str) -> tuple[datetime, bool] | None:
    """A page's date as (datetime, has_time) when it parses and falls in 1990-2100 (metadata holds odd values)."""
    parsed = parse_datetime(value)
    if parsed is None or not 1990 <= parsed[0].year <= 2100:
        return None
    return parsed


def absolute_url(url: str | None, base: str) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not url or url.startswith("data:"):
        return None
    absolute = urljoin(base, url)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _clean(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return None


def _meta_map(tree: HtmlElement) -> dict[str, str]:
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                metas.setdefault(key.strip().lower(), content.strip())
    return metas


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        raw = script.text or ""
        if not raw.strip() or len(raw) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(raw.strip().removeprefix("<!--").removesuffix("-->"))
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                yield item


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", [])
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for entry in value for name in _names(entry)]
    if isinstance(value, dict):
        name = _clean(value.get("name"))
        return [name] if name else []
    name = _clean(value)
    return [name] if name and not name.startswith("http") else []


def _image_url(value: Any) -> str | None:
    if isinstance(value, list):
        return next((url for entry in value if (url := _image_url(entry))), None)
    if isinstance(value, dict):
        return _clean(value.get("url") or value.get("contentUrl"))
    return _clean(value)


def _article_json_ld(tree: HtmlElement) -> dict[str, Any]:
    """The first article-like JSON-LD object (an article type beats a generic web page)."""
    best: dict[str, Any] = {}
    for item in _json_ld_objects(tree):
        types = _types(item)
        if types & ARTICLE_TYPES - {"webpage", "creativework", "medicalwebpage"}:
            return item
        if types & ARTICLE_TYPES and not best:
            best = item
    return best


def _time_element(tree: HtmlElement) -> tuple[datetime, bool] | None:
    candidates = tree.xpath(
        "(.//time[@itemprop='datePublished' or @pubdate][@datetime])[1]/@datetime"
        " | (.//*[@itemprop='datePublished'][@content or @datetime])[1]/@*[name()='content' or name()='datetime']"
    )
    if not candidates:
        candidates = tree.xpath("(.//article//time[@datetime])[1]/@datetime") or tree.xpath(
            "(.//time[@datetime])[1]/@datetime"
        )
    for value in candidates:
        parsed = plausible_datetime(str(value))
        if parsed:
            return parsed
    return None


def _language(tree: HtmlElement, metas: dict[str, str]) -> str | None:
    for value in (tree.get("lang"), tree.get("xml:lang"), metas.get("content-language"), metas.get("og:locale")):
        if value:
            match = _LANG.match(value.split(",")[0])
            if match:
                return match.group(1).lower()
    return None


def read_page_meta(tree: HtmlElement, url: str) -> PageMeta:
    """Metadata declared by the page; relative URLs are resolved against ``url``."""
    metas = _meta_map(tree)
    ld = _article_json_ld(tree)
    publisher = ld.get("publisher")

    published: tuple[datetime, bool] | None = None
    for key in _PRIMARY_PUBLISHED_KEYS:
        if key in metas and (published := plausible_datetime(metas[key])):
            break
    if published is None and isinstance(ld.get("datePublished"), str):
        published = plausible_datetime(ld["datePublished"])
    if published is None:
        published = _time_element(tree)
    if published is None:
        for key in _OTHER_PUBLISHED_KEYS:
            if key in metas and (published := plausible_datetime(metas[key])):
                break

    canonical_href = tree.xpath(
        "(.//link[@href][contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')])[1]/@href"
    )
    canonical = absolute_url(str(canonical_href[0]) if canonical_href else None, url) or absolute_url(
        metas.get("og:url"), url
    )

    titles = tree.xpath("(.//title)[1]//text()")
    title = (
        _clean(metas.get("og:title"))
        or _clean(ld.get("headline"))
        or _clean(metas.get("twitter:title"))
        or _clean(" ".join(str(t) for t in titles))
    )
    authors = _names(ld.get("author")) or _names(metas.get("author")) or _names(metas.get("article:author"))
    site_name = (
        _clean(metas.get("og:site_name"))
        or next(iter(_names(publisher)), None)
        or _clean(metas.get("application-name"))
    )
    image = (
        absolute_url(metas.get("og:image") or metas.get("og:image:url") or metas.get("og:image:secure_url"), url)
        or absolute_url(metas.get("twitter:image") or metas.get("twitter:image:src"), url)
        or absolute_url(_image_url(ld.get("image")), url)
    )
    description = (
        _clean(metas.get("description"))
        or _clean(metas.get("og:description"))
        or _clean(metas.get("twitter:description"))
        or _clean(ld.get("description"))
    )
    return PageMeta(
        canonical=canonical,
        title=title,
        author=", ".join(dict.fromkeys(authors)) or None,
        published=published[0] if published else None,
        published_has_time=published[1] if published else False,
        site_name=site_name,
        image=image,
        description=description,
        lang=_language(tree, metas),
    )
