from django.contrib import admin

from newsloom.sources.models import Feed, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "country", "language"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "homepage"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["url", "source", "disabled", "last_status", "consecutive_errors", "next_fetch_at"]
    list_filter = ["disabled", "last_error_code"]
    search_fields = ["url", "title", "source__name"]
    readonly_fields = ["last_fetched_at", "last_success_at", "last_status", "last_error", "last_error_code",
                       "consecutive_errors", "etag", "last_modified"]
