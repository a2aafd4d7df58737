"""The Procfile's worker (django-tasks' db_worker) runs tasks enqueued by the app."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from conftest import ROOT, database_url


def test_worker_runs_an_enqueued_task(transactional_db: Any) -> None:
    from django_tasks import TaskResultStatus

    from api.core.tests.sample_tasks import add

    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY

    env = {**os.environ, "GUICHET_ENV": "test", "DATABASE_URL": database_url()}
    env.pop("GUICHET_TEST_SQLITE", None)
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
