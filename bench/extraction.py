"""Extraction speed and quality: newsloom's extract() against bare trafilatura on trafilatura's evaluation corpus.

    .venv/bin/python bench/extraction.py [--shared PATH] [--limit N] [--languages de,en,...]

Reads ``benchmarks/extraction-trafilatura/{html.tar.xz,evaldata.json}`` under the shared directory (default
``../shared`` beside the repo) without copying anything into the repo. For each side it prints pages/second and the
corpus metric (micro-averaged over documents: "with" segments found = TP, missed = FN; "without" segments found = FP,
absent = TN; whitespace-normalised substring match; a crash or refusal counts as empty output).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.extract import extract
from newsloom.errors import ExtractionError

REPO = Path(__file__).resolve().parent.parent
_SPACES = re.compile(r"\s+")


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    seconds: float = 0.0
    failures: int = 0
    pages: int = 0
    outputs: list[str] = field(default_factory=list)

    def add(self, output: str, with_: list[str], without: list[str]) -> None:
        text = _SPACES.sub(" ", output)
        for segment in with_:
            if _SPACES.sub(" ", segment).strip() in text:
                self.tp += 1
            else:
                self.fn += 1
        for segment in without:
            if _SPACES.sub(" ", segment).strip() in text:
                self.fp += 1
            else:
                self.tn += 1

    def metrics(self) -> dict[str, float]:
        total = self.tp + self.fn + self.fp + self.tn
        return {
            "precision": self.tp / max(self.tp + self.fp, 1),
            "recall": self.tp / max(self.tp + self.fn, 1),
            "accuracy": (self.tp + self.tn) / max(total, 1),
            "f1": 2 * self.tp / max(2 * self.tp + self.fp + self.fn, 1),
        }


def load_corpus(root: Path, limit: int | None) -> list[tuple[str, bytes, list[str], list[str]]]:
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    wanted: dict[str, str] = {}
    for url, entry in evaldata.items():
        wanted.setdefault(entry["file"], url)
    files: dict[str, bytes] = {}
    with tarfile.open(root / "html.tar.xz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            folder, _, name = member.name.lstrip("./").partition("/")
            if name in wanted and (folder == "cache" or name not in files):
                handle = archive.extractfile(member)
                if handle is not None:
                    files[name] = handle.read()
    corpus = []
    for url, entry in evaldata.items():
        page = files.get(entry["file"])
        if page is not None:
            # some keys are labels ("hard::site-name.html"), not URLs: give both sides the same stand-in URL
            page_url = url if url.startswith(("http://", "https://")) else f"https://page.invalid/{entry['file']}"
            corpus.append((page_url, page, entry.get("with", []), entry.get("without", [])))
    return corpus[:limit] if limit else corpus


def run(corpus: list[tuple[str, bytes, list[str], list[str]]], side: Callable[[bytes, str], str], score: Score) -> None:
    for url, page, with_, without in corpus:
        started = time.perf_counter()
        try:
            output = side(page, url)
        except ExtractionError:
            output = ""
            score.failures += 1
        except Exception as error:  # a crash counts as empty output, as in the corpus's own metric
            print(f"  crash on {url}: {type(error).__name__}: {error}", file=sys.stderr)
            output = ""
            score.failures += 1
        score.seconds += time.perf_counter() - started
        score.pages += 1
        score.add(output, with_, without)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--languages", default="de,en,fr,pl,es,it,nl,pt", help="LanguageDetector languages")
    args = parser.parse_args(argv)

    root = args.shared / "benchmarks" / "extraction-trafilatura"
    if not (root / "evaldata.json").is_file():
        print(f"benchmark data not found under {root}", file=sys.stderr)
        return 2
    print(f"loading {root} ...", flush=True)
    corpus = load_corpus(root, args.limit)
    detector = LanguageDetector(args.languages.split(","))

    def bare(page: bytes, url: str) -> str:
        return trafilatura.extract(page, url=url, with_metadata=True) or ""

    def ours(page: bytes, url: str) -> str:
        return extract(page, url=url, detector=detector).text

    # warm up both (lazy imports, language models) outside the timing
    for side in (bare, ours):
        run(corpus[:3], side, Score())
    bare_score, our_score = Score(), Score()
    # interleave halves so that neither side always runs on a warmer machine
    half = len(corpus) // 2
    run(corpus[:half], bare, bare_score)
    run(corpus[:half], ours, our_score)
    run(corpus[half:], ours, our_score)
    run(corpus[half:], bare, bare_score)

    print(f"{len(corpus)} pages\n")
    print(f"{'side':<28}{'pages/s':>9}{'ms/page':>9}{'P':>7}{'R':>7}{'acc':>7}{'F1':>7}{'empty':>7}")
    for name, score in (("bare trafilatura.extract", bare_score), ("newsloom extract()", our_score)):
        m = score.metrics()
        rate = score.pages / score.seconds if score.seconds else 0.0
        print(
            f"{name:<28}{rate:>9.1f}{1000 / rate if rate else 0:>9.1f}{m['precision']:>7.3f}{m['recall']:>7.3f}"
            f"{m['accuracy']:>7.3f}{m['f1']:>7.3f}{score.failures:>7}"
        )
    ratio = our_score.seconds / bare_score.seconds if bare_score.seconds else float("nan")
    print(f"\ntime ratio ours/bare: {ratio:.3f}  (overhead {100 * (ratio - 1):+.1f} %, budget +30 %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
