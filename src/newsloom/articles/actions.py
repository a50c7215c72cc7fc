"""Every write to articles: new feed entries become pending articles; a fetched page becomes the article's full text.

Each action is one transaction; follow-up work is announced (``followups``) only after commit. Re-running any action
is harmless: a URL already known is skipped, an article no longer pending is left alone.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import lxml.html
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from newsloom import followups
from newsloom.articles.models import Article, ArticleURL
from newsloom.articles.rows import insert_rows
from newsloom.columns import checked_url, clean_text, cut, fit_row, fit_values, optional_url
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.core.ingest.fetch import Fetcher
from newsloom.core.ingest.polling import error_backoff
from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.article import read_article
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.core.reading.sanitize import sanitize_html
from newsloom.core.text import content_hash, normalize_whitespace, word_count
from newsloom.core.urls import article_id
from newsloom.errors import (
    ExtractionError,
    HostBusy,
    InternalError,
    NewsloomError,
    PermanentFetchError,
    RateLimited,
    TransientFetchError,
)
from newsloom.sources.actions import RecordedEntries
from newsloom.sources.models import Feed

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
MAX_ATTEMPTS = 4
RETRY_BASE = timedelta(seconds=20)
RECONNECT_RETRY = timedelta(seconds=5)  # the database connection broke mid-ingest: try again on a new one this soon
FUTURE_SLACK = timedelta(hours=12)
SUMMARY_CHARS = 5000  # the feed's summary kept as plain text, cut to this
HOST_BUSY_RETRY = 2.0  # seconds, about: a page whose host had no free slot is queued again this much later


def host_busy_retry() -> timedelta:
    """When to try a page again whose host was busy: HOST_BUSY_RETRY, spread by half either way so the pages put
    back together do not all come back at once."""
    return timedelta(seconds=HOST_BUSY_RETRY * (0.5 + random.random()))


@dataclass(frozen=True)
class IngestOutcome:
    article_id: str
    result: str  # "stored", "feed-only", "merged", "retry", "skipped"
    retry_in: timedelta | None = None
    detail: str = ""
    code: str = ""  # the error's code when the page was not stored (errors.py), for the metrics


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by blank lines."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return normalize_whitespace(html)
    blocks = [normalize_whitespace(el.text_content()) for el in root.iter("p", "li", "h2", "h3", "h4", "blockquote")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else normalize_whitespace(root.text_content())


def entry_url(entry: FeedEntry) -> str:
    """The URL an entry is stored under: its link through the URL gate, canonical; ValueError saying why not."""
    if not entry.link:
        raise ValueError("the item has no link")
    return checked_url(Article, "url", entry.link, canonical=True)


def record_entries(feed: Feed, entries: Sequence[FeedEntry]) -> RecordedEntries:
    """Store each entry whose URL is new as a pending article, all in a few statements; return the new ids
    (announced after commit) and the entries skipped, each with its link and the reason. One bad entry is skipped
    and recorded, never the others."""
    recorded = RecordedEntries()
    candidates: dict[str, tuple[str, FeedEntry]] = {}
    for entry in entries:
        try:
            url = entry_url(entry)
        except ValueError as exc:
            recorded.skip(entry.link, str(exc))
            continue
        candidates.setdefault(article_id(url), (url, entry))
    if not candidates:
        return recorded
    known = _known_ids(list(candidates))
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for aid, (url, entry) in candidates.items():
        if aid in known:
            continue
        try:
            rows.append(fit_values(Article, _pending_article(feed, aid, url, entry, now)))
        except Exception as exc:  # one bad entry never costs its feed: skipped, recorded, the others go on
            recorded.skip(entry.link, f"{type(exc).__name__}: {exc}")
    with transaction.atomic():
        recorded.new_ids = _insert(rows, recorded)
        if recorded.new_ids:
            followups.announce(followups.ARTICLES_RECORDED, recorded.new_ids)
    return recorded


_IN_CHUNK = 2000  # ids per IN (...) query: well under every database's limit on parameters


def _known_ids(ids: list[str]) -> set[str]:
    """Which of these URL digests already lead to an article."""
    return _chunked_ids(ArticleURL, ids)


def _chunked_ids(model: type[Article] | type[ArticleURL], ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _IN_CHUNK):
        found.update(model.objects.filter(pk__in=ids[start : start + _IN_CHUNK]).values_list("pk", flat=True))
    return found


def _insert(rows: list[dict[str, Any]], recorded: RecordedEntries) -> list[str]:
    """Insert the new articles, then the URL aliases of those the database holds, in bulk; if the database refuses
    the batch, row by row. A refused row is skipped and recorded. Returns the ids stored."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return _insert_batch(rows, recorded)
    except DatabaseError:
        log.warning("a batch of %d entries was refused; storing them one by one", len(rows), exc_info=True)
    stored: list[str] = []
    for row in rows:
        try:
            with transaction.atomic():
                stored += _insert_batch([row], recorded)
        except DatabaseError as exc:
            recorded.skip(row["url"], f"the database refused the item: {type(exc).__name__}: {exc}")
    return stored


