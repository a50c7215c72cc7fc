"""Reader pages under load, against a static file from the same server as the ceiling, in one run.

    .venv/bin/python bench/pages.py [--clients 32] [--seconds 10] [--processes N] [--client auto|wrk|python]
                                    [--database-url URL]

Builds the demo data in a temporary data dir (`newsloom demo --no-serve --mini-web-port 0` in a subprocess; with
--database-url, in a fresh PostgreSQL database created beside the one named and dropped afterwards), starts
`newsloom serve --no-worker` (gunicorn, threaded, by default one process per CPU; --with-worker keeps its in-process
queue consumer, which then polls the stopped mini-web's feeds and enriches stories while the pages are measured) on a
free loopback port, finds one URL of every page type that answers (home, article, story, source, hashtag, search, Atom
feed; 404s are skipped), then loads each for a fixed time with N keep-alive connections.
/static/newsloom/site.css (WhiteNoise) is loaded the same way first: the ceiling of this server on this machine.

The load generator is wrk (Debian's `wrk`, C, one thread; `make wrk` installs it) when it is on the PATH: Python
client threads would take much of a small machine's cores, and the GIL, for themselves. Without wrk (or with
--client python) N threads each with its own keep-alive httpx client do the same, at a lower ceiling. The first line
of the table's header says which one ran.

Prints per page type: requests/second, p50 and p99 latency in ms, the ratio to the static ceiling; p50 and p99 with
one connection (the page's own time, without queueing behind other clients); and whether a repeat request with
If-None-Match (or If-Modified-Since) is answered 304. The clients share the machine's cores with the server.
Then the same for a signed-in reader (rows ``me/…``: an account made with `newsloom users create`, signed in through
the real form, following three hashtags): the article page and the Following page, which are personal and so never
answered from the page cache.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
STATIC = "/static/newsloom/site.css"
LINKS = {
    "article": re.compile(r'href="(/en/article/[0-9a-f]{32})"'),
    "story": re.compile(r'href="(/en/story/[^"/?#]+)"'),
    "source": re.compile(r'href="(/en/source/[^"/?#]+)"'),
    "hashtag": re.compile(r'href="(/en/hashtag/[^"/?#]+)"'),
}
FIXED = {"home": "/en/", "search": "/en/search?q=flood", "atom": "/feeds/top.atom"}
ORDER = ["static", "home", "article", "story", "source", "hashtag", "search", "atom", "me/article", "me/follow"]
READER, PASSWORD = "bench-reader", "bench-reader-passphrase"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TAG = re.compile(r'href="/en/hashtag/([^"/?#]+)"')


# wrk calls done() once at the end: one line with the totals and the percentiles (microseconds) to parse
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("NEWSLOOM-WRK %d %d %d %d %d %d %d %f %f\\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass
class Result:
    name: str
    path: str
    requests: int
    errors: int
    seconds: float
    p50: float  # ms
    p99: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSLOOM_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(NEWSLOOM_DATA_DIR=str(data_dir), NEWSLOOM_FETCH_ALLOW_PRIVATE="true",
               NEWSLOOM_FETCH_PER_HOST_DELAY="0", PYTHONUNBUFFERED="1")
    if database_url:
        env["NEWSLOOM_DATABASE_URL"] = database_url
    return env


@contextmanager
def fresh_database(url: str | None) -> Iterator[str | None]:
    """A new, empty PostgreSQL database on the server ``url`` names (dropped afterwards); None stays SQLite."""
    if not url:
        yield None
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    fresh = f"{name or 'newsloom'}_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    try:
        yield f"{base}/{fresh}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def newsloom(env: dict[str, str], *args: str, timeout: float = 900, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "newsloom", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        input=stdin,
    )
    if done.returncode != 0:
        raise SystemExit(f"newsloom {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stderr


@contextmanager
def serving(env: dict[str, str], worker: bool, processes: int | None) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = Path(env["NEWSLOOM_DATA_DIR"]) / "serve.log"
    log = log_path.open("w")
    command = [sys.executable, "-m", "newsloom", "serve", "--port", str(port), *([] if worker else ["--no-worker"]),
               *(["--processes", str(processes)] if processes else [])]
    proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=log, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/en/", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"newsloom serve did not come up:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        banner = [line for line in log_path.read_text().splitlines() if "serving on" in line]
        print(f"server: {banner[0].removeprefix('newsloom: ') if banner else ' '.join(command[2:])}")
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        errors = [line for line in log_path.read_text().splitlines() if "Error" in line or "Traceback" in line]
        if errors:
            print(f"server log: {len(errors)} error lines, the last: {errors[-1][:300]}", file=sys.stderr)


def discover(base: str, max_pages: int = 12) -> dict[str, str]:
    """One path per page type: the fixed ones, and links followed from the home page (home → story → article → …)
    until every type is found or ``max_pages`` pages were read; types that do not answer 200 are skipped."""
    found: dict[str, str] = dict(FIXED)
    queue, seen = ["/en/", FIXED["search"]], set[str]()
    with httpx.Client(base_url=base, timeout=30) as client:
        while queue and len(seen) < max_pages and not set(LINKS) <= set(found):
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200:
                continue
            for name, pattern in LINKS.items():
                match = pattern.search(response.text)
                if match and name not in found:
                    found[name] = match.group(1)
                    queue.append(match.group(1))
        for name, path in list(found.items()):
            status = client.get(path).status_code
            if status != 200:
                print(f"  skipping {name} {path}: HTTP {status}", file=sys.stderr)
                del found[name]
        for name in LINKS:
            if name not in found:
                print(f"  no {name} page linked from the {len(seen)} pages read", file=sys.stderr)
    return found


def sign_in(base: str) -> str:
    """Sign the bench reader in through the real form, follow three hashtags; the Cookie header of its session."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = TOKEN.search(client.get("/en/accounts/login/").text)
        form = {"login": READER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""}
        client.post("/en/accounts/login/", data=form)
        home = client.get("/en/").text
        if "Sign out" not in home:
            raise SystemExit("the bench reader could not sign in")
        token = TOKEN.search(home)
        for tag in list(dict.fromkeys(TAG.findall(home)))[:3]:
            client.post(
                "/en/me/follow",
                data={"kind": "hashtag", "key": tag, "on": "1", "csrfmiddlewaretoken": token.group(1) if token else ""},
            )
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def load(base: str, name: str, path: str, clients: int, seconds: float, headers: dict[str, str] | None = None
         ) -> Result:
    """``clients`` threads, each with its own keep-alive connection, requesting ``path`` until the time is up."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1),
                          headers=headers) as http:
            for _ in range(3):  # warm the connection and the server's caches
                with suppress(httpx.HTTPError):
                    http.get(path)
            start.wait(timeout=120)
            mine = latencies[i]
            while (began := time.perf_counter()) < stop_at[0]:
                try:
                    response = http.get(path)
                    response.read()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    mine.append((time.perf_counter() - began) * 1000)
                else:
                    errors[i] += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.perf_counter() + 3600  # set for real once every client is warm
    start.wait(timeout=120)
    began = time.perf_counter()
    stop_at[0] = began + seconds
    for t in threads:
        t.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - began
    merged = [x for part in latencies for x in part]
    return Result(name, path, len(merged), sum(errors), elapsed, percentile(merged, 0.5), percentile(merged, 0.99))


def wrk(script: Path, url: str, connections: int, seconds: int, headers: dict[str, str] | None = None) -> Result:
    """One wrk run: ``connections`` keep-alive connections on one thread for ``seconds``."""
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency",
               *extra, "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("NEWSLOOM-WRK ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    requests, micros, *errors, p50, p99 = (float(x) for x in line.split()[1:])
    bad_status = errors[3]  # answered, but not 2xx/3xx: counted among requests by wrk
    return Result("", url, int(requests - bad_status), int(sum(errors)), micros / 1e6, p50 / 1000, p99 / 1000)


def wrk_load(script: Path, base: str, name: str, path: str, clients: int, seconds: float,
             headers: dict[str, str] | None = None) -> Result:
    """Like ``load``, with wrk: a one-second run first warms the connections and every server process's cache."""
    wrk(script, base + path, clients, 1, headers)
    result = wrk(script, base + path, clients, max(1, round(seconds)), headers)
    result.name, result.path = name, path
    return result


