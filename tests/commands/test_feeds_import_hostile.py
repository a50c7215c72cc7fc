"""`newsloom feeds import` with hostile OPML lists: leaves imported from any depth, one line and a non-zero exit for a
list it cannot read, never a traceback (#21 row 7)."""

from __future__ import annotations

from pathlib import Path

from tests.commands.conftest import newsloom
from tests.support.hostile_net import deep_opml


def test_opml_nested_5000_levels(cli_env: dict[str, str], tmp_path: Path) -> None:
    deep = tmp_path / "deep.opml"
    deep.write_bytes(deep_opml(5000))
    result = newsloom(cli_env, "feeds", "import", str(deep))
    assert result.stdout.strip() == "2 added, 0 already subscribed, 0 errors"
    assert "https://deep.example/feed" in newsloom(cli_env, "feeds", "list").stdout

    cut = tmp_path / "cut.opml"
    cut.write_bytes(deep_opml(5000, close=False))
    result = newsloom(cli_env, "feeds", "import", str(cut), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "newsloom: not a readable OPML document: no element found: line 1, column 109052"
    ]

    result = newsloom(cli_env, "feeds", "import", str(tmp_path / "missing.opml"), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"newsloom: cannot read {tmp_path / 'missing.opml'}: No such file or directory"
    ]
