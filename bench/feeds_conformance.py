"""Run feedparser's own conformance cases against ``newsloom.core.ingest.feeds.parse_compat`` and print pass counts.

    .venv/bin/python bench/feeds_conformance.py [--shared PATH] [--failures]

Each case file carries ``Expect: <python expression>`` over feedparser's result; it is evaluated with the result's
keys as locals (as feedparser's harness does) and a small whitelist of builtins. Files whose name contains ``http``
are fed with the ``Content-type`` (default ``text/xml``) and ``Content-Location`` of their ``Header:`` lines, as
feedparser's harness serves them over HTTP; other headers (ETag, Content-Language, X-Foo …) are a fetcher's business.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from newsloom.core.ingest.feeds import parse_compat
from newsloom.errors import FeedParseError

ARCHIVE = Path("benchmarks/feeds-feedparser-conformance/feedparser-tests.tar.xz")
FOLDERS = ("wellformed", "illformed", "encoding", "entities", "json")
_DESC = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
_SKIP = re.compile(r"SkipUnless:\s*(.*?)\n")
_HEADER = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)
_SERVED = "http://127.0.0.1:8097/"  # where feedparser's own harness serves the ``http`` cases
_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32be", 0), (b"\xff\xfe\x00\x00", "utf-32le", 0), (b"\x00\x00\x00\x3c", "utf-32be", 0),
    (b"\x3c\x00\x00\x00", "utf-32le", 0), (b"\x00\x3c\x00\x3f", "utf-16be", 0), (b"\x3c\x00\x3f\x00", "utf-16le", 0),
    (b"\xfe\xff", "utf-16be", 2), (b"\xff\xfe", "utf-16le", 2), (b"\xef\xbb\xbf", "utf-8", 3),
)  # fmt: skip
SAFE_BUILTINS: dict[str, Any] = {
    name: __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
    for name in ("len", "ord", "chr", "isinstance", "str", "int", "float", "bool", "dict", "list", "tuple", "set",
                 "bytes", "type", "repr", "sorted", "min", "max", "any", "all", "locals", "True", "False", "None")
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    folder: str
    name: str
    data: bytes
    expect: str
    skip_unless: str
    content_type: str | None
    url: str | None


@dataclass(frozen=True)
class Outcome:
    case: Case
    status: str  # "pass" | "fail" | "refused" | "error" | "skip"
    detail: str = ""


def _text(data: bytes) -> str:
    for bom, codec, skip in _BOMS:
        if data.startswith(bom) and not (skip == 2 and data[2:4] == b"\x00\x00"):
            return data[skip:].decode(codec, errors="ignore")
    return data.decode("utf-8", errors="ignore")


def load_case(path: Path, root: Path) -> Case | None:
    data = path.read_bytes()
    text = _text(data)
    match = _DESC.search(text)
    if match is None:
        return None
    rel = path.relative_to(root)
    skip = _SKIP.search(text)
    headers = {k.strip().lower(): v.strip() for k, v in _HEADER.findall(text)}
    over_http = "http" in rel.as_posix()
    return Case(
        folder=rel.parts[0],
        name=str(rel),
        data=data,
        expect=match.group(2).strip(),
        skip_unless=skip.group(1).strip() if skip else "1",
        content_type=headers.get("content-type", "text/xml") if over_http else None,
        url=urljoin(_SERVED + "tests/" + rel.as_posix(), headers.get("content-location", "")) if over_http else None,
    )


def load_cases(tests_dir: Path) -> list[Case]:
    paths = sorted(p for p in tests_dir.rglob("*") if p.suffix in (".xml", ".json") and p.is_file())
    return [case for p in paths if (case := load_case(p, tests_dir)) is not None]


def _skipped(case: Case) -> bool:
    try:
        return not eval(case.skip_unless, {"__builtins__": {"__import__": __import__}, "feedparser": feedparser})
    except Exception:
        return True


def run_case(case: Case) -> Outcome:
    if _skipped(case):
        return Outcome(case, "skip", case.skip_unless)
    try:
        result = parse_compat(case.data, url=case.url, content_type=case.content_type)
    except FeedParseError as exc:
        return Outcome(case, "refused", str(exc))
    try:
        ok = eval(case.expect, {"__builtins__": SAFE_BUILTINS, "datetime": datetime, "feedparser": feedparser}, result)
    except Exception as exc:
        return Outcome(case, "error", f"{type(exc).__name__}: {exc}")
    return Outcome(case, "pass" if ok else "fail", "" if ok else case.expect)


def extract(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "tests"


def run_all(tests_dir: Path) -> list[Outcome]:
    return [run_case(case) for case in load_cases(tests_dir)]


def summarize(outcomes: list[Outcome]) -> dict[str, Counter[str]]:
    table: dict[str, Counter[str]] = {folder: Counter() for folder in FOLDERS}
    for outcome in outcomes:
        table.setdefault(outcome.case.folder, Counter())[outcome.status] += 1
    return table


def _print(table: dict[str, Counter[str]]) -> None:
    total: Counter[str] = Counter()
    print(f"{'folder':<12}{'cases':>7}{'pass':>7}{'fail':>7}{'refused':>9}{'error':>7}{'skip':>6}")
    for folder, counts in table.items():
        total.update(counts)
        row = [counts[k] for k in ("pass", "fail", "refused", "error", "skip")]
        print(f"{folder:<12}{sum(counts.values()):>7}{row[0]:>7}{row[1]:>7}{row[2]:>9}{row[3]:>7}{row[4]:>6}")
    row = [total[k] for k in ("pass", "fail", "refused", "error", "skip")]
    print(f"{'total':<12}{sum(total.values()):>7}{row[0]:>7}{row[1]:>7}{row[2]:>9}{row[3]:>7}{row[4]:>6}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--failures", action="store_true", help="list every case that did not pass")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        outcomes = run_all(extract(args.shared / ARCHIVE, Path(tmp)))
    _print(summarize(outcomes))
    if args.failures:
        for o in outcomes:
            if o.status != "pass":
                print(f"{o.status:<8} {o.case.name}: {o.detail[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
