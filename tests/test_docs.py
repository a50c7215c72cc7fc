"""Docs stay true: every setting the code reads is documented, and every documented command exists."""

from __future__ import annotations

import re
from pathlib import Path

from newsloom.cli import build_parser
from newsloom.config import ENV_VARS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    missing = [name for name in ENV_VARS if f"`{name}`" not in README]
    assert not missing, f"settings missing from README.md: {missing}"


def test_every_readme_setting_is_read_by_the_code() -> None:
    documented = set(re.findall(r"`(NEWSLOOM_[A-Z_]+)`", README))
    assert documented <= set(ENV_VARS), f"README documents unknown settings: {documented - set(ENV_VARS)}"


def test_readme_starts_with_the_two_setup_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]


def test_every_readme_command_exists() -> None:
    parser = build_parser()
    commands = set(re.findall(r"^\| `newsloom (\w+)", README, flags=re.M))
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert commands <= set(subparsers.choices)  # type: ignore[arg-type]
