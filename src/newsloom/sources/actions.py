"""Every write to sources and feeds: adding, importing, polling (with health and schedule), enabling, disabling."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from newsloom.columns import checked_url, cut, fit_text, fit_values, optional_url
from newsloom.core.ingest import feeds as feedparse
from newsloom.core.ingest.fetch import Fetcher, FetchResult
from newsloom.core.ingest.opml import OpmlFeed, parse_opml, write_opml
from newsloom.core.ingest.polling import error_backoff, jitter, next_interval
from newsloom.errors import (
    FeedParseError,
    HTTPStatusError,
    InternalError,
    InvalidURL,
    NewsloomError,
    NotAFeed,
    RateLimited,
)
from newsloom.sources.models import Feed, Source

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
CLAIM = timedelta(minutes=10)  # a feed handed to the queue is not handed again for this long


@dataclass(frozen=True)
class SkippedEntry:
    link: str  # as published (may be anything: it is why some are skipped)
    reason: str


@dataclass
class RecordedEntries:
    """What storing a feed's entries did: the new articles' ids, and the entries skipped with their reasons."""

    new_ids: list[str] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)

    def skip(self, link: str | None, reason: str) -> None:
        self.skipped.append(SkippedEntry(link or "", reason))


#: the step that stores a feed's entries (``articles.actions.record_entries``)
RecordEntries = Callable[[Feed, Sequence[feedparse.FeedEntry]], RecordedEntries]


@dataclass
class PollOutcome:
    feed_id: int
    status: str  # "ok", "not-modified", "error", "disabled", "skipped"
    entries: int = 0
    new_article_ids: list[str] = field(default_factory=list)
    error: str = ""
    skipped: int = 0
    code: str = ""  # the error's code when the fetch failed (errors.py), for the metrics


@dataclass
class ImportResult:
    added: list[Feed] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def ensure_source(name: str, *, homepage: str = "", slug: str | None = None, **fields: str) -> Source:
    """The source with this slug, created (with the given fields) if it does not exist yet. Every value is fitted to
    its column; a homepage that is not a good http(s) URL is dropped."""
    name = fit_text(Source, "name", " ".join(name.split())) or "source"
    slug = slugify(slug or name)[:100] or "source"
    fields = fit_values(Source, fields)
    homepage = optional_url(Source, "homepage", homepage)
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
    """The feed at ``url`` (already checked: ``checked_url``), created for ``source`` if new; a bad ``site_url`` is
    dropped, the title cut to its column."""
    defaults = fit_values(Feed, {"source": source, "title": title, "format": format})
    defaults["site_url"] = optional_url(Feed, "site_url", site_url)
    feed, _ = Feed.objects.get_or_create(url=fit_values(Feed, {"url": url})["url"], defaults=defaults)
    return feed


def feed_url(url: str) -> str:
    """``url`` as a feed is stored under: through the URL gate, canonical; InvalidURL saying why not."""
    try:
        return checked_url(Feed, "url", url, canonical=True)
    except ValueError as exc:
        raise InvalidURL(f"{cut(url, 200)!r} is not a usable http(s) URL: {exc}") from exc


def add_feed(url: str, *, fetcher: Fetcher, source_name: str | None = None, **source_fields: str) -> Feed:
    """Subscribe to a feed URL, or to the first feed a web page advertises; the feed is fetched once to check it.

    Raises NewsloomError (with a readable message) when neither the URL nor any feed it links to is a feed.
    """
    url = feed_url(url)
    existing = Feed.objects.filter(url=url).first()
    if existing:
        return existing
    result = fetcher.fetch(url, accept=FEED_ACCEPT)
    try:
        parsed = feedparse.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
        subscribed = url
    except NotAFeed as exc:
        if not exc.feed_links:
            raise NotAFeed(f"{url} is a web page that advertises no feed") from exc
        subscribed = feed_url(exc.feed_links[0])
        existing = Feed.objects.filter(url=subscribed).first()
        if existing:
            return existing
        result = fetcher.fetch(subscribed, accept=FEED_ACCEPT)
        parsed = feedparse.parse(result.content, url=result.final_url, content_type=result.headers.get("content-type"))
    site = optional_url(Source, "homepage", parsed.link)
    homepage = site or f"{urlsplit(subscribed).scheme}://{urlsplit(subscribed).netloc}/"
    name = source_name or parsed.title or _host_name(homepage)
    with transaction.atomic():
        source = ensure_source(name, homepage=homepage, **source_fields)
        return create_feed(subscribed, source, title=parsed.title, site_url=site, format=parsed.format)


def import_opml(data: bytes) -> ImportResult:
    """Subscribe to every feed in an OPML file without fetching; each is polled on the next crawl. An outline that
    cannot be subscribed to is one line in ``errors``; the others are imported."""
    result = ImportResult()
    for item in parse_opml(data):
        try:
            url = feed_url(item.url)
        except InvalidURL as exc:
            result.errors.append(str(exc))
            continue
        if Feed.objects.filter(url=url).exists():
            result.existing.append(url)
            continue
        homepage = optional_url(Source, "homepage", item.html_url)
        name = item.title or _host_name(homepage or url)
        try:
            with transaction.atomic():
                source = ensure_source(name, homepage=homepage)
                result.added.append(create_feed(url, source, title=item.title or "", site_url=homepage))
        except (DatabaseError, ValueError) as exc:
            log.warning("OPML outline %s not imported", url, exc_info=True)
            result.errors.append(f"{cut(url, 200)}: not imported ({type(exc).__name__}: {cut(str(exc), 300)})")
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
        return _record_failure(feed, InternalError(f"internal error: {type(exc).__name__}: {exc}"), now)

    try:
        published = [e.published for e in parsed.entries if e.published]
        interval = next_interval(published, now=now, cache_max_age=result.max_age, ttl_minutes=parsed.ttl_minutes)
        with transaction.atomic():
            recorded = record_entries(feed, parsed.entries)
            Feed.objects.filter(pk=feed.pk).update(
                **fit_values(
                    Feed,
                    {
                        "title": parsed.title or feed.title,
                        "site_url": optional_url(Feed, "site_url", parsed.link or feed.site_url),
                        "format": parsed.format,
                        "etag": result.etag or "",
                        "last_modified": result.last_modified or "",
                        "interval_seconds": int(interval.total_seconds()),
                        "next_fetch_at": now + jitter(interval),
                        "last_fetched_at": now,
                        "last_success_at": now,
                        "last_status": _ok_status(parsed, recorded),
                        "last_error": "",
                        "last_error_code": "",
                        "consecutive_errors": 0,
                        **_skipped_health(recorded, now),
                    },
                )
            )
    except Exception as exc:  # storing failed: recorded on the feed like any other failure, the crawl goes on
        log.exception("unexpected error storing the entries of %s", feed.url)
        return _record_failure(feed, InternalError(f"internal error storing entries: {type(exc).__name__}: {exc}"), now)
    return PollOutcome(
        feed.pk, "ok", entries=len(parsed.entries), new_article_ids=recorded.new_ids, skipped=len(recorded.skipped)
    )


def _ok_status(parsed: feedparse.ParsedFeed, recorded: RecordedEntries) -> str:
    status = f"ok: {len(parsed.entries)} entries, {len(recorded.new_ids)} new"
    if recorded.skipped:
        status += f", {len(recorded.skipped)} skipped"
    if parsed.warnings:
        status += f" ({cut(parsed.warnings[0], 120)})"
    return status


def _skipped_health(recorded: RecordedEntries, now: datetime) -> dict[str, object]:
    """The feed's record of skipped entries: how many this poll, and the latest one's link and reason (kept until a
    later poll skips another)."""
    if not recorded.skipped:
        return {"skipped_items": 0}
    last = recorded.skipped[-1]
    for entry in recorded.skipped:
        log.info("feed entry skipped (%s): %s", entry.reason, cut(entry.link, 300))
    return {
        "skipped_items": len(recorded.skipped),
        "last_item_error": last.reason,
        "last_item_link": last.link,
        "last_item_error_at": now,
    }


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
        **fit_values(
            Feed,
            {
                "consecutive_errors": errors,
                "last_fetched_at": now,
                "last_status": f"error: {exc.code}",
                "last_error": cut(str(exc), 2000),
                "last_error_code": exc.code,
                "next_fetch_at": now + delay,
                "disabled": disabled,
                "disabled_reason": reason,
            },
        )
    )
    kind = "not a feed" if isinstance(exc, FeedParseError) else exc.code
    log.info("feed %s failed (%s): %s", feed.url, kind, exc)
    return PollOutcome(feed.pk, "disabled" if disabled else "error", error=str(exc), code=exc.code)
