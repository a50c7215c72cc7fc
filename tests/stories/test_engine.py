"""The story engine in a long-running process: the window applies while it runs, so what it holds levels off."""

from __future__ import annotations

import gc
import random
import tracemalloc
from datetime import UTC, datetime, timedelta

import pytest

from newsloom.core import text
from newsloom.core.grouping import shingles
from newsloom.core.grouping.clustering import features
from newsloom.stories.engine import EngineDoc, StoryEngine

T0 = datetime(2025, 1, 1, tzinfo=UTC)
SYLLABLES = ["ka", "lo", "mer", "tis", "van", "dru", "sel", "po", "rin", "gho", "ba", "zen", "qua", "fir", "nol"]


class Stream:
    """Synthetic news: events that run for a while and fade, each with a fresh name (new vocabulary keeps arriving,
    as names and numbers do in real news), told in words from a common pool."""

    def __init__(self, seed: int = 3) -> None:
        self.rng = random.Random(seed)
        self.pool = sorted({self._word(2) for _ in range(3000)})
        self.events: list[tuple[str, list[str]]] = []
        self.count = 0

    def _word(self, n: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(n))

    def next(self, engine: StoryEngine, every: timedelta) -> EngineDoc:
        rng, i = self.rng, self.count
        self.count += 1
        if not self.events or rng.random() < 0.15:
            name = f"{self._word(3).title()} {self._word(2).title()}"
            self.events = [*self.events[-8:], (name, rng.sample(self.pool, 40))]
        name, words = self.events[min(int(rng.expovariate(0.5)), len(self.events) - 1) * -1 - 1]
        title = f"{name} " + " ".join(rng.sample(words, 6))
        text = ". ".join(f"{name} " + " ".join(rng.sample(words, 10) + rng.sample(self.pool, 3)) for _ in range(3))
        text += f". Reported at {1000 + i}."
        return EngineDoc(f"a{i:06d}", title, text, T0 + i * every, "en", f"s{i % 9}", engine.signature(text), None)


def _memory() -> int:
    """Bytes held now, less the word caches of the text steps: those are LRU caches of a fixed size (up to 200,000
    words each), shared by the whole process, and they fill towards that size whatever the engine does."""
    for cached in (features._term, features._stem, text.fold, shingles._token_hash):
        cached.cache_clear()
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@pytest.mark.slow
def test_a_running_engine_holds_one_window_and_its_memory_levels_off() -> None:
    every = timedelta(minutes=15)  # 96 articles a day, about 190 in a two-day window
    engine = StoryEngine(window=timedelta(days=2), dense=False, vocabulary=4000)
    stream = Stream()
    held, memory = [], []
    tracemalloc.start()
    try:
        for block in range(6):
            for _ in range(500):
                doc = stream.next(engine, every)
                engine.add(doc)
                if stream.count % 25 == 0:  # as build_stories does after each pass
                    engine.apply_window(doc.published)
            held.append(len(engine))
            memory.append(_memory())
            assert len(engine.index) <= 200 + 25, block  # wire-copy originals: the window's articles only
    finally:
        tracemalloc.stop()
    # 3,000 articles streamed, about 15 windows: the engine holds the window's articles (and the older members of
    # stories still running), not all it has seen ...
    assert max(held) < 600, held
    assert len(engine.clusterer) == len(engine) == len(engine.wire_of) == held[-1]
    # ... and its memory stops growing once the window is full (without the window applied it grows with every
    # article: about 6x from the first block to the last here)
    settled = memory[1]
    assert max(memory[2:]) < settled * 1.3, [round(m / 1e6, 2) for m in memory]
    assert all(len(idf.df) <= 4000 for idf in [engine.clusterer._idf, *engine.clusterer._text_idf.values()])


def test_apply_window_forgets_old_stories_and_keeps_running_ones_whole() -> None:
    engine = StoryEngine(window=timedelta(days=2), dense=False)
    stream = Stream(seed=5)
    docs = []
    for _ in range(300):
        doc = stream.next(engine, timedelta(minutes=30))  # 150 hours in all
        docs.append(doc)
        engine.add(doc)
    now = docs[-1].published
    engine.apply_window(now)
    horizon = now - engine.window
    live = engine.clusterer.stories()
    assert live and all(story.last_published >= horizon for story in live)
    members = {aid for story in live for aid in story.article_ids}
    assert set(engine.wire_of) == members  # a running story keeps its older members (a merge moves them all)
    assert all(engine.published[aid] >= horizon for aid in engine.published)
    assert engine.affected([docs[-1].id]) <= members  # what a pass writes after eviction is all still known
    old = next(d for d in docs if d.id not in members)
    with pytest.raises(KeyError):
        engine.story_of(old.id)
