"""The `newsloom` command (also `python -m newsloom`): parses arguments, sets up Django, dispatches to commands/."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsloom import __version__

#: what the demo needs, set before Django reads the environment; an operator's own settings win
DEMO_ENV = {
    "NEWSLOOM_FETCH_ALLOW_PRIVATE": "true",  # the mini-web lives on loopback, which is refused by default
    "NEWSLOOM_FETCH_PER_HOST_DELAY": "0.1",  # polite, but quick enough for a demo
    "NEWSLOOM_WORKERS": "8",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsloom", description="Self-hosted news aggregator: feeds in, full-text articles and stories out."
    )
    parser.add_argument("--version", action="version", version=f"newsloom {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="directory for the SQLite database, queue and secret key "
        "(env NEWSLOOM_DATA_DIR, default ./newsloom-data; the demo defaults to ./newsloom-demo)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = sub.add_parser("demo", help="run the whole pipeline on a bundled offline mini-web, then serve the site")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--mini-web-port", type=int, default=18100, help="first port of the mini-web's publishers (0: any free ports)"
    )
    demo.add_argument("--no-serve", action="store_true", help="ingest, print a summary and exit")

    feeds = sub.add_parser("feeds", help="manage feeds").add_subparsers(
        dest="feeds_command", metavar="ACTION", required=True
    )
    add = feeds.add_parser("add", help="subscribe to a feed URL, or a web page that advertises one")
    add.add_argument("url")
    add.add_argument("--source", help="the publisher's name (default: the feed's title)")
    add.add_argument("--kind", choices=["wire", "public", "private", "state", "unknown"], help="kind of publisher")
    add.add_argument("--country", help="ISO 3166-1 alpha-2 country code")
    add.add_argument("--delay", type=float, help="seconds between requests to this feed's host (overrides the default)")
    add.add_argument("--concurrency", type=int, help="simultaneous requests to this feed's host (overrides default)")
    tune = feeds.add_parser("set", help="change a feed's politeness overrides")
    tune.add_argument("feed", help="feed id or URL")
    tune.add_argument("--delay", type=float, help="seconds between requests to its host; negative to clear")
    tune.add_argument("--concurrency", type=int, help="simultaneous requests to its host; 0 to clear")
    imp = feeds.add_parser("import", help="subscribe to every feed in an OPML file")
    imp.add_argument("file", type=Path)
    exp = feeds.add_parser("export", help="write all subscriptions as OPML")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    lst = feeds.add_parser("list", help="list feeds with their health")
    lst.add_argument("--json", action="store_true", help="one JSON object per feed")
    for name, text in (("enable", "re-enable a disabled feed"), ("disable", "stop polling a feed")):
        p = feeds.add_parser(name, help=text)
        p.add_argument("feed", help="feed id or URL")

    crawl = sub.add_parser("crawl", help="poll due feeds and run the pipeline")
    crawl.add_argument("--once", action="store_true", help="return when all resulting work is done")
    crawl.add_argument("--all", action="store_true", help="poll every enabled feed now, due or not")
    crawl.add_argument("--workers", type=int, help="worker threads (default NEWSLOOM_WORKERS)")
    crawl.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")

    serve = sub.add_parser("serve", help="serve the website and API (and, on the embedded default, run the queue)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--processes",
        type=int,
        default=None,
        help="web server processes (default: one per CPU; with the embedded queue, one of them "
        "also runs the queue consumer)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per web server process (default: 4; more when many requests wait on I/O, "
        "such as questions to a slow LLM endpoint)",
    )
    serve.add_argument("--no-worker", action="store_true", help="do not run the queue consumer in-process")

    worker = sub.add_parser("worker", help="a standalone queue consumer (scale-out)")
    worker.add_argument("--workers", type=int, help="worker threads (default NEWSLOOM_WORKERS)")
    worker.add_argument("--no-scheduler", action="store_true", help="do not run the periodic schedule here")
    worker.add_argument("--metrics-port", type=int, default=None,
                        help="also answer /metrics, /healthz and /readyz on this port (for a worker on a machine "
                             "where no newsloom serve runs)")
    worker.add_argument("--metrics-host", default="127.0.0.1", help="address for --metrics-port (default 127.0.0.1)")

    export = sub.add_parser("export", help="export stored data")
    export.add_argument("what", choices=["stories", "articles"])
    export.add_argument("--format", choices=["jsonl"], default="jsonl")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    evaluate = sub.add_parser("eval", help="score the pipeline on a labelled dataset and print the metrics")
    evaluate.add_argument("task", choices=["clustering", "summarization"])
    evaluate.add_argument("dataset", type=Path, help="the dataset's folder, e.g. ../shared/benchmarks/…")
    evaluate.add_argument("--json", action="store_true", help="one JSON object instead of a table")
    evaluate.add_argument(
        "--embedder",
        default="none",
        choices=["none", "hashing", "static", "transformer"],
        help="dense vectors used by the step (default: none)",
    )
    evaluate.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="summarization: score only the first N stories of the split",
    )

    users = sub.add_parser("users", help="readers' and moderators' accounts").add_subparsers(
        dest="users_command", metavar="ACTION", required=True
    )
    create = users.add_parser("create", help="create an account (its e-mail counts as verified)")
    create.add_argument("name", help="user name")
    create.add_argument("--staff", action="store_true", help="may moderate comments and use the admin")
    create.add_argument("--email", help="e-mail address")
    create.add_argument("--display-name", help="name shown beside comments")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    users.add_parser("list", help="list accounts")

    tokens = sub.add_parser("tokens", help="readers' personal API tokens and app passwords").add_subparsers(
        dest="tokens_command", metavar="ACTION", required=True
    )
    make = tokens.add_parser("create", help="create a key; its secret is printed alone on the last line")
    make.add_argument("user", help="user name")
    make.add_argument("--name", help="what the key is for")
    make.add_argument("--app-password", action="store_true", help="an app password (reader apps) instead of a token")
    drop = tokens.add_parser("revoke", help="revoke a key")
    drop.add_argument("user", help="user name")
    drop.add_argument("key", help="the key's id or the first characters `tokens list` shows")
    tokens.add_parser("list", help="list a user's keys").add_argument("user", help="user name")

    sub.add_parser("migrate", help="create or update the database tables")
    sub.add_parser("createsuperuser", help="create an administrator account")
    return parser


#: the commands whose processes serve or work: their metrics go to the data dir's shared folder, for /metrics
METRICS_COMMANDS = {"serve", "worker", "demo", "crawl"}


def data_dir_of(data_dir: Path | None) -> Path:
    return (data_dir or Path(os.environ.get("NEWSLOOM_DATA_DIR") or "./newsloom-data")).expanduser().resolve()


def setup_django(data_dir: Path | None) -> None:
    if data_dir is not None:
        os.environ["NEWSLOOM_DATA_DIR"] = str(data_dir.expanduser().resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsloom.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "eval":  # pure pipeline steps on files: no database, no Django
        from newsloom.commands import evaluate

        return evaluate.run(args)
    data_dir = args.data_dir
    if args.command == "demo" and data_dir is None and not os.environ.get("NEWSLOOM_DATA_DIR"):
        data_dir = Path("newsloom-demo")
    if args.command == "demo":
        for key, value in DEMO_ENV.items():
            os.environ.setdefault(key, value)
    if args.command in METRICS_COMMANDS:  # before anything imports prometheus-client (Django's set-up does)
        from newsloom.observability import multiproc

        multiproc.prepare(data_dir_of(data_dir))
    setup_django(data_dir)

    from newsloom import runtime
    from newsloom.errors import NewsloomError

    try:
        return _dispatch(args)
    except NewsloomError as exc:
        print(f"newsloom: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        runtime.reset()


def _dispatch(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    if args.command == "migrate":
        migrate(verbosity=1)
        return 0
    if args.command == "createsuperuser":
        migrate()
        call_command("createsuperuser")
        return 0
    migrate()
    if args.command == "feeds":
        from newsloom.commands import feeds

        return feeds.run(args)
    if args.command in {"crawl", "demo"}:
        from newsloom.observability import metrics

        metrics.process_started(args.command)
    if args.command == "crawl":
        from newsloom.commands import crawl

        return crawl.run(args)
    if args.command == "serve":
        from newsloom.commands import serve

        return serve.run(
            host=args.host, port=args.port, processes=args.processes, threads=args.threads, consume=not args.no_worker
        )
    if args.command == "worker":
        from newsloom.commands import serve

        return serve.run_worker(workers=args.workers, periodic=not args.no_scheduler, metrics_port=args.metrics_port,
                                metrics_host=args.metrics_host)
    if args.command == "users":
        from newsloom.commands import users

        return users.run(args)
    if args.command == "tokens":
        from newsloom.commands import tokens

        return tokens.run(args)
    if args.command == "export":
        from newsloom.commands import export

        return export.run(args)
    if args.command == "demo":
        from newsloom.commands import demo

        return demo.run(args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
