"""How each source covers a story: which facts each source reports, what only one source reports, and where sources
disagree on a figure.

``compare(docs)`` extracts facts from every article (:mod:`newsloom.core.language.facts`,
:mod:`newsloom.core.language.quotes`), merges them across articles and returns a matrix the story page can render: rows
are facts, columns are sources.

* Names merge by their resolved key (full name, surname and ``Name (ACR)`` aliases fold together).
* Quotes merge when the speaker is the same and the words mostly overlap (sources trim quotes differently).
* Figures merge into one *quantity* when their units are compatible (the same unit, or a bare number and a counted
  noun) and they share a context concept ("evacuated", "evacuees" and "displaced" all give ``evacu``). Within a
  quantity each distinct value (qualifier included: "more than 2,000" differs from "2,000") is one fact; a quantity
  whose sources report different sets of values is a :class:`Disagreement`.
* Names found only in an author line ("By Claire Ashdown, Meridian Press Agency", or the ``author`` given) or a
  section label are not facts; nor is a person with no role named only where they are quoted (the quote says it).
* A source's article is a wire copy when it belongs to a wire group and is not that group's earliest copy among the
  given articles (a group with a single article here is a copy of something elsewhere).

Deterministic: no output depends on set or hash order.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from newsloom.core.language.facts import PERSON, DocFacts, Figure, extract_facts, name_key
from newsloom.core.language.lexicon import MONTHS
from newsloom.core.language.quotes import PRONOUNS, Quote, find_quotes
from newsloom.core.text import tokens

KINDS = ("number", "quote", "person", "organisation", "place")
MAX_EXCLUSIVE = 8
# "By Claire Ashdown, Meridian Press Agency | March 4, 2031": a byline left in the text by extraction
_BYLINE = re.compile(r"^\s*by\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,3}\s*(?:[,|•·–—]|$)", re.IGNORECASE)
_BYLINE_WORDS = frozenset({"by", "and", "staff", "reporter", "correspondent", "editor", "updated", "published"})
_AUTHOR_SPLIT = re.compile(r"\s*(?:[,|;&/]|\band\b|\bwith\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CompareDoc:
    id: str
    source: str
    text: str
    title: str
    published: datetime | None
    wire_group: str | None
    author: str = ""  # the byline, if known: its names are not facts of the story


@dataclass(frozen=True)
class Fact:
    kind: str  # "number" | "person" | "place" | "organisation" | "quote"
    label: str  # the quantity ("people evacuated"), the name, or the speaker of a quote
    value: str | None  # the figure ("3,000"), the person's role, or the quote's words
    sources: tuple[str, ...]
    article_ids: tuple[str, ...]
    evidence: tuple[str, ...]  # a supporting sentence per article, aligned with article_ids

    @property
    def text(self) -> str:
        """One line for lists such as a source's exclusive facts."""
        if self.kind == "quote":
            return f"{self.label}: “{self.value}”"
        if self.kind == "number":
            return f"{self.label}: {self.value}"
        return self.label


@dataclass(frozen=True)
class Disagreement:
    quantity: str
    values: tuple[tuple[str, tuple[str, ...]], ...]  # value -> sources reporting it


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    article_ids: tuple[str, ...]
    first_published: datetime | None
    wire_copy: bool
    exclusive_facts: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    facts: tuple[Fact, ...]
    disagreements: tuple[Disagreement, ...]
    sources: tuple[SourceCoverage, ...]


@dataclass
class _Row:
    kind: str
    label: str
    value: str | None
    key: str = ""  # the name key of a person or a quote's speaker
    evidence: dict[int, str] = field(default_factory=dict)  # document index -> sentence
    salience: float = 0.0
    mentions: dict[int, list[str]] = field(default_factory=dict)  # document index -> every sentence naming it

    def add(self, doc: int, sentence: str, weight: float) -> None:
        self.evidence.setdefault(doc, sentence)
        self.salience += weight


def _fold(name: str) -> str:
    return " ".join(tokens(name))


def _when(doc: CompareDoc) -> float:
    return doc.published.timestamp() if doc.published is not None else math.inf


