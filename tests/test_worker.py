"""The Procfile's worker (django-tasks' db_worker, with the periodic sweeps) runs tasks
enqueued by the app."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any

from conftest import ROOT, database_url


def test_worker_runs_an_enqueued_task(transactional_db: Any) -> None:
    from django_tasks import TaskResultStatus

    from api.core.tests.sample_tasks import add

    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


def run_worker(*extra: str) -> subprocess.CompletedProcess[str]:
    """The Procfile's worker command, on the test's database, until no task is ready."""
    line = next(li for li in (ROOT / "Procfile").read_text().splitlines() if li.startswith("worker:"))
    assert "manage.py worker " in line
    env = {**os.environ, "GUICHET_ENV": "test", "DATABASE_URL": database_url()}
    env.pop("GUICHET_TEST_SQLITE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "worker", "--queue-name", "*", "--batch", "--no-startup-delay", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_worker_starts_the_periodic_sweeps_which_queue_their_next_runs(transactional_db: Any) -> None:
    """A draft past its lifespan is removed by the sweep the worker queues when it
    starts; each sweep leaves its next run queued (not ready yet, so --batch ends)."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from api.catalog import actions as catalog
    from api.catalog.models import ProcedureState
    from api.submissions import actions
    from api.submissions.models import Submission

    category, _ = catalog.upsert_category("general", {"title": "Général"})
    procedure, _ = catalog.upsert_procedure(
        "salle", {"title": "Salle", "summary": "…", "category": category, "state": ProcedureState.PUBLISHED}
    )
    form = {
        "schema_version": 1,
        "pages": [{"id": "p", "title": "P", "fields": [{"type": "text", "varname": "nom", "label": "Nom"}]}],
    }
    catalog.save_definition(procedure, form)
    procedure.refresh_from_db()
    old, _ = actions.create_draft(procedure, actions.Actor(), {}, now=timezone.now() - timedelta(days=400))
    young, _ = actions.create_draft(procedure, actions.Actor(), {})

    worker = run_worker()
    assert worker.returncode == 0, worker.stderr

    assert not Submission.objects.filter(pk=old.pk).exists()
    assert Submission.objects.filter(pk=young.pk).exists()
    for path, every in (
        ("api.submissions.tasks.expire_drafts", timedelta(minutes=5)),
        ("api.submissions.tasks.fire_due_timers", timedelta(minutes=1)),
    ):
        runs = list(DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at"))
        assert [run.status for run in runs] == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY], path
        assert runs[1].run_after is not None and runs[0].finished_at is not None
        assert runs[0].finished_at < runs[1].run_after <= runs[0].finished_at + every, path

    # Started again, the worker queues nothing new: each sweep has its next run queued.
    again = run_worker()
    assert again.returncode == 0, again.stderr
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2
