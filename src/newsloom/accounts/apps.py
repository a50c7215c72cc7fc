from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "newsloom.accounts"
    label = "accounts"
    verbose_name = "Readers"
