"""Background work of notifications (django-tasks; the worker process runs it)."""

from __future__ import annotations

from django_tasks import task

from .sender import send_due


@task()
def send_notifications() -> int:
    """Send the notifications that are due (idempotent: what is sent is not sent again)."""
    return send_due()
