from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "newsloom.community"
    label = "community"
    verbose_name = "Community"
