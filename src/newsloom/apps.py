"""The pipeline's own app: it loads the task module, which registers the queue tasks with huey and the follow-up
handlers with ``followups``, in every process Django starts (web, worker, crawl, tests)."""

from __future__ import annotations

from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "newsloom"
    label = "pipeline"
    verbose_name = "newsloom pipeline"

    def ready(self) -> None:
        from newsloom import tasks  # noqa: F401  (imported for its registrations)
