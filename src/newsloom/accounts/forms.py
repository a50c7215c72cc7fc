"""The sign-up form: allauth's, plus a display name, a honeypot hidden by the style sheet (no inline style), and
the new-accounts-per-IP limit; and the settings page's display-name form."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsloom.accounts import queries
from newsloom.accounts.actions import clean_display_name
from newsloom.accounts.clientip import client_ip
from newsloom.errors import AccountRefused

HONEYPOT = "website"


def _display_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Display name"),
        required=False,  # no maxlength: a long name is refused with a message, not cut by the browser
        help_text=_("Shown beside your comments; your user name when empty."),
    )


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"] = _display_name_field()
        if HONEYPOT in self.fields:  # allauth's widget hides it with an inline style, which the CSP forbids
            field = self.fields.pop(HONEYPOT)
            field.widget.attrs = {"class": "hp", "tabindex": "-1", "autocomplete": "off"}
            field.label = _("Leave this empty")
            self.fields[HONEYPOT] = field

    def clean_display_name(self) -> str:
        try:
            return clean_display_name(self.cleaned_data.get("display_name") or "")
        except AccountRefused as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        request = context.request
        limit = settings.COMMUNITY.signups_per_ip_day
        if request is not None and limit:
            since = timezone.now() - timedelta(days=1)
            if queries.accounts_from_ip_since(client_ip(request), since) >= limit:
                raise forms.ValidationError(
                    _("Too many accounts were created from your network today. Please try again tomorrow.")
                )
        return data


class DisplayNameForm(forms.Form):
    display_name = _display_name_field()

    def clean_display_name(self) -> str:
        try:
            return clean_display_name(self.cleaned_data.get("display_name") or "")
        except AccountRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
