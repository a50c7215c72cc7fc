"""`feeds add`, `feeds import`, `crawl` and `feeds list` on hostile input (#21): a clear line, never a traceback; on
PostgreSQL (where lengths are enforced) too, since the command runs against its own database either way."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import newsloom
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer

RSS = "application/rss+xml; charset=utf-8"


def test_hostile_feeds_and_lists_through_the_command(cli_env: dict[str, str], server: LocalServer,
                                                    tmp_path: Path) -> None:
    page = server.serve("/news/1", article_page("Story one", LOREM))
    items = [("Story one", page), ("Bad host", "http://xn--a.example/story"),
             ("Too long", server.url("/news/" + "x" * 2100))]
    server.serve("/feed.xml", rss(items, title="T" * 300, link="javascript:alert(1)"), RSS)
    added = newsloom(cli_env, "feeds", "add", server.url("/feed.xml"))
    assert "T" * 200 in added.stdout and "Traceback" not in added.stderr

    opml = tmp_path / "list.opml"
    opml.write_text(f"""<?xml version="1.0"?><opml version="2.0"><body>
        <outline title="{'Long title ' * 300}" xmlUrl="{server.url('/long.xml')}" htmlUrl="javascript:x"/>
        <outline text="bad" xmlUrl="http://xn--a.example/feed.xml"/>
        <outline text="fine" xmlUrl="{server.url('/fine.xml')}"/></body></opml>""")
    server.serve("/long.xml", rss([("Story two", server.serve("/news/2", article_page("Story two", LOREM)))]), RSS)
    server.serve("/fine.xml", rss([]), RSS)
    imported = newsloom(cli_env, "feeds", "import", str(opml))
    assert imported.stdout.startswith("2 added, 0 already subscribed, 1 errors")
    assert "international domain name" in imported.stderr and "Traceback" not in imported.stderr

    refused = newsloom(cli_env, "feeds", "add", "http://news.example/" + "y" * 2100, check=False)
    assert refused.returncode == 1 and "longer than 2000" in refused.stderr and refused.stderr.count("\n") == 1

    newsloom(cli_env, "crawl", "--once")
    listing = newsloom(cli_env, "feeds", "list").stdout
    assert "ok: 3 entries, 1 new, 2 skipped" in listing and "2 items skipped by the last poll" in listing
    assert "longer than 2000 characters" in listing  # the last skipped item, with its reason and link
    [record] = [r for line in newsloom(cli_env, "feeds", "list", "--json").stdout.splitlines()
                if (r := json.loads(line))["skipped_items"]]
    assert record["skipped_items"] == 2 and record["last_item_link"].endswith("x" * 100)
