"""`newsloom export stories|articles --format jsonl`."""

from __future__ import annotations

import argparse
import json

from newsloom.articles.queries import iter_article_records
from newsloom.commands.output import open_output
from newsloom.stories.queries import iter_story_records


def run(args: argparse.Namespace) -> int:
    records = iter_story_records() if args.what == "stories" else iter_article_records()
    with open_output(args.output) as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
