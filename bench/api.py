"""The JSON API under load beside the HTML pages, in one run, with bench/pages.py's load generator.

    .venv/bin/python bench/api.py [--clients 32] [--seconds 10] [--processes N] [--client auto|wrk|python]
                                  [--database-url URL] [--rate-limit off|N/PERIOD]

Builds the demo data and starts `newsloom serve --no-worker` exactly as bench/pages.py does (its functions, imported),
with the API's rate limit off by default (the load comes from one address; --rate-limit sets it, and a limit too high
to reach measures the cost of counting every request in the shared cache). Then loads, each for a fixed time with N
keep-alive connections and then alone: the static file (the server's ceiling), the home, story and article pages,
and the API's story list (`/api/v1/stories`), the same story (`/api/v1/stories/<id>`) and article
(`/api/v1/articles/<id>`); the two story endpoints once more with `Accept-Encoding: gzip`, as real clients ask. Prints
the table of bench/pages.py (requests/second, p50/p99 ms, ratio to the static file, one-client p50/p99, whether a
repeat with If-None-Match is a 304) and the API's rate beside its page's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages

GZIP = {"Accept-Encoding": "gzip"}
PAIRS = {"api-stories": "home", "api-story": "story", "api-article": "article"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", help="a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/newsloom")
    parser.add_argument("--processes", type=int, help="newsloom serve --processes (default: its own, one per CPU)")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--rate-limit",
        default="off",
        help="NEWSLOOM_API_RATE_LIMIT for the server (default off; e.g. 100000000/min to count every "
        "request in the shared cache without refusing any)",
    )
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if use_wrk and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (make wrk, or apt-get install wrk)")
    clients = max(1, min(args.clients, 256))
    seconds = max(1.0, min(args.seconds, 300.0))
    data_dir = Path(tempfile.mkdtemp(prefix="newsloom-bench-api-"))
    try:
        with pages.fresh_database(args.database_url) as database_url:
            env = pages._env(data_dir, database_url) | {"NEWSLOOM_API_RATE_LIMIT": args.rate_limit}
            started = time.perf_counter()
            log = pages.newsloom(env, "demo", "--no-serve", "--mini-web-port", "0").strip().splitlines()
            summary = [line for line in log if "articles with full text" in line] or log[-1:]
            print(f"demo data built in {time.perf_counter() - started:.0f} s: {summary[-1] if summary else ''}")
            print(
                f"database: {'PostgreSQL' if database_url else 'SQLite'}; {clients} clients, {seconds:.0f} s per "
                f"path, {os.cpu_count()} cores shared by clients and server"
            )
            print(
                f"client: {pages.wrk_version() + ', 1 thread' if use_wrk else 'Python, httpx in threads'}; "
                f"API rate limit: {args.rate_limit}"
            )
            script = data_dir / "report.lua"
            script.write_text(pages.WRK_SCRIPT)
            with pages.serving(env, False, args.processes) as base:
                found = pages.discover(base)
                if "story" not in found or "article" not in found:
                    raise SystemExit(f"no story or article page found: {found}")
                story_id = found["story"].rsplit("/", 1)[1]
                article_id = found["article"].rsplit("/", 1)[1]
                paths: list[tuple[str, str, dict[str, str] | None]] = [
                    ("static", pages.STATIC, None),
                    ("home", found["home"], None),
                    ("story", found["story"], None),
                    ("article", found["article"], None),
                    ("api-stories", "/api/v1/stories", None),
                    ("api-story", f"/api/v1/stories/{story_id}", None),
                    ("api-article", f"/api/v1/articles/{article_id}", None),
                    ("api-stories-gz", "/api/v1/stories", GZIP),
                    ("api-story-gz", f"/api/v1/stories/{story_id}", GZIP),
                ]
                results, solo, checks = [], {}, {}
                for name, path, headers in paths:
                    if use_wrk:
                        results.append(pages.wrk_load(script, base, name, path, clients, seconds, headers))
                        solo[name] = pages.wrk_alone(script, base, path, headers=headers)
                    else:
                        results.append(pages.load(base, name, path, clients, seconds, headers))
                        solo[name] = pages.alone(base, path, headers=headers)
                    checks[name] = pages.conditional(base, path)
            pages.report(results, solo, checks, clients)
            rate = {r.name: r.per_second for r in results}
            print()
            for api_name, page_name in PAIRS.items():
                if rate.get(page_name):
                    print(f"{api_name} / {page_name} page: {rate[api_name] / rate[page_name]:.2f}× the requests/second")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
