"""The operations endpoints, mounted at the site's root by ``newsloom.urls`` (outside the language prefix)."""

from django.urls import path

from newsloom.observability import exposition, health

urlpatterns = [
    path("metrics", exposition.metrics, name="metrics"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
