"""A fast path for large RSS 2.0 feeds: the result feedparser would give, built without feedparser's per-element cost.

feedparser reads a 10,000-item feed in seconds (a SAX handler, URI bookkeeping and a dict per element). Here lxml
reads the document at once and every *plain* item — only the common elements (title, link, guid, pubDate,
description, category, dc:creator, enclosure, media:content, media:thumbnail, comments), text without markup,
entities or control characters, no unexpected attributes — is mapped straight into the entry feedparser builds for
it. Everything else goes through feedparser itself, in one call on the same document with the plain items taken
out: the channel's own fields, and every item that uses anything more. So an item is never read by a guess, only
either by feedparser or by this copy of what feedparser does with that narrow shape; a parity test compares the two
on every conformance-suite document and on generated feeds.

Only documents feedparser would read strictly take this path: well-formed XML, UTF-8 (declared or detected) with no
encoding trouble, no DOCTYPE, no ``xml:base``, an ``<rss version="2.0">`` root with one ``<channel>`` holding every
item. ``plain_result`` returns ``None`` for anything else, and the caller uses feedparser on the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from feedparser.datetimes import _parse_date  # the date reader feedparser applies to every pubDate
from feedparser.encodings import convert_to_utf8
from feedparser.urls import make_safe_absolute_uri
from lxml import etree

__all__ = ["MIN_ITEMS", "plain_result"]

MIN_ITEMS = 200  # below this, feedparser on the whole document is quick enough
PROBE = 100  # when more than half of the first PROBE items are not plain, the whole document goes to feedparser

DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_TEXT_ELEMENTS = {"title", "link", "guid", "pubDate", "description", "category", "comments", DC + "creator"}
_EMPTY_ELEMENTS = {"enclosure", MEDIA + "content", MEDIA + "thumbnail"}
_ATTRIBUTES = {"guid": {"isPermaLink"}, "category": {"domain"}, "enclosure": {"url", "length", "type"},
               MEDIA + "content": {"url", "type", "medium", "width", "height", "fileSize", "duration", "lang",
                                   "bitrate", "isDefault", "expression"},
               MEDIA + "thumbnail": {"url", "width", "height", "time"}}  # fmt: skip
_ONCE = {"title", "link", "guid", "pubDate", "description", "comments", DC + "creator"}
# markup, entities, characters feedparser's sanitizer drops or rewrites, an e-mail address in an author
_UNPLAIN_TEXT = re.compile(r"[<>&\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_UNPLAIN_URL = re.compile(r"[<>\s\x00-\x1f\x7f]")
_EMAILISH = re.compile(r"@")
_URIFIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")  # feedparser.urls: collapse extra slashes
_ENTITYISH_LINK = re.compile("&([A-Za-z0-9_]+);")


class _NotPlain(Exception):
    """This item takes feedparser's path."""


def _urljoin(base: str, uri: str) -> str:
    """feedparser's own join (``feedparser.urls._urljoin``): slashes after the scheme collapsed, '' when invalid."""
    scheme_end = uri.find("://")
    if scheme_end > 0 and uri[scheme_end + 3 : scheme_end + 4] == "/":  # else the substitution changes nothing
        uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _as_feedparser_text(value: str) -> str:
    """What feedparser does to every text it stores from a UTF-8 document: undo UTF-8 read as ISO-8859-1."""
    try:
        return value.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def _text(element: Any, *, allow_markup_chars: bool = False) -> str:
    if len(element):  # child elements, comments or processing instructions: not plain text
        raise _NotPlain
    text = (element.text or "").strip()
    if not allow_markup_chars and _UNPLAIN_TEXT.search(text):
        raise _NotPlain
    return text


def _attributes(element: Any, tag: str) -> dict[str, str]:
    allowed = _ATTRIBUTES.get(tag, set())
    attrs: dict[str, str] = {}
    for name, value in element.attrib.items():
        if name not in allowed or not value.isascii() or _UNPLAIN_TEXT.search(value):
            raise _NotPlain
        key = name.lower()
        attrs[key] = value.lower() if key in ("rel", "type") else value
    return attrs


def _absolute_ascii(url: str | None) -> str:
    if not url or not url.isascii() or any(ch.isspace() for ch in url) or not url.startswith(("http://", "https://")):
        raise _NotPlain
    return url


