"""A reader's settings page: display name, links to allauth's e-mail and password pages, and "delete my account"."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.forms import DisplayNameForm
from newsloom.errors import AccountRefused


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, delete my account. My comments stay, shown as by a deleted user.")
    )


def _settings_page(
    request: HttpRequest, name_form: DisplayNameForm, delete_form: DeleteAccountForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "newsloom/settings.html",
        {
            "name_form": name_form,
            "delete_form": delete_form,
            "nav": "settings",
            "ban": account_queries.ban_of(request.user),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    profile = account_queries.profile_of(request.user)
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            try:
                account_actions.set_display_name(request.user, form.cleaned_data["display_name"])
            except AccountRefused as exc:
                form.add_error("display_name", str(exc))
            else:
                messages.success(request, _("Your display name is saved."))
                return redirect("web:settings")
        return _settings_page(request, form, DeleteAccountForm(), status=400)
    form = DisplayNameForm(initial={"display_name": profile.display_name if profile else ""})
    return _settings_page(request, form, DeleteAccountForm())


@never_cache
@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if form.is_valid() and not request.user.check_password(form.cleaned_data["password"]):
        form.add_error("password", _("That is not your password."))
    if not form.is_valid():
        profile = account_queries.profile_of(request.user)
        name_form = DisplayNameForm(initial={"display_name": profile.display_name if profile else ""})
        return _settings_page(request, name_form, form, status=400)
    user = request.user
    logout(request)
    account_actions.delete_account(user)
    messages.success(request, _("Your account has been deleted."))
    return redirect("web:home")
