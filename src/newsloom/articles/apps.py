from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "newsloom.articles"
    label = "articles"
    verbose_name = "Articles"
