"""Every write to articles: new feed entries become pending articles; a fetched page becomes the article's full text.

Each action is one transaction; follow-up work is announced (``followups``) only after commit. Re-running any action
is harmless: a URL already known is skipped, an article no longer pending is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import lxml.html
from django.db import transaction
from django.utils import timezone

from newsloom import followups
from newsloom.articles.models import Article, ArticleURL
from newsloom.core.ingest.feeds import FeedEntry
from newsloom.core.ingest.fetch import Fetcher
from newsloom.core.ingest.polling import error_backoff
from newsloom.core.language.detect import LanguageDetector
from newsloom.core.reading.article import read_article
from newsloom.core.reading.extract import ExtractedArticle
from newsloom.core.reading.sanitize import sanitize_html
from newsloom.core.text import content_hash, normalize_whitespace, word_count
from newsloom.core.urls import article_id, canonicalize
from newsloom.errors import ExtractionError, NewsloomError, PermanentFetchError, RateLimited, TransientFetchError
from newsloom.sources.models import Feed

log = logging.getLogger(__name__)

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
MAX_ATTEMPTS = 4
RETRY_BASE = timedelta(seconds=20)
FUTURE_SLACK = timedelta(hours=12)


@dataclass(frozen=True)
class IngestOutcome:
    article_id: str
    result: str  # "stored", "feed-only", "merged", "retry", "skipped"
    retry_in: timedelta | None = None
    detail: str = ""


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


def record_entries(feed: Feed, entries: Sequence[FeedEntry]) -> list[str]:
    """Store each entry whose URL is new as a pending article; return the new ids (announced after commit)."""
    candidates: dict[str, tuple[str, FeedEntry]] = {}
    for entry in entries:
        if not entry.link:
            continue
        try:
            url = canonicalize(entry.link)
        except ValueError:
            log.info("feed %s: skipping entry with unusable link %r", feed.url, entry.link)
            continue
        candidates.setdefault(article_id(url), (url, entry))
    if not candidates:
        return []
    known = set(ArticleURL.objects.filter(pk__in=list(candidates)).values_list("pk", flat=True))
    now = timezone.now()
    new = [(aid, url, entry) for aid, (url, entry) in candidates.items() if aid not in known]
    with transaction.atomic():
        Article.objects.bulk_create(
            [_pending_article(feed, aid, url, entry, now) for aid, url, entry in new], ignore_conflicts=True
        )
        ArticleURL.objects.bulk_create([ArticleURL(id=aid, article_id=aid) for aid, _, _ in new], ignore_conflicts=True)
        ids = [aid for aid, _, _ in new]
        if ids:
            followups.announce(followups.ARTICLES_RECORDED, ids)
    return ids


def _pending_article(feed: Feed, aid: str, url: str, entry: FeedEntry, now: datetime) -> Article:
    feed_html = sanitize_html(entry.content_html or entry.summary, base_url=url)
    published = entry.published or entry.updated
    if published and published > now + FUTURE_SLACK:
        published = None
    return Article(
        id=aid,
        url=url,
        canonical_url=url,
        source_id=feed.source_id,
        feed=feed,
        guid=(entry.guid or "")[:2000],
        title=entry.title[:1000],
        author=(entry.author or "")[:500],
        feed_published_at=published,
        published_at=published,
        summary=html_to_text(entry.summary)[:5000],
        feed_html=feed_html,
        lead_image=(entry.image or "")[:2000],
        status=Article.Status.PENDING,
        created_at=now,
    )


def ingest_article(aid: str, *, fetcher: Fetcher, detector: LanguageDetector | None = None,
                   extractor: Callable[..., ExtractedArticle] = read_article) -> IngestOutcome:
    """Fetch a pending article's page and store its full text; keep the feed's content when the page fails for good."""
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
        )
        extracted = extractor(page.content, url=page.final_url, charset=page.charset, detector=detector,
                              exclude=_outlet_names(article))
    except TransientFetchError as exc:
        attempts = article.attempts + 1
        if attempts < MAX_ATTEMPTS:
            retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
            delay = error_backoff(attempts, base=RETRY_BASE, retry_after=retry_after)
            Article.objects.filter(pk=aid, status=Article.Status.PENDING).update(
                attempts=attempts, error_code=exc.code, error=str(exc)
            )
            return IngestOutcome(aid, "retry", retry_in=delay, detail=str(exc))
        return keep_feed_content(aid, exc, detector=detector)
    except (PermanentFetchError, ExtractionError) as exc:
        return keep_feed_content(aid, exc, detector=detector)
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
        article.error = str(error)[:2000]
        article.attempts += 1
        article.save()
    log.info("article %s kept feed content: %s", aid, error)
    return IngestOutcome(aid, "feed-only", detail=str(error))


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
    """Write the extracted text; if the page names another canonical URL, the article moves to that URL's id."""
    new_id = article_id(extracted.canonical_url)
    aliases = {new_id, article_id(canonicalize(final_url))}
    now = timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=aid, status=Article.Status.PENDING).first()
        if article is None:
            return IngestOutcome(aid, "skipped")
        article.canonical_url = extracted.canonical_url
        article.title = (extracted.title or article.title)[:1000]
        article.author = (extracted.author or article.author)[:500]
        article.published_at = choose_published(extracted, article.feed_published_at, now)
        article.fetched_at = now
        article.language = extracted.language or ""
        article.text = extracted.text
        article.html = extracted.html
        article.site_name = (extracted.site_name or "")[:300]
        article.lead_image = (extracted.lead_image or article.lead_image)[:2000]
        article.word_count = extracted.word_count
        article.content_hash = content_hash(extracted.text)
        article.hashtags = list(extracted.hashtags)
        article.status = Article.Status.OK
        article.error_code = ""
        article.error = ""
        article.attempts += 1
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
