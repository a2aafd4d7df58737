"""The only code that writes the cross-cutting records (idempotency keys)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .idempotency import ttl
from .models import IdempotencyRecord


@transaction.atomic
def forget_idempotency_keys(owner: str) -> int:
    """Delete the keys and stored responses of one owner (``user:<id>``, ``app:<id>``…)."""
    deleted, _ = IdempotencyRecord.objects.filter(owner=owner).delete()
    return deleted


@transaction.atomic
def purge_idempotency_keys() -> int:
    """Delete the records older than the keys' lifetime (they would not be replayed)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - ttl()).delete()
    return deleted


def forget_idempotency_record(record: IdempotencyRecord) -> None:
    """Forget one record found past the keys' lifetime (its key may be used again).
    Only that version of it: a record written again meanwhile stays."""
    IdempotencyRecord.objects.filter(pk=record.pk, created_at=record.created_at).delete()
