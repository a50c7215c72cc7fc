"""Every write to stories and wire groups: placing new articles, replaying the window, scoring.

``build_stories`` must run under the queue lock "stories" (tasks.build_stories_task takes it): one clusterer at a time.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone

from newsloom import followups
from newsloom.articles.models import Article, WireGroup
from newsloom.core.enrichment.llm import LLMClient
from newsloom.core.enrichment.story import StoryEnrichment, StoryInput
from newsloom.core.grouping.embed import Embedder
from newsloom.core.grouping.wirecopies import Signature
from newsloom.stories.engine import DEFAULT_WINDOW, EngineDoc, StoryEngine
from newsloom.stories.enrich import compute_enrichment, story_articles
from newsloom.stories.models import ClusterState, Story
from newsloom.stories.rows import update_rows

log = logging.getLogger(__name__)

BATCH = 500
EMBED_CHARS = 1000
STORY_AGGREGATES = ["title", "language", "article_count", "source_count", "wire_group_count", "first_published",
                    "last_published", "score", "centroid", "changed_at"]
_engine: StoryEngine | None = None


def _state() -> ClusterState:
    state, _ = ClusterState.objects.get_or_create(pk=1)
    return state


def engine(window: timedelta = DEFAULT_WINDOW) -> StoryEngine:
    """This process's engine, replayed from the database if another process has placed articles since."""
    global _engine
    version = _state().version
    if _engine is None or _engine.version != version:
        _engine = _replay(window, version)
    return _engine


def forget_engine() -> None:
    global _engine
    _engine = None


def _vector(data: bytes | memoryview | None) -> np.ndarray | None:
    return np.frombuffer(bytes(data), dtype=np.float32) if data else None


def _engine_doc(article: Article, signature: Signature, vector: np.ndarray | None) -> EngineDoc:
    return EngineDoc(
        id=article.pk, title=article.title, text=article.text or article.summary or article.title,
        published=article.published_at or article.created_at, language=article.language or None,
        source=str(article.source_id), signature=signature, vector=vector,
    )


def _placeable() -> QuerySet[Article]:
    return Article.objects.exclude(status=Article.Status.PENDING).only(
        "id", "title", "text", "summary", "published_at", "created_at", "fetched_at", "language", "source_id",
        "signature", "vector", "story_id", "wire_group_id",
    )


def _replay(window: timedelta, version: int) -> StoryEngine:
    """Rebuild the engine from every placed article in the window, in (published, id) order; fix what differs."""
    fresh = StoryEngine(window=window)
    since = timezone.now() - window
    articles = list(_placeable().filter(clustered_at__isnull=False, published_at__gte=since)
                    .order_by("published_at", "id"))
    for article in articles:
        stored = Signature.from_bytes(bytes(article.signature)) if article.signature else None
        # a signature of the first format knows nothing of quotations and sentences: made again from the text
        sig = stored if stored is not None and stored.current else fresh.signature(article.text)
        fresh.add(_engine_doc(article, sig, _vector(article.vector)))
    fresh.version = version
    if articles:
        _write(fresh, articles, {})
    log.info("story engine replayed %d articles", len(articles))
    return fresh


@dataclass(frozen=True)
class PassReport:
    """What one story pass did, for whoever watches (``tasks`` hands it to the metrics): stories created or
    changed, and per placed article the seconds from its first sighting in a feed to its storing and to now."""

    stories_changed: int
    stored_after: list[float]
    placed_after: list[float]


def _report(placed: Sequence[Article], stories_changed: int, now: datetime) -> PassReport:
    stored, in_story = [], []
    for article in placed:
        seen = article.created_at
        if article.fetched_at is not None:
            stored.append((article.fetched_at - seen).total_seconds())
        in_story.append((now - seen).total_seconds())
    return PassReport(stories_changed, stored, in_story)


