"""Periodic tasks (api/core/periodic.py): each run queues the next, once; nothing is
scheduled without a worker. The worker's start is tested in tests/test_worker.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from api.core import periodic
from api.core.events import enqueue_with_transaction

from .sample_tasks import add, failing_sweep

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PATH = failing_sweep.module_path


@pytest.fixture(autouse=True)
def _registered() -> Iterator[None]:
    periodic.PERIODIC[PATH] = (failing_sweep, timedelta(minutes=3))
    yield
    del periodic.PERIODIC[PATH]


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=PATH, status=TaskResultStatus.READY))


def test_a_sweep_that_fails_still_queues_its_next_run() -> None:
    with pytest.raises(RuntimeError):
        failing_sweep.call()
    (run,) = queued()
    assert run.run_after is not None
    assert timezone.now() + timedelta(minutes=2) < run.run_after <= timezone.now() + timedelta(minutes=3)


def test_the_next_run_is_queued_once() -> None:
    assert periodic.again(PATH) is True
    assert periodic.again(PATH) is False
    assert len(queued()) == 1
    assert PATH not in periodic.ensure_queued()  # already queued
    assert len(queued()) == 1


def test_the_worker_start_queues_a_first_run_due_now() -> None:
    assert PATH in periodic.ensure_queued()
    (run,) = queued()
    assert run.run_after is not None and run.run_after <= timezone.now()
    # The sweeps of the apps are found without their modules being imported first.
    assert {"api.submissions.tasks.expire_drafts", "api.submissions.tasks.fire_due_timers"} <= set(periodic.PERIODIC)


def test_without_a_worker_nothing_is_scheduled(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    assert periodic.ensure_queued() == []
    assert periodic.again(PATH) is False
    result = failing_sweep.enqueue()  # runs at once; its failure is its own, not the scheduling's
    assert result.status == TaskResultStatus.FAILED
    assert [error.exception_class for error in result.errors] == [RuntimeError]
    assert not DBTaskResult.objects.exists()


def test_a_backend_that_runs_tasks_at_once_runs_them_after_the_commit(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = IMMEDIATE
    ran: list[int] = []

    def enqueue() -> None:
        ran.append(add.enqueue(1, 2).return_value)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_with_transaction(enqueue)
        assert ran == []  # not before the commit
    assert len(callbacks) == 1 and ran == [3]
