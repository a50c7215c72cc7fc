"""The CPU-bound pipeline steps in child processes: reading a page (``read_article``) and enriching a story
(``enrich_story``).

trafilatura, yake and the summarizer walk Python objects and hold the GIL, so worker threads cannot spread them over
several cores; a small pool of processes can. Fetching and storage stay in the threads (they mostly wait on I/O);
each page's bytes go to a child and an ExtractedArticle comes back, and each story's plain StoryInput goes to a child
and a StoryEnrichment comes back. A child that crashes or hangs on a hostile page is replaced, and that page fails with
an ExtractionError like any page without an article.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from newsloom.core.enrichment.story import StoryEnrichment, StoryInput, enrich_story
from newsloom.core.grouping.embed import Embedder, EmbedderUnavailable, get_embedder
from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.article import read_article
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.errors import ExtractionError

log = logging.getLogger(__name__)
T = TypeVar("T")

_child_detector: LanguageDetector | None = None
_child_embedders: dict[str, Embedder | None] = {}


def _init_child(languages: tuple[str, ...]) -> None:
    global _child_detector
    _child_detector = LanguageDetector(languages) if languages else None


def _extract_in_child(page: bytes | str, url: str, charset: str | None, exclude: tuple[str, ...]) -> ExtractedArticle:
    return read_article(page, url=url, charset=charset, detector=_child_detector, exclude=exclude)


def _enrich_in_child(story: StoryInput, embedder_name: str) -> StoryEnrichment:
    if embedder_name not in _child_embedders:  # loaded once per child, on its first story
        try:
            _child_embedders[embedder_name] = get_embedder(embedder_name)
        except EmbedderUnavailable as exc:
            log.warning("story enrichment without the %s embedder: %s", embedder_name, exc)
            _child_embedders[embedder_name] = None
    return enrich_story(story, embedder=_child_embedders[embedder_name])


class CpuPool:
    """``pool(page, url=..., charset=...)`` runs ``read_article`` in a child process, ``pool.enrich(story, name)``
    runs ``enrich_story``; thread-safe; ``close()`` when done."""

    def __init__(self, processes: int, languages: Sequence[str], *, timeout: float = 60.0) -> None:
        self.processes = processes
        self.languages = tuple(languages)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # forkserver: the parent runs threads (queue workers, HTTP keep-alive), which must never be forked
        context = multiprocessing.get_context("forkserver")
        return ProcessPoolExecutor(
            max_workers=self.processes, mp_context=context, initializer=_init_child, initargs=(self.languages,)
        )

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:
                broken.shutdown(wait=False, cancel_futures=True)
                self._pool = self._start()

    def _run(self, worker: str, what: str, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in a child. A task caught in someone else's crash is retried once in the new pool; one that
        breaks its child twice, or runs past the timeout, fails with an ExtractionError: "{worker} crashed on
        {what}"."""
        for attempt in (1, 2):
            pool = self._pool
            try:
                return pool.submit(fn, *args).result(timeout=self.timeout)
            except BrokenProcessPool as exc:
                self._restart(pool)
                if attempt == 2:
                    log.warning("%s died on %s twice", worker, what)
                    raise ExtractionError(f"{worker} crashed on {what}") from exc
            except FutureTimeout as exc:
                log.warning("%s took over %.0f s on %s; replacing the pool", worker, self.timeout, what)
                processes = getattr(pool, "_processes", None) or {}  # the executor's own map of its children
                for process in list(processes.values()):
                    process.kill()
                self._restart(pool)
                raise ExtractionError(f"{worker} took longer than {self.timeout:.0f} seconds") from exc
        raise AssertionError("unreachable")

    def __call__(self, page: bytes | str, *, url: str, charset: str | None = None,
                 detector: LanguageDetector | None = None, exclude: Iterable[str] = ()) -> ExtractedArticle:
        return self._run("the text extractor", "this page", _extract_in_child, page, url, charset, tuple(exclude))

    def enrich(self, story: StoryInput, embedder_name: str) -> StoryEnrichment:
        return self._run("the story enrichment", "this story", _enrich_in_child, story, embedder_name)

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
