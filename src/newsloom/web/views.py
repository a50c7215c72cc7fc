"""Reader pages: thin views over ``pages`` / ``article_page``, each with conditional GET and public caching."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from newsloom.articles import search as article_search
from newsloom.sources import queries as source_queries
from newsloom.sources.models import Source
from newsloom.stories.ask import clean_question
from newsloom.stories.models import Story
from newsloom.web import listing_pages, meta, personal
from newsloom.web.article_page import article_page
from newsloom.web.enrichment_panel import allow_question, answer_question
from newsloom.web.forms import SEARCH_PAGE_SIZE, SearchForm
from newsloom.web.freshness import article_state, fresh, search_state, site_state, source_state, story_state
from newsloom.web.story_page import story_page


@fresh(site_state)
def home(request: HttpRequest) -> HttpResponse:
    page, cards = listing_pages.home_page(request.GET.get("page"))
    cards = personal.without_muted(request, cards)
    context: dict[str, Any] = {"page": page, "cards": cards, "nav": "home"}
    if request.headers.get("HX-Request"):
        return render(request, "newsloom/_story_cards.html", context)
    if page.number == 1:
        sections = listing_pages.hashtag_sections(exclude=[c.story.pk for c in cards[:5]])
        context["sections"] = personal.without_muted_sections(request, sections)
    context["meta"] = meta.site_meta(request, _("Top stories"))
    return render(request, "newsloom/home.html", context)


@fresh(article_state)
def article(request: HttpRequest, article_id: str) -> HttpResponse:
    found = article_page(article_id, comments=personal.thread_options(request))
    if found is None:
        raise Http404("No such article")
    return render(
        request,
        "newsloom/article.html",
        {
            "page": found,
            "article": found.article,
            "meta": meta.article_meta(found),
            **personal.article_extras(request, found),
        },
    )


@fresh(story_state)
def story(request: HttpRequest, story_id: str) -> HttpResponse:
    found = story_page(story_id, comments=personal.thread_options(request))
    if found is None:
        raise Http404("No such story")
    return render(
        request,
        "newsloom/story.html",
        {
            "page": found,
            "story": found.story,
            "meta": meta.story_meta(found),
            **personal.story_extras(request, found),
        },
    )


@require_safe
@cache_control(private=True, max_age=60)
def ask(request: HttpRequest, story_id: str) -> HttpResponse:
    """A question about one story, answered from its articles with citations: a fragment for htmx, else a page."""
    story = Story.objects.filter(pk=story_id).only("id", "title").first()
    if story is None:
        raise Http404("No such story")
    question = clean_question(request.GET.get("q", ""))
    limited = bool(question) and not allow_question(request)
    answer = answer_question(story.pk, question) if question and not limited else []
    context = {
        "story": story,
        "story_id": story.pk,
        "question": question,
        "answer": answer,
        "limited": limited,
        "meta": meta.site_meta(request, _("Ask about this story"), robots="noindex"),
    }
    template = "newsloom/_answer.html" if request.headers.get("HX-Request") else "newsloom/ask.html"
    return render(request, template, context, status=429 if limited else 200)


@fresh(source_state)
def source(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Source, slug=slug)
    page = listing_pages.source_page(item, request.GET.get("page"))
    return render(
        request,
        "newsloom/source.html",
        {
            "source": item,
            "feeds": source_queries.source_feeds(item),
            "page": page,
            "articles": page.object_list,
            "reader": personal.buttons(request),
            "meta": meta.site_meta(request, item.name, _("Recent articles from %(name)s") % {"name": item.name}),
        },
    )


@fresh(site_state)
def hashtag(request: HttpRequest, tag: str) -> HttpResponse:
    page, cards = listing_pages.hashtag_page(tag, request.GET.get("page"))
    if not cards and page.number == 1:
        raise Http404("No stories with this hashtag")
    cards = personal.without_muted(request, cards)
    if request.headers.get("HX-Request"):
        return render(request, "newsloom/_story_cards.html", {"page": page, "cards": cards})
    return render(
        request,
        "newsloom/hashtag.html",
        {
            "tag": tag,
            "page": page,
            "cards": cards,
            "meta": meta.site_meta(request, f"#{tag}"),
            "reader": personal.buttons(request),
        },
    )


@fresh(search_state)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {
        "form": form,
        "results": None,
        "search_query": request.GET.get("q", ""),
        "meta": meta.site_meta(request, _("Search"), robots="noindex"),
    }
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        number = data["page"] or 1
        found = article_search.search(
            data["q"],
            source=data["source"] or None,
            language=data["language"] or None,
            since=data["since"],
            until=data["until"],
            limit=SEARCH_PAGE_SIZE,
            offset=(number - 1) * SEARCH_PAGE_SIZE,
        )
        context.update(
            results=found,
            hits=listing_pages.fold_wire_copies(found.results),
            error=getattr(found, "error", None),
            number=number,
            has_next=found.total > number * SEARCH_PAGE_SIZE,
            query_string=form.query_string(),
            last_page=max(1, -(-found.total // SEARCH_PAGE_SIZE)),
        )
    return render(request, "newsloom/search.html", context)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "newsloom/404.html", {"meta": meta.site_meta(request, _("Page not found"))}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """No request context, no database, no cache: whatever broke, this page renders."""
    try:
        body = loader.get_template("newsloom/500.html").render({})
    except Exception:  # the last resort must not fail
        body = "<!doctype html><title>Error · newsloom</title><h1>Something went wrong</h1>"
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without this site's CSRF token (or from another site): refused, with a way back."""
    return render(request, "newsloom/403_csrf.html", {"meta": meta.site_meta(request, _("Form expired"))}, status=403)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this page."""
    return render(request, "newsloom/429.html", {"meta": meta.site_meta(request, _("Too many attempts"))}, status=429)
