"""`newsloom demo`: the bundled offline mini-web, ingested through the whole pipeline, then the site."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from newsloom.articles.models import Article
from newsloom.commands.crawl import crawl_once
from newsloom.community.actions import edit_comment, ensure_reader, post_comment, set_state
from newsloom.community.models import Comment
from newsloom.core.reading.sanitize import comment_html
from newsloom.demo import MiniWeb, start_miniweb
from newsloom.demo.content import raw_comments
from newsloom.errors import CommentRejected
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Feed


def subscribe(web: MiniWeb) -> list[Feed]:
    feeds = []
    with transaction.atomic():
        for f in web.feeds:
            source = ensure_source(
                f.source_name,
                slug=f.source_slug,
                homepage=f.homepage,
                country=f.country,
                language=f.language,
                kind=f.kind,
            )
            feeds.append(create_feed(f.url, source))
    return feeds


def seed_comments(now: datetime | None = None) -> int:
    """The demo readers' threads (accounts without a password), posted through the community actions on the demo
    articles that were ingested; a second run posts nothing twice. Returns how many comments were posted."""
    data = raw_comments()
    readers = {
        r["username"]: ensure_reader(r["username"], first_name=r["first_name"], last_name=r["last_name"])
        for r in data["readers"]
    }
    now = now or timezone.now()
    posted = 0
    for thread in data["threads"]:
        article = (
            Article.objects.filter(source__slug=thread["source"], title=thread["title"])
            .exclude(status=Article.Status.PENDING)
            .order_by("published_at", "pk")
            .first()
        )
        if article is not None:
            posted += _seed_thread(article, thread["comments"], readers, now)
    return posted


def _seed_thread(article: Article, items: list[dict[str, Any]], readers: dict[str, Any], now: datetime) -> int:
    start = article.published_at or now

    def at(minutes: int) -> datetime:
        return min(start + timedelta(minutes=minutes), now)

    by_key: dict[str, Comment] = {}
    new: list[tuple[Comment, dict[str, Any]]] = []
    for item in items:
        parent = by_key.get(item["parent"]) if "parent" in item else None
        if "parent" in item and parent is None:
            continue  # its parent was not posted
        reader = readers[item["reader"]]
        bodies = [comment_html(text) for text in (item["body"], item.get("edit", {}).get("body")) if text]
        comment = Comment.objects.filter(article=article, author=reader, parent=parent, body__in=bodies).first()
        if comment is None:
            try:
                comment = post_comment(reader, article, item["body"], parent, now=at(item["after_minutes"]))
            except CommentRejected:
                continue
            new.append((comment, item))
        by_key[item["key"]] = comment
    for comment, item in new:  # edits and moderation last: replies to a comment are posted before it is hidden
        if "edit" in item:
            edit_comment(
                comment, item["edit"]["body"], editor=readers[item["reader"]], now=at(item["edit"]["after_minutes"])
            )
        if "state" in item:
            set_state(comment, item["state"])
    return len(new)


def run(args: argparse.Namespace) -> int:
    try:
        web = start_miniweb(host="127.0.0.1", base_port=args.mini_web_port)
    except OSError as exc:
        print(
            f"newsloom: cannot start the mini-web on ports from {args.mini_web_port}: {exc} "
            "(choose others with --mini-web-port)",
            file=sys.stderr,
        )
        return 1
    with web:
        feeds = subscribe(web)
        print(
            f"mini-web: {len(web.feeds)} feeds of {len(web.publisher_homepages())} publishers on 127.0.0.1",
            file=sys.stderr,
        )
        summary = crawl_once(every_feed=True)
        print(summary.describe(), file=sys.stderr)
        for feed in Feed.objects.filter(pk__in=[f.pk for f in feeds]).exclude(last_error=""):
            print(f"  feed {feed.url}: {feed.last_error}", file=sys.stderr)
        print(f"demo readers: {seed_comments()} comments posted", file=sys.stderr)
        if args.no_serve:
            return 0
        from newsloom.commands import serve

        return serve.run(host=args.host, port=args.port)
