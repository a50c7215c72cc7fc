"""Moderation: comments with their reports inline; hide, remove and restore through ``community.actions``.

Nothing is edited in place: bodies are written only by the actions (which sanitize them), states only by the
moderation actions below (which resolve the comment's open reports and change the page's ETag).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from newsloom.community import actions
from newsloom.community.models import Comment, Decision, Report
from newsloom.core.reading.sanitize import comment_text

PREVIEW_CHARS = 80


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["reporter", "reason", "note", "created", "resolved_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OpenReportsFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reports"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Open reports"), ("none", "No open reports")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "open":
            return queryset.filter(open_reports__gt=0)
        if self.value() == "none":
            return queryset.filter(open_reports=0)
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["preview", "author", "thread", "state", "open_reports", "created", "edited"]
    list_filter = [OpenReportsFilter, "state"]
    list_select_related = ["author"]
    search_fields = ["body", "author__username", "article__title", "story__title"]
    date_hierarchy = "created"
    ordering = ["-created", "-pk"]
    actions = ["hide", "remove", "restore"]
    inlines = [ReportInline]
    fields = [
        "text",
        "body",
        "author",
        "article",
        "story",
        "parent",
        "depth",
        "state",
        "created",
        "edited",
        "changed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Comment]:
        return (
            super()
            .get_queryset(request)
            .annotate(  # the thread's title without loading its article's text
                open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
                on_title=Coalesce("article__title", "story__title"),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # comments come from readers, through the actions

    @admin.display(description="comment")
    def preview(self, obj: Comment) -> str:
        text = comment_text(obj.body)
        return text if len(text) <= PREVIEW_CHARS else text[: PREVIEW_CHARS - 1] + "…"

    @admin.display(description="text as readers see it")
    def text(self, obj: Comment) -> str:
        return comment_text(obj.body)

    @admin.display(description="on")
    def thread(self, obj: Comment) -> str:
        kind = "article" if obj.article_id else "story"
        return f"{kind}: {getattr(obj, 'on_title', '') or obj.article_id or obj.story_id}"

    @admin.display(description="open reports", ordering="open_reports")
    def open_reports(self, obj: Comment) -> int:
        return int(getattr(obj, "open_reports", 0))

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Comment], decision: str, verb: str) -> None:
        done = 0
        for comment in queryset:
            actions.moderate(comment, decision, moderator=request.user)  # logged, as on the moderation page
            done += 1
        self.message_user(request, f"{verb} {done} comment{'s' if done != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Hide the selected comments", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "hide", "Hid")

    @admin.action(description="Remove the selected comments", permissions=["change"])
    def remove(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "remove", "Removed")

    @admin.action(description="Restore the selected comments (and dismiss their reports)", permissions=["change"])
    def restore(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        self._moderate(request, queryset, "restore", "Restored")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The moderation log, read-only: decisions are made on the moderation page and by the actions above."""

    list_display = ["created", "moderator", "action", "comment", "subject", "reason"]
    list_filter = ["action"]
    search_fields = ["moderator__username", "subject__username", "reason"]
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