def compare(docs: Sequence[CompareDoc], *, max_facts: int = 30) -> Comparison:
    """Compare the coverage of one story by its articles ``docs``; see the module docstring."""
    if not docs:
        return Comparison((), (), ())
    order = sorted(range(len(docs)), key=lambda i: (_when(docs[i]), docs[i].source, docs[i].id))
    source_rank: dict[str, int] = {}
    for i in order:
        source_rank.setdefault(docs[i].source, len(source_rank))
    doc_rank = {doc: rank for rank, doc in enumerate(order)}
    extracted = _without_labels(extract_facts([(doc.title, doc.text) for doc in docs]), docs)
    outlets = {_fold(doc.source) for doc in docs}
    quote_rows = _quote_rows(extracted)
    rows = [row for row in _entity_rows(extracted) if _fold(row.label) not in outlets and not _quoted(row, quote_rows)]
    rows += quote_rows
    figure_rows, quantities = _figure_rows(extracted)
    rows += figure_rows

    def sources_of(row: _Row) -> list[str]:
        return sorted({docs[i].source for i in row.evidence}, key=source_rank.__getitem__)

    def rank(row: _Row) -> tuple[int, float, int, str, str]:
        return (-len(sources_of(row)), -row.salience, KINDS.index(row.kind), row.label, row.value or "")

    facts = []
    for row in sorted(rows, key=rank):
        ids = sorted(row.evidence, key=doc_rank.__getitem__)
        facts.append(
            Fact(
                row.kind,
                row.label,
                row.value,
                tuple(sources_of(row)),
                tuple(docs[i].id for i in ids),
                tuple(row.evidence[i] for i in ids),
            )
        )
    disagreements = []
    for label, value_rows in quantities:
        per_source: dict[str, set[str]] = defaultdict(set)
        for row in value_rows:
            for source in sources_of(row):
                per_source[source].add(row.value or "")
        if len({frozenset(values) for values in per_source.values()}) < 2:
            continue
        values = sorted(value_rows, key=lambda r: (-len(sources_of(r)), source_rank[sources_of(r)[0]], r.value))
        disagreements.append(Disagreement(label, tuple((r.value or "", tuple(sources_of(r))) for r in values)))
    return Comparison(tuple(facts[:max_facts]), tuple(disagreements), _coverage(docs, order, source_rank, facts))


def _coverage(
    docs: Sequence[CompareDoc], order: list[int], source_rank: dict[str, int], facts: list[Fact]
) -> tuple[SourceCoverage, ...]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i in order:
        group = docs[i].wire_group
        if group:
            groups[group].append(i)
    copies = {i for members in groups.values() for i in (members if len(members) == 1 else members[1:])}
    coverage = []
    for source in sorted(source_rank, key=source_rank.__getitem__):
        mine = [i for i in order if docs[i].source == source]
        times = [t for t in (docs[i].published for i in mine) if t is not None]
        exclusive = [fact.text for fact in facts if fact.sources == (source,)][:MAX_EXCLUSIVE]
        coverage.append(
            SourceCoverage(
                source,
                tuple(docs[i].id for i in mine),
                min(times, key=lambda t: t.timestamp()) if times else None,
                any(i in copies for i in mine),
                tuple(exclusive),
            )
        )
    return tuple(coverage)


def _lead_weight(sentence_index: int) -> float:
    return 3.0 if sentence_index == 0 else 2.0 if sentence_index <= 2 else 1.0


def _entity_rows(extracted: Sequence[DocFacts]) -> list[_Row]:
    names: dict[str, Counter[str]] = defaultdict(Counter)
    roles: dict[str, Counter[str]] = defaultdict(Counter)
    rows: dict[tuple[str, str], _Row] = {}
    for facts in extracted:
        for entity in facts.entities:
            if len(entity.name.split()) == len(entity.key.split()):
                names[entity.key][entity.name] += 1
            if entity.role:
                roles[entity.key][entity.role] += 1
    for doc, facts in enumerate(extracted):
        for entity in facts.entities:
            row = rows.get((entity.kind, entity.key))
            if row is None:
                plain = Counter({name: n for name, n in names[entity.key].items() if not name.isupper()})
                label = _most_common(plain) or _most_common(names[entity.key]) or entity.key.title()  # not "ASHBURY"
                role = _most_common(roles[entity.key]) if entity.kind == "person" else None
                row = rows[entity.kind, entity.key] = _Row(entity.kind, label, role, entity.key)
            row.add(doc, facts.sentences[entity.sentence], _lead_weight(entity.sentence))
            row.mentions.setdefault(doc, []).append(facts.sentences[entity.sentence])
    return list(rows.values())


def _quoted(row: _Row, quote_rows: Sequence[_Row]) -> bool:
    """Whether a person's row says nothing that their quotes do not: it gives no role, and the person is named only
    where they are quoted."""
    quotes = [quote for quote in quote_rows if quote.key == row.key]
    return (
        row.kind == PERSON
        and not row.value
        and bool(quotes)
        and all(
            any(sentence in quote.evidence.get(doc, "") for quote in quotes)
            for doc, sentences in row.mentions.items()
            for sentence in sentences
        )
    )


def _author_keys(author: str) -> set[str]:
    parts = (part.strip() for part in _AUTHOR_SPLIT.split(re.sub(r"^\s*by\s+", "", author, flags=re.IGNORECASE)))
    return {name_key(part) for part in parts if part}


