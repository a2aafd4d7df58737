"""The delivery log and the webhooks, read in the admin (applications manage their
webhooks through the API; nothing is changed here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification, Webhook


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "topic", "target", "state", "attempts", "response_status", "created_at", "sent_at"]
    list_filter = ["channel", "state", "topic"]
    search_fields = ["target", "request"]
    date_hierarchy = "created_at"


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ["id", "application", "procedure", "url", "active", "disabled_reason", "created_at"]
    list_filter = ["active"]
    exclude = ["secret"]
