"""The import contracts (pyproject's [tool.importlinter], run by `make lint`) cover every module they should."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import newsloom
import newsloom.core

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return {str(c["name"]): c for c in config["contracts"]}


def test_core_is_forbidden_every_other_top_level_module() -> None:
    """A new top-level module is forbidden to core until someone decides otherwise (only ``errors`` is shared)."""
    contract = next(c for name, c in _contracts().items() if name.startswith("core imports no Django"))
    top_level = {f"newsloom.{m.name}" for m in pkgutil.iter_modules(newsloom.__path__)} - {"newsloom.__main__"}
    forbidden = {str(m) for m in contract["forbidden_modules"]}  # type: ignore[attr-defined]
    assert top_level - {"newsloom.core", "newsloom.errors"} == forbidden - {"django", "huey"}


def test_every_core_stage_is_in_the_layers() -> None:
    contract = next(c for name, c in _contracts().items() if name.startswith("core's stages"))
    layered = {m.strip() for layer in contract["layers"] for m in str(layer).split("|")}  # type: ignore[attr-defined]
    stages = {f"newsloom.core.{m.name}" for m in pkgutil.iter_modules(newsloom.core.__path__)}
    assert stages == layered
