"""The story engine: the wire-copy index and the streaming clusterer, kept in one process's memory between passes.

Only the holder of the queue lock "stories" runs a pass. The engine remembers the ClusterState version it last wrote;
if another process has written since (another worker held the lock), this one replays the window from the database
before going on. Replaying is deterministic — articles in (published, id) order — so any process rebuilds the same
stories from the same articles, whatever order workers happened to finish in.

After each pass the window is applied (``apply_window``): a worker that keeps the lock for months holds one window of
articles, what a replay would load (plus the older members of stories still running), not every article it placed.
The clusterer's IDF tables, the one part that grows with everything seen rather than with the window, are bounded
(``vocabulary``). tests/stories/test_engine.py streams 3,000 articles through one engine: what it holds levels off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from newsloom.core.grouping.clustering import ClusterConfig, ClusterDoc, StreamingClusterer
from newsloom.core.grouping.wirecopies import NearDuplicateIndex, Signature

DEFAULT_WINDOW = timedelta(days=30)
TEXT_FOR_CLUSTERING = 6000


@dataclass(frozen=True)
class EngineDoc:
    id: str
    title: str
    text: str
    published: datetime
    language: str | None
    source: str
    signature: Signature
    vector: np.ndarray | None


@dataclass
class Placement:
    wire_group: str
    story: str


@dataclass
class StoryEngine:
    window: timedelta = DEFAULT_WINDOW
    version: int = -1
    index: NearDuplicateIndex = field(default_factory=NearDuplicateIndex)
    clusterer: StreamingClusterer = field(init=False)
    wire_of: dict[str, str] = field(default_factory=dict)
    published: dict[str, datetime] = field(default_factory=dict)
    #: blend stored dense vectors into clustering (the clusterer centres them and takes a weighted mean with the
    #: lexical score); bench/clustering.py: the shipped static embedding beats lexical-only on MMDS and UCI
    dense: bool = True
    #: terms each of the clusterer's IDF tables keeps (the bound on the one part of its memory that grows with
    #: everything it has seen rather than with the window)
    vocabulary: int = ClusterConfig.max_vocabulary

    def __post_init__(self) -> None:
        self.clusterer = StreamingClusterer(ClusterConfig(window=self.window, max_vocabulary=self.vocabulary))

    def signature(self, text: str) -> Signature:
        return self.index.signature(text)

    def add(self, doc: EngineDoc) -> Placement:
        """Place one article: its wire group (the earliest copy it repeats, else itself) and its story."""
        matches = [m for m in self.index.query(doc.signature) if m.doc_id in self.wire_of]
        group = self.wire_of[matches[0].doc_id] if matches else doc.id
        self.index.add(doc.id, doc.signature)
        self.wire_of[doc.id] = group
        cluster_doc = ClusterDoc(
            id=doc.id, title=doc.title, text=doc.text[:TEXT_FOR_CLUSTERING], published=doc.published,
            language=doc.language, source=doc.source,
        )
        story = self.clusterer.add(cluster_doc, vector=doc.vector if self.dense else None)
        self.published[doc.id] = doc.published
        return Placement(group, story)

    def story_of(self, article_id: str) -> str:
        return self.clusterer.story_of(article_id)

    def affected(self, placed: Sequence[str]) -> set[str]:
        """Every article whose story may have changed: the placed ones and all members of the stories they joined
        (a join can merge stories)."""
        stories = {self.story_of(a) for a in placed}
        out = set(placed)
        for summary in self.clusterer.stories():
            if summary.id in stories:
                out.update(summary.article_ids)
        return out

    def titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self.clusterer.stories()}

    def evict(self, before: datetime) -> int:
        """Forget articles published before ``before`` as wire-copy originals, and stories whose latest article is
        that old: new articles can no longer join them. Members of a story still live stay (a merge moves them all);
        everything else the engine holds of an evicted article goes. Returns how many articles were forgotten."""
        gone = self.clusterer.evict(before)
        for doc_id in gone:
            self.wire_of.pop(doc_id, None)
        for doc_id in [d for d, when in self.published.items() if when < before]:
            self.index.remove(doc_id)
            del self.published[doc_id]
        return len(gone)

    def apply_window(self, now: datetime) -> int:
        """Evict what is older than the window at ``now``: what a replay at ``now`` would not load. Called after
        every pass, so a long-running process holds one window of articles, not every article it ever placed."""
        return self.evict(now - self.window)

    def __len__(self) -> int:
        """Articles held in memory (members of the live stories)."""
        return len(self.wire_of)
