from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "newsloom.sources"
    label = "sources"
    verbose_name = "Sources and feeds"
