"""Every write to sources and feeds: adding, importing, polling (with health and schedule), enabling, disabling."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsloom.core.ingest import feeds as feedparse
from newsloom.core.ingest.fetch import Fetcher, FetchResult
from newsloom.core.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsloom.core.ingest.polling import error_backoff, jitter, next_interval
from newsloom.core.urls import canonicalize
from newsloom.errors import FeedParseError, HTTPStatusError, InvalidURL, NewsloomError, NotAFeed, RateLimited
from newsloom.sources.models import Feed, Source

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
CLAIM = timedelta(minutes=10)  # a feed handed to the queue is not handed again for this long

#: the step that stores a feed's entries and returns the ids of the new articles (``articles.actions.record_entries``)
RecordEntries = Callable[[Feed, Sequence[feedparse.FeedEntry]], list[str]]


@dataclass
class PollOutcome:
    feed_id: int
    status: str  # "ok", "not-modified", "error", "disabled", "skipped"
    entries: int = 0
    new_article_ids: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class ImportResult:
    added: list[Feed] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ensure_source(name: str, *, homepage: str = "", slug: str | None = None, **fields: str) -> Source:
    """The source with this slug, created (with the given fields) if it does not exist yet."""
    slug = slugify(slug or name)[:100] or "source"
    source, created = Source.objects.get_or_create(slug=slug, defaults={"name": name, "homepage": homepage, **fields})
    if not created and fields:
        changed = {k: v for k, v in fields.items() if v and getattr(source, k) != v}
        if changed:
            Source.objects.filter(pk=source.pk).update(**changed)
            source.refresh_from_db()
    return source


def _host_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def create_feed(url: str, source: Source, *, title: str = "", site_url: str = "", format: str = "") -> Feed:
    feed, _ = Feed.objects.get_or_create(
        url=url, defaults={"source": source, "title": title[:500], "site_url": site_url[:2000], "format": format}
    )
    return feed


def add_feed(url: str, *, fetcher: Fetcher, source_name: str | None = None, **source_fields: str) -> Feed:
    """Subscribe to a feed URL, or to the first feed a web page advertises; the feed is fetched once to check it.

    Raises NewsloomError (with a readable message) when neither the URL nor any feed it links to is a feed.
    """
    try:
        url = canonicalize(url)
    except ValueError as exc:
        raise InvalidURL(f"{url!r} is not an http(s) URL") from exc
    existing = Feed.objects.filter(url=url).first()
    if existing:
        return existing
    result = fetcher.fetch(url, accept=FEED_ACCEPT)
    try:
        parsed = feedparse.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
        feed_url = url
    except NotAFeed as exc:
        if not exc.feed_links:
            raise NotAFeed(f"{url} is a web page that advertises no feed") from exc
        feed_url = exc.feed_links[0]
        existing = Feed.objects.filter(url=feed_url).first()
        if existing:
            return existing
        result = fetcher.fetch(feed_url, accept=FEED_ACCEPT)
        parsed = feedparse.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
    homepage = parsed.link or f"{urlsplit(feed_url).scheme}://{urlsplit(feed_url).netloc}/"
    name = source_name or parsed.title or _host_name(homepage)
    with transaction.atomic():
        source = ensure_source(name, homepage=homepage, **source_fields)
        return create_feed(feed_url, source, title=parsed.title, site_url=parsed.link or "", format=parsed.format)


def import_opml(data: bytes) -> ImportResult:
    """Subscribe to every feed in an OPML file without fetching; each is polled on the next crawl."""
    result = ImportResult()
    for item in parse_opml(data):
        try:
            url = canonicalize(item.url)
        except ValueError:
            result.errors.append(f"{item.url!r}: not an http(s) URL")
            continue
        if Feed.objects.filter(url=url).exists():
            result.existing.append(url)
            continue
        name = item.title or _host_name(item.html_url or url)
        with transaction.atomic():
            source = ensure_source(name, homepage=item.html_url or "")
            result.added.append(create_feed(url, source, title=item.title or "", site_url=item.html_url or ""))
    return result


def export_opml() -> bytes:
    feeds = Feed.objects.select_related("source").order_by("source__name", "url")
    return write_opml(
        OpmlFeed(url=f.url, title=f.title or f.source.name, html_url=f.site_url or f.source.homepage or None,
                 category=f.source.name)
        for f in feeds
    )


def set_feed_enabled(feed: Feed, enabled: bool, *, reason: str = "") -> Feed:
    feed.disabled = not enabled
    feed.disabled_reason = "" if enabled else (reason or "disabled by the operator")
    if enabled:
        feed.consecutive_errors = 0
        feed.next_fetch_at = timezone.now()
    feed.save(update_fields=["disabled", "disabled_reason", "consecutive_errors", "next_fetch_at"])
    return feed


def set_politeness(feed: Feed, *, delay: float | None = None, concurrency: int | None = None) -> Feed:
    """Per-feed overrides of the per-host delay and concurrency; a negative delay or zero concurrency clears one."""
    if delay is not None:
        feed.fetch_delay = None if delay < 0 else delay
    if concurrency is not None:
        feed.fetch_concurrency = None if concurrency <= 0 else concurrency
    feed.save(update_fields=["fetch_delay", "fetch_concurrency"])
    return feed


def claim_due_feeds(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Ids of feeds due for polling, each pushed CLAIM ahead so that a second scheduler tick does not queue it again."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(disabled=False, next_fetch_at__lte=now)
            .order_by("next_fetch_at")
            .values_list("pk", flat=True)[:limit]
        )
        Feed.objects.filter(pk__in=ids).update(next_fetch_at=now + CLAIM)
    return ids


def poll_feed(feed_id: int, *, fetcher: Fetcher, record_entries: RecordEntries,
              now: datetime | None = None) -> PollOutcome:
    """Fetch one feed (conditionally), store its new entries with ``record_entries`` (the articles app's step, which
    returns the new articles' ids) in the same transaction as its health, and record that health."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        return PollOutcome(feed_id, "skipped")
    if feed.disabled:
        return PollOutcome(feed_id, "disabled")
    now = now or timezone.now()
    try:
        result = fetcher.fetch(
            feed.url,
            etag=feed.etag or None,
            last_modified=feed.last_modified or None,
            accept=FEED_ACCEPT,
            host_delay=feed.fetch_delay,
            host_concurrency=feed.fetch_concurrency,
        )
        if result.not_modified:
            return _record_not_modified(feed, result, now)
        parsed = feedparse.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
    except NewsloomError as exc:
        return _record_failure(feed, exc, now)
    except Exception as exc:  # a bug in a step must not stop the crawl: record it like any other failure
        log.exception("unexpected error polling %s", feed.url)
        return _record_failure(feed, NewsloomError(f"internal error: {type(exc).__name__}: {exc}"), now)

    published = [e.published for e in parsed.entries if e.published]
    interval = next_interval(published, now=now, cache_max_age=result.max_age, ttl_minutes=parsed.ttl_minutes)
    with transaction.atomic():
        new_ids = record_entries(feed, parsed.entries)
        status = f"ok: {len(parsed.entries)} entries, {len(new_ids)} new"
        if parsed.warnings:
            status += f" ({parsed.warnings[0][:120]})"
        Feed.objects.filter(pk=feed.pk).update(
            title=(parsed.title or feed.title)[:500],
            site_url=(parsed.link or feed.site_url)[:2000],
            format=parsed.format,
            etag=(result.etag or "")[:500],
            last_modified=(result.last_modified or "")[:100],
            interval_seconds=int(interval.total_seconds()),
            next_fetch_at=now + jitter(interval),
            last_fetched_at=now,
            last_success_at=now,
            last_status=status[:300],
            last_error="",
            last_error_code="",
            consecutive_errors=0,
        )
    return PollOutcome(feed.pk, "ok", entries=len(parsed.entries), new_article_ids=new_ids)


def _record_not_modified(feed: Feed, result: FetchResult, now: datetime) -> PollOutcome:
    interval = timedelta(seconds=feed.interval_seconds)
    if result.max_age and result.max_age > interval.total_seconds():
        interval = timedelta(seconds=min(result.max_age, 24 * 3600))
    Feed.objects.filter(pk=feed.pk).update(
        next_fetch_at=now + jitter(interval),
        interval_seconds=int(interval.total_seconds()),
        last_fetched_at=now,
        last_success_at=now,
        last_status="not modified",
        last_error="",
        last_error_code="",
        consecutive_errors=0,
    )
    return PollOutcome(feed.pk, "not-modified")


def _record_failure(feed: Feed, exc: NewsloomError, now: datetime) -> PollOutcome:
    errors = feed.consecutive_errors + 1
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    delay = error_backoff(errors, base=timedelta(seconds=feed.interval_seconds), retry_after=retry_after)
    limit: int = settings.CONFIG.feed_disable_after
    disabled, reason = False, ""
    if isinstance(exc, HTTPStatusError) and exc.status == 410:
        disabled, reason = True, "the server says the feed is gone (HTTP 410)"
    elif errors >= limit:
        disabled, reason = True, f"{errors} consecutive failures; last: {exc}"
    Feed.objects.filter(pk=feed.pk).update(
        consecutive_errors=errors,
        last_fetched_at=now,
        last_status=f"error: {exc.code}",
        last_error=str(exc)[:2000],
        last_error_code=exc.code,
        next_fetch_at=now + delay,
        disabled=disabled,
        disabled_reason=reason[:300],
    )
    kind = "not a feed" if isinstance(exc, FeedParseError) else exc.code
    log.info("feed %s failed (%s): %s", feed.url, kind, exc)
    return PollOutcome(feed.pk, "disabled" if disabled else "error", error=str(exc))
