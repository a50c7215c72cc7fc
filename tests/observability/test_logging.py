"""NEWSLOOM_LOG_FORMAT=json: one JSON object per log line, from a real `newsloom` process and from the formatter."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from newsloom.config import Config
from newsloom.observability.logging import JsonFormatter, logging_config
from tests.commands.conftest import newsloom
from tests.commands.test_serve import free_port, wait_until


def test_a_record_is_one_json_line_with_its_exception_and_extras() -> None:
    try:
        raise ValueError("bad feed")
    except ValueError:
        record = logging.LogRecord(
            "newsloom.tasks", logging.WARNING, __file__, 1, "feed %s: %s", (7, "oops"), sys.exc_info()
        )
    record.feed_id = 7
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "newsloom.tasks" and entry["message"] == "feed 7: oops"
    assert entry["feed_id"] == 7 and "ValueError: bad feed" in entry["exception"] and entry["time"].endswith("+00:00")


def test_the_setting_picks_the_formatter() -> None:
    assert Config.from_env({}).log_format == "text"
    assert logging_config("json")["formatters"]["main"] == {"()": "newsloom.observability.logging.JsonFormatter"}
    assert "format" in logging_config("text")["formatters"]["main"]
    with pytest.raises(ValueError):
        Config.from_env({"NEWSLOOM_LOG_FORMAT": "xml"})


def test_a_real_process_logs_json_lines(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "NEWSLOOM_LOG_FORMAT": "json"}
    result = newsloom(env, "crawl", "--once", "--no-progress")
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    assert lines, result.stderr
    entries = [json.loads(line) for line in lines]
    assert any(e["logger"] == "newsloom.stories.actions" and "replayed" in e["message"] for e in entries)


def test_serve_logs_json_and_answers(cli_env: dict[str, str], tmp_path: Path) -> None:
    """gunicorn's logging laid over with JSON (a wrong layout once stopped `serve` at start: no root handler)."""
    env = {**cli_env, "NEWSLOOM_LOG_FORMAT": "json"}
    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "newsloom", "serve", "--port", str(port), "--processes", "1"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 60, "newsloom serve")
        wait_until(lambda: "replayed" in log.read_text(), 30, "a log record")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert [r["message"] for r in records if r["logger"] == "newsloom.stories.actions"] == [
        "story engine replayed 0 articles"
    ]  # once: not also through the root logger
    assert not [r for r in records if r["logger"] == "gunicorn.access"]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False