def wrk_alone(script: Path, base: str, path: str, seconds: int = 2, headers: dict[str, str] | None = None
              ) -> tuple[float, float]:
    """Like ``alone``, with wrk: one connection, one request at a time, for ``seconds``."""
    result = wrk(script, base + path, 1, seconds, headers)
    return result.p50, result.p99


def wrk_version() -> str:
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    words = (done.stdout + done.stderr).split()
    return " ".join(words[:2]) if words else "wrk"


def conditional(base: str, path: str, cookie: str = "") -> str:
    """How a repeat request for the same page is answered when it carries the validators of the first answer."""
    with httpx.Client(base_url=base, timeout=30, headers={"Cookie": cookie} if cookie else {}) as client:
        first = client.get(path)
        etag, modified = first.headers.get("etag"), first.headers.get("last-modified")
        if not etag and not modified:
            return "no ETag/Last-Modified"
        headers = {"If-None-Match": etag} if etag else {"If-Modified-Since": modified or ""}
        again = client.get(path, headers=headers)
        via = "If-None-Match" if etag else "If-Modified-Since"
        return f"{via}: {again.status_code}" + (" (revalidated)" if again.status_code == 304 else " (full page)")


def alone(base: str, path: str, requests: int = 100, headers: dict[str, str] | None = None) -> tuple[float, float]:
    """p50 and p99 in ms of ``requests`` one after another on one connection: the page's own time, no queueing."""
    timings = []
    with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
        client.get(path)
        for _ in range(requests):
            began = time.perf_counter()
            client.get(path).read()
            timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return timings[len(timings) // 2], timings[min(len(timings) - 1, int(0.99 * len(timings)))]


def report(results: list[Result], solo: dict[str, tuple[float, float]], checks: dict[str, str], clients: int) -> None:
    ceiling = results[0].per_second if results and results[0].name == "static" else 0.0
    print(f"{'':<9} {'':<40} {f'{clients} clients':^34} {'1 client':^17}")
    print(f"{'page':<9} {'path':<40} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'×static':>7} {'errors':>6}  "
          f"{'p50 ms':>7} {'p99 ms':>7}  conditional")
    for r in results:
        ratio = r.per_second / ceiling if ceiling else float("nan")
        p50, p99 = solo.get(r.name, (float("nan"), float("nan")))
        print(f"{r.name:<9} {r.path[:40]:<40} {r.per_second:>7.0f} {r.p50:>7.1f} "
              f"{r.p99:>7.1f} {ratio:>7.2f} {r.errors:>6}  {p50:>7.1f} {p99:>7.1f}  "
              f"{checks.get(r.name, '')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--with-worker", action="store_true",
                        help="keep serve's in-process queue consumer (it polls the stopped mini-web and enriches)")
    parser.add_argument("--database-url", help="a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/newsloom")
    parser.add_argument("--processes", type=int, help="newsloom serve --processes (default: its own, one per CPU)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto",
                        help="load generator (auto: wrk when it is installed, else Python threads)")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if use_wrk and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (make wrk, or apt-get install wrk)")
    clients = max(1, min(args.clients, 256))
    seconds = max(1.0, min(args.seconds, 300.0))
    data_dir = Path(tempfile.mkdtemp(prefix="newsloom-bench-pages-"))
    try:
        with fresh_database(args.database_url) as database_url:
            env = _env(data_dir, database_url)
            started = time.perf_counter()
            log = newsloom(env, "demo", "--no-serve", "--mini-web-port", "0").strip().splitlines()
            summary = [line for line in log if "articles with full text" in line] or log[-1:]
            print(f"demo data built in {time.perf_counter() - started:.0f} s: {summary[-1] if summary else ''}")
            newsloom(
                env,
                "users",
                "create",
                READER,
                "--email",
                "bench@example.org",
                "--password-stdin",
                stdin=PASSWORD + "\n",
            )
            print(
                f"database: {'PostgreSQL' if database_url else 'SQLite'}; {clients} clients, {seconds:.0f} s per "
                f"page type, {os.cpu_count()} cores shared by clients and server"
            )
            print(f"client: {wrk_version() + ', 1 thread' if use_wrk else 'Python, httpx in threads'}")
            script = data_dir / "report.lua"
            script.write_text(WRK_SCRIPT)
            with serving(env, args.with_worker, args.processes) as base:
                paths = {"static": STATIC, **discover(base)}
                cookie = sign_in(base)
                paths["me/follow"] = "/en/following"
                if "article" in paths:
                    paths["me/article"] = paths["article"]
                results, solo, checks = [], {}, {}
                for name in sorted(paths, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
                    mine = cookie if name.startswith("me/") else ""
                    headers = {"Cookie": mine} if mine else None
                    # under load first (its warm-up renders the page in every server process), then alone
                    if use_wrk:
                        results.append(wrk_load(script, base, name, paths[name], clients, seconds, headers))
                        solo[name] = wrk_alone(script, base, paths[name], headers=headers)
                    else:
                        results.append(load(base, name, paths[name], clients, seconds, headers))
                        solo[name] = alone(base, paths[name], headers=headers)
                    checks[name] = conditional(base, paths[name], mine)
            report(results, solo, checks, clients)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
