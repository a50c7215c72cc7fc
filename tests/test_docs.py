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


def test_the_layout_names_every_core_stage_and_only_real_ones() -> None:
    import pkgutil

    import newsloom.core

    core = Path(newsloom.core.__path__[0])
    named = set(re.findall(r"`core/(\w+)/`", README))
    packages = {m.name for m in pkgutil.iter_modules([str(core)]) if m.ispkg}
    assert named == packages
    for stage in packages:  # every module or function a stage's row names exists in that stage
        row = next(line for line in README.splitlines() if line.startswith(f"| `core/{stage}/`"))
        code = "".join(path.read_text() for path in (core / stage).rglob("*.py"))
        for name in re.findall(r"`(\w+)`", row.split("|")[2]):
            found = (core / stage / f"{name}.py").exists() or (core / stage / name).is_dir() or f"def {name}(" in code
            assert found or any((core / stage).rglob(f"{name}.py")), (stage, name)
