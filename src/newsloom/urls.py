from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from newsloom.api import fever, greader
from newsloom.api.v1 import api as api_v1
from newsloom.observability import urls as operations_urls
from newsloom.web import feed_urls, pwa

urlpatterns = [
    *operations_urls.urlpatterns,  # /metrics, /healthz, /readyz
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
    re_path(r"^api/greader/+", include(greader.urlpatterns)),
    re_path(r"^api/fever/?$", fever.fever, name="fever"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("feeds/", include(feed_urls)),
    *feed_urls.sitemap_patterns,
    *i18n_patterns(
        path("accounts/", include("allauth.urls")),
        path("", include("newsloom.web.urls")),
        prefix_default_language=True,
    ),
]

handler404 = "newsloom.web.views.not_found"
handler500 = "newsloom.web.views.server_error"
handler429 = "newsloom.web.views.too_many_requests"  # allauth's rate limits
