"""The kinds of events in a request's log, and one typed builder per kind (called
by the actions only). Payloads are declared in schema/events/<kind>.json."""

from __future__ import annotations

from api.core.events import Actor, Audience, Kind, declare, record

from .models import Event, Submission

CREATED = declare("submission.created", Event, audience=Audience.INTERNAL)
SAVED = declare("submission.saved", Event, audience=Audience.INTERNAL)
SENT = declare("submission.sent", Event, audience=Audience.CITIZEN)
DELETED = declare("submission.deleted", Event, audience=Audience.INTERNAL)
EXPIRED = declare("submission.expired", Event, audience=Audience.INTERNAL)
ANONYMISED = declare("submission.anonymised", Event, audience=Audience.AGENTS)
CORRECTION_REQUESTED = declare("submission.correction_requested", Event, audience=Audience.CITIZEN)
CORRECTED = declare("submission.corrected", Event, audience=Audience.CITIZEN)
ATTACHMENT_ADDED = declare("attachment.added", Event, audience=Audience.INTERNAL)
ATTACHMENT_REMOVED = declare("attachment.removed", Event, audience=Audience.INTERNAL)
MESSAGE_POSTED = declare("message.posted", Event, audience=Audience.CITIZEN)
UPLOAD_OPENED = declare("upload.opened", Event, audience=Audience.INTERNAL)
UPLOAD_RECEIVED = declare("upload.received", Event, audience=Audience.INTERNAL)
UPLOAD_COMPLETED = declare("upload.completed", Event, audience=Audience.INTERNAL)
UPLOAD_ABANDONED = declare("upload.abandoned", Event, audience=Audience.INTERNAL)
# Processing (the workflow engine): what the citizen reads is apart from what agents do.
STATUS_CHANGED = declare("submission.status_changed", Event, audience=Audience.CITIZEN)
TRANSITIONED = declare("submission.transitioned", Event, audience=Audience.AGENTS)
NOTIFIED = declare("submission.notified", Event, audience=Audience.CITIZEN)
ROLE_NOTIFIED = declare("submission.role_notified", Event, audience=Audience.AGENTS)
ASSIGNED = declare("submission.assigned", Event, audience=Audience.AGENTS)
DEADLINE_SET = declare("submission.deadline_set", Event, audience=Audience.AGENTS)
DEADLINE_PASSED = declare("submission.deadline_passed", Event, audience=Audience.AGENTS)
TIMER_SET = declare("submission.timer_set", Event, audience=Audience.AGENTS)
FIELDS_SET = declare("submission.fields_set", Event, audience=Audience.AGENTS)
ENTERED = declare("submission.entered", Event, audience=Audience.AGENTS)

#: What agents and applications read (history, feed): everything but the audit trail.
SHARED_AUDIENCES = (Audience.CITIZEN, Audience.AGENTS)


def _record(kind: Kind, submission: Submission, actor: Actor, payload: dict[str, object]) -> Event:
    event: Event = record(
        kind,
        payload=payload,
        actor=actor,
        submission=submission,
        submission_uuid=submission.pk,
        procedure_id=submission.procedure_id,
    )
    return event


def created(submission: Submission, actor: Actor) -> Event:
    return _record(
        CREATED, submission, actor, {"version": submission.version.number, "fields": sorted(submission.data)}
    )


def saved(submission: Submission, actor: Actor, fields: list[str]) -> Event:
    return _record(SAVED, submission, actor, {"fields": sorted(fields)})


def sent(submission: Submission, actor: Actor) -> Event:
    return _record(SENT, submission, actor, {"reference": submission.reference, "status": submission.status})


def deleted(submission: Submission, actor: Actor, *, reason: str = "") -> Event:
    return _record(DELETED, submission, actor, {"reason": reason} if reason else {})


def expired(submission: Submission, *, reason: str) -> Event:
    return _record(EXPIRED, submission, Actor(), {"reason": reason})


def anonymised(submission: Submission, *, reason: str, fields: list[str] | None = None) -> Event:
    payload: dict[str, object] = {"reason": reason}
    if fields is not None:
        payload["fields"] = sorted(fields)
    return _record(ANONYMISED, submission, Actor(), payload)


def correction_requested(submission: Submission, actor: Actor, fields: list[str]) -> Event:
    return _record(CORRECTION_REQUESTED, submission, actor, {"fields": list(fields)})


