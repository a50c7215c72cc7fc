"""Outgoing e-mail: ``NEWSLOOM_EMAIL_URL`` (``smtp://user:password@host:587``, ``smtps://`` for TLS from the start)
as Django's SMTP settings. Without it, settings.py writes each message to a file under the data dir."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit


def smtp_settings(url: str) -> dict[str, object]:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"NEWSLOOM_EMAIL_URL must start with smtp:// or smtps://, not {url!r}")
    tls = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if tls else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": tls,
        "EMAIL_USE_TLS": not tls and (parts.port or 587) != 25,  # STARTTLS on the submission port
        "EMAIL_TIMEOUT": 30,
    }
