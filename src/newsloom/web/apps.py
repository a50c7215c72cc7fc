from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "newsloom.web"
    label = "web"
    verbose_name = "Reader website"
