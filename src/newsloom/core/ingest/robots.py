"""robots.txt per RFC 9309: parse, match our user agent, cache per origin.

    rules = parse_robots(text, "newsloom/0.1 (+https://example.org/bot)")
    rules.allowed("/feed.xml?page=2"), rules.crawl_delay

Matching follows RFC 9309: the groups naming our product token (case-insensitive; groups of the same name merge),
else the ``*`` groups; the longest matching pattern wins and ``Allow`` wins a tie; ``*`` matches any run of
characters and a trailing ``$`` anchors the end; ``/robots.txt`` is always allowed. ``Crawl-delay`` (not in the RFC,
but widely used) is read from the chosen groups and capped at ``MAX_CRAWL_DELAY`` seconds.

``RobotsCache`` fetches each origin's robots.txt once per ``ttl`` through a loader the fetcher supplies (so the request
goes through the same address guards, size caps and host limits). A 4xx, a redirect chain that goes nowhere or any
other permanent failure means "no robots.txt": everything is allowed. A 5xx, rate limit, timeout or unreachable
server means "disallow everything for now" (RFC 9309 section 2.3.1.3): the fetch raises a transient error and the
failure is remembered for ``error_ttl`` seconds so the server is not asked again at once.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from newsloom.errors import (
    FetchError,
    HostBusy,
    HTTPStatusError,
    PermanentFetchError,
    RateLimited,
    ServerError,
    TransientFetchError,
)

MAX_CRAWL_DELAY = 60.0
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups name: ``"newsloom"`` for ``"newsloom/0.1 (+https://…)"``."""
    token = re.split(r"[/\s;(]", user_agent.strip(), maxsplit=1)[0]
    return token.lower() or "*"


def _normalize(value: str) -> str:
    """Percent-encode what must be encoded, decode escapes of unreserved characters, upper-case the rest."""
    encoded = quote(value, safe="/?#[]@!$&'()*+,;=:%~-._")

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return re.sub(r"%([0-9A-Fa-f]{2})", fix, encoded)


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str
    regex: re.Pattern[str]

    @classmethod
    def make(cls, allow: bool, pattern: str) -> Rule:
        pattern = _normalize(pattern)
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        regex = ".*".join(re.escape(part) for part in body.split("*")) + (r"\Z" if anchored else "")
        return cls(allow, pattern, re.compile(regex, re.DOTALL))


@dataclass(frozen=True)
class RobotsRules:
    rules: tuple[Rule, ...] = ()
    crawl_delay: float | None = None

    def allowed(self, path: str) -> bool:
        """Whether a path (with its query string) may be fetched."""
        if not path.startswith("/"):
            split = urlsplit(path)
            path = (split.path or "/") + (f"?{split.query}" if split.query else "")
        if path == "/robots.txt":
            return True
        target = _normalize(path)
        best: Rule | None = None
        for rule in self.rules:
            if rule.regex.match(target) and (
                best is None
                or len(rule.pattern) > len(best.pattern)
                or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)
            ):
                best = rule
        return best is None or best.allow


ALLOW_ALL = RobotsRules()
DISALLOW_ALL = RobotsRules((Rule.make(False, "/"),))


def parse_robots(text: str, user_agent: str) -> RobotsRules:
    """The rules of ``text`` that apply to ``user_agent``."""
    token = product_token(user_agent)
    groups: list[tuple[list[str], list[Rule], list[float]]] = []
    current: tuple[list[str], list[Rule], list[float]] | None = None
    in_agents = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key in ("user-agent", "useragent"):
            if not in_agents or current is None:
                current = ([], [], [])
                groups.append(current)
            current[0].append(product_token(value) if value != "*" else "*")
            in_agents = True
            continue
        in_agents = False
        if current is None:
            continue
        if key in ("allow", "disallow") and value:
            current[1].append(Rule.make(key == "allow", value))
        elif key in ("crawl-delay", "crawldelay"):
            try:
                delay = float(value)
            except ValueError:
                continue
            if delay >= 0:
                current[2].append(min(delay, MAX_CRAWL_DELAY))
    chosen = [g for g in groups if token in g[0]] or [g for g in groups if "*" in g[0]]
    rules = tuple(rule for g in chosen for rule in g[1])
    delays = [d for g in chosen for d in g[2]]
    return RobotsRules(rules, max(delays) if delays else None)


# The loader gets the robots.txt URL and returns its text (a 2xx body), or raises a FetchError.
Loader = Callable[[str], str]


@dataclass
class _Entry:
    expires: float
    rules: RobotsRules | None = None
    error: TransientFetchError | None = None


class RobotsCache:
    """robots.txt rules per origin (``scheme://host:port``), each fetched at most once per ``ttl`` seconds."""

    def __init__(self, user_agent: str, *, ttl: float = 24 * 3600, error_ttl: float = 300.0,
                 max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.user_agent = user_agent
        self.ttl = ttl
        self.error_ttl = error_ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._origin_locks: dict[str, threading.Lock] = {}

    def rules_for(self, url: str, load: Loader, *, wait: float | None = None) -> RobotsRules:
        """The rules for ``url``'s origin; raises a transient FetchError while its robots.txt is unreachable.

        While another thread reads the origin's robots.txt this one waits for it, at most ``wait`` seconds if given,
        then raises ``HostBusy``."""
        origin = origin_of(url)
        with self._lock:
            origin_lock = self._origin_locks.setdefault(origin, threading.Lock())
        if not origin_lock.acquire(timeout=-1 if wait is None else max(0.0, wait)):
            raise HostBusy(f"{origin} is busy: its robots.txt was still being read after {wait:g} s", url=url)
        try:
            entry = self._get(origin)
            if entry is None:
                entry = self._load(origin, load)
                self._put(origin, entry)
        finally:
            origin_lock.release()
        if entry.error is not None:
            raise _unavailable(entry.error, url)
        assert entry.rules is not None
        return entry.rules

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _get(self, origin: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(origin)
            if entry is not None and entry.expires > self._clock():
                self._entries.move_to_end(origin)
                return entry
            return None

    def _put(self, origin: str, entry: _Entry) -> None:
        with self._lock:
            self._entries[origin] = entry
            self._entries.move_to_end(origin)
            while len(self._entries) > self.max_entries:
                evicted, _ = self._entries.popitem(last=False)
                self._origin_locks.pop(evicted, None)

    def _load(self, origin: str, load: Loader) -> _Entry:
        robots_url = origin + "/robots.txt"
        now = self._clock()
        try:
            text = load(robots_url)
        except HostBusy:  # nothing was asked: the host was only busy, and the page waits for another turn
            raise
        except RateLimited as exc:
            return _Entry(now + max(self.error_ttl, exc.retry_after or 0), error=exc)
        except (HTTPStatusError, PermanentFetchError):
            return _Entry(now + self.ttl, rules=ALLOW_ALL)
        except TransientFetchError as exc:
            return _Entry(now + self.error_ttl, error=exc)
        return _Entry(now + self.ttl, rules=parse_robots(text, self.user_agent))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def _unavailable(cause: FetchError, url: str) -> TransientFetchError:
    """A fresh error of the cause's class saying that ``url`` waits for its robots.txt."""
    message = f"{url} is not fetched for now because its robots.txt could not be read: {cause.message}"
    if isinstance(cause, RateLimited):
        return RateLimited(message, url=url, status=cause.status, retry_after=cause.retry_after)
    if isinstance(cause, ServerError):
        return ServerError(message, url=url, status=cause.status)
    error_class = type(cause) if isinstance(cause, TransientFetchError) else TransientFetchError
    return error_class(message, url=url)
