"""Every setting newsloom reads from the environment, in one place, with no Django.

``settings.py`` builds Django's settings from ``Config.from_env()``; pipeline steps get what they need passed in.
Each variable here is documented in README.md, and a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_USER_AGENT = "newsloom/0.1 (+https://github.com/newsloom/newsloom; self-hosted news reader)"

#: name -> (default, one-line description); README.md lists the same names.
ENV_VARS: dict[str, tuple[str, str]] = {
    "NEWSLOOM_DATA_DIR": ("./newsloom-data", "SQLite database, queue file, secret key and caches"),
    "NEWSLOOM_DATABASE_URL": ("sqlite in the data dir", "postgres://user@host:5432/name to use PostgreSQL"),
    "NEWSLOOM_QUEUE_URL": ("sqlite queue file in the data dir", "redis://host:6379/0 to use Redis"),
    "NEWSLOOM_SECRET_KEY": ("generated into the data dir", "Django secret key"),
    "NEWSLOOM_ALLOWED_HOSTS": ("127.0.0.1,localhost", "comma-separated host names the site answers to"),
    "NEWSLOOM_DEBUG": ("false", "Django debug pages (never in production)"),
    "NEWSLOOM_FETCH_ALLOW_PRIVATE": ("false", "allow fetching loopback/private/link-local addresses"),
    "NEWSLOOM_USER_AGENT": (DEFAULT_USER_AGENT, "User-Agent for every request and robots.txt matching"),
    "NEWSLOOM_FETCH_PER_HOST_CONCURRENCY": ("2", "simultaneous requests to one host"),
    "NEWSLOOM_FETCH_PER_HOST_DELAY": ("1.0", "seconds between request starts to one host"),
    "NEWSLOOM_FETCH_TIMEOUT": ("30", "seconds for one whole request, body included"),
    "NEWSLOOM_FETCH_MAX_BYTES": ("10485760", "largest response body accepted, after decompression"),
    "NEWSLOOM_FEED_DISABLE_AFTER": ("20", "consecutive failures after which a feed is disabled"),
    "NEWSLOOM_LANGUAGES": ("en,de,fr,es,it,pt,nl", "languages the language detector chooses among"),
    "NEWSLOOM_WORKERS": ("4", "queue worker threads for serve, crawl and worker"),
    "NEWSLOOM_EMBEDDER": ("static", "dense vectors for stories: static (shipped), transformer (extra), none"),
    "NEWSLOOM_EXTRACT_PROCESSES": (
        "auto", "processes for extraction, tagging and enrichment (auto: one per CPU; 0: in the threads)"
    ),
    "NEWSLOOM_LLM_URL": ("unset", "optional OpenAI-compatible endpoint for abstractive text"),
    "NEWSLOOM_LLM_MODEL": ("unset", "model name sent to that endpoint"),
    "NEWSLOOM_LLM_API_KEY": ("unset", "API key for that endpoint"),
    "NEWSLOOM_METRICS_ALLOW_NETWORKS": (
        "127.0.0.0/8,::1/128", "networks (CIDR, comma-separated) whose clients may read /metrics; empty: none"
    ),
    "NEWSLOOM_METRICS_USER": ("unset", "with NEWSLOOM_METRICS_PASSWORD: basic-auth account for /metrics"),
    "NEWSLOOM_METRICS_PASSWORD": ("unset", "the password of that account"),
    "NEWSLOOM_LOG_FORMAT": ("text", "text, or json for one JSON object per log line"),
    "NEWSLOOM_RETENTION_DAYS": ("unset", "remove stories and articles older than this many days (at least 30)"),
}

#: the shortest retention: the story window (stories.engine.DEFAULT_WINDOW), so that nothing removed is still held by
#: a running clusterer or loaded by its replay
RETENTION_MIN_DAYS = 30

_TRUE = {"1", "true", "yes", "on"}


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in _TRUE


def _processes(value: str | None) -> int:
    if not value or value.strip().lower() == "auto":
        cpus = os.cpu_count() or 1
        return cpus if cpus > 1 else 0
    return max(0, int(value))


def _networks(value: str | None) -> tuple[str, ...]:
    """CIDR networks, checked here so that a typo stops the process at start rather than locking everyone out."""
    if value is None:
        return ("127.0.0.0/8", "::1/128")
    networks = tuple(str(ipaddress.ip_network(x.strip(), strict=False)) for x in value.split(",") if x.strip())
    return networks


def _log_format(value: str | None) -> str:
    fmt = (value or "text").strip().lower()
    if fmt not in {"text", "json"}:
        raise ValueError(f"NEWSLOOM_LOG_FORMAT must be text or json, not {value!r}")
    return fmt


def _retention(value: str | None) -> int:
    if value is None or not value.strip() or value.strip() == "0":
        return 0
    days = int(value)
    if days < RETENTION_MIN_DAYS:
        raise ValueError(f"NEWSLOOM_RETENTION_DAYS must be at least {RETENTION_MIN_DAYS} (the story window), or 0 "
                         f"to keep everything; not {value!r}")  # fmt: skip
    return days


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str
    queue_url: str
    secret_key: str
    allowed_hosts: tuple[str, ...]
    debug: bool
    fetch_allow_private: bool
    user_agent: str
    per_host_concurrency: int
    per_host_delay: float
    fetch_timeout: float
    fetch_max_bytes: int
    feed_disable_after: int
    languages: tuple[str, ...]
    workers: int
    extract_processes: int
    embedder: str
    llm_url: str | None
    llm_model: str | None
    llm_api_key: str | None
    metrics_allow_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    metrics_user: str | None = None
    metrics_password: str | None = None
    log_format: str = "text"
    retention_days: int = 0  # 0: keep everything

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        data_dir = Path(env.get("NEWSLOOM_DATA_DIR") or "./newsloom-data").expanduser().resolve()
        database_url = env.get("NEWSLOOM_DATABASE_URL") or f"sqlite:///{data_dir / 'newsloom.sqlite3'}"
        queue_url = env.get("NEWSLOOM_QUEUE_URL") or f"sqlite:///{data_dir / 'queue.sqlite3'}"
        hosts = env.get("NEWSLOOM_ALLOWED_HOSTS") or "127.0.0.1,localhost,[::1],testserver"
        languages = env.get("NEWSLOOM_LANGUAGES") or "en,de,fr,es,it,pt,nl"
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            queue_url=queue_url,
            secret_key=env.get("NEWSLOOM_SECRET_KEY") or "",
            allowed_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
            debug=_flag(env.get("NEWSLOOM_DEBUG")),
            fetch_allow_private=_flag(env.get("NEWSLOOM_FETCH_ALLOW_PRIVATE")),
            user_agent=env.get("NEWSLOOM_USER_AGENT") or DEFAULT_USER_AGENT,
            per_host_concurrency=max(1, int(env.get("NEWSLOOM_FETCH_PER_HOST_CONCURRENCY") or 2)),
            per_host_delay=max(0.0, float(env.get("NEWSLOOM_FETCH_PER_HOST_DELAY") or 1.0)),
            fetch_timeout=float(env.get("NEWSLOOM_FETCH_TIMEOUT") or 30),
            fetch_max_bytes=int(env.get("NEWSLOOM_FETCH_MAX_BYTES") or 10 * 1024 * 1024),
            feed_disable_after=int(env.get("NEWSLOOM_FEED_DISABLE_AFTER") or 20),
            languages=tuple(x.strip() for x in languages.split(",") if x.strip()),
            workers=max(1, int(env.get("NEWSLOOM_WORKERS") or 4)),
            extract_processes=_processes(env.get("NEWSLOOM_EXTRACT_PROCESSES")),
            embedder=(env.get("NEWSLOOM_EMBEDDER") or "static").strip().lower(),
            llm_url=env.get("NEWSLOOM_LLM_URL") or None,
            llm_model=env.get("NEWSLOOM_LLM_MODEL") or None,
            llm_api_key=env.get("NEWSLOOM_LLM_API_KEY") or None,
            metrics_allow_networks=_networks(env.get("NEWSLOOM_METRICS_ALLOW_NETWORKS")),
            metrics_user=env.get("NEWSLOOM_METRICS_USER") or None,
            metrics_password=env.get("NEWSLOOM_METRICS_PASSWORD") or None,
            log_format=_log_format(env.get("NEWSLOOM_LOG_FORMAT")),
            retention_days=_retention(env.get("NEWSLOOM_RETENTION_DAYS")),
        )

    def ensure_secret_key(self) -> str:
        """The configured key, or one generated once into the data dir and reused after."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key
