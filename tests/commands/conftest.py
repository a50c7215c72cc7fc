"""Running the real `newsloom` command in a subprocess against its own data dir and database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a subprocess: its own data dir, and on a PostgreSQL run its own PostgreSQL database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        NEWSLOOM_DATA_DIR=str(tmp_path / "data"),
        NEWSLOOM_FETCH_ALLOW_PRIVATE="true",
        NEWSLOOM_FETCH_PER_HOST_DELAY="0",
        PYTHONUNBUFFERED="1",
    )
    pg_url = os.environ.get("NEWSLOOM_DATABASE_URL", "")
    if not pg_url.startswith("postgres"):
        yield env
        return
    import psycopg

    name = f"newsloom_cli_{uuid.uuid4().hex[:12]}"
    admin = pg_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["NEWSLOOM_DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def newsloom(env: dict[str, str], *args: str, timeout: float = 300, check: bool = True,
             stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "newsloom", *args], env=env, capture_output=True, text=True, timeout=timeout,
        input=stdin,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"newsloom {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result
