"""`newsloom serve`: its processes, and the embedded queue's consumer in exactly one of them."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from newsloom.cli import build_parser
from newsloom.commands import serve
from tests.commands.conftest import newsloom
from tests.support.feeds import LOREM, article_page, rss
from tests.support.httpserver import LocalServer

CONSUMER_LINE = re.compile(r"queue consumer running in web process (\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)
    return found


def test_one_web_process_per_cpu_and_balanced_sockets_when_there_are_several() -> None:
    assert serve.default_processes() == len(os.sched_getaffinity(0))
    several = serve.gunicorn_options("127.0.0.1", 8000, 3, consume=True)
    assert several["workers"] == 3 and several["threads"] == serve.THREADS
    assert several["reuse_port"] is True  # each worker its own socket: the kernel spreads the connections
    assert several["post_worker_init"] and several["worker_exit"]
    one = serve.gunicorn_options("127.0.0.1", 8000, 1, consume=False, threads=2)
    assert one["workers"] == 1 and one["threads"] == 2 and one["reuse_port"] is False
    assert one["post_worker_init"] is serve._serving and "worker_exit" not in one  # no queue consumer to place
    assert one["child_exit"] is several["child_exit"]  # the metrics' bookkeeping for ended workers, always


def test_a_port_in_use_is_refused_before_serving(cli_env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve.address_in_use("127.0.0.1", port)
        result = newsloom(cli_env, "serve", "--port", str(port), "--processes", "2", check=False, timeout=60)
    assert result.returncode == 1 and "already in use" in result.stderr
    assert not serve.address_in_use("127.0.0.1", port)


def _feed(server: LocalServer, name: str) -> list[str]:
    pages = [server.serve(f"/{name}/{i}", article_page(f"{name} story {i}", [f"{name} story {i} begins.", *LOREM[i:]]))
             for i in range(2)]
    server.serve(f"/{name}.xml", rss([(f"{name} story {i}", url) for i, url in enumerate(pages)]),
                 "application/rss+xml")
    return pages


def _ingested(env: dict[str, str], pages: list[str]) -> bool:
    rows = [json.loads(line) for line in newsloom(env, "export", "articles").stdout.splitlines()]
    return set(pages) <= {r["canonical_url"] for r in rows if r["status"] == "ok"}


def test_the_embedded_queue_runs_in_exactly_one_web_process_and_moves_when_it_dies(
    cli_env: dict[str, str], server: LocalServer, tmp_path: Path
) -> None:
    env = {**cli_env, "NEWSLOOM_EXTRACT_PROCESSES": "0", "NEWSLOOM_WORKERS": "2"}
    first = _feed(server, "first")
    newsloom(env, "feeds", "add", server.url("/first.xml"), "--source", "First Herald")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "newsloom", "serve", "--port", str(port), "--processes", "3"],
                                env=env, stdout=out, stderr=out, text=True)

    def consumers() -> list[int]:
        return [int(pid) for pid in CONSUMER_LINE.findall(log.read_text())]

    def home() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/en/", timeout=5) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        wait_until(home, 60, "the site")
        wait_until(lambda: _ingested(env, first), 90, "the first feed's articles")
        time.sleep(2 * serve.SLOT_RETRY + 1)  # the other workers have tried, and tried again
        assert len(consumers()) == 1, log.read_text()
        holder = consumers()[0]
        assert holder != proc.pid  # a web worker, not gunicorn's master

        second = _feed(server, "second")
        newsloom(env, "feeds", "add", server.url("/second.xml"), "--source", "Second Herald")
        os.kill(holder, signal.SIGKILL)
        wait_until(lambda: len(consumers()) == 2, 30, "another worker to take the queue over")
        assert consumers()[1] != holder
        wait_until(lambda: _ingested(env, second), 90, "the second feed's articles")
        assert home()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert proc.returncode == 0, log.read_text()
    assert len(consumers()) == 2, log.read_text()


def test_processes_and_threads_default_to_the_servers_choice() -> None:
    parsed = build_parser().parse_args(["serve"])
    assert parsed.processes is None and parsed.threads is None  # serve.run: one per CPU, THREADS each
    parsed = build_parser().parse_args(["serve", "--processes", "1", "--threads", "32"])
    assert parsed.processes == 1 and parsed.threads == 32
