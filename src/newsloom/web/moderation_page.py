"""/en/moderation: staff decide on held and reported comments (approve, hide, restore, remove) and ban accounts;
every decision is logged with who and when and listed below the queue. The admin covers the rest."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from newsloom.community import actions, queries
from newsloom.community.models import Comment
from newsloom.errors import CommentRejected
from newsloom.web import meta

View = Any


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("No such page")  # readers need not know the page exists
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapper


@never_cache
@staff_only
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    items = list(queries.moderation_queue()[:200])
    reports = {c.pk: list(c.reports.filter(resolved_at__isnull=True).select_related("reporter")) for c in items}
    for comment in items:
        comment.open = reports.get(comment.pk, [])
    return render(
        request,
        "newsloom/moderation.html",
        {
            "items": items,
            "decisions": queries.recent_decisions(),
            "nav": "moderation",
            "meta": meta.site_meta(request, _("Moderation"), robots="noindex"),
        },
    )


@never_cache
@staff_only
@require_POST
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id)
    action = request.POST.get("action", "")
    try:
        actions.moderate(comment, action, moderator=request.user, reason=request.POST.get("reason", ""))
    except CommentRejected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("web:moderation")


@never_cache
@staff_only
@require_POST
def ban(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    reason = request.POST.get("reason", "").strip()
    try:
        if request.POST.get("lift") == "1":
            actions.unban_author(user, moderator=request.user, reason=reason)
            messages.success(request, _("The ban is lifted."))
        else:
            if not reason:
                raise CommentRejected(_("Give the reason the reader will be shown."), code="invalid")
            actions.ban_author(user, moderator=request.user, reason=reason)
            messages.success(request, _("The account is banned and its comments hidden."))
    except CommentRejected as exc:
        messages.error(request, str(exc))
    return redirect("web:moderation")
