"""Background work of the back office (django-tasks; the worker process runs it)."""

from __future__ import annotations

from django_tasks import task

from . import actions


@task()
def run_job(job_id: str) -> str:
    """Run a bulk action or an export; a job already taken by another worker is left alone."""
    return actions.run_job(job_id)
