"""A signed-in reader's own newsloom: follow and unfollow, save, mute, read marks; the Following and Saved pages.

The buttons are plain POST forms (htmx swaps the button in place; without JavaScript the reader is sent back to
the page they were on). Pages here are personal: never cached by anyone but the reader's own browser.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.accounts.models import Follow
from newsloom.articles.models import Article
from newsloom.errors import AccountRefused
from newsloom.sources.models import Source
from newsloom.stories.models import Story
from newsloom.web import meta
from newsloom.web.following_page import following_page


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


def _button(request: HttpRequest, template: str, context: dict[str, Any], fallback: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = render(request, template, {**context, "next": request.POST.get("next", "")})
        response["Cache-Control"] = "private, no-store"
        return response
    return _back(request, fallback)


@never_cache
@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    if kind == Follow.Kind.SOURCE:
        fallback = reverse("web:source", args=[get_object_or_404(Source, slug=key).slug])
    elif kind == Follow.Kind.STORY:
        fallback = reverse("web:story", args=[get_object_or_404(Story.objects.only("id"), pk=key).pk])
    elif kind == Follow.Kind.HASHTAG:
        try:
            fallback = reverse("web:hashtag", args=[key])
        except NoReverseMatch as exc:
            raise Http404("No such hashtag") from exc
    else:
        raise Http404("Nothing to follow")
    on = request.POST.get("on") == "1"
    try:
        (account_actions.follow if on else account_actions.unfollow)(request.user, kind, key)
    except AccountRefused as exc:
        raise Http404(str(exc)) from exc
    return _button(request, "newsloom/_follow.html", {"kind": kind, "key": key, "on": on}, fallback)


@never_cache
@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("id"), pk=request.POST.get("article", ""))
    on = request.POST.get("on") == "1"
    (account_actions.save_article if on else account_actions.unsave_article)(request.user, article)
    return _button(
        request,
        "newsloom/_save.html",
        {"article_id": article.pk, "saved": on},
        reverse("web:article", args=[article.pk]),
    )


@never_cache
@login_required
@require_POST
def mute(request: HttpRequest) -> HttpResponse:
    source = get_object_or_404(Source, slug=request.POST.get("source", ""))
    on = request.POST.get("on") == "1"
    (account_actions.mute_source if on else account_actions.unmute_source)(request.user, source)
    fallback = reverse("web:source", args=[source.slug])
    return _button(request, "newsloom/_mute.html", {"source": source, "muted": on}, fallback)


@never_cache
@login_required
@require_POST
def read(request: HttpRequest) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("id"), pk=request.POST.get("article", ""))
    on = request.POST.get("on") == "1"
    (account_actions.mark_read if on else account_actions.mark_unread)(request.user, article)
    return _button(request, "newsloom/_read.html", {"article_id": article.pk, "read": on}, reverse("web:saved"))


@never_cache
@login_required
@require_safe
def following(request: HttpRequest) -> HttpResponse:
    found = following_page(request.user, request.GET.get("page"))
    response = render(
        request,
        "newsloom/following.html",
        {
            "found": found,
            "page": found.page,
            "cards": found.cards,
            "nav": "following",
            "meta": meta.site_meta(request, _("Following"), robots="noindex"),
        },
    )
    if found.page.number == 1:
        account_actions.saw_following(request.user, timezone.now())
    return response


@never_cache
@login_required
@require_safe
def saved(request: HttpRequest) -> HttpResponse:
    articles = account_queries.saved_articles(request.user)
    read_ids = account_queries.read_ids(request.user, [a.pk for a in articles])
    for article in articles:
        article.is_read = article.pk in read_ids
    return render(
        request,
        "newsloom/saved.html",
        {
            "articles": articles,
            "nav": "saved",
            "meta": meta.site_meta(request, _("Saved"), robots="noindex"),
            "muted": account_queries.muted_sources(request.user),
        },
    )
