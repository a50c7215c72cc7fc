"""docs/deploy.md stays true: nginx accepts the shipped site, systemd accepts the shipped units, and every setting
the guide names is one newsloom reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsloom.config import ENV_VARS

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE = DOCS / "deploy.md"
DEPLOY = DOCS / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))
INSTALLED_BINARY = "/opt/newsloom/venv/bin/newsloom"  # where the units expect the installed command
INSTALLED_ENV = "/etc/newsloom/newsloom.env"


def test_every_setting_the_guide_names_exists() -> None:
    named = set(re.findall(r"NEWSLOOM_[A-Z_]+", GUIDE.read_text() + (DEPLOY / "newsloom.env").read_text()))
    assert named, "the guide names no settings"
    assert named <= set(ENV_VARS), f"docs/deploy.md names unknown settings: {sorted(named - set(ENV_VARS))}"


def test_the_guide_links_every_shipped_file() -> None:
    text = GUIDE.read_text()
    missing = [p.name for p in DEPLOY.iterdir() if f"deploy/{p.name}" not in text]
    assert not missing, f"docs/deploy.md does not mention {missing}"


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if nginx is None:
        pytest.skip("nginx is not installed (`make deploy-tools` installs Debian's)")
    (tmp_path / "logs").mkdir()
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        f"http {{\n    include {DEPLOY / 'newsloom.nginx.conf'};\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "logs/error.log"), "-c", str(wrapper)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def _verify(units: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)], capture_output=True, text=True, timeout=120
    )


def _instances(folder: Path) -> list[Path]:
    """The units as systemd would load them, templates instantiated (newsloom-web@8001 from newsloom-web@.service)."""
    return [
        folder / (u.name.replace("@.", "@8001.") if u.name.startswith("newsloom-web@") else u.name.replace("@.", "@1."))
        for u in UNITS
    ]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed (`make deploy-tools` installs Debian's systemd)")
    assert {u.name for u in UNITS} >= {
        "newsloom-web@.service",
        "newsloom-worker@.service",
        "newsloom-scheduler.service",
        "newsloom-migrate.service",
    }
    # systemd checks that ExecStart's binary exists: point the units at this checkout's command and settings file
    binary = Path(sys.executable).with_name("newsloom")
    assert binary.exists(), binary
    for unit in UNITS:
        text = unit.read_text()
        assert INSTALLED_BINARY in text and INSTALLED_ENV in text, unit.name
        (tmp_path / unit.name).write_text(
            text.replace(INSTALLED_BINARY, str(binary)).replace(INSTALLED_ENV, str(DEPLOY / "newsloom.env"))
        )
    result = _verify(_instances(tmp_path))
    if result.returncode != 0 and "Failed to" in result.stderr and "newsloom" not in result.stderr:
        pytest.skip(f"systemd-analyze cannot run in this container: {result.stderr.strip()[:300]}")
    assert result.returncode == 0, result.stderr
    assert "newsloom" not in result.stderr, result.stderr  # warnings about our units count as failures

    # and it does catch a broken unit: the check is real
    broken = tmp_path / "broken-newsloom.service"
    broken.write_text((tmp_path / "newsloom-scheduler.service").read_text().replace(str(binary), "/nonexistent/x"))
    assert _verify([broken]).returncode != 0
