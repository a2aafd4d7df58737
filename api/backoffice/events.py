"""The kinds of events in the jobs' log (called by the actions only). Payloads are
declared in schema/events/<kind>.json."""

from __future__ import annotations

from api.core.events import Actor, Audience, Kind, declare, record

from .models import Job, JobEvent, SavedView, ViewEvent

JOB_QUEUED = declare("job.queued", JobEvent, audience=Audience.AGENTS)
JOB_PROGRESSED = declare("job.progressed", JobEvent, audience=Audience.AGENTS)
JOB_FINISHED = declare("job.finished", JobEvent, audience=Audience.AGENTS)
VIEW_SAVED = declare("view.saved", ViewEvent, audience=Audience.INTERNAL)
VIEW_DELETED = declare("view.deleted", ViewEvent, audience=Audience.INTERNAL)


def _record(kind: Kind, job: Job, actor: Actor, payload: dict[str, object]) -> JobEvent:
    event: JobEvent = record(kind, payload=payload, actor=actor, job=job, job_uuid=job.pk)
    return event


def queued(job: Job, actor: Actor) -> JobEvent:
    return _record(JOB_QUEUED, job, actor, {"kind": job.kind})


def progressed(job: Job) -> JobEvent:
    return _record(JOB_PROGRESSED, job, Actor(), {"done": job.done, "total": job.total})


def finished(job: Job) -> JobEvent:
    return _record(
        JOB_FINISHED,
        job,
        Actor(),
        {"state": job.state, "done": job.done, "total": job.total, "failed": len(job.failures)},
    )


def _view_payload(view: SavedView) -> dict[str, object]:
    return {"name": view.name, "query": view.query, "role": view.role.slug if view.role else ""}


def view_saved(view: SavedView, actor: Actor, *, created: bool) -> ViewEvent:
    event: ViewEvent = record(
        VIEW_SAVED, payload={**_view_payload(view), "created": created}, actor=actor, view=view, view_uuid=view.pk
    )
    return event


def view_deleted(view: SavedView, actor: Actor) -> ViewEvent:
    event: ViewEvent = record(VIEW_DELETED, payload=_view_payload(view), actor=actor, view=None, view_uuid=view.pk)
    return event
