"""``/sitemap.xml``: an index of sections (stories, articles, sources, pages), each paginated by Django.

Every ``<loc>`` is absolute under ``NEWSLOOM_PUBLIC_URL``: Django's sitemap views would take the host from the
request, so the sections name the configured origin themselves and the index is built here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from newsloom.articles.models import Article
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.web.links import absolute, public_origin


class _I18nSitemap(Sitemap):
    i18n = True  # one URL per configured language, ready for more than English
    limit = 10_000

    def get_protocol(self, protocol: str | None = None) -> str:
        return public_origin()[0]

    def get_domain(self, site: Any = None) -> str:
        return public_origin()[1]


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


@x_robots_tag
def index(request: HttpRequest, sitemaps: dict[str, type[Sitemap]], sitemap_url_name: str) -> TemplateResponse:
    """The sitemap index (what ``django.contrib.sitemaps.views.index`` answers), its URLs under the public origin."""
    items = []
    latest: datetime | None = None
    every_lastmod = True
    for section, kind in sitemaps.items():
        sitemap = kind()
        url = absolute(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        if lastmod is None:
            every_lastmod = False
        elif latest is None or lastmod > latest:
            latest = lastmod
        items.append(SitemapIndexItem(url, lastmod))
        items += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    headers = {"Last-Modified": http_date(latest.timestamp())} if every_lastmod and latest else None
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml",
                            headers=headers)
