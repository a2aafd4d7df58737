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