def _insert_batch(rows: list[dict[str, Any]], recorded: RecordedEntries) -> list[str]:
    insert_rows(Article, rows)
    held = _chunked_ids(Article, [row["id"] for row in rows])
    for row in rows:
        if row["id"] not in held:  # not refused yet not there: never expected, but never an alias without its row
            recorded.skip(row["url"], "the database did not store the item")
    stored = [row["id"] for row in rows if row["id"] in held]
    insert_rows(ArticleURL, [{"id": aid, "article_id": aid} for aid in stored])
    return stored


def _pending_article(feed: Feed, aid: str, url: str, entry: FeedEntry, now: datetime) -> dict[str, Any]:
    """The new article's fields (the others take their defaults)."""
    summary = clean_text(entry.summary)  # nh3 and lxml refuse lone surrogates and NUL characters
    feed_html = sanitize_html(clean_text(entry.content_html) or summary, base_url=url)
    published = entry.published or entry.updated
    if published and published > now + FUTURE_SLACK:
        published = None
    return {
        "id": aid,
        "url": url,
        "canonical_url": url,
        "source_id": feed.source_id,
        "feed_id": feed.pk,
        "guid": entry.guid or "",
        "title": entry.title,
        "author": entry.author or "",
        "feed_published_at": published,
        "published_at": published,
        "summary": cut(html_to_text(summary), SUMMARY_CHARS),
        "feed_html": feed_html,
        "lead_image": optional_url(Article, "lead_image", entry.image, base=url),
        "status": str(Article.Status.PENDING),
        "created_at": now,
    }


def ingest_article(aid: str, *, fetcher: Fetcher, detector: LanguageDetector | None = None,
                   extractor: Callable[..., ExtractedArticle] = read_article) -> IngestOutcome:
    """Fetch a pending article's page and store its full text; keep the feed's content when the page fails for good.

    Whatever goes wrong ends as a recorded outcome on the article: an unexpected exception (a bug in a step, a value
    the database refuses) keeps the feed's content with the error recorded, never an article left pending."""
    try:
        return _ingest_article(aid, fetcher=fetcher, detector=detector, extractor=extractor)
    except Exception as exc:
        if connection_lost(exc):  # not the article's fault: it stays pending, and the task tries again
            log.warning("article %s: the database connection was lost (%s); trying again", aid, exc)
            return IngestOutcome(aid, "retry", retry_in=RECONNECT_RETRY, detail=str(exc), code="database-lost")
        log.exception("unexpected error ingesting article %s", aid)
        return record_internal_error(aid, InternalError(f"internal error: {type(exc).__name__}: {exc}"),
                                     detector=detector)


#: PostgreSQL's SQLSTATEs for a connection that went away: class 08 (connection exception), and the server shutting
#: the backend down (57P01 admin shutdown, as from pg_terminate_backend; 57P02 crash; 57P03 not accepting connections)
_LOST_STATES = ("08", "57P01", "57P02", "57P03")


def connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` came from the database connection breaking (its backend terminated, the server restarted or
    failed over) rather than from the statement. Told by the driver's error, not by the connection afterwards:
    Django's health check may already have replaced it with a good one. Otherwise the task would record the failure
    as the article's outcome, a transient fault kept as feed-only for good. SQLite has no connection to lose."""
    if connection.vendor != "postgresql" or not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    state = getattr(exc.__cause__, "sqlstate", None)
    if isinstance(exc, InterfaceError) or state is None or state.startswith(_LOST_STATES):
        connection.close()  # the next query opens a new one
        return True
    return False


def record_internal_error(aid: str, error: NewsloomError, *, detector: LanguageDetector | None = None) -> IngestOutcome:
    """``keep_feed_content`` for an error nobody expected; if even that fails, the article is marked feed-only with
    the error, its texts as they are."""
    try:
        return keep_feed_content(aid, error, detector=detector)
    except DatabaseError:
        log.exception("article %s: its feed content could not be kept either", aid)
    now = timezone.now()
    Article.objects.filter(pk=aid, status=Article.Status.PENDING).update(
        status=Article.Status.FEED_ONLY,
        error_code=error.code,
        error=cut(clean_text(str(error)), 2000),
        attempts=F("attempts") + 1,
        fetched_at=now,
        published_at=Coalesce("feed_published_at", "published_at", Value(now)),
    )
    return IngestOutcome(aid, "feed-only", detail=str(error))


def _ingest_article(aid: str, *, fetcher: Fetcher, detector: LanguageDetector | None,
                    extractor: Callable[..., ExtractedArticle]) -> IngestOutcome:
    article = Article.objects.select_related("feed", "source").filter(pk=aid).first()
    if article is None or article.status != Article.Status.PENDING:
        return IngestOutcome(aid, "skipped")
    feed = article.feed
    try:
        page = fetcher.fetch(
            article.url,
            accept=HTML_ACCEPT,
            host_delay=feed.fetch_delay if feed else None,
            host_concurrency=feed.fetch_concurrency if feed else None,
            host_wait=fetcher.policy.host_wait,
        )
        extracted = extractor(page.content, url=page.final_url, charset=page.charset, detector=detector,
                              exclude=_outlet_names(article))
    except HostBusy as exc:  # nothing was sent: not an attempt; the page waits for a turn while others are served
        return IngestOutcome(aid, "retry", retry_in=host_busy_retry(), detail=str(exc), code=exc.code)
    except TransientFetchError as exc:
        attempts = article.attempts + 1
        if attempts < MAX_ATTEMPTS:
            retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
            delay = error_backoff(attempts, base=RETRY_BASE, retry_after=retry_after)
            Article.objects.filter(pk=aid, status=Article.Status.PENDING).update(
                attempts=attempts, error_code=exc.code, error=cut(clean_text(str(exc)), 2000)
            )
            return IngestOutcome(aid, "retry", retry_in=delay, detail=str(exc), code=exc.code)
        return keep_feed_content(aid, exc, detector=detector)
    except (PermanentFetchError, ExtractionError) as exc:
        return keep_feed_content(aid, exc, detector=detector)
    except Exception as exc:  # a bug in a step must not leave the article pending with no attempt recorded
        if connection_lost(exc):
            raise
        log.exception("unexpected error ingesting %s", article.url)
        return record_internal_error(aid, InternalError(f"internal error: {type(exc).__name__}: {exc}"),
                                     detector=detector)
    return store_extracted(aid, extracted, final_url=page.final_url)


def _outlet_names(article: Article) -> tuple[str, ...]:
    """Names an article's hashtags must not repeat: its outlet's."""
    return tuple(name for name in (article.source.name, article.source.slug) if name)


def keep_feed_content(aid: str, error: NewsloomError, *, detector: LanguageDetector | None = None) -> IngestOutcome:
    """The page is out of reach: the feed's own content becomes the article, marked so, with the reason recorded."""
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=aid, status=Article.Status.PENDING).first()
        if article is None:
            return IngestOutcome(aid, "skipped")
        text = html_to_text(article.feed_html) or article.summary
        now = timezone.now()
        article.text = text
        article.html = article.feed_html
        article.word_count = word_count(text)
        article.content_hash = content_hash(text) if text else ""
        article.language = (detector.detect(text) if detector and text else None) or ""
        article.published_at = article.feed_published_at or article.published_at or now
        article.fetched_at = now
        article.status = Article.Status.FEED_ONLY
        article.error_code = error.code
        article.error = cut(str(error), 2000)
        article.attempts += 1
        fit_row(article)
        article.save()
    log.info("article %s kept feed content: %s", aid, error)
    return IngestOutcome(aid, "feed-only", detail=str(error), code=error.code)


def choose_published(extracted: ExtractedArticle, feed_date: datetime | None, now: datetime) -> datetime:
    """Page metadata first, the feed's date second; a page's bare date yields to the feed's time on the same day."""
    page = extracted.published
    if page and page > now + FUTURE_SLACK:
        page = None
    if page and extracted.published_has_time:
        return page
    if page and feed_date and feed_date.date() == page.date():
        return feed_date
    return feed_date or page or now


def store_extracted(aid: str, extracted: ExtractedArticle, *, final_url: str) -> IngestOutcome:
    """Write the extracted text; if the page names another canonical URL, the article moves to that URL's id.

    The page's own URLs (canonical, final, lead image) pass the URL gate first: a bad canonical URL is ignored, a
    bad image dropped; every text is fitted to its column."""
    final = optional_url(Article, "canonical_url", final_url, canonical=True)
    canonical = optional_url(Article, "canonical_url", extracted.canonical_url, canonical=True) or final
    now = timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=aid, status=Article.Status.PENDING).first()
        if article is None:
            return IngestOutcome(aid, "skipped")
        canonical = canonical or article.url
        new_id = article_id(canonical)
        aliases = {new_id, article_id(final)} if final else {new_id}
        article.canonical_url = canonical
        article.title = extracted.title or article.title
        article.author = extracted.author or article.author
        article.published_at = choose_published(extracted, article.feed_published_at, now)
        article.fetched_at = now
        article.language = extracted.language or ""
        article.text = extracted.text
        article.html = extracted.html
        article.site_name = extracted.site_name or ""
        article.lead_image = optional_url(Article, "lead_image", extracted.lead_image) or article.lead_image
        article.word_count = extracted.word_count
        article.content_hash = content_hash(extracted.text)
        article.hashtags = list(extracted.hashtags)
        article.status = Article.Status.OK
        article.error_code = ""
        article.error = ""
        article.attempts += 1
        fit_row(article)
        if new_id == aid:
            article.save()
            result = "stored"
        else:
            result = _move_article(article, new_id)
        ArticleURL.objects.bulk_create(
            [ArticleURL(id=a, article_id=new_id) for a in aliases if a != aid], ignore_conflicts=True
        )
    return IngestOutcome(new_id, result)


def _move_article(article: Article, new_id: str) -> str:
    """Re-key an article under its canonical URL's id, or fold it into the article already stored there."""
    old_id = article.pk
    existing = Article.objects.select_for_update().filter(pk=new_id).first()
    if existing is None:
        article.pk = new_id
        article.save(force_insert=True)
        result = "stored"
    else:
        result = "merged"
    ArticleURL.objects.filter(article_id=old_id).update(article_id=new_id)
    Article.objects.filter(pk=old_id).delete()
    return result


def pending_article_ids(*, idle_for: timedelta | None = None) -> list[str]:
    """Articles still waiting for their page; with ``idle_for``, only those untouched that long (lost work)."""
    pending = Article.objects.filter(status=Article.Status.PENDING)
    if idle_for is not None:
        pending = pending.filter(updated_at__lt=timezone.now() - idle_for)
    return list(pending.values_list("pk", flat=True))
