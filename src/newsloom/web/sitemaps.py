"""``/sitemap.xml``: an index of sections (stories, articles, sources, pages), each paginated by Django."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from newsloom.articles.models import Article
from newsloom.sources.models import Source
from newsloom.stories.models import Story


class _I18nSitemap(Sitemap):
    i18n = True  # one URL per configured language, ready for more than English
    limit = 10_000


class StorySitemap(_I18nSitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self) -> QuerySet[Story]:
        return Story.objects.filter(article_count__gt=0).only("id", "last_published").order_by("-last_published", "pk")

    def location(self, item: Story) -> str:
        return reverse("web:story", args=[item.pk])

    def lastmod(self, item: Story) -> datetime | None:
        return item.last_published


class ArticleSitemap(_I18nSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self) -> QuerySet[Article]:
        return (Article.objects.exclude(status=Article.Status.PENDING).only("id", "updated_at")
                .order_by("-published_at", "pk"))

    def location(self, item: Article) -> str:
        return reverse("web:article", args=[item.pk])

    def lastmod(self, item: Article) -> datetime | None:
        return item.updated_at


class SourceSitemap(_I18nSitemap):
    changefreq = "hourly"
    priority = 0.4

    def items(self) -> QuerySet[Source]:
        return Source.objects.only("slug").order_by("slug")

    def location(self, item: Source) -> str:
        return reverse("web:source", args=[item.slug])


class PageSitemap(_I18nSitemap):
    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["web:home"]

    def location(self, item: Any) -> str:
        return reverse(str(item))


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PageSitemap, "stories": StorySitemap, "articles": ArticleSitemap, "sources": SourceSitemap,
}
