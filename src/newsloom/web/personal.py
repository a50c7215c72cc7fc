"""What a page adds for the reader looking at it: the comment box, follow, save and mute buttons, read marks.

Anonymous readers get only what every anonymous reader gets (the page stays public and stored); a signed-in reader's
page is personal, and ``freshness.fresh`` keeps it out of every shared cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from newsloom.accounts import actions as account_actions
from newsloom.accounts import queries as account_queries
from newsloom.articles.models import Article
from newsloom.community.queries import NEWEST, OLDEST
from newsloom.web.freshness import signed_in


@dataclass
class CommentBox:
    """The comment form under a thread, and what came back from the last post (kept when it was refused)."""

    kind: str  # "article" or "story"
    target_id: str
    signed_in: bool = False
    ban: str | None = None  # the reason, when the reader is banned
    text: str = ""
    parent: int | None = None
    error: str = ""
    notice: str = ""

    @property
    def post_url(self) -> str:
        return reverse("web:post_comment", kwargs={"kind": self.kind, "target_id": self.target_id})

    @property
    def page_url(self) -> str:
        return reverse(f"web:{self.kind}", args=[self.target_id])

    @property
    def max_chars(self) -> int:
        return int(settings.COMMUNITY.max_chars)

    @property
    def banned(self) -> bool:
        return self.ban is not None


def thread_options(request: HttpRequest) -> dict[str, Any]:
    order = NEWEST if request.GET.get("comments") == NEWEST else OLDEST
    if not signed_in(request):
        return {"order": order}
    window = timedelta(minutes=settings.COMMUNITY.edit_minutes)
    return {"order": order, "viewer_id": request.user.pk, "edit_after": timezone.now() - window}


def comment_box(request: HttpRequest, kind: str, target_id: str, **fields: Any) -> CommentBox:
    if not signed_in(request):
        return CommentBox(kind, target_id)
    return CommentBox(kind, target_id, signed_in=True, ban=account_queries.ban_of(request.user), **fields)


@dataclass
class ReaderButtons:
    """The state of one reader's buttons on a page (None on anonymous pages, which show none)."""

    follows: account_queries.ReaderState
    saved: bool = False

    def following(self, kind: str, key: Any) -> bool:
        return self.follows.following(kind, str(key))

    def muted(self, source_id: int) -> bool:
        return source_id in self.follows.muted


def buttons(request: HttpRequest, *, saved_article: str | None = None) -> ReaderButtons | None:
    if not signed_in(request):
        return None
    saved = bool(saved_article) and account_queries.is_saved(request.user, saved_article or "")
    return ReaderButtons(account_queries.reader_state(request.user), saved)


def article_extras(request: HttpRequest, page: Any, **box: Any) -> dict[str, Any]:
    """The article page's personal parts; a signed-in reader's visit marks the article read."""
    article = page.article
    if signed_in(request):
        account_actions.mark_read(request.user, article)
        reader = buttons(request, saved_article=article.pk)
        if reader is not None and reader.follows.muted:
            page.related = [r for r in page.related if not reader.muted(r.article.source_id)]
        return {"reader": reader, "box": comment_box(request, "article", article.pk, **box)}
    return {"reader": None, "box": comment_box(request, "article", article.pk)}


def story_extras(request: HttpRequest, page: Any, **box: Any) -> dict[str, Any]:
    return {"reader": buttons(request), "box": comment_box(request, "story", page.story.pk, **box)}


def without_muted(request: HttpRequest, cards: list[Any]) -> list[Any]:
    """Story cards without those whose every source this reader muted; their muted sources left off the rest."""
    if not signed_in(request):
        return cards
    muted = account_queries.reader_state(request.user).muted
    if not muted:
        return cards
    kept = []
    for card in cards:
        card.sources = [s for s in card.sources if s.pk not in muted]
        if card.sources:
            kept.append(card)
    return kept


def without_muted_sections(request: HttpRequest, sections: list[Any]) -> list[Any]:
    """The home page's hashtag sections without stories that only this reader's muted sources cover."""
    if not signed_in(request) or not sections:
        return sections
    muted = account_queries.reader_state(request.user).muted
    if not muted:
        return sections
    ids = {story.pk for section in sections for story in section.stories}
    heard = set(
        Article.objects.filter(story_id__in=ids)
        .exclude(status=Article.Status.PENDING)
        .exclude(source_id__in=muted)
        .values_list("story_id", flat=True)
    )
    for section in sections:
        section.stories = [story for story in section.stories if story.pk in heard]
    return [section for section in sections if section.stories]