def build_stories(*, embedder: Embedder | None = None, limit: int = BATCH,
                  report: Callable[[PassReport], None] | None = None) -> int:
    """Place up to ``limit`` articles not yet in a story, oldest first; returns how many were placed (and hands
    ``report`` what the pass did, once it is committed)."""
    current = engine()
    articles = list(_placeable().filter(clustered_at__isnull=True).order_by("published_at", "id")[:limit])
    if not articles:
        return 0
    texts = [f"{a.title}\n{(a.text or a.summary)[:EMBED_CHARS]}" for a in articles]
    vectors = embedder.embed(texts) if embedder is not None else None
    fresh: dict[str, tuple[bytes, bytes | None]] = {}
    for i, article in enumerate(articles):
        sig = current.signature(article.text or article.summary or article.title)
        vector = vectors[i] if vectors is not None else None
        current.add(_engine_doc(article, sig, vector))
        fresh[article.pk] = (sig.to_bytes(), vector.astype(np.float32).tobytes() if vector is not None else None)
    try:
        changed = _write(current, articles, fresh)
    except Exception:
        forget_engine()  # memory is ahead of the database now: replay next time
        raise
    now = timezone.now()
    current.apply_window(now)
    if report is not None:
        report(_report(articles, changed, now))
    return len(articles)


def _write(current: StoryEngine, placed: Sequence[Article], fresh: dict[str, tuple[bytes, bytes | None]]) -> int:
    """Store the placement of ``placed`` and of every article whose story changed with them, in one transaction;
    returns how many stories were created or changed."""
    ids = current.affected([a.pk for a in placed])
    now = timezone.now()
    targets = {aid: (current.wire_of[aid], current.story_of(aid)) for aid in ids}
    titles = current.titles()
    with transaction.atomic():
        state = ClusterState.objects.select_for_update().get(pk=1)
        if state.version != current.version:
            raise RuntimeError("stories were changed by another process during this pass")
        stored = {pk: (group, story) for pk, group, story
                  in Article.objects.filter(pk__in=ids).values_list("pk", "wire_group_id", "story_id")}
        previous = {pk: story for pk, (_, story) in stored.items()}
        stories = {story for _, story in targets.values()}
        # rows to write: the placed articles, and members whose story or wire group moved (a merge); not every
        # member of a growing story on every pass, which made a story's cost grow with the square of its size
        moved = {a.pk for a in placed} | {aid for aid in ids if stored.get(aid) != targets[aid]}
        # likewise the wire groups: only those an article joined or left can change size (refreshing every group of
        # the touched stories was the largest single cost of a pass during a big crawl)
        groups = {targets[aid][0] for aid in moved}
        left = {old for aid in moved if (old := stored.get(aid, (None, None))[0]) and old not in groups}
        Story.objects.bulk_create([Story(id=s) for s in stories], ignore_conflicts=True)
        WireGroup.objects.bulk_create([WireGroup(id=g) for g in groups], ignore_conflicts=True)
        changed = []
        for article in Article.objects.filter(pk__in=moved).only("id", "story_id", "wire_group_id", "clustered_at"):
            group, story = targets[article.pk]
            article.wire_group_id, article.story_id, article.clustered_at = group, story, now
            if article.pk in fresh:
                article.signature, article.vector = fresh[article.pk]
            changed.append(article)
        fields = ["wire_group", "story", "clustered_at"] + (["signature", "vector"] if fresh else [])
        update_rows(changed, fields)
        emptied = {s for s in previous.values() if s and s not in stories}
        Story.objects.filter(pk__in=emptied, articles__isnull=True).delete()
        refresh_stories(stories, titles=titles, now=now)
        refresh_wire_groups(groups | left)
        state.version += 1
        state.updated_at = now
        state.save()
        current.version = state.version
        followups.announce(followups.STORIES_CHANGED)
    return len(stories)


