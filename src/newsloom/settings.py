"""Django settings, built from the environment through ``newsloom.config`` (see README.md for every variable)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

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
    "ninja",  # its templates and static files: the API docs page without a CDN
    "csp",  # its system checks catch a django-csp 3 style setting
    "newsloom.apps.PipelineConfig",
    "newsloom.sources",
    "newsloom.articles",
    "newsloom.stories",
    "newsloom.community",
    "newsloom.accounts",
    "newsloom.web",
    "allauth",  # after newsloom.web, whose templates override allauth's
    "allauth.account",
]

MIDDLEWARE = [
    "newsloom.observability.middleware.OperationsMiddleware",  # first: /healthz, /readyz, /metrics; page latency
    "django.middleware.security.SecurityMiddleware",
    # outside the page cache: a stored page, and the 400 for a Host not allowed, get these headers as any page does
    "csp.middleware.CSPMiddleware",
    "newsloom.web.headers.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # /api/ only: a stored answer at once (with the headers above), gzip, one error body for Django's own errors
    "newsloom.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsloom.web.pagecache.FreshPageMiddleware",  # a page stored under its current ETag skips the rest
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

# One Content-Security-Policy for every page (django-csp 4): no inline script or style and no eval anywhere (htmx is
# told so by the <meta name="htmx-config"> in base.html). A feature that needs another source adds it to a list here,
# or for one view with csp.decorators.csp_update; never 'unsafe-inline' or 'unsafe-eval'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "http:", "https:"],  # lead images and images in articles stay on their publishers' hosts
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (newsloom.web.headers): every powerful browser feature off; a feature that needs one lists it
# here, e.g. "publickey-credentials-get": ["self"].
PERMISSIONS_POLICY: dict[str, list[str]] = {
    name: [] for name in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "picture-in-picture",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff (Django's default, stated)
SECURE_REFERRER_POLICY = "same-origin"  # no Referer to other sites: a publisher is not told which page sent a reader
X_FRAME_OPTIONS = "DENY"

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


# ------------------------------------------------------------------------------- readers' accounts (django-allauth)
# Every limit is a NEWSLOOM_ setting (config.CommunityLimits); README "Accounts and comments" lists them.
COMMUNITY = CONFIG.community
CACHES = {
    # shared by every process: rate limits and lock-outs (allauth's and ours) must hold across them
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CONFIG.cache_url}
        if CONFIG.cache_url and CONFIG.cache_url.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "newsloom_cache"}
    ),
    # each process's own: stored pages and remembered rankings (web.pagecache), never per reader
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsloom-pages"},
}
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
ACCOUNT_ADAPTER = "newsloom.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "newsloom.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = CONFIG.email_verification
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_LOGOUT_REDIRECT_URL = "web:home"
ACCOUNT_RATE_LIMITS = {
    "login": f"{COMMUNITY.logins_per_ip_minute}/m/ip",
    "login_failed": f"{COMMUNITY.logins_per_ip_minute * 2}/m/ip,"
    f"{COMMUNITY.lockout_attempts}/{COMMUNITY.lockout_minutes}m/key",
    "signup": f"{max(COMMUNITY.signups_per_ip_day * 4, 10)}/h/ip",  # attempts; accounts made: the signup form
}
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = CONFIG.trusted_ip_header
ALLAUTH_TRUSTED_PROXY_COUNT = CONFIG.trusted_proxy_count
DEFAULT_FROM_EMAIL = CONFIG.email_from
if CONFIG.email_url:
    from newsloom.accounts.mail import smtp_settings

    globals().update(smtp_settings(CONFIG.email_url))
else:  # a laptop needs no mail server: each message is a file
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(CONFIG.data_dir / "mail")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = CONFIG.https
if CONFIG.https:  # behind a TLS-terminating proxy the request looks like http; the browser's Origin is https
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host not in ("*", "testserver")]
CSRF_FAILURE_VIEW = "newsloom.web.views.csrf_failure"
