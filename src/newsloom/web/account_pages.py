"""A reader's settings page: display name, links to allauth's e-mail and password pages, personal API tokens and app
passwords (made and revoked here; a new secret is shown once, on the page that made it), and "delete my account"."""

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


class AccessKeyForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What it is for"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[
            ("token", gettext_lazy("Personal API token (Authorization: Bearer …)")),
            ("app_password", gettext_lazy("App password (for reader apps: Google Reader and Fever)")),
        ],
    )


def _settings_page(
    request: HttpRequest,
    name_form: DisplayNameForm,
    delete_form: DeleteAccountForm,
    status: int = 200,
    new_secret: str | None = None,
    key_form: AccessKeyForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "newsloom/settings.html",
        {
            "name_form": name_form,
            "delete_form": delete_form,
            "nav": "settings",
            "ban": account_queries.ban_of(request.user),
            "keys": list(account_queries.access_keys(request.user)),
            "key_form": key_form or AccessKeyForm(),
            "new_secret": new_secret,
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


def _name_form(request: HttpRequest) -> DisplayNameForm:
    profile = account_queries.profile_of(request.user)
    return DisplayNameForm(initial={"display_name": profile.display_name if profile else ""})


@never_cache
@login_required
@require_POST
def create_key(request: HttpRequest) -> HttpResponse:
    form = AccessKeyForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, _name_form(request), DeleteAccountForm(), status=400, key_form=form)
    try:
        data = form.cleaned_data
        _, secret = account_actions.create_access_key(request.user, data["kind"], data["name"])
    except AccountRefused as exc:
        form.add_error("name", str(exc))
        return _settings_page(request, _name_form(request), DeleteAccountForm(), status=400, key_form=form)
    return _settings_page(request, _name_form(request), DeleteAccountForm(), new_secret=secret)


@never_cache
@login_required
@require_POST
def revoke_key(request: HttpRequest, key_id: int) -> HttpResponse:
    if account_actions.revoke_access_key(request.user, key_id):
        messages.success(request, _("The key is revoked: it no longer signs anything in."))
    return redirect("web:settings")