def enrich_story(story_id: str, *, embedder: Embedder | None = None, llm: LLMClient | None = None,
                 force: bool = False, enricher: Callable[[StoryInput], StoryEnrichment] | None = None,
                 report: Callable[[list[float]], None] | None = None) -> bool:
    """Write the story's summary, key points, comparison and hashtags (and its articles' hashtags) if it changed
    since it was last enriched; True if it was enriched. ``report`` is handed, once it is written, the seconds from
    first sighting in a feed to now of each article placed in the story since its previous enrichment."""
    story = Story.objects.filter(pk=story_id).only("id", "enriched_at", "changed_at").first()
    if story is None or (not force and story.enriched_at and story.enriched_at >= story.changed_at):
        return False
    articles = story_articles(story_id)
    if not articles:
        return False
    result = compute_enrichment(articles, embedder=embedder, llm=llm, enricher=enricher)
    now = timezone.now()
    with transaction.atomic():
        Story.objects.filter(pk=story_id).update(
            summary=result.summary, key_points=result.key_points, comparison=result.comparison,
            hashtags=result.hashtags, enriched_at=now,
        )
        for article_id, tags in result.article_hashtags.items():
            Article.objects.filter(pk=article_id).update(hashtags=tags)
    if report is not None:
        new = Article.objects.filter(story_id=story_id)
        if story.enriched_at is not None:
            new = new.filter(clustered_at__gt=story.enriched_at)
        report([(now - seen).total_seconds() for seen in new.values_list("created_at", flat=True)])
    return True


def stale_story_ids(limit: int = 200, *, resting: timedelta | None = None) -> list[str]:
    """Stories changed since they were last enriched, most recently changed first. With ``resting``, a story
    enriched less than that long ago waits (a story gaining articles every second is summarised once a minute, not
    once per article); one never enriched never waits."""
    stale = Story.objects.filter(Q(enriched_at__isnull=True) | Q(enriched_at__lt=F("changed_at")))
    if resting is not None:
        stale = stale.filter(Q(enriched_at__isnull=True) | Q(enriched_at__lte=timezone.now() - resting))
    return list(stale.order_by("-changed_at").values_list("pk", flat=True)[:limit])


def refresh_wire_groups(groups: Iterable[str]) -> None:
    """Each group's size from its articles: one aggregate query, one bulk update."""
    wanted = list(groups)
    sizes = dict(
        Article.objects.filter(wire_group_id__in=wanted).values("wire_group_id")
        .annotate(n=Count("pk")).values_list("wire_group_id", "n")
    )
    update_rows([WireGroup(id=group, size=sizes.get(group, 0)) for group in wanted], ["size"])  # none left: 0


def story_score(sources: int, last_published: datetime | None, recent: int, now: datetime) -> float:
    """Ranked by independent sources, recency and how fast coverage grows: log-sources and growth, halved daily."""
    if last_published is None:
        return 0.0
    age_hours = max(0.0, (now - last_published).total_seconds() / 3600)
    return (math.log2(1 + sources) + 0.5 * math.log2(1 + recent)) * 0.5 ** (age_hours / 24)


