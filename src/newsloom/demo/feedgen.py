"""Feed documents of the mini-web: RSS 2.0, Atom 1.0, RSS 1.0 (RDF) and JSON Feed 1.1, and one broken RSS."""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from newsloom.demo.models import Doc, FeedSpec, Publisher

TRACKING = "?utm_source=rss&utm_medium=feed"
IMAGE_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _link(doc: Doc, spec: FeedSpec) -> str:
    return doc.url + (TRACKING if spec.tracking else "")


def _image(pub: Publisher, doc: Doc) -> str:
    return pub.homepage.rstrip("/") + doc.image_path


def rss20(pub: Publisher, spec: FeedSpec, docs: list[Doc], feed_url: str, updated: datetime) -> str:
    items = []
    for d in docs:
        items.append(
            "<item>"
            f"<title>{escape(d.title)}</title><link>{escape(_link(d, spec))}</link>"
            f'<guid isPermaLink="true">{escape(d.url)}</guid><pubDate>{format_datetime(d.published)}</pubDate>'
            f"<dc:creator>{escape(d.author)}</dc:creator><category>{escape(d.section)}</category>"
            f"<description>{escape(d.summary)}</description>"
            f'<media:content url={quoteattr(_image(pub, d))} medium="image" '
            f'type="{IMAGE_TYPES[pub.image_format]}"/>'
            "</item>\n"
        )
    body = "".join(items)
    if spec.broken:
        body = _break(items)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>'
        f"<title>{escape(spec.title)}</title><link>{escape(pub.homepage)}</link>"
        f"<description>{escape(pub.tagline)}</description><language>{pub.language}</language>"
        f"<lastBuildDate>{format_datetime(updated)}</lastBuildDate><ttl>15</ttl>"
        f'<atom:link href={quoteattr(feed_url)} rel="self" type="application/rss+xml"/>\n'
        f"{body}</channel>\n</rss>\n"
    )


def _break(items: list[str]) -> str:
    """Malformed mid-document: an unclosed <title>, a bare ampersand and a stray unclosed <b>."""
    mid = len(items) // 2
    broken = list(items)
    broken[mid] = broken[mid].replace("</title>", " <b>UPDATED & CORRECTED", 1)
    return "".join(broken)


def atom10(pub: Publisher, spec: FeedSpec, docs: list[Doc], feed_url: str, updated: datetime) -> str:
    entries = []
    for d in docs:
        entries.append(
            "<entry>"
            f'<title type="text">{escape(d.title)}</title><id>{escape(d.url)}</id>'
            f'<link rel="alternate" type="text/html" href={quoteattr(_link(d, spec))}/>'
            f"<published>{_iso(d.published)}</published><updated>{_iso(d.published)}</updated>"
            f"<author><name>{escape(d.author)}</name></author>"
            f'<category term={quoteattr(d.section)}/><summary type="text">{escape(d.summary)}</summary>'
            f'<link rel="enclosure" type="{IMAGE_TYPES[pub.image_format]}" href={quoteattr(_image(pub, d))}/>'
            "</entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"<title>{escape(spec.title)}</title><subtitle>{escape(pub.tagline)}</subtitle><id>{escape(feed_url)}</id>"
        f"<updated>{_iso(updated)}</updated>"
        f'<link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>'
        f'<link rel="alternate" type="text/html" href={quoteattr(pub.homepage)}/>'
        f"<author><name>{escape(pub.name)}</name></author>\n{''.join(entries)}</feed>\n"
    )


def rss10(pub: Publisher, spec: FeedSpec, docs: list[Doc], feed_url: str, updated: datetime) -> str:
    seq = "".join(f"<rdf:li rdf:resource={quoteattr(_link(d, spec))}/>" for d in docs)
    items = "".join(
        f"<item rdf:about={quoteattr(_link(d, spec))}><title>{escape(d.title)}</title>"
        f"<link>{escape(_link(d, spec))}</link><description>{escape(d.summary)}</description>"
        f"<dc:date>{_iso(d.published)}</dc:date><dc:creator>{escape(d.author)}</dc:creator>"
        f"<dc:subject>{escape(d.section)}</dc:subject></item>\n"
        for d in docs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel rdf:about={quoteattr(feed_url)}><title>{escape(spec.title)}</title>"
        f"<link>{escape(pub.homepage)}</link><description>{escape(pub.tagline)}</description>"
        f"<dc:date>{_iso(updated)}</dc:date><dc:language>en</dc:language>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n{items}</rdf:RDF>\n"
    )


def json11(pub: Publisher, spec: FeedSpec, docs: list[Doc], feed_url: str, updated: datetime) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": spec.title,
        "home_page_url": pub.homepage,
        "feed_url": feed_url,
        "description": pub.tagline,
        "language": pub.language,
        "authors": [{"name": pub.name}],
        "items": [
            {
                "id": d.url,
                "url": _link(d, spec),
                "title": d.title,
                "summary": d.summary,
                "content_text": d.summary,
                "image": _image(pub, d),
                "date_published": _iso(d.published),
                "authors": [{"name": d.author}],
                "tags": [d.section],
            }
            for d in docs
        ],
    }
    return json.dumps(feed, indent=1, ensure_ascii=False) + "\n"


RENDERERS = {"rss20": rss20, "atom10": atom10, "rss10": rss10, "json11": json11}
CONTENT_TYPES = {
    "rss20": "application/rss+xml; charset=utf-8",
    "atom10": "application/atom+xml; charset=utf-8",
    "rss10": "application/rdf+xml; charset=utf-8",
    "json11": "application/feed+json; charset=utf-8",
}


def render_feed(pub: Publisher, spec: FeedSpec, docs: list[Doc]) -> tuple[bytes, datetime]:
    """The feed document (items newest first) and its last-modified time."""
    docs = sorted(docs, key=lambda d: d.published, reverse=True)
    updated = docs[0].published if docs else datetime.fromtimestamp(0).astimezone()
    feed_url = pub.homepage.rstrip("/") + spec.path
    text = RENDERERS[spec.format](pub, spec, docs, feed_url, updated)
    return text.encode("utf-8"), updated
