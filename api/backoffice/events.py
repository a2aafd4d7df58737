"""The kinds of events in the jobs' log (called by the actions only). Payloads are
declared in schema/events/<kind>.json."""

from __future__ import annotations

from api.core.events import Actor, Audience, Kind, declare, record

from .models import Job, JobEvent

JOB_QUEUED = declare("job.queued", JobEvent, audience=Audience.AGENTS)
JOB_PROGRESSED = declare("job.progressed", JobEvent, audience=Audience.AGENTS)
JOB_FINISHED = declare("job.finished", JobEvent, audience=Audience.AGENTS)


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