def _is_label(sentence: str, authors: set[str]) -> bool:
    """Whether ``sentence`` is an author line ("By A, Agency | date", or little more than the author's names) or a
    section label left in the text by extraction ("UK")."""
    if len(sentence.split()) < 3 and not sentence.rstrip().endswith((".", "!", "?", "”", '"')):
        return True
    if _BYLINE.match(sentence) and len(sentence) <= 160:
        return True
    rest = name_key(sentence)
    for key in sorted(authors, key=len, reverse=True):
        rest = rest.replace(key, " ")
    named = rest != name_key(sentence)
    leftover = [w for w in tokens(rest) if not w.isdigit() and w not in MONTHS and w not in _BYLINE_WORDS]
    return named and len(leftover) <= 1


def _without_labels(extracted: list[DocFacts], docs: Sequence[CompareDoc]) -> list[DocFacts]:
    """``extracted`` without the names found in author lines and section labels: they are not facts of the story."""
    cleaned = []
    for facts, doc in zip(extracted, docs, strict=True):
        authors = _author_keys(doc.author) if doc.author.strip() else set()
        bylines = {i for i, sentence in enumerate(facts.sentences) if i and _is_label(sentence, authors)}
        entities = tuple(e for e in facts.entities if e.sentence not in bylines)
        cleaned.append(replace(facts, entities=entities) if len(entities) < len(facts.entities) else facts)
    return cleaned


def _most_common(counter: Counter[str]) -> str | None:
    return min(counter, key=lambda k: (-counter[k], -len(k), k)) if counter else None


def _similar(a: str, b: str) -> bool:
    ta, tb = set(tokens(a)), set(tokens(b))
    if not ta or not tb:
        return False
    shared = len(ta & tb)
    return shared / len(ta | tb) >= 0.5 or shared / min(len(ta), len(tb)) >= 0.8


def _quote_rows(extracted: Sequence[DocFacts]) -> list[_Row]:
    groups: list[tuple[Quote, list[tuple[int, Quote]]]] = []
    for doc, facts in enumerate(extracted):
        for quote in find_quotes(facts.body, facts.entities, facts.sentences[1:]):
            for first, members in groups:
                if (first.speaker_key, first.reported) == (quote.speaker_key, quote.reported) and _similar(
                    first.text, quote.text
                ):
                    members.append((doc, quote))
                    break
            else:
                groups.append((quote, [(doc, quote)]))
    rows = []
    for _, members in groups:
        texts = Counter(quote.text for _, quote in members)
        speakers = Counter(quote.speaker for _, quote in members)
        row = _Row("quote", _most_common(speakers) or "", _most_common(texts), members[0][1].speaker_key)
        for doc, quote in members:
            row.add(doc, quote.evidence, 1.0 if quote.reported else 2.0)
        rows.append(row)
    return rows


def _compatible(a: Figure, b: Figure) -> bool:
    if a.measure or b.measure:
        return a.unit == b.unit and (bool(a.context & b.context) or a.value == b.value)
    return (a.unit == b.unit or "" in (a.unit, b.unit)) and bool(a.context & b.context)


def _figure_rows(extracted: Sequence[DocFacts]) -> tuple[list[_Row], list[tuple[str, list[_Row]]]]:
    """Rows for figures, and the quantities as (label, rows of its distinct values)."""
    clusters: list[list[tuple[int, Figure]]] = []
    for doc, facts in enumerate(extracted):
        for figure in facts.figures:
            for members in clusters:
                if any(_compatible(figure, other) for _, other in members):
                    members.append((doc, figure))
                    break
            else:
                clusters.append([(doc, figure)])
    rows: list[_Row] = []
    quantities: list[tuple[str, list[_Row]]] = []
    for members in clusters:
        labels = Counter(figure.label for _, figure in members if figure.unit)
        label = _most_common(labels) or _most_common(Counter(f.label for _, f in members)) or ""
        by_value: dict[str, list[tuple[int, Figure]]] = defaultdict(list)
        for doc, figure in members:
            by_value[str(figure.value)].append((doc, figure))
        value_rows = []
        for same in by_value.values():
            display = _most_common(Counter(figure.display for _, figure in same)) or ""
            row = _Row("number", label, display)
            for doc, figure in same:
                row.add(doc, extracted[doc].sentences[figure.sentence], 0.5 + _lead_weight(figure.sentence))
            value_rows.append(row)
        if len(value_rows) > 1:
            for row in value_rows:
                row.salience += 1.0
        rows += value_rows
        quantities.append((label, value_rows))
    return rows, quantities


__all__ = ["PRONOUNS", "CompareDoc", "Comparison", "Disagreement", "Fact", "Quote", "SourceCoverage", "compare"]
