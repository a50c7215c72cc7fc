"""Related articles that are really related: the same story first (one per wire group), then the topically nearest
other stories, favouring source diversity and recency, each with a short reason a reader can check."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

SAME_STORY = "same story"
# Cosine of *centred* vectors (the candidates' mean subtracted) below which another story is not "related". Raw
# cosines of the static embedding are all high (median 0.71 between unrelated demo stories); centred, unrelated
# pairs sit near 0 and the related ones (a split strike story, two museum thefts) at 0.3-0.45.
MIN_TOPIC_SIMILARITY = 0.3
RECENCY_HALF_LIFE_DAYS = 7.0
REPEAT_SOURCE_PENALTY = 0.15


@dataclass(frozen=True)
class Candidate:
    article_id: str
    story_id: str | None
    wire_group: str | None
    source: str
    published: datetime | None
    vector: np.ndarray | None
    terms: frozenset[str]  # display forms of names and keywords, e.g. "North Korea", "Lavrov"


@dataclass(frozen=True)
class Related:
    article_id: str
    reason: str
    score: float


def _cosine(a: np.ndarray | None, b: np.ndarray | None) -> float:
    if a is None or b is None:
        return 0.0
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(a @ b) / (na * nb) if na and nb else 0.0


def _recency(published: datetime | None, now: datetime) -> float:
    if published is None:
        return 0.5
    days = max(0.0, (now - published).total_seconds() / 86400)
    return 0.5 ** (days / RECENCY_HALF_LIFE_DAYS)


def _also_about(target: Candidate, other: Candidate, limit: int = 3) -> str:
    shared = sorted(target.terms & other.terms, key=lambda t: (-len(t.split()), t))[:limit]
    return "also about: " + ", ".join(shared) if shared else "similar topic"


def related(target: Candidate, same_story: Sequence[Candidate], others: Sequence[Candidate], *, now: datetime,
            k: int = 6, center: np.ndarray | None = None) -> list[Related]:
    """Up to ``k``: other wire groups of the target's story (newest first, one per group, not the target's own
    text), then representatives of other stories ranked by topic similarity, recency and source diversity.
    ``others`` may hold several candidates per story; at most one per story is chosen. ``center`` (by default the
    mean of the candidates' vectors) is subtracted before comparing, which removes what all news texts share."""
    chosen: list[Related] = []
    seen_groups = {target.wire_group or target.article_id}
    sources: dict[str, int] = {}
    ordered = sorted(same_story, key=lambda c: (c.published is None, -(c.published.timestamp() if c.published else 0),
                                                c.article_id))
    for cand in ordered:
        group = cand.wire_group or cand.article_id
        if cand.article_id == target.article_id or group in seen_groups:
            continue
        seen_groups.add(group)
        sources[cand.source] = sources.get(cand.source, 0) + 1
        chosen.append(Related(cand.article_id, SAME_STORY, 1.0))
        if len(chosen) >= k:
            return chosen

    vectors = [c.vector for c in others if c.vector is not None]
    if center is None and len(vectors) >= 2:
        center = np.mean(np.stack(vectors), axis=0)
    target_vector = target.vector - center if target.vector is not None and center is not None else target.vector
    pool = []
    for cand in others:
        if cand.story_id is not None and cand.story_id == target.story_id:
            continue
        vector = cand.vector - center if cand.vector is not None and center is not None else cand.vector
        similarity = _cosine(target_vector, vector)
        overlap = len(target.terms & cand.terms)
        topical = similarity + 0.05 * math.log1p(overlap)
        if similarity < MIN_TOPIC_SIMILARITY and overlap < 2:
            continue
        pool.append((topical * (0.6 + 0.4 * _recency(cand.published, now)), cand))
    taken_stories: set[str] = set()
    while pool and len(chosen) < k:
        best_index, best_value = 0, -math.inf
        for i, (base, cand) in enumerate(pool):
            value = base - REPEAT_SOURCE_PENALTY * sources.get(cand.source, 0)
            if value > best_value or (value == best_value and cand.article_id < pool[best_index][1].article_id):
                best_index, best_value = i, value
        _, cand = pool.pop(best_index)
        story = cand.story_id or cand.article_id
        if story in taken_stories:
            continue
        taken_stories.add(story)
        sources[cand.source] = sources.get(cand.source, 0) + 1
        chosen.append(Related(cand.article_id, _also_about(target, cand), round(best_value, 4)))
    return chosen
