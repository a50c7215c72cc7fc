"""The Google Reader API (``/api/greader/``): what NetNewsWire, Reeder, Read You, FeedMe, Fluent Reader and newsboat
speak. ``urlpatterns`` is mounted by ``newsloom.urls``; a client's base URL may end in a slash or not (newsboat adds
its own), so the patterns are matched after any number of slashes."""

from __future__ import annotations

from django.urls import path, re_path

from newsloom.api.greader import views

API = "reader/api/0/"

urlpatterns = [
    path("accounts/ClientLogin", views.client_login, name="greader-login"),
    path(API + "token", views.token, name="greader-token"),
    path(API + "user-info", views.user_info),
    path(API + "subscription/list", views.subscription_list),
    path(API + "subscription/edit", views.subscription_edit),
    path(API + "subscription/quickadd", views.quickadd),
    path(API + "tag/list", views.tag_list),
    path(API + "unread-count", views.unread_count),
    path(API + "stream/items/ids", views.item_ids),
    path(API + "stream/items/contents", views.item_contents),
    path(API + "stream/contents", views.stream_contents),
    path(API + "stream/contents/<path:stream>", views.stream_contents),
    path(API + "edit-tag", views.edit_tag),
    path(API + "mark-all-as-read", views.mark_all_as_read),
    path("reader/atom", views.atom),
    path("reader/atom/<path:stream>", views.atom, name="greader-atom"),
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
