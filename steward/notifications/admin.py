"""Admin pages of the outbox: read-only, plus "retry" for failed mail (through operations)."""

from __future__ import annotations

from django.contrib import admin, messages

from steward.core.admin_support import ReadOnlyAdmin
from steward.core.errors import DomainError
from steward.notifications import operations
from steward.notifications.models import Notification, OutboundEmail


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "subject",
        "recipient",
        "group",
        "record_type",
        "record_id",
        "created_at",
        "read_at",
    ]
    list_filter = [("read_at", admin.EmptyFieldListFilter), "record_type"]
    search_fields = ["subject", "recipient__username", "group__name", "record_id"]
    list_select_related = ["recipient", "group"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "subject",
        "to_address",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["to_address", "subject", "message_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    @admin.action(description="Retry delivery of the selected email")
    def retry(self, request, queryset):
        done = 0
        for email in queryset:
            try:
                operations.requeue(request.user, email)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{email}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} email(s) queued for delivery again.")
