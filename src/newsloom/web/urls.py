"""Reader pages, mounted under the language prefix (``/en/…``) by ``i18n_patterns`` in ``newsloom.urls``."""

from django.urls import path, re_path

from newsloom.web import account_pages, comment_views, moderation_page, reader_pages, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    re_path(r"^article/(?P<article_id>[0-9a-f]{32})$", views.article, name="article"),
    re_path(r"^story/(?P<story_id>[0-9a-f]{32})$", views.story, name="story"),
    re_path(r"^story/(?P<story_id>[0-9a-f]{32})/ask$", views.ask, name="ask"),
    path("source/<slug:slug>", views.source, name="source"),
    re_path(r"^hashtag/(?P<tag>[^/.\s]{1,100})$", views.hashtag, name="hashtag"),
    path("search", views.search, name="search"),
    # comments (POST forms; htmx swaps the thread in place)
    re_path(
        r"^(?P<kind>article|story)/(?P<target_id>[0-9a-f]{32})/comments$",
        comment_views.post_comment,
        name="post_comment",
    ),
    path("comment/<int:comment_id>/edit", comment_views.edit_comment, name="edit_comment"),
    path("comment/<int:comment_id>/delete", comment_views.delete_comment, name="delete_comment"),
    path("comment/<int:comment_id>/report", comment_views.report_comment, name="report_comment"),
    # the reader's own newsloom
    path("following", reader_pages.following, name="following"),
    path("saved", reader_pages.saved, name="saved"),
    path("me/follow", reader_pages.follow, name="follow"),
    path("me/save", reader_pages.save, name="save"),
    path("me/mute", reader_pages.mute, name="mute"),
    path("me/read", reader_pages.read, name="read"),
    path("settings", account_pages.settings_page, name="settings"),
    path("settings/delete", account_pages.delete_account, name="delete_account"),
    path("settings/keys", account_pages.create_key, name="create_key"),
    path("settings/keys/<int:key_id>/revoke", account_pages.revoke_key, name="revoke_key"),
    # staff
    path("moderation", moderation_page.queue, name="moderation"),
    path("moderation/comment/<int:comment_id>", moderation_page.decide, name="moderate"),
    path("moderation/user/<int:user_id>", moderation_page.ban, name="ban"),
]
