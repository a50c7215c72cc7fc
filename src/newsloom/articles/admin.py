from django.contrib import admin

from newsloom.articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "status", "word_count"]
    list_filter = ["status", "language", "source"]
    search_fields = ["title", "canonical_url"]
    date_hierarchy = "published_at"
    readonly_fields = ["id", "url", "canonical_url", "content_hash", "fetched_at", "error", "error_code", "attempts"]
