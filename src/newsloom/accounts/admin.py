"""Readers in the admin: profiles (display name, ban and its reason) and what each reader follows."""

from __future__ import annotations

from django.contrib import admin

from newsloom.accounts.models import Follow, MutedSource, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "created", "banned_at"]
    list_filter = [("banned_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "user__email", "display_name"]
    readonly_fields = ["user", "signup_ip", "created", "following_seen_at", "banned_at"]
    fields = ["user", "display_name", "created", "signup_ip", "banned_at", "ban_reason", "following_seen_at"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "key", "created"]
    list_filter = ["kind"]
    search_fields = ["user__username", "key"]


@admin.register(MutedSource)
class MutedSourceAdmin(admin.ModelAdmin):
    list_display = ["user", "source", "created"]
