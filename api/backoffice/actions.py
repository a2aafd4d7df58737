"""The only code that writes jobs and saved views: starting a bulk action or an
export, and the worker running it (each request through the submissions' own
actions, so a bulk transition is exactly what an agent's click would do, lock and
409 included); an agent's inbox views, saved and deleted."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from api.accounts.access import roles_of
from api.accounts.models import Role, User
from api.core.events import Actor
from api.core.problems import Problem
from api.submissions import actions as submissions

from . import events, exports
from .models import Job, SavedView
from .queries import InboxFilter, filtered, held_by
from .sorting import EXPORT_ORDER, in_order

#: A progress event at most every this many requests (and at the end).
PROGRESS_EVERY = 100


@transaction.atomic
def start_job(kind: str, actor: Actor, roles: list[str], params: dict[str, Any]) -> Job:
    job = Job.objects.create(
        kind=kind, created_by=actor.user_or_none, application=actor.application, roles=roles, params=params
    )
    events.queued(job, actor)
    transaction.on_commit(lambda: _enqueue(job.pk), robust=True)
    return job


def _enqueue(job_id: Any) -> None:
    from .tasks import run_job

    run_job.enqueue(str(job_id))


def _acting_roles(job: Job) -> list[Role]:
    """The job's roles the person still holds (an application keeps its own)."""
    roles = Role.objects.filter(slug__in=job.roles)
    if job.created_by is not None:
        roles = roles & roles_of(job.created_by)
    return list(roles)


def _claim(job_id: Any) -> Job | None:
    """Take a queued job for this worker alone (compare-and-set)."""
    now = timezone.now()
    if not Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(state=Job.State.RUNNING, started_at=now):
        return None
    return Job.objects.select_related("created_by").get(pk=job_id)


def run_job(job_id: Any) -> str:
    job = _claim(job_id)
    if job is None:
        return "taken"
    try:
        if job.kind == Job.Kind.BULK:
            _run_bulk(job)
        else:
            _run_export(job)
    except Exception:
        _finish(job, Job.State.FAILED)
        raise
    _finish(job, Job.State.DONE)
    return "done"


def selection(job: Job, roles: list[Role]) -> Any:
    """The requests a job works on: those named, or those the filter finds now."""
    params = job.params
    queryset = held_by(roles)
    if params.get("ids"):
        return queryset.filter(pk__in=params["ids"])
    return filtered(queryset, InboxFilter.from_json(params.get("filter", {})), job.created_by)


def _progress(job: Job, done: int, *, force: bool = False) -> None:
    job.done = done
    Job.objects.filter(pk=job.pk).update(done=done)
    if force or done % PROGRESS_EVERY == 0:
        with transaction.atomic():
            events.progressed(job)


def _run_bulk(job: Job) -> None:
    roles = _acting_roles(job)
    slugs = [role.slug for role in roles]
    actor = Actor(user=job.created_by, application=job.application)
    ids = list(selection(job, roles).order_by("submitted_at").values_list("pk", flat=True))
    Job.objects.filter(pk=job.pk).update(total=len(ids))
    job.total = len(ids)
    failures: list[dict[str, Any]] = []
    what = job.params["do"]
    for done, submission_id in enumerate(ids, start=1):
        submission = held_by(roles).filter(pk=submission_id).select_related("procedure", "role").first()
        try:
            if submission is None:
                raise Problem(404, "not-found", "no longer held by these roles")
            if what["type"] == "assign":
                agent = User.objects.filter(pk=what["agent"]).first() if what.get("agent") else None
                role = Role.objects.filter(slug=what["role"]).first() if what.get("role") else None
                submissions.assign(submission, actor, role=role, agent=agent, unassign=what.get("agent") is None)
            else:
                submissions.take(
                    submission,
                    actor,
                    what["action"],
                    roles=slugs,
                    is_global=what.get("is_global", False),
                    given=submissions.MoveInput(
                        comment=what.get("comment", ""), message=what.get("message", ""), values=what.get("values")
                    ),
                )
        except Problem as problem:
            failures.append(
                {
                    "id": str(submission_id),
                    "reference": submission.reference if submission else "",
                    "code": problem.problem_code,
                    "detail": str(problem.detail),
                }
            )
        _progress(job, done, force=done == len(ids))
    job.failures = failures
    Job.objects.filter(pk=job.pk).update(failures=failures)


def _run_export(job: Job) -> None:
    roles = _acting_roles(job)
    columns = [col for name in job.params["columns"] if (col := exports.column(name)) is not None]
    listing = selection(job, roles).select_related("procedure", "role", "assignee", "owner")
    queryset = in_order(listing, job.params.get("ordering", EXPORT_ORDER))
    job.total = queryset.count()
    Job.objects.filter(pk=job.pk).update(total=job.total)
    fmt = job.params["format"]
    header = [col.title for col in columns]
    with tempfile.TemporaryDirectory(prefix="guichet-export-") as folder:
        path = Path(folder) / f"demandes.{fmt}"
        body = exports.rows(queryset.iterator(chunk_size=2000), columns)
        if fmt == "csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                for count, chunk in enumerate(exports.csv_chunks(header, body)):
                    handle.write(chunk)
                    _progress(job, min(count * 500, job.total))
        else:
            exports.WRITERS[fmt](path, header, body, lambda n: _progress(job, n) if n % 500 == 0 else None)
        _progress(job, job.total, force=True)
        with path.open("rb") as handle:
            job.file.save(path.name, File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(file=job.file.name)


@transaction.atomic
def _finish(job: Job, state: str) -> None:
    job.state = state
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=job.finished_at)
    events.finished(job)


@transaction.atomic
def save_view(owner: User, name: str, query: str, role: Role | None, actor: Actor) -> tuple[SavedView, bool]:
    """Save an inbox view under ``name`` (the owner's view of that name is replaced)."""
    view, created = SavedView.objects.select_for_update().get_or_create(
        owner=owner, name=name, defaults={"query": query, "role": role}
    )
    if not created:
        view.query, view.role = query, role
        view.save(update_fields=["query", "role", "updated_at"])
    events.view_saved(view, actor, created=created)
    return view, created


@transaction.atomic
def delete_view(view: SavedView, actor: Actor) -> None:
    events.view_deleted(view, actor)
    view.delete()
