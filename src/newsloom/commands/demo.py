"""`newsloom demo`: the bundled offline mini-web, ingested through the whole pipeline, then the site."""

from __future__ import annotations

import argparse
import sys

from django.db import transaction

from newsloom.commands.crawl import crawl_once
from newsloom.demo import MiniWeb, start_miniweb
from newsloom.sources.actions import create_feed, ensure_source
from newsloom.sources.models import Feed


def subscribe(web: MiniWeb) -> list[Feed]:
    feeds = []
    with transaction.atomic():
        for f in web.feeds:
            source = ensure_source(f.source_name, slug=f.source_slug, homepage=f.homepage, country=f.country,
                                   language=f.language, kind=f.kind)
            feeds.append(create_feed(f.url, source))
    return feeds


def run(args: argparse.Namespace) -> int:
    try:
        web = start_miniweb(host="127.0.0.1", base_port=args.mini_web_port)
    except OSError as exc:
        print(f"newsloom: cannot start the mini-web on ports from {args.mini_web_port}: {exc} "
              "(choose others with --mini-web-port)", file=sys.stderr)
        return 1
    with web:
        feeds = subscribe(web)
        print(f"mini-web: {len(web.feeds)} feeds of {len(web.publisher_homepages())} publishers on 127.0.0.1",
              file=sys.stderr)
        summary = crawl_once(every_feed=True)
        print(summary.describe(), file=sys.stderr)
        for feed in Feed.objects.filter(pk__in=[f.pk for f in feeds]).exclude(last_error=""):
            print(f"  feed {feed.url}: {feed.last_error}", file=sys.stderr)
        if args.no_serve:
            return 0
        from newsloom.commands import serve

        return serve.run(host=args.host, port=args.port)
