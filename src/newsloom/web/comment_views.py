"""Posting, editing, deleting and reporting comments: plain forms that work without JavaScript, enhanced by htmx.

With htmx (``HX-Request``) each answers with the thread section, swapped in place; without it, a success redirects
back to the comment and a refusal renders the whole page again with the reader's text in the form and the reason
above it (422, or 429 for a rate limit): nothing a reader wrote is lost.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from newsloom.accounts.clientip import client_ip
from newsloom.articles.models import Article
from newsloom.community import actions
from newsloom.community.models import Comment
from newsloom.errors import CommentRejected
from newsloom.stories.models import Story
from newsloom.web import meta, personal
from newsloom.web.article_page import article_page
from newsloom.web.freshness import signed_in
from newsloom.web.story_page import story_page

RATE_CODES = {"too-fast", "too-many"}


def _target(kind: str, target_id: str) -> Article | Story:
    if kind == "article":
        return get_object_or_404(
            Article.objects.exclude(status=Article.Status.PENDING).only("id", "status"), pk=target_id
        )
    if kind == "story":
        return get_object_or_404(Story.objects.only("id"), pk=target_id)
    raise Http404("No such thread")


def _of(comment: Comment) -> tuple[str, str]:
    return ("article", comment.article_id) if comment.article_id else ("story", str(comment.story_id))


def respond(
    request: HttpRequest, kind: str, target_id: str, *, status: int = 200, anchor: str = "comments", **box: Any
) -> HttpResponse:
    """The thread (htmx) or the page (plain form), drawn for this reader, with ``box``'s text, error or notice."""
    options = personal.thread_options(request)
    if request.POST.get("comments") == "newest":
        options["order"] = "newest"
    if kind == "article":
        found_article = article_page(target_id, comments=options)
        if found_article is None:
            raise Http404("No such article")
        context: dict[str, Any] = {
            "page": found_article,
            "article": found_article.article,
            "meta": meta.article_meta(found_article),
            **personal.article_extras(request, found_article, **box),
        }
        thread, template = found_article.comments, "newsloom/article.html"
    else:
        found_story = story_page(target_id, comments=options)
        if found_story is None:
            raise Http404("No such story")
        context = {
            "page": found_story,
            "story": found_story.story,
            "meta": meta.story_meta(found_story),
            **personal.story_extras(request, found_story, **box),
        }
        thread, template = found_story.comments, "newsloom/story.html"
    if request.headers.get("HX-Request"):
        response = render(request, "newsloom/_comments.html", {**context, "thread": thread}, status=status)
    elif status == 200 and not box.get("error"):
        if box.get("notice"):
            messages.info(request, box["notice"])
        return redirect(context["box"].page_url + f"#{anchor}")
    else:
        response = render(request, template, context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(
    request: HttpRequest, kind: str, target_id: str, exc: CommentRejected, text: str, parent: int | None = None
) -> HttpResponse:
    status = 429 if exc.code in RATE_CODES else 422
    return respond(request, kind, target_id, status=status, error=str(exc), text=text, parent=parent)


@never_cache
@require_POST
def post_comment(request: HttpRequest, kind: str, target_id: str) -> HttpResponse:
    target = _target(kind, target_id)
    if not signed_in(request):
        return redirect_to_login(personal.CommentBox(kind, target_id).page_url + "#comments")
    text = request.POST.get("text", "")
    if request.POST.get("website"):  # the honeypot: a bot filled in the field readers never see
        return respond(request, kind, target_id, notice=_("Thank you, your comment was received."))
    parent = None
    parent_id = request.POST.get("parent") or ""
    if parent_id:
        parent = Comment.objects.filter(pk=int(parent_id) if parent_id.isdigit() else 0).first()
        if parent is None:
            exc = CommentRejected(_("The comment you answered is gone."), code="not-visible")
            return _refused(request, kind, target_id, exc, text)
    try:
        comment = actions.post_comment(
            request.user, target, text, parent, limits=settings.COMMUNITY, client_ip=client_ip(request)
        )
    except CommentRejected as exc:
        return _refused(request, kind, target_id, exc, text, parent.pk if parent else None)
    if comment.state == Comment.State.HELD:
        notice = _(
            "Your comment is held for review: a moderator will look at it before others can see it. "
            "Until then only you can see it, below."
        )
        if not request.headers.get("HX-Request"):
            return respond(request, kind, target_id, status=202, notice=notice)
        return respond(request, kind, target_id, notice=notice)
    return respond(request, kind, target_id, notice=_("Your comment is posted."), anchor=f"comment-{comment.pk}")


def _own(request: HttpRequest, comment_id: int) -> Comment:
    return get_object_or_404(Comment, pk=comment_id)


@never_cache
@require_POST
def edit_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own(request, comment_id)
    kind, target_id = _of(comment)
    if not signed_in(request):
        return redirect_to_login(personal.CommentBox(kind, target_id).page_url)
    text = request.POST.get("text", "")
    try:
        edited = actions.edit_comment(comment, text, editor=request.user, limits=settings.COMMUNITY)
    except CommentRejected as exc:
        return _refused(request, kind, target_id, exc, text)
    notice = _("Your comment is changed.")
    if edited.state == Comment.State.HELD:
        notice = _("Your changed comment is held for review before others can see it.")
    return respond(request, kind, target_id, notice=notice, anchor=f"comment-{comment.pk}")


@never_cache
@require_POST
def delete_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own(request, comment_id)
    kind, target_id = _of(comment)
    if not signed_in(request):
        return redirect_to_login(personal.CommentBox(kind, target_id).page_url)
    try:
        actions.delete_comment(comment, by=request.user)
    except CommentRejected as exc:
        return _refused(request, kind, target_id, exc, "")
    return respond(request, kind, target_id, notice=_("Your comment is deleted."))


@never_cache
@require_POST
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _own(request, comment_id)
    kind, target_id = _of(comment)
    if not signed_in(request):
        return redirect_to_login(personal.CommentBox(kind, target_id).page_url)
    reason = request.POST.get("reason") or "other"
    try:
        actions.report_comment(comment, request.user, reason, request.POST.get("note", ""))
    except CommentRejected as exc:
        return _refused(request, kind, target_id, exc, "")
    return respond(request, kind, target_id, notice=_("Thank you: a moderator will look at that comment."))
