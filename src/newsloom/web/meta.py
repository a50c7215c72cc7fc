"""What a page tells link previews and search engines: OpenGraph tags and schema.org NewsArticle JSON-LD.

Its own URLs are absolute under ``NEWSLOOM_PUBLIC_URL`` (``links.absolute``), never under the Host a request named;
the stored URLs it carries (publisher homepage, the original article, images) pass ``links.http_url`` first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from newsloom.web.article_page import ArticlePage
from newsloom.web.links import absolute, http_url
from newsloom.web.story_page import StoryPage

SITE_NAME = "newsloom"
DESCRIPTION_CHARS = 300


@dataclass
class PageMeta:
    title: str
    description: str = ""
    url: str = ""
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    section: str = ""
    tags: list[str] = field(default_factory=list)
    robots: str = ""
    json_ld: dict[str, Any] | None = None
    site_name: str = SITE_NAME


def _clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def site_meta(request: HttpRequest, title: str, description: str = "", *, robots: str = "") -> PageMeta:
    return PageMeta(title=title, description=description or "News from every side, gathered into stories.",
                    url=absolute(request.path), robots=robots)


def article_meta(page: ArticlePage) -> PageMeta:
    article = page.article
    url = absolute(reverse("web:article", args=[article.pk]))
    description = _clip(" ".join(s.text for s in page.summary[:2]) or article.summary or article.text)
    publisher = {"@type": "Organization", "name": article.source.name}
    if homepage := http_url(article.source.homepage):
        publisher["url"] = homepage
    image = http_url(article.lead_image)
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": _clip(article.title, 110),
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "isBasedOn": http_url(article.canonical_url),
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.updated_at or article.published_at),
        "publisher": publisher,
        "author": [{"@type": "Person", "name": article.author}] if article.author else [publisher],
        "keywords": page.hashtags,
        "inLanguage": article.language or None,
        "wordCount": article.word_count or None,
    }
    if image:
        ld["image"] = [image]
    return PageMeta(
        title=article.title, description=description, url=url, og_type="article", image=image,
        image_alt=page.image_alt, published=article.published_at, modified=article.updated_at,
        section=article.source.name, tags=page.hashtags, json_ld=_without_empty(ld),
    )


def story_meta(page: StoryPage) -> PageMeta:
    story = page.story
    url = absolute(reverse("web:story", args=[story.pk]))
    description = _clip(" ".join(s.text for s in page.summary[:2]))
    image = http_url(page.lead.lead_image) if page.lead else ""
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": _clip(story.title, 110),
        "description": description,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": _iso(story.first_published),
        "dateModified": _iso(story.last_published),
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "url": absolute(reverse("web:home"))},
        "author": {"@type": "Organization", "name": SITE_NAME},
        "keywords": [str(t) for t in story.hashtags] if isinstance(story.hashtags, list) else [],
        "citation": [
            _without_empty({"@type": "NewsArticle", "headline": a.title, "url": http_url(a.canonical_url),
                            "publisher": {"@type": "Organization", "name": a.source.name}})
            for a in page.timeline
        ],
    }
    if image:
        ld["image"] = [image]
    return PageMeta(
        title=story.title, description=description, url=url, og_type="article", image=image,
        image_alt=page.lead.title if page.lead else "", published=story.first_published,
        modified=story.last_published, json_ld=_without_empty(ld),
    )
