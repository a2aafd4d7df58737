"""Notifications: one row per message to send to one recipient on one channel, the
outbox the worker sends from and the delivery log people and applications read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from api.accounts.models import PushSubscription
from api.core.events import EventRecord


class Channel(models.TextChoices):
    PUSH = "push", _("Web push")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    WEBHOOK = "webhook", _("Webhook")


class State(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (given up)")
    DROPPED = "dropped", _("Dropped (recipient gone)")


class Notification(models.Model):
    """Telling one recipient about one event on one channel: written once per (event,
    channel, target) whatever the number of attempts, sent by the worker with retries,
    and kept as the delivery log."""

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=60, help_text="The event's log (app_label.model), or 'test'.")
    event_id = models.BigIntegerField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    target = models.CharField(max_length=60, help_text="Who or what receives it: user:<id>, push:<id>, hook:<id>.")
    topic = models.CharField(max_length=20, help_text="The kind of news (accounts.preferences.TOPICS).")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        PushSubscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    webhook = models.ForeignKey(
        "notify.Webhook", null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    request = models.UUIDField(null=True, blank=True, help_text="The request it is about.")
    language = models.CharField(max_length=2, default="fr")
    digest = models.BooleanField(default=False, help_text="Sent in the recipient's daily digest.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="", help_text="The lease's token (who holds it).")
    sent_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveIntegerField(null=True, blank=True, help_text="The last HTTP or SMTP status.")
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id", "channel", "target"], name="notify_once_per_event_and_target"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(state="pending"), name="notify_notification_due"
            ),
            models.Index(fields=["webhook", "-id"], name="notify_webhook_log"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.topic} to {self.target} ({self.state})"


class Webhook(models.Model):
    """Another system told about a procedure's requests: an application's subscription."""

    id = models.BigAutoField(primary_key=True)
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    kinds = models.JSONField(default=list, help_text="The event kinds sent (domain.verb).")
    secret = models.CharField(max_length=100, help_text="whsec_…: signs the payloads (Standard Webhooks).")
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["procedure", "active"], name="notify_webhook_procedure")]

    def __str__(self) -> str:
        return f"webhook {self.pk} of {self.application_id}"


class WebhookEvent(EventRecord):
    """The webhooks' log: subscriptions created, changed, deleted, disabled after failures."""

    subject_type = "webhook"
    subject_field = "webhook_key"

    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    webhook_key = models.BigIntegerField(help_text="Kept after deletion.")

    class Meta(EventRecord.Meta):
        pass
