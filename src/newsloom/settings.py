"""Django settings, built from the environment through ``newsloom.config`` (see README.md for every variable)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from newsloom.config import Config
from newsloom.observability.logging import logging_config
from newsloom.queue import make_huey

CONFIG = Config.from_env()
CONFIG.data_dir.mkdir(parents=True, exist_ok=True)

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = CONFIG.ensure_secret_key()
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "huey.contrib.djhuey",
    "newsloom.apps.PipelineConfig",
    "newsloom.sources",
    "newsloom.articles",
    "newsloom.stories",
    "newsloom.community",
    "newsloom.web",
]

MIDDLEWARE = [
    "newsloom.observability.middleware.OperationsMiddleware",  # first: /healthz, /readyz, /metrics; page latency
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsloom.web.pagecache.FreshPageMiddleware",  # a page stored under its current ETag skips the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsloom.urls"
WSGI_APPLICATION = "newsloom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict[str, object]:
    db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["CONN_MAX_AGE"] = None  # one connection per thread for its lifetime: opening one costs the PRAGMAs below
        db["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE avoids lock-upgrade deadlocks between writers.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
        db["TEST"] = {"NAME": str(CONFIG.data_dir / "test.sqlite3")}
    return db


DATABASES = {"default": _database(CONFIG.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

HUEY = make_huey(CONFIG.queue_url, workers=CONFIG.workers)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.data_dir / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LOGGING = logging_config(CONFIG.log_format, debug=DEBUG)