def corrected(submission: Submission, actor: Actor, fields: list[str]) -> Event:
    return _record(CORRECTED, submission, actor, {"fields": sorted(fields)})


def attachment_added(submission: Submission, actor: Actor, *, attachment: str, field: str) -> Event:
    # A message's files are told by the message (message.posted); a draft's are the citizen's own.
    return _record(ATTACHMENT_ADDED, submission, actor, {"attachment": attachment, "field": field})


def attachment_removed(submission: Submission, actor: Actor, *, attachment: str, reason: str = "") -> Event:
    payload: dict[str, object] = {"attachment": attachment}
    if reason:
        payload["reason"] = reason
    return _record(ATTACHMENT_REMOVED, submission, actor, payload)


def message_posted(submission: Submission, actor: Actor, *, message: str, from_agent: bool) -> Event:
    return _record(MESSAGE_POSTED, submission, actor, {"message": message, "from_agent": from_agent})


def upload_opened(submission: Submission, actor: Actor, *, upload: str, field: str, size: int) -> Event:
    return _record(UPLOAD_OPENED, submission, actor, {"upload": upload, "field": field, "size": size})


def upload_received(submission: Submission, actor: Actor, *, upload: str, offset: int) -> Event:
    return _record(UPLOAD_RECEIVED, submission, actor, {"upload": upload, "offset": offset})


def upload_completed(submission: Submission, actor: Actor, *, upload: str, attachment: str) -> Event:
    return _record(UPLOAD_COMPLETED, submission, actor, {"upload": upload, "attachment": attachment})


def upload_abandoned(submission: Submission, actor: Actor, *, upload: str, reason: str) -> Event:
    return _record(UPLOAD_ABANDONED, submission, actor, {"upload": upload, "reason": reason})


def status_changed(submission: Submission, actor: Actor, *, message: str = "") -> Event:
    """The part of a change of status the citizen reads: only for statuses they are
    shown (agents read every change in ``submission.transitioned``)."""
    payload: dict[str, object] = {"status": submission.status}
    if message:
        payload["message"] = message
    return _record(STATUS_CHANGED, submission, actor, payload)


def transitioned(
    submission: Submission,
    actor: Actor,
    *,
    move: str,
    is_global: bool,
    previous: str,
    comment: str = "",
    fields: list[str] | None = None,
) -> Event:
    """The agents' record of a transition or global action: who, which, the internal comment."""
    payload: dict[str, object] = {"move": move, "global": is_global, "from": previous, "to": submission.status}
    if comment:
        payload["comment"] = comment
    if fields:
        payload["fields"] = sorted(fields)
    return _record(TRANSITIONED, submission, actor, payload)


def notified(submission: Submission, actor: Actor, message: dict[str, str]) -> Event:
    return _record(NOTIFIED, submission, actor, {"message": message})


def role_notified(submission: Submission, actor: Actor, *, role: str, message: dict[str, str]) -> Event:
    return _record(ROLE_NOTIFIED, submission, actor, {"role": role, "message": message})


def assigned(submission: Submission, actor: Actor, *, role: str | None, agent: int | None) -> Event:
    return _record(ASSIGNED, submission, actor, {"role": role, "agent": agent})


def deadline_set(submission: Submission, actor: Actor, deadline: str) -> Event:
    return _record(DEADLINE_SET, submission, actor, {"deadline": deadline})


def deadline_passed(submission: Submission, deadline: str, note: dict[str, str] | None) -> Event:
    payload: dict[str, object] = {"deadline": deadline}
    if note:
        payload["note"] = note
    return _record(DEADLINE_PASSED, submission, Actor(), payload)


def timer_set(submission: Submission, actor: Actor, *, due_at: str, to: str) -> Event:
    return _record(TIMER_SET, submission, actor, {"due_at": due_at, "to": to})


def fields_set(submission: Submission, actor: Actor, fields: list[str]) -> Event:
    return _record(FIELDS_SET, submission, actor, {"fields": sorted(fields)})


def entered(submission: Submission, actor: Actor, *, channel: str, linked: bool) -> Event:
    """An agent entered the request for the citizen (the actor is the agent)."""
    return _record(ENTERED, submission, actor, {"channel": channel, "linked_to_account": linked})
