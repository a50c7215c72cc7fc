"""The Following page: stories from the sources, hashtags and stories a reader follows, newest activity first,
marked when they gained articles since the reader's last visit; stories only muted sources cover are left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q

from newsloom.accounts import queries as account_queries
from newsloom.articles.models import Article
from newsloom.stories.models import Story
from newsloom.web.listing_pages import StoryCard, stories_with_hashtag, story_cards

PAGE_SIZE = 20
MAX_HASHTAGS = 50  # followed hashtags looked up (one query each)


@dataclass
class FollowingPage:
    page: Page[Story]
    cards: list[StoryCard]
    new: set[str]  # ids of stories with articles since the last visit
    new_count: int
    since: datetime | None
    follows: dict[str, list[str]]
    nothing_followed: bool


def followed_story_ids(user: Any) -> set[str]:
    state = account_queries.reader_state(user)
    ids = set(state.follows.get("story", set()))
    slugs = state.follows.get("source", set())
    if slugs:
        ids |= set(
            Article.objects.filter(source__slug__in=slugs, story__isnull=False)
            .exclude(status=Article.Status.PENDING)
            .values_list("story_id", flat=True)
            .distinct()
        )
    for tag in sorted(state.follows.get("hashtag", set()))[:MAX_HASHTAGS]:
        ids |= {s.pk for s in stories_with_hashtag(tag)}
    if state.muted and ids:  # a story whose every readable article is from a muted source leaves the page
        heard = set(
            Article.objects.filter(story_id__in=ids)
            .exclude(status=Article.Status.PENDING)
            .exclude(source_id__in=state.muted)
            .values_list("story_id", flat=True)
            .distinct()
        )
        ids &= heard | set(state.follows.get("story", set()))
    return ids


def following_page(user: Any, page_number: str | None) -> FollowingPage:
    state = account_queries.reader_state(user)
    ids = followed_story_ids(user)
    stories = (
        Story.objects.filter(pk__in=ids, article_count__gt=0)
        .defer("centroid", "comparison")
        .order_by("-last_published", "-changed_at", "pk")
    )
    page = Paginator(stories, PAGE_SIZE).get_page(page_number)
    profile = account_queries.profile_of(user)
    since = profile.following_seen_at if profile else None
    new_filter = Q(last_published__gt=since) if since else Q()
    new_count = stories.filter(new_filter).count() if since else len(ids)
    cards = story_cards(list(page.object_list))
    if state.muted:
        for card in cards:
            card.sources = [s for s in card.sources if s.pk not in state.muted]
    new = {s.pk for s in page.object_list if since is None or (s.last_published and s.last_published > since)}
    follows = {kind: sorted(keys) for kind, keys in state.follows.items()}
    return FollowingPage(page, cards, new, new_count, since, follows, nothing_followed=not state.follows)
