"""Small feeds and pages written by tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape


def rss(items: list[tuple[str, str]], *, title: str = "Test Gazette", link: str = "http://example.test/",
        start: datetime | None = None) -> str:
    """An RSS 2.0 feed of (title, link) items, newest first, an hour apart."""
    start = start or datetime.now(UTC) - timedelta(minutes=5)
    parts = []
    for i, (item_title, item_link) in enumerate(items):
        when = format_datetime(start - timedelta(hours=i))
        parts.append(
            f"<item><title>{escape(item_title)}</title><link>{escape(item_link)}</link>"
            f"<guid>{escape(item_link)}</guid><pubDate>{when}</pubDate>"
            f"<description>{escape('Summary of ' + item_title)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    )


def article_page(title: str, paragraphs: list[str], *, canonical: str | None = None,
                 published: str | None = "2026-11-20T09:30:00+00:00") -> str:
    head = f"<title>{escape(title)}</title>"
    if canonical:
        head += f'<link rel="canonical" href="{escape(canonical)}">'
    if published:
        head += f'<meta property="article:published_time" content="{published}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8>{head}</head><body>"
        '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Copyright Test Gazette</footer></body></html>"
    )


LOREM = [
    "The regional council voted on Tuesday to approve a new flood barrier along the eastern river bank.",
    "Engineers said construction would begin in the spring and take roughly three years to complete.",
    "Residents who lost homes in last winter's floods welcomed the decision but questioned the cost.",
    "The council estimates the barrier will cost 42 million, funded partly by a national grant.",
    "Opposition members argued that the money would be better spent on relocating the most exposed homes.",
    "A final design will be published for public comment next month, the council said in a statement.",
]
