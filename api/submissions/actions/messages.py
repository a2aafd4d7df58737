"""The conversation on a sent request: messages, requests for more information,
and the citizen's corrections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from api.catalog.definitions import compiled

from .. import answers, events
from ..models import Message, State, Submission
from .common import CHECK_ATTEMPTS, Actor, InvalidAnswers, SubmissionProblem, locked


@transaction.atomic
def post_message(
    submission: Submission,
    actor: Actor,
    body: str,
    *,
    from_agent: bool,
    attachment_ids: list[str] | None = None,
    request_fields: list[str] | None = None,
) -> Message:
    """Add a message to a sent request's thread. An agent's message may name fields
    the citizen must correct (a request for more information)."""
    current = locked(submission)
    if current.state != State.SUBMITTED:
        raise SubmissionProblem(409, "not-submitted", _("Messages are for requests that were sent."))
    requested = list(dict.fromkeys(request_fields or []))
    if requested:
        if not from_agent:
            raise SubmissionProblem(403, "permission-denied", _("Only agents can ask for corrections."))
        known = compiled(current.version).varnames
        unknown = [name for name in requested if name not in known]
        if unknown:
            raise SubmissionProblem(
                400, "unknown-field", _("Not fields of this form: %(names)s.") % {"names": ", ".join(unknown)}
            )
    attachments = list(current.attachments.filter(pk__in=attachment_ids or [], message__isnull=True, field=""))
    if len(attachments) != len(set(attachment_ids or [])):
        raise SubmissionProblem(400, "unknown-attachment", _("Attach files uploaded for this request's messages."))
    message = Message.objects.create(
        submission=current, author=actor.user_or_none, from_agent=from_agent, body=body, requested_fields=requested
    )
    for attachment in attachments:
        attachment.message = message
        attachment.save(update_fields=["message"])
    events.message_posted(current, actor, message=str(message.pk), from_agent=from_agent)
    if requested:
        current.requested_fields = sorted(set(current.requested_fields) | set(requested))
        current.revision += 1
        current.save(update_fields=["requested_fields", "revision", "updated_at"])
        events.correction_requested(current, actor, requested)
    return message


def _correctable(current: Submission, changes: Mapping[str, Any]) -> None:
    allowed = set(current.requested_fields)
    if current.state != State.SUBMITTED or not allowed:
        raise SubmissionProblem(409, "no-correction-requested", _("No correction was asked for this request."))
    outside = sorted(str(name) for name in changes if name not in allowed)
    if outside:
        raise SubmissionProblem(
            400,
            "field-not-requested",
            _("Only the fields asked for can change: %(names)s.") % {"names": ", ".join(outside)},
        )


def correct(submission: Submission, changes: Mapping[str, Any], actor: Actor) -> Submission:
    """The citizen answers a request for more information: only the requested fields
    change, the whole request is checked again (before the lock), and the correction
    is recorded."""
    for _attempt in range(CHECK_ATTEMPTS):
        snapshot = Submission.objects.select_related("version", "procedure").get(pk=submission.pk)
        _correctable(snapshot, changes)
        checked = answers.check(snapshot, {**snapshot.data, **{str(k): v for k, v in changes.items()}})
        if checked.result.errors:
            raise InvalidAnswers(checked.result.errors)
        done = _apply_correction(snapshot, changes, checked, actor)
        if done is not None:
            return done
    raise SubmissionProblem(409, "request-changing", _("This request keeps changing; try again."))


@transaction.atomic
def _apply_correction(
    snapshot: Submission, changes: Mapping[str, Any], checked: answers.Checked, actor: Actor
) -> Submission | None:
    current = locked(snapshot)
    _correctable(current, changes)
    if not checked.holds(current):
        return None
    current.data = checked.result.data
    current.requested_fields = sorted(set(current.requested_fields) - set(changes))
    current.revision += 1
    current.save(update_fields=["data", "requested_fields", "revision", "updated_at"])
    events.corrected(current, actor, [str(k) for k in changes])
    return current
