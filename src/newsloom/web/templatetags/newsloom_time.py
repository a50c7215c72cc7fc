"""``{{ when|news_time }}``: "3 hours ago", "6 days ago" within a week, then a localized date ("12 March 2026")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

register = template.Library()

WEEK = timedelta(days=7)


def relative_time(value: datetime, now: datetime) -> str:
    seconds = int((now - value).total_seconds())
    if seconds >= WEEK.total_seconds():
        return date_format(timezone.localtime(value), "j F Y")
    if seconds < 60:
        return gettext("just now")
    if seconds < 3600:
        n = seconds // 60
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", n) % {"n": n}
    if seconds < 86400:
        n = seconds // 3600
        return ngettext("%(n)d hour ago", "%(n)d hours ago", n) % {"n": n}
    n = seconds // 86400
    return ngettext("%(n)d day ago", "%(n)d days ago", n) % {"n": n}


@register.filter
def news_time(value: datetime | None) -> str:
    return relative_time(value, timezone.now()) if value else ""
