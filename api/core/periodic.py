"""Work the worker repeats: sweeps that expire drafts, fire due timers, purge old keys.

django-tasks has no schedule of its own, so a periodic task enqueues its next run
when it has run (``again``, in a ``finally``: a sweep that fails still comes back),
and the worker, when it starts, enqueues the first run of any periodic task that has
none queued (``ensure_queued``, called by ``manage.py worker``). The queued run is a
row of the task table like any other: it survives restarts. A task queued twice (two
workers starting at once) runs twice, which a sweep allows; its next run is enqueued
only if none is queued already, so the copies merge.

With a backend that runs tasks at once (``GUICHET_TASKS_IMMEDIATE``) there is
no worker, so nothing is scheduled: a run would enqueue the next, which would run at
once, and so on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")

#: Every periodic task, by its module path: (the task, how often it runs).
PERIODIC: dict[str, tuple[Any, timedelta]] = {}
#: Sweeps are housekeeping: the worker takes any other ready task first (django-tasks-db
#: takes the highest priority first; the default is 0).
PRIORITY = -10
#: What one run of a sweep does at most; if there was more, its next run is due at once
#: (after the other tasks ready by then), not after its interval.
BATCH = 500


def every(interval: timedelta) -> Callable[[T], T]:
    """Register a django-tasks task (applied above ``@task()``) to run every ``interval``."""

    def register(task: T) -> T:
        PERIODIC[task.module_path] = (task, interval)  # type: ignore[attr-defined]
        return task

    return register


def _scheduling() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def _queued(path: str) -> bool:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists()


def ensure_queued(now: datetime | None = None) -> list[str]:
    """Enqueue, to run now, each periodic task that has no run queued. Returns their paths."""
    if not _scheduling():
        return []
    autodiscover_modules("tasks")  # where the periodic tasks are registered
    started = []
    for path, (task, _interval) in PERIODIC.items():
        if not _queued(path):
            task.using(run_after=now or timezone.now(), priority=PRIORITY).enqueue()
            started.append(path)
    return started


def again(path: str, now: datetime | None = None, *, more: bool = False) -> bool:
    """Enqueue the next run of the periodic task ``path``: after its interval, or at once
    if this run left ``more`` to do; unless one is queued already. Returns whether it
    enqueued one."""
    if not _scheduling() or _queued(path):
        return False
    task, interval = PERIODIC[path]
    when = (now or timezone.now()) + (timedelta(0) if more else interval)
    task.using(run_after=when, priority=PRIORITY).enqueue()
    return True
