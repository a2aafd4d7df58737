"""Background work of the spine (django-tasks; the worker process runs it)."""

from __future__ import annotations

from django_tasks import task

from .outbox import deliver_due


@task()
def deliver_events() -> int:
    """Hand committed events to the durable subscribers (the outbox); idempotent."""
    return deliver_due()