def refresh_stories(story_ids: Iterable[str], *, titles: dict[str, str] | None = None,
                    now: datetime | None = None) -> None:
    """Recompute each story's aggregates from its articles (and its title, when the engine gives one): two reads for
    all the stories together and one bulk update, not a handful of queries per story."""
    now = now or timezone.now()
    ids = list(story_ids)
    recent_since = now - timedelta(hours=6)
    rows = (
        Article.objects.filter(story_id__in=ids).values("story_id")
        .annotate(
            n=Count("pk"), sources=Count("source", distinct=True), groups=Count("wire_group", distinct=True),
            first=Min("published_at"), last=Max("published_at"),
            recent=Count("pk", filter=Q(created_at__gte=recent_since)),
        )
    )
    vectors: dict[str, list[np.ndarray]] = {}
    language: dict[str, str] = {}
    earliest_title: dict[str, str] = {}
    members = (Article.objects.filter(story_id__in=ids).order_by("published_at", "id")
               .values_list("story_id", "vector", "language", "title"))
    for sid, vector, lang, title in members.iterator(chunk_size=2000):
        if vector:
            vectors.setdefault(sid, []).append(_vector(vector))  # type: ignore[arg-type]
        if lang and sid not in language:
            language[sid] = lang
        earliest_title.setdefault(sid, title)
    updated = []
    for row in rows:
        sid = row["story_id"]
        stack = vectors.get(sid)
        centroid = np.mean(np.stack(stack), axis=0).astype(np.float32).tobytes() if stack else None
        title = (titles or {}).get(sid) or earliest_title.get(sid) or ""
        updated.append(Story(
            id=sid, title=title[:1000], language=language.get(sid, ""), article_count=row["n"],
            source_count=row["sources"], wire_group_count=row["groups"], first_published=row["first"],
            last_published=row["last"], score=story_score(row["sources"], row["last"], row["recent"], now),
            centroid=centroid, changed_at=now,
        ))
    update_rows(updated, STORY_AGGREGATES)


def rescore_recent(days: int = 3) -> int:
    """Scores decay with time: recompute those of stories touched in the last ``days``."""
    since = timezone.now() - timedelta(days=days)
    ids = list(Story.objects.filter(last_published__gte=since).values_list("pk", flat=True))
    now = timezone.now()
    recent_since = now - timedelta(hours=6)
    for story in Story.objects.filter(pk__in=ids):
        recent = story.articles.filter(created_at__gte=recent_since).count()
        Story.objects.filter(pk=story.pk).update(
            score=story_score(story.source_count, story.last_published, recent, now)
        )
    return len(ids)


RETENTION_BATCH = 100  # stories removed per transaction: short write locks while readers and the pipeline go on


def remove_expired(cutoff: datetime, *, batch: int = RETENTION_BATCH) -> tuple[int, int]:
    """One batch of retention, in one transaction: stories whose latest article was published before ``cutoff``,
    with all their articles, and articles older than that in no story (never stored, or not yet placed). A story
    with comments on it or on any of its articles stays whole, and so does an article with comments. The wire
    groups those articles were in are recounted, and removed once empty; the search index follows the rows (SQLite's
    triggers, PostgreSQL's column). Returns (stories, articles) removed; (0, 0) when nothing is left to remove.

    Must run under the queue lock "stories" (as ``tasks`` does): no story pass places an article meanwhile. The
    cutoff is at least the story window old, so no running clusterer holds what goes."""
    with transaction.atomic():
        story_ids = list(
            Story.objects.filter(last_published__lt=cutoff)
            .exclude(comments__isnull=False).exclude(articles__comments__isnull=False)
            .order_by("last_published", "id").values_list("pk", flat=True)[:batch]
        )  # fmt: skip
        old = Q(published_at__lt=cutoff) | Q(published_at__isnull=True, created_at__lt=cutoff)
        article_ids = list(Article.objects.filter(story_id__in=story_ids).values_list("pk", flat=True))
        article_ids += Article.objects.filter(old, story__isnull=True).exclude(comments__isnull=False).values_list(
            "pk", flat=True
        )[: batch * 10]
        if not story_ids and not article_ids:
            return 0, 0
        groups = set(
            Article.objects.filter(pk__in=article_ids, wire_group__isnull=False).values_list("wire_group_id", flat=True)
        )
        Article.objects.filter(pk__in=article_ids).delete()  # their URLs go with them (cascade)
        Story.objects.filter(pk__in=story_ids).delete()
        WireGroup.objects.filter(pk__in=groups, articles__isnull=True).delete()
        refresh_wire_groups(WireGroup.objects.filter(pk__in=groups).values_list("pk", flat=True))
    log.info("retention: removed %d stories and %d articles published before %s", len(story_ids), len(article_ids),
             cutoff.isoformat())  # fmt: skip
    return len(story_ids), len(article_ids)
