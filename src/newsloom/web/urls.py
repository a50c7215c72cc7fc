"""Reader pages, mounted under the language prefix (``/en/…``) by ``i18n_patterns`` in ``newsloom.urls``."""

from django.urls import path, re_path

from newsloom.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^article/(?P<article_id>[0-9a-f]{32})$", views.article, name="article"),
    re_path(r"^story/(?P<story_id>[0-9a-f]{32})$", views.story, name="story"),
    re_path(r"^story/(?P<story_id>[0-9a-f]{32})/ask$", views.ask, name="ask"),
    path("source/<slug:slug>", views.source, name="source"),
    re_path(r"^hashtag/(?P<tag>[^/.\s]{1,100})$", views.hashtag, name="hashtag"),
    path("search", views.search, name="search"),
]
