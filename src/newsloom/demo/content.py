"""Loads the bundled demo content (JSON under ``content/``) and turns it into dated, addressed documents.

Wire copies are derived here from the agency originals, so that each copy kind is exactly what its name says:
``verbatim`` (same text), ``cut`` (the leading paragraphs, about half), ``edited`` (a few words changed),
``retitled`` (new headline), ``intro`` (the outlet's own paragraph first) and ``reordered`` (paragraphs moved).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

from newsloom.demo.models import DemoArticle, Doc, FeedSpec, Publisher

COPY_KINDS = ("verbatim", "cut", "edited", "retitled", "intro", "reordered")

# Light edits a subeditor makes: (old, new), applied to the first occurrence only.
_EDITS: tuple[tuple[str, str], ...] = (
    (" said on ", " told reporters on "),
    (" said.", " added."),
    (" more than ", " over "),
    (" about ", " around "),
    (" began ", " started "),
    (" however, ", " though, "),
    (" residents ", " locals "),
    (" officials ", " authorities "),
    (" announced ", " confirmed "),
    (" expected to ", " likely to "),
)

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z\"“‘0-9])")


def split_sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]


def _read_json(*parts: str) -> Any:
    res = resources.files("newsloom.demo").joinpath("content", *parts)
    return json.loads(res.read_text(encoding="utf-8"))


@cache
def raw_publishers() -> tuple[Publisher, ...]:
    out = []
    for p in _read_json("publishers.json")["publishers"]:
        feeds = tuple(
            FeedSpec(
                path=f["path"],
                format=f["format"],
                title=f["title"],
                broken=bool(f.get("broken", False)),
                tracking=bool(f.get("tracking", False)),
                only=tuple(f["only"]) if f.get("only") else None,
            )
            for f in p["feeds"]
        )
        out.append(
            Publisher(
                slug=p["slug"],
                name=p["name"],
                country=p["country"],
                kind=p["kind"],
                template=p["template"],
                tagline=p["tagline"],
                path_pattern=p["path_pattern"],
                feeds=feeds,
                robots=p.get("robots", "User-agent: *\nAllow: /\n"),
                meta_dates=bool(p.get("meta_dates", True)),
                canonical=bool(p.get("canonical", True)),
                image_format=p.get("image_format", "svg"),
            )
        )
    return tuple(out)


@cache
def raw_events() -> tuple[dict[str, Any], ...]:
    events: list[dict[str, Any]] = []
    folder = resources.files("newsloom.demo").joinpath("content", "events")
    for name in sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json")):
        events.extend(_read_json("events", name)["events"])
    return tuple(events)


@cache
def raw_comments() -> dict[str, Any]:
    """The demo's readers and their comment threads (``content/comments.json``): each thread names its article by
    source slug and title; each comment its reader, its parent's key, minutes after publication, and optionally a
    later edit or a moderator's state."""
    data: dict[str, Any] = _read_json("comments.json")
    return data


def _cut(paragraphs: list[str]) -> list[str]:
    total = sum(len(p.split()) for p in paragraphs)
    kept: list[str] = []
    words = 0
    for p in paragraphs:
        kept.append(p)
        words += len(p.split())
        if words >= max(total // 2, 150):
            break
    return kept


def _edit(paragraphs: list[str], edits: list[list[str]] | None) -> list[str]:
    pairs = [tuple(e) for e in edits] if edits else list(_EDITS)
    out = list(paragraphs)
    changed = 0
    for old, new in pairs:
        for i, p in enumerate(out):
            if old in p:
                out[i] = p.replace(old, new, 1)
                changed += 1
                break
        if changed >= 4:
            break
    if not changed:  # always change at least a word
        out[0] = out[0].replace(" the ", " this ", 1)
    return out


def _reorder(paragraphs: list[str]) -> list[str]:
    if len(paragraphs) < 3:
        return list(reversed(paragraphs))
    rest = paragraphs[1:]
    half = len(rest) // 2
    return [paragraphs[0], *rest[half:], *rest[:half]]


def derive_copy(origin: Doc, spec: dict[str, Any], agency: Publisher) -> tuple[str, str, list[str]]:
    """(title, author, paragraphs) of a wire copy of ``origin``."""
    kind = spec["kind"]
    title = spec.get("title", origin.title)
    paragraphs = list(origin.paragraphs)
    if kind == "cut":
        paragraphs = _cut(paragraphs)
    elif kind == "edited":
        paragraphs = _edit(paragraphs, spec.get("edits"))
    elif kind == "intro":
        paragraphs = [spec["intro"], *paragraphs]
    elif kind == "reordered":
        paragraphs = _reorder(paragraphs)
    elif kind == "retitled":
        if "title" not in spec:
            raise ValueError(f"retitled copy of {origin.id} needs a title")
    elif kind != "verbatim":
        raise ValueError(f"unknown copy kind {kind!r}")
    author = spec.get("author") or f"{origin.author}, {agency.name}"
    return title, author, paragraphs


def body_sentences(paragraphs: list[str]) -> tuple[str, ...]:
    """A few distinctive sentences spread over the body: first, a middle one and a late one."""
    picks: list[str] = []
    candidates = [paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-1]]
    for para in candidates:
        sentences = [s for s in split_sentences(para) if len(s.split()) >= 7]
        if sentences:
            best = max(sentences, key=len)
            if best not in picks:
                picks.append(best)
    return tuple(picks)


def build_docs(publishers: dict[str, Publisher], now: datetime) -> list[Doc]:
    """Every demo article, dated relative to ``now`` and addressed on its publisher's homepage."""
    docs: list[Doc] = []

    def place(doc: Doc) -> Doc:
        pub = publishers[doc.source]
        doc.path = pub.path_pattern.format(slug=doc.id)
        doc.url = pub.homepage.rstrip("/") + doc.path
        doc.image_path = f"/images/{doc.id}.{pub.image_format}"
        doc.summary = split_sentences(doc.paragraphs[0])[0]
        if not pub.meta_dates:
            doc.visible_date_only = True
        docs.append(doc)
        return doc

    for ev in raw_events():
        for art in ev["articles"]:
            published = now - timedelta(hours=float(art["hours_ago"]))
            origin = place(
                Doc(
                    id=art["id"],
                    source=art["source"],
                    event=ev["slug"],
                    title=art["title"],
                    author=art["author"],
                    published=published,
                    paragraphs=list(art["paragraphs"]),
                    section=ev.get("section", "News"),
                    visible_date_only=bool(art.get("visible_date_only", False)),
                )
            )
            for spec in art.get("copies", []):
                title, author, paragraphs = derive_copy(origin, spec, publishers[origin.source])
                place(
                    Doc(
                        id=spec.get("id", origin.id),
                        source=spec["source"],
                        event=ev["slug"],
                        title=title,
                        author=author,
                        published=published + timedelta(hours=float(spec.get("delay_h", 1.0))),
                        paragraphs=paragraphs,
                        section=ev.get("section", "News"),
                        wire_origin=origin.url,
                        copy_kind=spec["kind"],
                    )
                )
    return docs


def to_demo_article(doc: Doc) -> DemoArticle:
    return DemoArticle(
        url=doc.url,
        source_slug=doc.source,
        title=doc.title,
        event=doc.event,
        published=doc.published,
        wire_origin=doc.wire_origin,
        copy_kind=doc.copy_kind,
        body_sentences=body_sentences(doc.paragraphs),
    )
