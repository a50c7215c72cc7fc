"""`newsloom feeds add|import|export|list|enable|disable`."""

from __future__ import annotations

import argparse
import json
import sys

from django.db import DatabaseError
from django.utils import timezone

from newsloom import runtime
from newsloom.commands.output import open_output
from newsloom.sources import actions, queries
from newsloom.sources.models import Feed


def run(args: argparse.Namespace) -> int:
    command = args.feeds_command
    if command == "add":
        fields = {k: v for k, v in (("kind", args.kind), ("country", (args.country or "").upper())) if v}
        try:
            feed = actions.add_feed(args.url, fetcher=runtime.fetcher(), source_name=args.source, **fields)
        except DatabaseError as exc:  # a value the database refused: one line, never a traceback
            print(f"newsloom: the feed could not be stored: {type(exc).__name__}: {exc}".strip(), file=sys.stderr)
            return 1
        if args.delay is not None or args.concurrency is not None:
            actions.set_politeness(feed, delay=args.delay, concurrency=args.concurrency)
        print(f"feed {feed.pk}: {feed.url} ({feed.source.name}) — polled on the next crawl")
        return 0
    if command == "import":
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            print(f"newsloom: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        result = actions.import_opml(data)
        print(f"{len(result.added)} added, {len(result.existing)} already subscribed, {len(result.errors)} errors")
        for error in result.errors:
            print(f"  {_printable(error, 400)}", file=sys.stderr)
        return 0
    if command == "export":
        data = actions.export_opml()
        if args.output:
            args.output.write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
        return 0
    if command == "list":
        return _list(as_json=args.json)
    found = queries.find_feed(args.feed)
    if found is None:
        print(f"newsloom: no feed {args.feed!r}", file=sys.stderr)
        return 1
    if command == "set":
        actions.set_politeness(found, delay=args.delay, concurrency=args.concurrency)
        found.refresh_from_db()
        delay = "default" if found.fetch_delay is None else f"{found.fetch_delay} s"
        concurrency = "default" if found.fetch_concurrency is None else str(found.fetch_concurrency)
        print(f"feed {found.pk}: delay {delay}, concurrency {concurrency}")
        return 0
    actions.set_feed_enabled(found, command == "enable")
    print(f"feed {found.pk} {'enabled' if command == 'enable' else 'disabled'}: {found.url}")
    return 0


def _list(*, as_json: bool) -> int:
    feeds = queries.feeds_with_health()
    with open_output(None) as out:
        if as_json:
            for feed in feeds:
                out.write(json.dumps(queries.feed_record(feed)) + "\n")
            return 0
        if not feeds:
            out.write("no feeds yet: add one with `newsloom feeds add URL`\n")
            return 0
        now = timezone.now()
        for feed in feeds:
            out.write(_line(feed, now) + "\n")
    return 0


def _line(feed: Feed, now: timezone.datetime) -> str:
    state = "DISABLED" if feed.disabled else "enabled"
    if feed.disabled:
        due = feed.disabled_reason
    elif feed.next_fetch_at <= now:
        due = "due now"
    else:
        due = f"next fetch in {_ago(feed.next_fetch_at - now)}"
    status = feed.last_status or "never fetched"
    lines = [f"{feed.pk:>4}  {_printable(feed.source.name, 200)}  {feed.url}",
             f"      {state}; {status}; {feed.consecutive_errors} consecutive errors; {due}"]
    if feed.last_error:
        lines.append(f"      last error: {_printable(feed.last_error, 500)}")
    if feed.skipped_items:
        items = "item" if feed.skipped_items == 1 else "items"
        lines.append(f"      {feed.skipped_items} {items} skipped by the last poll")
    if feed.last_item_error:
        when = f" {_ago(now - feed.last_item_error_at)} ago" if feed.last_item_error_at else ""
        lines.append(f"      last skipped item{when}: {feed.last_item_error} ({_printable(feed.last_item_link)})")
    return "\n".join(lines)


def _printable(text: str, limit: int = 160) -> str:
    """An outside string as one short line of a terminal: control characters escaped, long ones cut."""
    shown = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _ago(delta: timezone.timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"
