"""Feeds out: top stories, each hashtag and each source as Atom, RSS 2.0 and JSON Feed 1.1.

One :class:`FeedSpec` per feed is built from the same read functions as the pages; the syndication classes and the
JSON Feed view only format it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsloom.sources.models import Source
from newsloom.web import listing_pages as pages
from newsloom.web.freshness import FEED_MAX_AGE, fresh, site_state, source_state
from newsloom.web.links import absolute, http_url
from newsloom.web.page_parts import hashtags_of

ITEMS = 30
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass
class FeedItem:
    path: str
    title: str
    summary: str
    published: datetime | None
    updated: datetime | None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str = ""


@dataclass
class FeedSpec:
    title: str
    description: str
    page_path: str  # the HTML page this feed follows
    route: str  # the feed's URL name; reversed with its kwargs and a format
    route_kwargs: dict[str, str]
    items: list[FeedItem]

    def feed_path(self, fmt: str) -> str:
        return reverse(self.route, kwargs={**self.route_kwargs, "fmt": fmt})


def _story_items(cards: list[pages.StoryCard]) -> list[FeedItem]:
    return [
        FeedItem(
            path=reverse("web:story", args=[card.story.pk]),
            title=card.story.title,
            summary=" ".join(s.text for s in card.summary),
            published=card.story.first_published,
            updated=card.story.last_published,
            authors=[s.name for s in card.sources],
            tags=hashtags_of(card.story),
            image=card.image,
        )
        for card in cards
    ]


def top_spec() -> FeedSpec:
    _page, cards = pages.home_page("1")
    return FeedSpec(_("Top stories · newsloom"), _("The stories most outlets are covering now."),
                    reverse("web:home"), "feeds:top", {}, _story_items(cards[:ITEMS]))


def hashtag_spec(tag: str) -> FeedSpec:
    stories = pages.stories_with_hashtag(tag)[:ITEMS]
    if not stories:
        raise Http404("No stories with this hashtag")
    return FeedSpec(f"#{tag} · newsloom", _("Stories tagged #%(tag)s.") % {"tag": tag},
                    reverse("web:hashtag", args=[tag]), "feeds:hashtag", {"tag": tag},
                    _story_items(pages.story_cards(stories)))


def source_spec(slug: str) -> FeedSpec:
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        raise Http404("No such source")
    articles = pages.source_page(source, "1").object_list[:ITEMS]
    items = [
        FeedItem(
            path=reverse("web:article", args=[a.pk]),
            title=a.title,
            summary=getattr(a, "blurb", ""),
            published=a.published_at,
            updated=a.published_at,
            authors=[source.name],
            image=a.lead_image,
        )
        for a in articles
    ]
    return FeedSpec(f"{source.name} · newsloom", _("Recent articles from %(name)s.") % {"name": source.name},
                    reverse("web:source", args=[slug]), "feeds:source", {"slug": slug}, items)


def build_spec(kind: str, key: str | None) -> FeedSpec:
    if kind == "top":
        return top_spec()
    if kind == "hashtag" and key:
        return hashtag_spec(key)
    if kind == "source" and key:
        return source_spec(key)
    raise Http404("No such feed")


class SpecFeed(Feed):
    """A :class:`FeedSpec` through Django's syndication framework; every link absolute under ``NEWSLOOM_PUBLIC_URL``
    (the framework would put the request's Host in front of a relative one)."""

    fmt = ""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedSpec:
        return build_spec(kwargs["kind"], kwargs.get("key"))

    def title(self, obj: FeedSpec) -> str:
        return obj.title

    def link(self, obj: FeedSpec) -> str:
        return absolute(obj.page_path)

    def feed_url(self, obj: FeedSpec) -> str:
        return absolute(obj.feed_path(self.fmt))

    def description(self, obj: FeedSpec) -> str:
        return obj.description

    def subtitle(self, obj: FeedSpec) -> str:
        return obj.description

    def language(self, obj: FeedSpec) -> str:
        return get_language() or "en"

    def items(self, obj: FeedSpec) -> list[FeedItem]:
        return obj.items

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_link(self, item: FeedItem) -> str:
        return absolute(item.path)

    def item_description(self, item: FeedItem) -> str:
        return item.summary

    def item_pubdate(self, item: FeedItem) -> datetime | None:
        return item.published

    def item_updateddate(self, item: FeedItem) -> datetime | None:
        return item.updated

    def item_author_name(self, item: FeedItem) -> str | None:
        return ", ".join(item.authors) or None

    def item_categories(self, item: FeedItem) -> list[str]:
        return item.tags


class AtomFeed(SpecFeed):
    feed_type = Atom1Feed
    fmt = "atom"


class RssFeed(SpecFeed):
    feed_type = Rss201rev2Feed
    fmt = "rss"


ATOM, RSS = AtomFeed(), RssFeed()


def json_feed(request: HttpRequest, kind: str, key: str | None) -> JsonResponse:
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    spec = build_spec(kind, key)
    items = []
    for item in spec.items:
        url = absolute(item.path)
        entry: dict[str, Any] = {"id": url, "url": url, "title": item.title, "content_text": item.summary or item.title}
        if item.summary:
            entry["summary"] = item.summary
        if item.published:
            entry["date_published"] = item.published.isoformat()
        if item.updated:
            entry["date_modified"] = item.updated.isoformat()
        if item.authors:
            entry["authors"] = [{"name": name} for name in item.authors]
        if item.tags:
            entry["tags"] = item.tags
        if image := http_url(item.image):
            entry["image"] = image
        items.append(entry)
    body = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": absolute(spec.page_path),
        "feed_url": absolute(spec.feed_path("json")),
        "description": spec.description,
        "language": get_language() or "en",
        "items": items,
    }
    return JsonResponse(body, content_type="application/feed+json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False})


def _feed(request: HttpRequest, fmt: str, kind: str, slug: str | None = None, tag: str | None = None) -> HttpResponse:
    key = slug or tag
    if fmt == "json":
        return json_feed(request, kind, key)
    return (ATOM if fmt == "atom" else RSS)(request, kind=kind, key=key)


site_feed = fresh(site_state, max_age=FEED_MAX_AGE)(_feed)
source_feed = fresh(source_state, max_age=FEED_MAX_AGE)(_feed)
