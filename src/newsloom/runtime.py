"""Per-process pipeline tools built once from the settings: the shared polite fetcher and the language detector.

Actions take these as arguments; tasks and commands get them here. Nothing is built at import time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings

from newsloom.config import Config
from newsloom.core.enrichment.llm import LLMClient, LLMConfig
from newsloom.core.enrichment.story import StoryEnrichment, StoryInput
from newsloom.core.grouping.embed import Embedder, get_embedder
from newsloom.core.ingest.fetch import Fetcher, FetchPolicy
from newsloom.core.ingest.hostlimit import HostLimiter, LocalHostLimiter, RedisHostLimiter
from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.article import read_article
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.cpupool import CpuPool

Extractor = Callable[..., ExtractedArticle]
StoryEnricher = Callable[[StoryInput], StoryEnrichment]

_lock = threading.Lock()


def config() -> Config:
    cfg: Config = settings.CONFIG
    return cfg


def fetch_policy(cfg: Config | None = None) -> FetchPolicy:
    cfg = cfg or config()
    return FetchPolicy(
        user_agent=cfg.user_agent,
        allow_private=cfg.fetch_allow_private,
        allow_networks=cfg.fetch_allow_networks,
        per_host_concurrency=cfg.per_host_concurrency,
        per_host_delay=cfg.per_host_delay,
        timeout=cfg.fetch_timeout,
        host_wait=cfg.fetch_host_wait,
        max_bytes=cfg.fetch_max_bytes,
    )


def host_limiter(cfg: Config | None = None) -> HostLimiter:
    """Across processes and machines when the queue is Redis; within this process otherwise."""
    cfg = cfg or config()
    if cfg.queue_url.startswith(("redis://", "rediss://")):
        return RedisHostLimiter(cfg.queue_url)
    return LocalHostLimiter()


_tools: dict[str, object] = {}


def fetcher() -> Fetcher:
    """This process's shared fetcher (thread-safe, keep-alive, per-host limits)."""
    with _lock:
        tool = _tools.get("fetcher")
        if tool is None:
            tool = _tools["fetcher"] = Fetcher(fetch_policy(), limiter=host_limiter())
        assert isinstance(tool, Fetcher)
        return tool


def detector() -> LanguageDetector:
    with _lock:
        tool = _tools.get("detector")
        if tool is None:
            tool = _tools["detector"] = LanguageDetector(config().languages)
        assert isinstance(tool, LanguageDetector)
        return tool


def extractor() -> Extractor:
    """Article extraction (``read_article``: text, metadata, hashtags): in a process pool when
    NEWSLOOM_EXTRACT_PROCESSES > 0, else in the calling thread."""
    processes = config().extract_processes
    if processes <= 0:
        return read_article
    with _lock:
        tool = _tools.get("extractor")
        if tool is None:
            tool = _tools["extractor"] = CpuPool(processes, config().languages)
        assert isinstance(tool, CpuPool)
        return tool


def story_enricher() -> StoryEnricher | None:
    """Where a story's enrichment is computed: the extraction processes when there are any (stories are then
    enriched in parallel, off this process's interpreter lock), else None: in the calling thread."""
    if config().extract_processes <= 0:
        return None
    pool = extractor()
    assert isinstance(pool, CpuPool)
    name = config().embedder
    return lambda story: pool.enrich(story, name)


def embedder() -> Embedder | None:
    """The dense embedder chosen by NEWSLOOM_EMBEDDER (static by default; none for lexical clustering only)."""
    with _lock:
        if "embedder" not in _tools:
            _tools["embedder"] = get_embedder(config().embedder)
        tool = _tools["embedder"]
        return tool  # type: ignore[return-value]


def llm() -> LLMClient | None:
    """The optional OpenAI-compatible endpoint (NEWSLOOM_LLM_URL), or None: everything works without it."""
    cfg = config()
    if not cfg.llm_url:
        return None
    with _lock:
        tool = _tools.get("llm")
        if tool is None:
            tool = _tools["llm"] = LLMClient(LLMConfig(cfg.llm_url, cfg.llm_model or "default", cfg.llm_api_key))
        assert isinstance(tool, LLMClient)
        return tool


def reset() -> None:
    """Forget the tools built so far, closing what holds connections or processes (also at shutdown)."""
    with _lock:
        tools = list(_tools.values())
        _tools.clear()
    for tool in tools:
        if isinstance(tool, Fetcher | CpuPool | LLMClient):
            tool.close()
