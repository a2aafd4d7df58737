"""Cross-cutting records: the first responses of idempotent writes."""

from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a write sent with an Idempotency-Key, to replay it."""

    owner = models.CharField(max_length=80, help_text="user:<id>, app:<id> or anonymous")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="core_unique_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"


class Delivery(models.Model):
    """An event a durable subscriber must receive (the outbox): written in the event's
    own transaction, handed over by the worker, retried until the subscriber succeeds."""

    source = models.CharField(max_length=60, help_text="The event's log: app_label.model.")
    event_id = models.BigIntegerField()
    subscriber = models.CharField(max_length=60)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()  # indexed where it is read: undelivered (Meta)
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id", "subscriber"], name="core_unique_delivery")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=models.Q(delivered_at__isnull=True), name="core_delivery_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.source} {self.event_id}"
