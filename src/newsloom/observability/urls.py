"""The operations endpoints, mounted at the site's root by ``newsloom.urls`` (outside the language prefix). Requests
for them are answered before the URL conf by ``middleware.OperationsMiddleware``; the patterns name them for
``reverse`` and keep them in any stack without that middleware."""

from django.urls import path

from newsloom.observability import exposition, health

urlpatterns = [
    path("metrics", exposition.metrics, name="metrics"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
