"""Serve the demo mini-web on its own: ``python -m newsloom.demo [--base-port 8100] [--bulk N]``."""

from __future__ import annotations

import argparse
import time

from newsloom.demo import bulk_miniweb, start_miniweb


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsloom.demo", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--base-port", type=int, default=0, help="publisher i listens on BASE+i (0: free ports)")
    parser.add_argument("--bulk", type=int, default=0, help="serve a synthetic web of N articles instead")
    args = parser.parse_args(argv)
    if args.bulk:
        web = bulk_miniweb(articles=args.bulk, host=args.host)
    else:
        web = start_miniweb(host=args.host, base_port=args.base_port)
    with web:
        for feed in web.feeds:
            flag = "  (broken)" if feed.broken else ""
            print(f"{feed.source_name:32} {feed.format:7} {feed.url}{flag}")
        print(f"{len(web.articles)} articles; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
