"""The state the streaming clusterer keeps per story, and story-to-story similarity.

A story holds sums of its members' unit vectors (text per language, entities, dense per language), from which its
centroids are read; ``affinity`` compares two stories' centroids on the same scale as an article-to-story score, so a
merge can ask whether the stories themselves are alike and not only whether one article resembles both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from newsloom.core.grouping.clustering.features import Vector, dot


@dataclass
class StoryState:
    id: str
    first: datetime
    last: datetime
    members: list[str] = field(default_factory=list)
    text: dict[str, Vector] = field(default_factory=dict)  # language -> sum of member unit vectors
    text_norm: dict[str, float] = field(default_factory=dict)
    entities: Vector = field(default_factory=dict)
    entity_norm: float = 0.0
    dense: dict[str, tuple[np.ndarray, int]] = field(default_factory=dict)  # language -> (sum of vectors, count)
    keys: set[str] = field(default_factory=set)  # its terms in the candidate index
    titles: dict[str, tuple[str, str, Vector]] = field(default_factory=dict)  # doc id -> (language, title, vector)
    heads: dict[str, Vector] = field(default_factory=dict)  # language -> sum of member title-only unit vectors
    head_norm: dict[str, float] = field(default_factory=dict)

    def refresh(self) -> None:
        """Recompute the centroid norms from the sums (after a merge)."""
        self.text_norm = {lang: math.sqrt(dot(v, v)) for lang, v in self.text.items()}
        self.entity_norm = math.sqrt(dot(self.entities, self.entities))
        self.head_norm = {lang: math.sqrt(dot(v, v)) for lang, v in self.heads.items()}


@dataclass(frozen=True)
class Weights:
    text: float
    entity: float
    cross_lingual: float


def lexical_affinity(a: StoryState, b: StoryState, weights: Weights) -> float:
    """Centroid similarity of two stories: ``text * cos(text) + entity * cos(entities)`` in the best shared language,
    or ``cross_lingual * cos(entities)`` if that is higher (the article-to-story formula with both sides centroids)."""
    entity = dot(a.entities, b.entities) / (a.entity_norm * b.entity_norm) if a.entity_norm and b.entity_norm else 0.0
    best = weights.cross_lingual * entity
    for language, centroid in a.text.items():
        other = b.text.get(language)
        norm = a.text_norm.get(language, 0.0) * b.text_norm.get(language, 0.0)
        if other and norm > 0:
            best = max(best, weights.text * dot(centroid, other) / norm + weights.entity * entity)
    return best


def dense_affinity(a: StoryState, b: StoryState, means: dict[str, np.ndarray]) -> tuple[str, float] | None:
    """The centred cosine of two stories' dense centroids in the language where ``a`` has most vectors among those
    both have (ties by language code), or None when they share no language with vectors and a mean."""
    shared = sorted((-a.dense[lang][1], lang) for lang in a.dense if lang in b.dense and lang in means)
    if not shared:
        return None
    language = shared[0][1]
    (total_a, n_a), (total_b, n_b) = a.dense[language], b.dense[language]
    u, v = total_a / n_a - means[language], total_b / n_b - means[language]
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    return language, float(u @ v) / norm if norm > 0 else 0.0


def add_into(target: Vector, vector: Vector) -> None:
    for term, value in vector.items():
        target[term] = target.get(term, 0.0) + value


def grow(target: Vector, norm: float, vector: Vector) -> float:
    """Add ``vector`` into ``target`` (a centroid sum whose norm is ``norm``) and return the sum's new norm, from
    |t + v|^2 = |t|^2 + 2 t.v + |v|^2 without summing the squares of the whole centroid again."""
    cross = 2 * dot(vector, target) + dot(vector, vector)
    add_into(target, vector)
    return math.sqrt(max(norm * norm + cross, 0))
