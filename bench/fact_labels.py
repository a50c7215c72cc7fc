"""Fact labels: does the comparison call each figure what a person would call it?

    .venv/bin/python bench/fact_labels.py [--errors]

Reads bench/fact_labels.tsv: a sentence snippet, the figure as the comparison shows it ("more than 3,000", "5.8
metres") and the labels a person would give it ("people evacuated"; several when equally good), or "-" when the figure
is not a fact worth showing (an age, a model number, a time span). Each snippet goes through
:func:`newsloom.core.language.figures.find_figures` and the figure shown with that display is compared with the
labels, up to case, articles, possessives and plurals:

- right: the label is one of the person's, or the figure is rightly not shown;
- nonsense: a label shown for a figure that should not be, or one sharing no word with any of the person's labels
  ("shortly" for a water level, "forced" for a payment);
- otherwise near (a label on the right subject but not the person's words), or missing (the figure not found or not
  labelled, though it should be).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from newsloom.core.language.figures import find_figures, singular

CHECK_SET = Path(__file__).with_name("fact_labels.tsv")
_DROP = frozenset(["the", "a", "an", "its", "their", "his", "her", "of"])


def normal(label: str) -> str:
    words = re.findall(r"[\w-]+", label.lower().replace("’", "'").replace("'s", ""))
    return " ".join(singular(word) for word in words if word not in _DROP)


def content(label: str) -> set[str]:
    return {word for word in normal(label).split() if len(word) > 2 and word not in {"and", "for", "with", "from"}}


def judge(snippet: str, figure: str, labels: str) -> tuple[str, str]:
    """(verdict, label shown) for one check."""
    shown = next((f.label for f in find_figures(snippet, 1) if f.display == figure), "")
    if labels == "-":
        return ("right" if not shown else "nonsense"), shown
    wanted = labels.split("|")
    if not shown:
        return "missing", shown
    if normal(shown) in {normal(label) for label in wanted}:
        return "right", shown
    if not any(content(shown) & content(label) for label in wanted):
        return "nonsense", shown
    return "near", shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every figure not labelled right")
    args = parser.parse_args(argv)
    rows = [line.split("\t") for line in CHECK_SET.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]  # fmt: skip
    verdicts: Counter[str] = Counter()
    wrong: list[str] = []
    for snippet, figure, labels in rows:
        verdict, shown = judge(snippet, figure, labels)
        verdicts[verdict] += 1
        if verdict != "right":
            wrong.append(f"{verdict:<9} {figure!r:<26} shown {shown!r:<40} wanted {labels!r}\n          {snippet}")
    total = len(rows)
    print(f"{total} figures ({sum(1 for r in rows if r[2] == '-')} not to be shown)")
    print(f"label accuracy   {verdicts['right'] / total:.3f}  ({verdicts['right']} right)")
    print(f"nonsense labels  {verdicts['nonsense']}")
    print(f"near / missing   {verdicts['near']} / {verdicts['missing']}")
    if args.errors and wrong:
        print("\n" + "\n".join(wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