def _plain_entry(item: Any, base: str) -> dict[str, Any]:
    """What feedparser's entry for ``item`` answers to every key the model reads (a plain dict, which is quicker to
    read than a ``FeedParserDict``), or ``_NotPlain``."""
    entry: dict[str, Any] = {}
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    guid: tuple[str, bool] | None = None
    for child in item:
        tag = child.tag
        if not isinstance(tag, str) or (tag not in _TEXT_ELEMENTS and tag not in _EMPTY_ELEMENTS):
            raise _NotPlain
        if tag in _ONCE:
            if tag in seen:
                raise _NotPlain
            seen.add(tag)
        attrs = _attributes(child, tag)
        if tag in _EMPTY_ELEMENTS:
            if len(child) or (child.text or "").strip():
                raise _NotPlain
            _absolute_ascii(attrs.get("url"))
            if tag == "enclosure":
                links.append({"rel": "enclosure", **{("href" if k == "url" else k): v for k, v in attrs.items()}})
            else:
                entry.setdefault("media_content" if tag.endswith("content") else "media_thumbnail", []).append(attrs)
            continue
        text = _text(child, allow_markup_chars=tag == "link")
        if tag == "title":
            entry["title"] = _as_feedparser_text(text)
            entry["title_detail"] = {"type": "text/plain"}
        elif tag == "link":
            if not text.isascii() or _UNPLAIN_URL.search(text):
                raise _NotPlain
            link = _as_feedparser_text(_urljoin(base, text) if text else text)
            link = _ENTITYISH_LINK.sub(r"&\g<1>", link.replace("&amp;", "&"))
            entry["link"] = link
            links.append({"rel": "alternate", "type": "text/html", **({"href": link} if link else {})})
        elif tag == "guid":
            is_link = attrs.get("ispermalink", "true") == "true"
            guid = (_as_feedparser_text(_urljoin(base, text) if is_link and text else text), is_link)
        elif tag == "pubDate":
            entry["published"] = _as_feedparser_text(text)
            entry["published_parsed"] = _parse_date(entry["published"])
        elif tag == "description":
            entry["summary"] = _as_feedparser_text(text)
        elif tag == "category":
            if not text:
                raise _NotPlain
            entry.setdefault("tags", []).append(
                {"term": _as_feedparser_text(text), "scheme": attrs.get("domain"), "label": None}
            )
        elif tag == DC + "creator":
            if not text or _EMAILISH.search(text):
                raise _NotPlain
            entry["author"] = _as_feedparser_text(text)
            entry["author_detail"] = {"name": entry["author"]}
        elif tag == "comments":
            entry["comments"] = _as_feedparser_text(text)
    if guid is not None:
        entry["id"] = guid[0]
        if guid[1]:
            entry.setdefault("link", guid[0])
    if links:
        entry["links"] = links
        entry["enclosures"] = [
            {k: v for k, v in link.items() if k != "rel"} for link in links if link["rel"] == "enclosure"
        ]
    if "published" in entry:  # what a FeedParserDict answers for these when only the publication date is given
        entry["updated"], entry["updated_parsed"] = entry["published"], entry["published_parsed"]
    return entry


def _eligible(data: bytes, content_type: str | None) -> bool:
    headers = {"content-type": content_type} if content_type else {}
    info: dict[str, Any] = {}
    convert_to_utf8(headers, data, info)
    return not info.get("bozo") and info.get("encoding") == "utf-8"


def plain_result(
    data: bytes,
    utf8: bytes,
    url: str | None,
    content_type: str | None,
    feedparse: Callable[[bytes], Any],
    *,
    min_items: int = MIN_ITEMS,
) -> Any | None:
    """feedparser's result for an RSS 2.0 document (see the module docstring), or ``None`` when this path does not
    apply. ``feedparse(document)`` is feedparser as the caller runs it (same headers, same options)."""
    if utf8.count(b"<item") < max(1, min_items) or not _eligible(data, content_type):
        return None
    try:
        root = etree.fromstring(
            utf8,
            etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, strip_cdata=True),
        )
    except (etree.XMLSyntaxError, ValueError):
        return None
    tree = root.getroottree()
    if tree.docinfo.doctype or root.tag != "rss" or root.get("version") != "2.0":
        return None
    children = [c for c in root if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag != "channel":
        return None
    channel = children[0]
    items = [c for c in channel if c.tag == "item"]
    if sum(1 for _ in root.iter("item")) != len(items) or len(items) < min_items:
        return None
    if any(el.get(XML_BASE) is not None for el in root.iter()):
        return None
    base = (make_safe_absolute_uri(url, url) or url) if url else ""
    entries: list[Any] = []
    for index, item in enumerate(items):
        if index == PROBE and entries.count(None) > PROBE // 2:
            return None  # mostly markup (HTML descriptions, say): feedparser on the whole document is no slower
        try:
            entries.append(_plain_entry(item, base))
        except _NotPlain:
            entries.append(None)
        else:
            channel.remove(item)
    rest = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    result = feedparse(rest)  # the channel and the items that are not plain
    others = list(result.get("entries") or [])
    if result.get("bozo") or len(others) != entries.count(None):
        return None
    for index, entry in enumerate(entries):
        if entry is None:
            entries[index] = others.pop(0)
    result["entries"] = entries
    return result
