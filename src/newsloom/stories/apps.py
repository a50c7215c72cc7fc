from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "newsloom.stories"
    label = "stories"
    verbose_name = "Stories"
