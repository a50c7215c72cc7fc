"""newsloom's allauth adapter: our client IP, our limits, a profile with every new account, clear messages."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from newsloom.accounts import actions
from newsloom.accounts.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts for this account: it is locked for a while. "
            "Try again later, or reset your password."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.COMMUNITY.signup)

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            actions.ensure_profile(
                user, display_name=form.cleaned_data.get("display_name") or "", signup_ip=client_ip(request)
            )
        return user
