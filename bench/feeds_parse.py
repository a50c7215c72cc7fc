"""Parse time of one large RSS 2.0 feed: the fast path (``core.ingest.feeds.fastrss``) against feedparser alone.

    .venv/bin/python bench/feeds_parse.py [--items 10000] [--html] [--repeat 3]

Builds one feed of ``--items`` items shaped like a news publisher's (title, link with tracking query, permalink guid,
pubDate, dc:creator, category, a two-sentence description, a media:content image); with ``--html`` the descriptions
hold markup, which feedparser itself reads (and sanitizes) item by item. Prints the best of ``--repeat`` runs of
``core.ingest.feeds.parse`` and of the same parse with the fast path off, in one process, so that the ratio holds
on a busy machine even when the seconds do not.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from newsloom.core.ingest.feeds import parse
from newsloom.core.ingest.feeds.rss_atom import parse_xml_feed

SENTENCE = "The regional council voted on Tuesday to approve a new flood barrier along the eastern river bank. "
HTML = '<p>The regional council voted on Tuesday to approve <a href="/topics/flood">a new flood barrier</a>.</p>'


def build(items: int, *, html: bool) -> bytes:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    description = escape(HTML * 2 if html else SENTENCE * 2)
    body = "".join(
        f"<item><title>Story number {i}: council approves the barrier</title>"
        f"<link>https://news.example/story/{i}?utm_source=rss</link>"
        f'<guid isPermaLink="true">https://news.example/story/{i}</guid>'
        f"<pubDate>{format_datetime(start - timedelta(minutes=i))}</pubDate><dc:creator>Jane Reporter</dc:creator>"
        f"<category>Politics</category><description>{description}</description>"
        f'<media:content url="https://news.example/img/{i}.jpg" medium="image" type="image/jpeg"/></item>\n'
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Big Gazette</title>'
        f"<link>https://news.example/</link><description>All the news</description>{body}</channel></rss>\n"
    ).encode()


def best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--html", action="store_true", help="descriptions with markup")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = build(args.items, html=args.html)
    url, content_type = "https://news.example/feed.xml", "application/rss+xml; charset=utf-8"
    fast = parse(data, url=url, content_type=content_type)
    slow = parse_xml_feed(data, url, content_type, fast_min_items=None)
    assert fast == slow and len(fast.entries) == args.items
    fast_s = best(lambda: parse(data, url=url, content_type=content_type), args.repeat)
    slow_s = best(lambda: parse_xml_feed(data, url, content_type, fast_min_items=None), args.repeat)
    kind = "HTML" if args.html else "plain-text"
    print(f"{args.items} items, {len(data) / 1e6:.1f} MB, {kind} descriptions (best of {args.repeat}):")
    print(f"  core.ingest.feeds.parse      {fast_s:6.2f} s")
    print(f"  feedparser alone (before)    {slow_s:6.2f} s   ({slow_s / fast_s:.1f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
