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


def anonymised(submission: Submission) -> Event:
    return _record(ANONYMISED, submission, Actor(), {})


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
