"""Every setting newsloom reads from the environment, in one place, with no Django.

``settings.py`` builds Django's settings from ``Config.from_env()``; pipeline steps get what they need passed in.
Each variable here is documented in README.md, and a test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_USER_AGENT = "newsloom/0.1 (+https://github.com/newsloom/newsloom; self-hosted news reader)"

#: name -> (default, one-line description); README.md lists the same names.
ENV_VARS: dict[str, tuple[str, str]] = {
    "NEWSLOOM_DATA_DIR": ("./newsloom-data", "SQLite database, queue file, secret key and caches"),
    "NEWSLOOM_DATABASE_URL": ("sqlite in the data dir", "postgres://user@host:5432/name to use PostgreSQL"),
    "NEWSLOOM_QUEUE_URL": ("sqlite queue file in the data dir", "redis://host:6379/0 to use Redis"),
    "NEWSLOOM_SECRET_KEY": ("generated into the data dir", "Django secret key"),
    "NEWSLOOM_ALLOWED_HOSTS": ("127.0.0.1,localhost", "comma-separated host names the site answers to"),
    "NEWSLOOM_PUBLIC_URL": (
        "from the first allowed host", "scheme://host[:port] of the site for absolute links (og:url, feeds, sitemap)"
    ),
    "NEWSLOOM_DEBUG": ("false", "Django debug pages (never in production)"),
    "NEWSLOOM_FETCH_ALLOW_PRIVATE": ("false", "allow fetching loopback and private addresses (never link-local)"),
    "NEWSLOOM_FETCH_ALLOW_NETWORKS": ("unset", "comma-separated CIDR networks to allow fetching, e.g. 127.0.0.0/8"),
    "NEWSLOOM_USER_AGENT": (DEFAULT_USER_AGENT, "User-Agent for every request and robots.txt matching"),
    "NEWSLOOM_FETCH_PER_HOST_CONCURRENCY": ("2", "simultaneous requests to one host"),
    "NEWSLOOM_FETCH_PER_HOST_DELAY": ("1.0", "seconds between request starts to one host"),
    "NEWSLOOM_FETCH_TIMEOUT": ("30", "seconds for one whole request: connect, headers and body together"),
    "NEWSLOOM_FETCH_HOST_WAIT": ("2", "seconds a page waits for a free slot of its host before it is queued again"),
    "NEWSLOOM_FETCH_MAX_BYTES": ("10485760", "largest response body accepted, after decompression"),
    "NEWSLOOM_FEED_DISABLE_AFTER": ("20", "consecutive failures after which a feed is disabled"),
    "NEWSLOOM_LANGUAGES": ("en,de,fr,es,it,pt,nl", "languages the language detector chooses among"),
    "NEWSLOOM_WORKERS": ("4", "queue worker threads for serve, crawl and worker"),
    "NEWSLOOM_EMBEDDER": ("static", "dense vectors for stories: static (shipped), transformer (extra), none"),
    "NEWSLOOM_EXTRACT_PROCESSES": (
        "auto",
        "processes for extraction, tagging and enrichment (auto: one per CPU; 0: in the threads)",
    ),
    "NEWSLOOM_LLM_URL": ("unset", "optional OpenAI-compatible endpoint for abstractive text"),
    "NEWSLOOM_LLM_MODEL": ("unset", "model name sent to that endpoint"),
    "NEWSLOOM_LLM_API_KEY": ("unset", "API key for that endpoint"),
    "NEWSLOOM_API_RATE_LIMIT": ("600/min", "JSON API requests per client and period (s, min, h, day); off for none"),
    "NEWSLOOM_METRICS_ALLOW_NETWORKS": (
        "127.0.0.0/8,::1/128", "networks (CIDR, comma-separated) whose clients may read /metrics; empty: none"
    ),
    "NEWSLOOM_METRICS_USER": ("unset", "with NEWSLOOM_METRICS_PASSWORD: basic-auth account for /metrics"),
    "NEWSLOOM_METRICS_PASSWORD": ("unset", "the password of that account"),
    "NEWSLOOM_LOG_FORMAT": ("text", "text, or json for one JSON object per log line"),
    # readers' accounts and comments (see README "Accounts and comments")
    "NEWSLOOM_SIGNUP": ("true", "anyone may create an account (false: only `newsloom users create`)"),
    "NEWSLOOM_EMAIL_VERIFICATION": ("mandatory", "mandatory, optional or none: a new account's e-mail check"),
    "NEWSLOOM_EMAIL_URL": ("unset", "smtp://user:password@host:587 (smtps:// for TLS); unset: files in data dir"),
    "NEWSLOOM_EMAIL_FROM": ("newsloom@localhost", "sender address of account e-mail"),
    "NEWSLOOM_HTTPS": ("false", "the site is served over HTTPS: Secure session and CSRF cookies"),
    "NEWSLOOM_TRUSTED_IP_HEADER": ("unset", "header a trusted proxy sets to the client's IP (e.g. X-Real-IP)"),
    "NEWSLOOM_TRUSTED_PROXY_COUNT": ("0", "proxies in front of the site whose X-Forwarded-For entries count"),
    "NEWSLOOM_CACHE_URL": ("the database", "shared cache for rate limits: redis://host:6379/1, else a table"),
    "NEWSLOOM_COMMENT_INTERVAL": ("5", "seconds between two comments of one account"),
    "NEWSLOOM_NEW_ACCOUNT_COMMENT_INTERVAL": ("30", "the same for an account younger than a day"),
    "NEWSLOOM_NEW_ACCOUNT_HOURS": ("24", "how long an account counts as new"),
    "NEWSLOOM_NEW_ACCOUNT_MAX_COMMENTS": ("10", "comments and replies a new account may post"),
    "NEWSLOOM_NEW_ACCOUNT_MAX_LINKS": ("2", "links a new account may put in one comment"),
    "NEWSLOOM_HOLD_NEW_ACCOUNTS": ("true", "hold a new account's comments for review"),
    "NEWSLOOM_HOLD_LINKS": ("3", "comments with this many links or more are held for review (0: never)"),
    "NEWSLOOM_COMMENTS_PER_IP_MINUTE": ("2", "comments per minute from one IP address"),
    "NEWSLOOM_COMMENT_EDIT_MINUTES": ("15", "minutes after posting during which the author may edit"),
    "NEWSLOOM_COMMENT_MAX_CHARS": ("2048", "longest comment, in characters"),
    "NEWSLOOM_SIGNUPS_PER_IP_DAY": ("3", "new accounts per IP address per day"),
    "NEWSLOOM_LOGINS_PER_IP_MINUTE": ("6", "sign-in attempts per minute from one IP address"),
    "NEWSLOOM_LOGIN_LOCKOUT_ATTEMPTS": ("5", "failed sign-ins to one account before it is locked"),
    "NEWSLOOM_LOGIN_LOCKOUT_MINUTES": ("15", "how long that lock lasts"),
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


_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]"}
SERVE_PORT = 8000  # ``newsloom serve``'s default port, in the default public URL of a loopback host


def public_url(value: str | None, allowed_hosts: Sequence[str]) -> str:
    """The site's origin (``scheme://host[:port]``, no path) that every absolute URL to its pages starts with.

    ``NEWSLOOM_PUBLIC_URL`` when set (ValueError unless an http(s) URL with a host); else the first allowed host that
    names one host (``.example.com`` is taken as ``example.com``, ``*`` skipped): ``https://`` for a public name,
    ``http://…:8000`` (serve's default) for a loopback one.
    """
    if value and value.strip():
        parts = urlsplit(value.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"NEWSLOOM_PUBLIC_URL must be an http(s) URL with a host, not {value!r}")
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
    host = next((h.lstrip(".").lower() for h in allowed_hosts if h.strip(".*")), "localhost")
    return f"http://{host}:{SERVE_PORT}" if host in _LOOPBACK_HOSTS else f"https://{host}"


def _networks(value: str | None, setting: str = "NEWSLOOM_FETCH_ALLOW_NETWORKS") -> tuple[str, ...]:
    """``"127.0.0.0/8, 10.1.0.0/16"`` as normalised CIDR strings; a value that is not a network stops the process at
    start (naming the setting) rather than opening or locking out the wrong clients."""
    networks = []
    for part in (value or "").split(","):
        if part.strip():
            try:
                networks.append(str(ipaddress.ip_network(part.strip(), strict=False)))
            except ValueError as exc:
                raise ValueError(f"{setting}: {part.strip()!r} is not a network "
                                 "(expected CIDR notation such as 127.0.0.0/8)") from exc
    return tuple(networks)


def _processes(value: str | None) -> int:
    if not value or value.strip().lower() == "auto":
        cpus = os.cpu_count() or 1
        return cpus if cpus > 1 else 0
    return max(0, int(value))


_PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
            "d": 86400, "day": 86400}


def parse_rate(value: str) -> tuple[int, int] | None:
    """``"600/min"`` -> (600, 60); ``"100/10s"`` -> (100, 10); ``"off"``, ``"0"`` or ``"none"`` -> None."""
    text = value.strip().lower()
    if text in {"off", "0", "none", "false", ""}:
        return None
    count, _, period = text.partition("/")
    digits = period.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = period[len(digits):] or "s"
    if not count.strip().isdigit() or unit not in _PERIODS or (digits and not digits.isdigit()):
        raise ValueError(f"a rate is N/PERIOD (e.g. 600/min, 100/10s) or off, not {value!r}")
    seconds = (int(digits) if digits else 1) * _PERIODS[unit]
    return (int(count), seconds) if int(count) > 0 and seconds > 0 else None


def _log_format(value: str | None) -> str:
    fmt = (value or "text").strip().lower()
    if fmt not in {"text", "json"}:
        raise ValueError(f"NEWSLOOM_LOG_FORMAT must be text or json, not {value!r}")
    return fmt


def _verification(value: str | None) -> str:
    choice = (value or "mandatory").strip().lower()
    if choice not in {"mandatory", "optional", "none"}:
        raise ValueError(f"NEWSLOOM_EMAIL_VERIFICATION must be mandatory, optional or none, not {value!r}")
    return choice


@dataclass(frozen=True)
class CommunityLimits:
    """The abuse controls of accounts and comments (defaults after Discourse, Isso and Remark42)."""

    signup: bool = True
    comment_interval: float = 5.0
    new_account_comment_interval: float = 30.0
    new_account_hours: float = 24.0
    new_account_max_comments: int = 10
    new_account_max_links: int = 2
    hold_new_accounts: bool = True
    hold_links: int = 3
    comments_per_ip_minute: int = 2
    edit_minutes: float = 15.0
    max_chars: int = 2048
    signups_per_ip_day: int = 3
    logins_per_ip_minute: int = 6
    lockout_attempts: int = 5
    lockout_minutes: int = 15

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CommunityLimits:
        def number(name: str, default: float) -> float:
            return max(0.0, float(env.get(name) or default))

        return cls(
            signup=_flag(env.get("NEWSLOOM_SIGNUP"), default=True),
            comment_interval=number("NEWSLOOM_COMMENT_INTERVAL", 5),
            new_account_comment_interval=number("NEWSLOOM_NEW_ACCOUNT_COMMENT_INTERVAL", 30),
            new_account_hours=number("NEWSLOOM_NEW_ACCOUNT_HOURS", 24),
            new_account_max_comments=int(number("NEWSLOOM_NEW_ACCOUNT_MAX_COMMENTS", 10)),
            new_account_max_links=int(number("NEWSLOOM_NEW_ACCOUNT_MAX_LINKS", 2)),
            hold_new_accounts=_flag(env.get("NEWSLOOM_HOLD_NEW_ACCOUNTS"), default=True),
            hold_links=int(number("NEWSLOOM_HOLD_LINKS", 3)),
            comments_per_ip_minute=int(number("NEWSLOOM_COMMENTS_PER_IP_MINUTE", 2)),
            edit_minutes=number("NEWSLOOM_COMMENT_EDIT_MINUTES", 15),
            max_chars=max(1, int(number("NEWSLOOM_COMMENT_MAX_CHARS", 2048))),
            signups_per_ip_day=int(number("NEWSLOOM_SIGNUPS_PER_IP_DAY", 3)),
            logins_per_ip_minute=max(1, int(number("NEWSLOOM_LOGINS_PER_IP_MINUTE", 6))),
            lockout_attempts=max(1, int(number("NEWSLOOM_LOGIN_LOCKOUT_ATTEMPTS", 5))),
            lockout_minutes=max(1, int(number("NEWSLOOM_LOGIN_LOCKOUT_MINUTES", 15))),
        )


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
    public_url: str
    debug: bool
    fetch_allow_private: bool
    fetch_allow_networks: tuple[str, ...]
    user_agent: str
    per_host_concurrency: int
    per_host_delay: float
    fetch_timeout: float
    fetch_host_wait: float
    fetch_max_bytes: int
    feed_disable_after: int
    languages: tuple[str, ...]
    workers: int
    extract_processes: int
    embedder: str
    llm_url: str | None
    llm_model: str | None
    llm_api_key: str | None
    api_rate_limit: tuple[int, int] | None  # (requests, seconds) per client; None: no limit
    metrics_allow_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    metrics_user: str | None = None
    metrics_password: str | None = None
    log_format: str = "text"
    community: CommunityLimits = CommunityLimits()
    email_verification: str = "mandatory"
    email_url: str | None = None
    email_from: str = "newsloom@localhost"
    https: bool = False
    trusted_ip_header: str | None = None
    trusted_proxy_count: int = 0
    cache_url: str | None = None
    retention_days: int = 0  # 0: keep everything

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        data_dir = Path(env.get("NEWSLOOM_DATA_DIR") or "./newsloom-data").expanduser().resolve()
        database_url = env.get("NEWSLOOM_DATABASE_URL") or f"sqlite:///{data_dir / 'newsloom.sqlite3'}"
        queue_url = env.get("NEWSLOOM_QUEUE_URL") or f"sqlite:///{data_dir / 'queue.sqlite3'}"
        hosts = env.get("NEWSLOOM_ALLOWED_HOSTS") or "127.0.0.1,localhost,[::1],testserver"
        languages = env.get("NEWSLOOM_LANGUAGES") or "en,de,fr,es,it,pt,nl"
        allowed_hosts = tuple(h.strip() for h in hosts.split(",") if h.strip())
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            queue_url=queue_url,
            secret_key=env.get("NEWSLOOM_SECRET_KEY") or "",
            allowed_hosts=allowed_hosts,
            public_url=public_url(env.get("NEWSLOOM_PUBLIC_URL"), allowed_hosts),
            debug=_flag(env.get("NEWSLOOM_DEBUG")),
            fetch_allow_private=_flag(env.get("NEWSLOOM_FETCH_ALLOW_PRIVATE")),
            fetch_allow_networks=_networks(env.get("NEWSLOOM_FETCH_ALLOW_NETWORKS")),
            user_agent=env.get("NEWSLOOM_USER_AGENT") or DEFAULT_USER_AGENT,
            per_host_concurrency=max(1, int(env.get("NEWSLOOM_FETCH_PER_HOST_CONCURRENCY") or 2)),
            per_host_delay=max(0.0, float(env.get("NEWSLOOM_FETCH_PER_HOST_DELAY") or 1.0)),
            fetch_timeout=float(env.get("NEWSLOOM_FETCH_TIMEOUT") or 30),
            fetch_host_wait=max(0.0, float(env.get("NEWSLOOM_FETCH_HOST_WAIT") or 2)),
            fetch_max_bytes=int(env.get("NEWSLOOM_FETCH_MAX_BYTES") or 10 * 1024 * 1024),
            feed_disable_after=int(env.get("NEWSLOOM_FEED_DISABLE_AFTER") or 20),
            languages=tuple(x.strip() for x in languages.split(",") if x.strip()),
            workers=max(1, int(env.get("NEWSLOOM_WORKERS") or 4)),
            extract_processes=_processes(env.get("NEWSLOOM_EXTRACT_PROCESSES")),
            embedder=(env.get("NEWSLOOM_EMBEDDER") or "static").strip().lower(),
            llm_url=env.get("NEWSLOOM_LLM_URL") or None,
            llm_model=env.get("NEWSLOOM_LLM_MODEL") or None,
            llm_api_key=env.get("NEWSLOOM_LLM_API_KEY") or None,
            api_rate_limit=parse_rate(env.get("NEWSLOOM_API_RATE_LIMIT") or "600/min"),
            metrics_allow_networks=(
                ("127.0.0.0/8", "::1/128")
                if env.get("NEWSLOOM_METRICS_ALLOW_NETWORKS") is None
                else _networks(env.get("NEWSLOOM_METRICS_ALLOW_NETWORKS"), "NEWSLOOM_METRICS_ALLOW_NETWORKS")
            ),
            metrics_user=env.get("NEWSLOOM_METRICS_USER") or None,
            metrics_password=env.get("NEWSLOOM_METRICS_PASSWORD") or None,
            log_format=_log_format(env.get("NEWSLOOM_LOG_FORMAT")),
            community=CommunityLimits.from_env(env),
            email_verification=_verification(env.get("NEWSLOOM_EMAIL_VERIFICATION")),
            email_url=env.get("NEWSLOOM_EMAIL_URL") or None,
            email_from=env.get("NEWSLOOM_EMAIL_FROM") or "newsloom@localhost",
            https=_flag(env.get("NEWSLOOM_HTTPS")),
            trusted_ip_header=(env.get("NEWSLOOM_TRUSTED_IP_HEADER") or "").strip() or None,
            trusted_proxy_count=max(0, int(env.get("NEWSLOOM_TRUSTED_PROXY_COUNT") or 0)),
            cache_url=env.get("NEWSLOOM_CACHE_URL") or None,
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
