"""Streaming story clustering: articles arrive in publication order and each joins the most similar recent story or
starts a new one.

Similarity of an article to a story (all parts in 0..1):

* same language: ``text_weight * cos(text) + entity_weight * cos(entities)`` where *text* is TF-IDF over title
  (boosted), lead and body with streaming IDF, compared with the story's centroid for that language;
* any language: ``cross_lingual_weight * cos(entities)`` — names, numbers, dates and canonical places survive
  translation, so English, Malay and Chinese coverage of one event can meet;
* the better of the two is taken; when a dense vector is given (``add(doc, vector=v)`` or an ``embed`` function) the
  *centred* dense cosine is blended in as ``(1 - dense_weight) * lexical + dense_weight * dense`` — a weighted mean,
  not a bonus, so dense vectors reorder scores without lifting them all towards the threshold. Mean-pooled sentence
  vectors of any two news texts are alike (raw cosine around 0.7), so the clusterer keeps a running mean of the
  vectors it has seen per language and compares vectors minus that mean: unrelated articles then score about 0,
  related ones 0.3–0.6. The blend is ramped in over the first ``dense_warmup`` vectors of a language, while the mean
  is still unreliable; a story without a vector in the article's language is scored on the lexical part alone;
* full-text articles also score ``head_weight * cos(title, title centroid)`` against the titles of the story's
  members (same language), taken if higher: a near-duplicate headline over a long or badly extracted body;
* the result is multiplied by a long-tailed time kernel ``(1 + gap / time_scale) ** -time_exponent`` where *gap* is
  the time since the story's most recent article, so a story kept alive by follow-ups stays joinable for weeks while
  a one-day event fades from competition.

Candidate stories come from an inverted index over each article's top-weighted terms and entities (``index_terms``
per article); the ``max_candidates`` best by that first-pass overlap are scored exactly, so the cost of one article
does not grow with the number of stories in the window.

The article joins the best story when the score reaches ``threshold * (1 - size_relief / n)`` for a story of *n*
articles: an article's cosine to a single other article runs lower than to the centroid of many articles on one
event, so a small story asks for less (a bar that rises with the story instead of a fixed one that favours the big
stories). Stories other than the best that it also matches at ``merge_threshold`` or more are merged into one (the
article links them) — provided the two stories' centroids are themselves at least ``merge_affinity`` alike, so one
broad article (a market round-up naming three companies) does not chain unrelated stories together. After the join the
story is also compared centroid to centroid (time-decayed) with the article's next-best candidates and merged with
any at ``story_merge`` or more. Headline-only articles (no body) use ``headline_threshold``, since short texts give
lower cosines. Everything is deterministic:
ties break by story id, and ``assign_batch`` orders input by (published, id).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from newsloom.core.grouping.clustering.config import ClusterConfig
from newsloom.core.grouping.clustering.features import (
    StreamingIdf,
    Vector,
    dot,
    entity_terms,
    han_share,
    prune,
    text_terms,
)
from newsloom.core.grouping.clustering.story import (
    StoryState,
    Weights,
    add_into,
    dense_affinity,
    grow,
    lexical_affinity,
)

EmbedFn = Callable[[Sequence[str]], np.ndarray]

_TITLE_TERMS = 30  # terms of each member kept to pick the story's title
_LANGUAGE_GROUPS = {"id": "ms", "zh-cn": "zh", "zh-tw": "zh", "zh-hans": "zh", "zh-hant": "zh"}


@dataclass(frozen=True)
class ClusterDoc:
    id: str
    title: str
    text: str
    published: datetime  # timezone-aware
    language: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class StorySummary:
    id: str
    article_ids: tuple[str, ...]
    first_published: datetime
    last_published: datetime
    title: str
    languages: tuple[str, ...]


@dataclass
class _Features:
    language: str
    text: Vector
    entities: Vector
    dense: np.ndarray | None
    headline_only: bool
    keys: dict[str, float]  # top terms and entities for the candidate index
    head: Vector | None = None  # title-only text vector (full-text articles)


class StreamingClusterer:
    """Assigns articles to stories one at a time; see the module docstring for the model."""

    def __init__(self, config: ClusterConfig | None = None, *, embed: EmbedFn | None = None) -> None:
        self.config = config or ClusterConfig()
        self._embed = embed
        self._idf = StreamingIdf(self.config.max_vocabulary)  # entity features, all languages
        self._text_idf: dict[str, StreamingIdf] = {}  # text terms, per language
        self._stories: dict[str, StoryState] = {}
        self._postings: dict[str, dict[str, float]] = {}  # index key -> story id -> summed weight
        self._doc_story: dict[str, str] = {}
        self._parent: dict[str, str] = {}  # merged story -> the story it went into
        self._dense_mean: dict[str, tuple[np.ndarray, int]] = {}  # language -> (running mean, vectors seen)

    # ------------------------------------------------------------------------------------------------ public API

    def add(self, doc: ClusterDoc, *, vector: np.ndarray | None = None) -> str:
        """Assign ``doc`` and return the id of the story it joined or started (after any merge it caused).
        ``vector`` is its dense embedding if already computed; otherwise the embed function (if any) is called."""
        if doc.id in self._doc_story:
            return self.story_of(doc.id)
        if vector is None and self._embed is not None:
            vector = self._embed_texts([doc])[0]
        features = self._features(doc, vector)
        scored = self._score(doc, features)
        if scored and scored[0][0] >= self._threshold(features, self._stories[scored[0][1]]):
            story = self._stories[scored[0][1]]
            for score, other in scored[1:]:
                if score < self.config.merge_threshold:
                    break
                if self._affinity(story, self._stories[other]) >= self.config.merge_affinity:
                    story = self._merge(story, self._stories[other])
        else:
            story = StoryState(doc.id, doc.published, doc.published)
            self._stories[story.id] = story
        self._join(story, doc, features)
        self._observe_dense(features)
        if self.config.story_merge > 0:
            story = self._merge_rivals(story, scored)
        return story.id

    def _merge_rivals(self, story: StoryState, scored: list[tuple[float, str]]) -> StoryState:
        """Merge the story an article just joined (or started) with any of the article's next-best candidate stories
        whose centroid is itself alike (``_affinity``, decayed by the time between the two stories): a check of
        story against story, so two stories of one event that grew apart by arrival order meet again."""
        cfg = self.config
        probed = 0
        for score, other_id in scored:
            if probed >= cfg.story_merge_probe or score < cfg.story_merge_floor:
                break
            other = self._stories.get(other_id)
            if other is None or other is story:
                continue
            probed += 1
            gap = max(0.0, (max(story.first, other.first) - min(story.last, other.last)).total_seconds())
            kernel = cfg.decay(gap)
            if self._affinity(story, other) * kernel >= cfg.story_merge:
                story = self._merge(story, other)
        return story

    def assign_batch(self, docs: Iterable[ClusterDoc]) -> dict[str, str]:
        """Add ``docs`` in (published, id) order, so the outcome does not depend on their order in the input;
        return each doc's final story id."""
        ordered = sorted(docs, key=lambda d: (d.published, d.id))
        vectors: Sequence[np.ndarray | None] = [None] * len(ordered)
        if self._embed is not None and ordered:
            vectors = list(self._embed_texts(ordered))
        for doc, vector in zip(ordered, vectors, strict=True):
            self.add(doc, vector=vector)
        return {doc.id: self.story_of(doc.id) for doc in ordered}

    def story_of(self, doc_id: str) -> str:
        """The current story of an article, following merges. KeyError for unknown or evicted articles."""
        story_id = self._doc_story[doc_id]
        root = story_id
        while root in self._parent:
            root = self._parent[root]
        if root != story_id:
            self._doc_story[doc_id] = root
        return root

    def stories(self) -> list[StorySummary]:
        """Live stories, oldest first; the title is that of the article closest to the story's centroid."""
        return [self._summary(story) for story in sorted(self._stories.values(), key=lambda s: (s.first, s.id))]

    def evict(self, before: datetime) -> list[str]:
        """Forget stories whose latest article is older than ``before`` (their articles' story_of then fails);
        returns the ids of the articles forgotten."""
        gone: list[str] = []
        for story in [s for s in self._stories.values() if s.last < before]:
            self._drop(story)
            for doc_id in story.members:
                self._doc_story.pop(doc_id, None)
            gone.extend(story.members)
        if gone:
            live = set(self._stories)
            self._parent = {old: new for old, new in self._parent.items() if new in live or new in self._parent}
        return gone

    def __len__(self) -> int:
        """Articles held: the members of the live stories."""
        return len(self._doc_story)

    # ------------------------------------------------------------------------------------------------ internals

    def _embed_texts(self, docs: Sequence[ClusterDoc]) -> np.ndarray:
        assert self._embed is not None
        texts = [f"{d.title}\n{d.text[: self.config.embed_chars]}" for d in docs]
        vectors = np.asarray(self._embed(texts), dtype=np.float32)
        if vectors.shape[0] != len(docs):
            raise ValueError(f"embed returned {vectors.shape[0]} vectors for {len(docs)} texts")
        return vectors

    def _features(self, doc: ClusterDoc, vector: np.ndarray | None) -> _Features:
        cfg = self.config
        body = doc.text[: cfg.body_chars]
        language = _language_key(doc.language, f"{doc.title} {body[:400]}")
        counts: dict[str, float] = {}
        for zone, weight in ((doc.title, cfg.title_weight), (body[: cfg.lead_chars], cfg.lead_weight),
                             (body[cfg.lead_chars :], 1.0)):  # fmt: skip
            for term, n in text_terms(zone).items():
                counts[term] = counts.get(term, 0.0) + weight * n
        entity_counts: dict[str, float] = {}
        for zone, weight in ((doc.title, 2.0), (body, 1.0)):
            for term, n in entity_terms(zone).items():
                entity_counts[term] = entity_counts.get(term, 0.0) + weight * n
        text_counts = {f"{language}:{t}": n for t, n in counts.items()}
        text_idf = self._text_idf.get(language)
        if text_idf is None:
            text_idf = self._text_idf[language] = StreamingIdf(cfg.max_vocabulary)
        text_idf.observe(text_counts)
        self._idf.observe(entity_counts)
        text = prune(text_idf.weigh(text_counts), cfg.max_terms)
        entities = self._idf.weigh(entity_counts)
        dense = None
        if vector is not None:
            flat = np.asarray(vector, dtype=np.float32).reshape(-1)
            norm = float(np.linalg.norm(flat))
            dense = flat / norm if norm > 0 else None
        half = cfg.index_terms // 2
        keys = dict(heapq.nlargest(half, text.items(), key=lambda kv: (kv[1], kv[0])))
        keys.update(heapq.nlargest(cfg.index_terms - half, entities.items(), key=lambda kv: (kv[1], kv[0])))
        head = None
        if cfg.head_weight > 0 and doc.text.strip():
            head = text_idf.weigh({f"{language}:{t}": float(n) for t, n in text_terms(doc.title).items()})
            for key, value in heapq.nlargest(4, head.items(), key=lambda kv: (kv[1], kv[0])):
                keys[key] = max(keys.get(key, 0.0), value)
        return _Features(language, text, entities, dense, not doc.text.strip(), keys, head)

    def _threshold(self, f: _Features, story: StoryState) -> float:
        """The score an article needs to join ``story``: lower for a small story, whose centroid is one or two
        articles (a cosine to one article runs lower than one to the mean of many articles on the same event)."""
        base = self.config.headline_threshold if f.headline_only else self.config.threshold
        return base * (1.0 - self.config.size_relief / len(story.members))

    def _candidates(self, doc: ClusterDoc, f: _Features) -> list[StoryState]:
        """Stories sharing index keys with the article, the ``max_candidates`` best by summed key weight."""
        overlap: dict[str, float] = {}
        for key, weight in f.keys.items():
            posting = self._postings.get(key)
            if posting:
                for story_id, story_weight in posting.items():
                    overlap[story_id] = overlap.get(story_id, 0.0) + weight * story_weight
        horizon = doc.published - self.config.window
        ranked = []
        for story_id, total in overlap.items():
            story = self._stories[story_id]
            if story.last >= horizon:
                ranked.append((total / math.sqrt(len(story.members)), story_id))
        best = heapq.nlargest(self.config.max_candidates, ranked)
        return [self._stories[story_id] for _, story_id in best]

    def _score(self, doc: ClusterDoc, f: _Features) -> list[tuple[float, str]]:
        cfg = self.config
        candidates = self._candidates(doc, f)
        lexical = np.zeros(len(candidates))
        for i, story in enumerate(candidates):
            entity = dot(f.entities, story.entities) / story.entity_norm if story.entity_norm else 0.0
            score = cfg.cross_lingual_weight * entity
            centroid = story.text.get(f.language)
            if centroid:
                text = dot(f.text, centroid) / story.text_norm[f.language]
                score = max(score, cfg.text_weight * text + cfg.entity_weight * entity)
            if f.head and story.head_norm.get(f.language):
                head = dot(f.head, story.heads[f.language]) / story.head_norm[f.language]
                score = max(score, cfg.head_weight * head)
            lexical[i] = score
        scores = lexical
        share, dense = self._dense_scores(f, candidates)
        if share > 0:
            scores = np.where(np.isnan(dense), lexical, lexical + share * (np.nan_to_num(dense) - lexical))
        gaps = np.array([abs((doc.published - s.last).total_seconds()) for s in candidates])
        scores = scores * cfg.decay(gaps)
        scored = [(float(score), story.id) for score, story in zip(scores, candidates, strict=True)]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return scored

    def _affinity(self, a: StoryState, b: StoryState) -> float:
        """How alike two stories are, centroid to centroid, on the scale of an article's score (no time kernel): the
        lexical affinity with the centred dense cosine blended in as for an article."""
        cfg = self.config
        score = lexical_affinity(a, b, Weights(cfg.text_weight, cfg.entity_weight, cfg.cross_lingual_weight))
        means = {language: mean for language, (mean, _) in self._dense_mean.items()}
        dense = dense_affinity(a, b, means)
        if dense is None:
            return score
        language, cosine = dense
        return score + self._dense_share(language) * (cosine - score)

    def _dense_share(self, language: str) -> float:
        """The weight of the dense cosine in a score in ``language``: ``dense_weight``, ramped in over the first
        ``dense_warmup`` vectors seen in that language (while their running mean is unreliable)."""
        state = self._dense_mean.get(language)
        if state is None:
            return 0.0
        return self.config.dense_weight * min(1.0, state[1] / max(self.config.dense_warmup, 1))

    def _dense_scores(self, f: _Features, candidates: Sequence[StoryState]) -> tuple[float, np.ndarray]:
        """The dense share for this article and the centred cosine to each candidate (NaN where a story has no
        vector in the article's language)."""
        out = np.full(len(candidates), np.nan)
        state = self._dense_mean.get(f.language)
        if f.dense is None or state is None or not candidates:
            return 0.0, out
        mean = state[0]
        share = self._dense_share(f.language)
        rows = [i for i, s in enumerate(candidates) if f.language in s.dense]
        if not rows or share <= 0:
            return 0.0, out
        sums = np.stack([candidates[i].dense[f.language][0] for i in rows])
        counts = np.array([candidates[i].dense[f.language][1] for i in rows], dtype=np.float32)
        centroids = sums / counts[:, None] - mean
        query = f.dense - mean
        norms = np.linalg.norm(centroids, axis=1) * float(np.linalg.norm(query))
        cosines = np.divide(centroids @ query, norms, out=np.zeros(len(rows), dtype=np.float32), where=norms > 0)
        out[rows] = cosines
        return share, out

    def _observe_dense(self, f: _Features) -> None:
        if f.dense is None:
            return
        mean, seen = self._dense_mean.get(f.language, (np.zeros_like(f.dense), 0))
        if mean.shape != f.dense.shape:
            raise ValueError(f"dense vector of {f.dense.shape[0]} dims after {mean.shape[0]}")
        seen += 1
        self._dense_mean[f.language] = (mean + (f.dense - mean) / min(seen, self.config.dense_horizon), seen)

    def _join(self, story: StoryState, doc: ClusterDoc, f: _Features) -> None:
        story.members.append(doc.id)
        story.first, story.last = min(story.first, doc.published), max(story.last, doc.published)
        story.titles[doc.id] = (f.language, doc.title, prune(f.text, _TITLE_TERMS))
        language = f.language
        story.text_norm[language] = grow(story.text.setdefault(language, {}), story.text_norm.get(language, 0.0),
                                         f.text)
        if f.head:
            story.head_norm[language] = grow(story.heads.setdefault(language, {}), story.head_norm.get(language, 0.0),
                                             f.head)
        story.entity_norm = grow(story.entities, story.entity_norm, f.entities)
        if f.dense is not None:
            total, n = story.dense.get(f.language, (np.zeros_like(f.dense), 0))
            story.dense[f.language] = (total + f.dense, n + 1)
        self._index(story, f.keys)
        self._doc_story[doc.id] = story.id

    def _index(self, story: StoryState, keys: dict[str, float]) -> None:
        for key, weight in keys.items():
            posting = self._postings.setdefault(key, {})
            posting[story.id] = posting.get(story.id, 0.0) + weight
        story.keys.update(keys)

    def _merge(self, keep: StoryState, gone: StoryState) -> StoryState:
        if (gone.first, gone.id) < (keep.first, keep.id):
            keep, gone = gone, keep
        moved = {key: self._postings[key][gone.id] for key in gone.keys}
        self._drop(gone)
        keep.members.extend(gone.members)
        keep.first, keep.last = min(keep.first, gone.first), max(keep.last, gone.last)
        keep.titles.update(gone.titles)
        for language, vector in gone.text.items():
            add_into(keep.text.setdefault(language, {}), vector)
        add_into(keep.entities, gone.entities)
        for language, vector in gone.heads.items():
            add_into(keep.heads.setdefault(language, {}), vector)
        for language, (total, n) in gone.dense.items():
            mine, m = keep.dense.get(language, (np.zeros_like(total), 0))
            keep.dense[language] = (mine + total, m + n)
        keep.refresh()
        self._index(keep, moved)
        self._parent[gone.id] = keep.id
        return keep

    def _drop(self, story: StoryState) -> None:
        del self._stories[story.id]
        for key in story.keys:
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story.id, None)
                if not posting:
                    del self._postings[key]

    def _summary(self, story: StoryState) -> StorySummary:
        languages = sorted(story.text, key=lambda lang: (-sum(t[0] == lang for t in story.titles.values()), lang))
        main = languages[0] if languages else ""
        best_title, best = "", -1.0
        for doc_id in story.members:  # members are in arrival order: ties go to the earliest
            language, title, vector = story.titles[doc_id]
            if language != main:
                continue
            norm = story.text_norm.get(main) or 1.0
            score = dot(vector, story.text[main]) / norm
            if score > best:
                best_title, best = title, score
        return StorySummary(story.id, tuple(story.members), story.first, story.last, best_title, tuple(languages))


def _language_key(language: str | None, sample: str) -> str:
    if language:
        code = language.strip().lower()
        return _LANGUAGE_GROUPS.get(code, code.split("-")[0])
    return "zh" if han_share(sample) > 0.5 else "und"
