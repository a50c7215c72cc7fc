"""robots.txt parsing and matching (RFC 9309) and the per-origin cache with its failure rules."""

from __future__ import annotations

import pytest

from newsloom.core.ingest.robots import RobotsCache, origin_of, parse_robots, product_token
from newsloom.errors import (
    ConnectionFailed,
    HTTPStatusError,
    RateLimited,
    ServerError,
    TooManyRedirects,
)

UA = "newsloom/0.1 (+https://example.org/bot)"

ROBOTS = """
# comment
User-agent: *
Disallow: /private/
Allow: /private/public-*
Disallow: /*.pdf$
Disallow: /search?
Crawl-delay: 2

User-agent: OtherBot
Disallow: /

User-agent: NewsLoom
User-agent: friendbot
Disallow: /no-news/
Allow: /no-news/but-this$
Crawl-delay: 3.5

User-agent: newsloom/2.0
Disallow: /merged/
"""


def test_product_token() -> None:
    assert product_token(UA) == "newsloom"
    assert product_token("Mozilla/5.0 (X11)") == "mozilla"
    assert product_token("") == "*"


def test_our_group_is_chosen_and_same_named_groups_merge() -> None:
    rules = parse_robots(ROBOTS, UA)
    assert rules.crawl_delay == 3.5
    assert not rules.allowed("/no-news/x")
    assert rules.allowed("/no-news/but-this")
    assert not rules.allowed("/no-news/but-this-too")
    assert not rules.allowed("/merged/page")
    assert rules.allowed("/private/x")  # the * group does not apply to us


def test_star_group_for_other_agents_with_wildcards() -> None:
    rules = parse_robots(ROBOTS, "SomeBot/1.0")
    assert rules.crawl_delay == 2
    assert not rules.allowed("/private/x")
    assert rules.allowed("/private/public-page")  # the longer Allow wins
    assert not rules.allowed("/files/report.pdf")
    assert rules.allowed("/files/report.pdf?download=1")  # $ anchors the end
    assert not rules.allowed("/search?q=x")
    assert rules.allowed("/search")
    assert rules.allowed("/")
    assert not parse_robots(ROBOTS, "OtherBot").allowed("/anything")


def test_allow_wins_a_tie_and_robots_txt_is_always_allowed() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /page\nAllow: /page\nDisallow: /", UA)
    assert rules.allowed("/page")
    assert rules.allowed("/robots.txt")
    assert not rules.allowed("/other")


def test_empty_disallow_and_no_matching_group_allow_all() -> None:
    assert parse_robots("User-agent: *\nDisallow:\n", UA).allowed("/x")
    assert parse_robots("User-agent: otherbot\nDisallow: /\n", UA).allowed("/x")
    assert parse_robots("", UA).allowed("/x")
    assert parse_robots("garbage\n\x00\nDisallow: /\n", UA).allowed("/x")  # rules before any group are ignored


def test_percent_encoding_is_normalized_and_full_urls_work() -> None:
    rules = parse_robots("User-agent: *\nDisallow: /caf%C3%A9/\nDisallow: /%7Euser/\n", UA)
    assert not rules.allowed("/café/menu")
    assert not rules.allowed("/~user/page")
    assert not rules.allowed("http://example.org/caf%c3%a9/x")
    assert rules.allowed("http://example.org/cafe/x")


def test_crawl_delay_is_capped_and_bad_values_ignored() -> None:
    assert parse_robots("User-agent: *\nCrawl-delay: 86400\n", UA).crawl_delay == 60.0
    assert parse_robots("User-agent: *\nCrawl-delay: soon\n", UA).crawl_delay is None


def test_origin_of() -> None:
    assert origin_of("HTTP://Example.ORG/feed") == "http://example.org:80"
    assert origin_of("https://example.org:8443/x") == "https://example.org:8443"
    assert origin_of("http://[::1]:8080/") == "http://[::1]:8080"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_fetches_once_per_ttl() -> None:
    clock, calls = Clock(), []

    def load(url: str) -> str:
        calls.append(url)
        return "User-agent: *\nDisallow: /secret\n"

    cache = RobotsCache(UA, ttl=100, clock=clock)
    for path in ("/a", "/b", "/secret"):
        cache.rules_for(f"http://example.org{path}", load)
    assert calls == ["http://example.org:80/robots.txt"]
    assert not cache.rules_for("http://example.org/secret", load).allowed("/secret")
    clock.now += 101
    cache.rules_for("http://example.org/a", load)
    assert len(calls) == 2
    cache.rules_for("https://example.org/a", load)  # another origin
    assert len(calls) == 3


@pytest.mark.parametrize(
    "error",
    [HTTPStatusError("x returned HTTP 404 Not Found", status=404),
     HTTPStatusError("x returned HTTP 403 Forbidden", status=403),
     TooManyRedirects("x redirected too often")],
)
def test_unavailable_robots_means_allow_all(error: Exception) -> None:
    def load(url: str) -> str:
        raise error

    cache = RobotsCache(UA)
    assert cache.rules_for("http://example.org/feed", load).allowed("/feed")


@pytest.mark.parametrize(
    ("error", "kind"),
    [(ServerError("http://example.org:80/robots.txt returned HTTP 503 Service Unavailable", status=503), ServerError),
     (ConnectionFailed("http://example.org:80/robots.txt could not be fetched: refused"), ConnectionFailed),
     (RateLimited("robots returned HTTP 429", retry_after=600), RateLimited)],
)
def test_unreachable_robots_disallows_for_a_while(error: Exception, kind: type[Exception]) -> None:
    clock, calls = Clock(), []

    def load(url: str) -> str:
        calls.append(url)
        raise error

    cache = RobotsCache(UA, error_ttl=60, clock=clock)
    for _ in range(3):
        with pytest.raises(kind) as info:
            cache.rules_for("http://example.org/feed", load)
        message = str(info.value)
        assert message.startswith("http://example.org/feed is not fetched for now because its robots.txt")
    assert len(calls) == 1
    assert info.value.transient  # type: ignore[attr-defined]
    clock.now += 61 if kind is not RateLimited else 601
    with pytest.raises(kind):
        cache.rules_for("http://example.org/feed", load)
    assert len(calls) == 2
