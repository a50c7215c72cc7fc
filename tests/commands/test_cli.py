from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsloom.cli import build_parser
from tests.commands.conftest import newsloom
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer

COMMANDS = [
    [],
    ["demo"],
    ["feeds"],
    ["feeds", "add"],
    ["feeds", "import"],
    ["feeds", "export"],
    ["feeds", "list"],
    ["feeds", "enable"],
    ["feeds", "disable"],
    ["feeds", "set"],
    ["crawl"],
    ["serve"],
    ["worker"],
    ["export"],
    ["migrate"],
    ["createsuperuser"],
    ["eval"],
    ["users"],
    ["users", "create"],
    ["users", "list"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "newsloom")
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: newsloom" in capsys.readouterr().out


def test_feeds_crawl_and_export_through_the_command(
    cli_env: dict[str, str], server: LocalServer, tmp_path: Path
) -> None:
    pages = [
        server.serve(f"/news/{i}", article_page(f"Story {i}", [f"Story {i} opens here.", *LOREM])) for i in range(3)
    ]
    server.serve(
        "/feed.xml",
        rss([(f"Story {i}", url + "?utm_source=rss") for i, url in enumerate(pages)]),
        "application/rss+xml",
    )
    added = newsloom(cli_env, "feeds", "add", server.url("/feed.xml"), "--source", "CLI Gazette", "--kind", "public")
    assert "CLI Gazette" in added.stdout
    crawl = newsloom(cli_env, "crawl", "--once")
    assert "3 articles with full text" in crawl.stdout

    listing = newsloom(cli_env, "feeds", "list").stdout
    assert "CLI Gazette" in listing and "ok: 3 entries, 3 new" in listing
    health = [json.loads(line) for line in newsloom(cli_env, "feeds", "list", "--json").stdout.splitlines()]
    assert health[0]["consecutive_errors"] == 0 and health[0]["next_fetch_at"]

    articles = [json.loads(line) for line in newsloom(cli_env, "export", "articles").stdout.splitlines()]
    assert {a["canonical_url"] for a in articles} == set(pages)
    required = {
        "id",
        "url",
        "canonical_url",
        "source",
        "feed",
        "title",
        "author",
        "published",
        "language",
        "text",
        "status",
        "wire_group",
        "story",
    }
    assert all(required <= a.keys() for a in articles)
    assert all(a["status"] == "ok" and "Story" in a["text"] and len(a["id"]) == 32 for a in articles)
    stories = [json.loads(line) for line in newsloom(cli_env, "export", "stories").stdout.splitlines()]
    # the three pages share their body text: one text carried three times, one story
    assert len(stories) == 1 and len(stories[0]["articles"]) == 3
    assert len({a["wire_group"] for a in stories[0]["articles"]}) == 1

    # a second crawl finds nothing new and duplicates nothing
    newsloom(cli_env, "crawl", "--once", "--all")
    assert len(newsloom(cli_env, "export", "articles").stdout.splitlines()) == 3

    opml = tmp_path / "subs.opml"
    newsloom(cli_env, "feeds", "export", "-o", str(opml))
    assert server.url("/feed.xml") in opml.read_text()
    disabled = newsloom(cli_env, "feeds", "disable", "1")
    assert "disabled" in disabled.stdout
    assert "DISABLED" in newsloom(cli_env, "feeds", "list").stdout
    newsloom(cli_env, "feeds", "enable", server.url("/feed.xml"))
    assert "DISABLED" not in newsloom(cli_env, "feeds", "list").stdout


def test_bad_input_gets_a_clear_error(cli_env: dict[str, str], tmp_path: Path, server: LocalServer) -> None:
    result = newsloom(cli_env, "feeds", "add", "ftp://example.test/feed", check=False)
    assert result.returncode == 1 and "not an http(s) URL" in result.stderr
    page = server.serve("/", "<html><body><p>nothing to see</p></body></html>")
    result = newsloom(cli_env, "feeds", "add", page, check=False)
    assert result.returncode == 1 and "advertises no feed" in result.stderr
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline")
    result = newsloom(cli_env, "feeds", "import", str(bad), check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    result = newsloom(cli_env, "feeds", "enable", "999", check=False)
    assert result.returncode == 1 and "no feed" in result.stderr


def test_eval_clustering_prints_the_metrics(cli_env: dict[str, str], benchmarks_dir: Path) -> None:
    folder = benchmarks_dir / "clustering-giveme5w1h-newscluster"
    result = json.loads(newsloom(cli_env, "eval", "clustering", str(folder), "--json").stdout)
    assert set(result) == {
        "articles",
        "clusters_true",
        "clusters_pred",
        "bcubed_precision",
        "bcubed_recall",
        "bcubed_f1",
        "pairwise_f1",
        "nmi",
        "ari",
    }
    assert result["articles"] == 383 and result["clusters_true"] == 69
    assert all(0 <= result[k] <= 1 for k in ("bcubed_f1", "pairwise_f1", "nmi", "ari"))
    table = newsloom(cli_env, "eval", "clustering", str(folder)).stdout
    assert "bcubed_f1" in table
    bad = newsloom(cli_env, "eval", "clustering", str(benchmarks_dir), check=False)
    assert bad.returncode == 2 and "not a recognised clustering dataset" in bad.stderr


def test_eval_summarization_prints_both_systems(cli_env: dict[str, str], benchmarks_dir: Path) -> None:
    folder = benchmarks_dir / "summarization-neus-allsides"
    out = newsloom(cli_env, "eval", "summarization", str(folder), "--json", "--limit", "12").stdout
    result = json.loads(out)
    assert result["stories"] == 12
    assert set(result["newsloom"]) == {"rouge1", "rouge2", "rougeLsum", "faithfulness"}
    assert set(result["lexrank"]) == {"rouge1", "rouge2", "rougeLsum"}
    assert result["newsloom"]["faithfulness"] == 1.0
    rouge = [result[system][key] for system in ("newsloom", "lexrank") for key in ("rouge1", "rouge2", "rougeLsum")]
    assert all(0 < value <= 100 for value in rouge)
    assert "lexrank:" in newsloom(cli_env, "eval", "summarization", str(folder), "--limit", "3").stdout
    bad = newsloom(cli_env, "eval", "clustering", str(folder), "--limit", "3", check=False)
    assert bad.returncode == 2 and "--limit" in bad.stderr
