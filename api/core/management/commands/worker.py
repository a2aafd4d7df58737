"""The Procfile's worker: django-tasks' database worker, which first enqueues the
periodic sweeps that have no run queued (api/core/periodic.py)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from api.core import periodic


class Command(DatabaseWorker):
    help = "Run the background worker (django-tasks' db_worker), with Guichet's periodic sweeps"

    def handle(self, *args: Any, **options: Any) -> None:
        for path in periodic.ensure_queued():
            self.stderr.write(f"periodic task queued: {path}")
        super().handle(*args, **options)
