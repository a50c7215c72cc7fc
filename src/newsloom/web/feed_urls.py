"""``/feeds/…`` (Atom, RSS, JSON Feed) and ``/sitemap.xml``: outside the language prefix, like other machine files."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path

from newsloom.web.feeds import site_feed, source_feed
from newsloom.web.freshness import FEED_MAX_AGE, fresh, site_state
from newsloom.web.sitemaps import SITEMAPS, index

FORMAT = r"\.(?P<fmt>atom|rss|json)$"

app_name = "feeds"
urlpatterns = [
    re_path(r"^top" + FORMAT, site_feed, {"kind": "top"}, name="top"),
    re_path(r"^hashtag/(?P<tag>[^/.\s]{1,100})" + FORMAT, site_feed, {"kind": "hashtag"}, name="hashtag"),
    re_path(r"^source/(?P<slug>[-a-zA-Z0-9_]+)" + FORMAT, source_feed, {"kind": "source"}, name="source"),
]

sitemap_patterns = [
    path("sitemap.xml", fresh(site_state, max_age=FEED_MAX_AGE)(index),
         {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", fresh(site_state, max_age=FEED_MAX_AGE)(sitemap_views.sitemap),
         {"sitemaps": SITEMAPS}, name="sitemap-section"),
]
