"""Account and comment settings from the environment: limits, mail, the shared cache."""

from __future__ import annotations

import pytest

from newsloom.accounts.mail import smtp_settings
from newsloom.config import CommunityLimits, Config


def test_limits_default_to_the_mature_systems_values() -> None:
    limits = Config.from_env({}).community
    assert limits == CommunityLimits()
    assert (
        limits.comment_interval,
        limits.new_account_comment_interval,
        limits.new_account_max_comments,
        limits.new_account_max_links,
        limits.signups_per_ip_day,
        limits.logins_per_ip_minute,
        limits.comments_per_ip_minute,
        limits.edit_minutes,
        limits.max_chars,
    ) == (5, 30, 10, 2, 3, 6, 2, 15, 2048)


def test_each_limit_is_a_setting() -> None:
    limits = CommunityLimits.from_env(
        {
            "NEWSLOOM_COMMENT_MAX_CHARS": "500",
            "NEWSLOOM_HOLD_NEW_ACCOUNTS": "false",
            "NEWSLOOM_SIGNUP": "no",
            "NEWSLOOM_LOGIN_LOCKOUT_MINUTES": "30",
        }
    )
    assert limits.max_chars == 500 and not limits.hold_new_accounts and not limits.signup
    assert limits.lockout_minutes == 30


def test_email_settings() -> None:
    assert smtp_settings("smtp://me%40x.org:p%2Fw@mail.example:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "me@x.org",
        "EMAIL_HOST_PASSWORD": "p/w",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 30,
    }
    assert smtp_settings("smtps://mail.example")["EMAIL_PORT"] == 465
    with pytest.raises(ValueError):
        smtp_settings("http://mail.example")
    with pytest.raises(ValueError):
        Config.from_env({"NEWSLOOM_EMAIL_VERIFICATION": "sometimes"})


def test_the_default_mail_and_cache_need_no_server() -> None:
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["pages"]["BACKEND"].endswith("LocMemCache")
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_over_https_the_session_and_csrf_cookies_are_secure(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsloom.settings'; django.setup(); "
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.CSRF_TRUSTED_ORIGINS)"
    )
    env = {
        **os.environ,
        "NEWSLOOM_DATA_DIR": str(tmp_path),
        "NEWSLOOM_HTTPS": "true",
        "NEWSLOOM_ALLOWED_HOSTS": "news.example",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True True True True ['https://news.example']"
