"""Processing a sent request through its workflow: entering the first status, the
transitions and global actions agents take, assignment, the worker's timers, and
anonymisation. Every change happens with the request's row locked and is recorded
on the spine: what the citizen reads (``submission.status_changed``,
``submission.notified``) apart from the agents' record (``submission.transitioned``,
with the comment)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.accounts.models import Role, User
from api.catalog.definitions import compiled as compiled_form
from api.catalog.models import Procedure
from api.catalog.search import normalise
from api.core.events import held_events
from api.core.transactions import action_transaction
from api.forms import logic
from api.forms.definition import Definition
from api.forms.files import bind_files
from api.forms.validation import FormError, validate
from api.workflows.actions import default_version
from api.workflows.definition import RECEIVER, Move, Workflow
from api.workflows.library import compiled

from .. import events
from ..models import State, Submission, Timer
from . import steps
from .common import BACKOFFICE_FILE, Actor, SubmissionProblem, locked


class InvalidAgentForm(SubmissionProblem):
    """The comment, message or form of an agent's action is not as its workflow asks;
    one invalid parameter per field, pointing into the request body."""

    def __init__(self, errors: list[FormError]) -> None:
        params = [
            {"name": e.pointer.strip("/").replace("/", "."), "in": "body", "pointer": e.pointer, "reason": e.message,
             "code": e.code}
            for e in errors
        ]  # fmt: skip
        super().__init__(400, "invalid-agent-form", _("Some fields of the form are not valid."), invalid_params=params)
        self.errors = errors


def workflow_of(submission: Submission) -> Workflow:
    if submission.workflow_version_id is None:
        raise SubmissionProblem(409, "not-submitted", _("Only sent requests are processed."))
    return compiled(submission.workflow_version_id)


def _role_slug(submission: Submission) -> str | None:
    role = submission.role
    return role.slug if role is not None else None


def may_take(move: Move, submission: Submission, roles: Collection[str]) -> bool:
    """Whether an agent acting for ``roles`` (slugs) may take ``move`` now."""
    if not move.offered_in(submission.status):
        return False
    allowed = {(_role_slug(submission) if role == RECEIVER else role) for role in move.roles}
    if not allowed & set(roles):
        return False
    return move.condition is None or logic.holds(move.condition, _logic_data(submission))


def moves_for(submission: Submission, roles: Collection[str]) -> list[Move]:
    """The transitions and global actions an agent acting for ``roles`` may take now."""
    workflow = workflow_of(submission)
    return [move for move in (*workflow.transitions, *workflow.global_actions) if may_take(move, submission, roles)]


def backoffice_file_field(submission: Submission, name: str) -> Any:
    """The file field ``name`` of one of the request's workflow's agent forms."""
    workflow = workflow_of(submission)
    for move in (*workflow.transitions, *workflow.global_actions):
        for _page, item in move.form.fields() if move.form is not None else ():
            if item.varname == name and item.type == "file":
                return item
    raise SubmissionProblem(400, "unknown-field", _("No form of this request's workflow has this file field."))


def _logic_data(submission: Submission) -> dict[str, Any]:
    return {**submission.data, "backoffice": dict(submission.backoffice or {})}


def search_text(submission: Submission) -> str:
    """What full-text search reads: answers, reference, tracking code, the citizen's name."""
    words: list[str] = [submission.reference or "", submission.tracking_code or ""]

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            words.append(str(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in {"id", "content_type", "size"}:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(submission.data)
    owner = submission.owner
    if owner is not None:
        words += [owner.first_name, owner.last_name, owner.email]
    return normalise(" ".join(words))[:20000]


# --- Entering the workflow ---------------------------------------------------------------


def start_processing(current: Submission, now: datetime) -> None:
    """When a request is sent (inside the send's transaction, on the locked row, which
    the send then saves): bind it to its procedure version's workflow version, give
    it to the procedure's receiver role and put it in the first status. The send
    then records ``submission.sent`` and calls ``run_entry_actions``."""
    version_id = current.version.workflow_version_id or default_version().pk
    current.workflow_version_id = version_id
    current.role_id = current.procedure.receiver_role_id
    _set_status(current, compiled(version_id), compiled(version_id).initial, now, save=False)


def run_entry_actions(current: Submission, actor: Actor, now: datetime, *, unsaved: bool = False) -> None:
    """Run the actions of the status a request just entered. ``unsaved``: the request's
    own changes are not stored yet (a send): the actions' changes join them, and the
    request is saved once, when they are done (one statement fewer per change)."""
    workflow = workflow_of(current)
    ctx = steps.Context(current, workflow, actor, now, workflow.statuses[current.status], unsaved=unsaved)
    steps.run_steps(ctx, workflow.statuses[current.status].steps)
    ctx.store()


def _set_status(current: Submission, workflow: Workflow, status_id: str, now: datetime, *, save: bool = True) -> None:
    status = workflow.statuses[status_id]
    current.status = status_id
    current.status_since = now
    if status.visible:
        current.citizen_status = status_id
    current.closed_at = now if status.endpoint else None
    current.deadline = None  # a deadline belongs to the stay in a status; its actions set a new one
    current.revision += 1
    if save:
        current.save()
    # (Anonymised when its retention ends by the worker's periodic sweep, anonymise_due.)


def _enter(
    current: Submission,
    workflow: Workflow,
    status_id: str,
    actor: Actor,
    now: datetime,
    *,
    message: str,
    unsaved: bool = False,
) -> None:
    """Move the request into a status and run its actions (``unsaved``: the request's
    changes so far are not stored yet; they are saved with the actions' own, once)."""
    _set_status(current, workflow, status_id, now, save=not unsaved)
    if workflow.statuses[status_id].visible:
        events.status_changed(current, actor, message=message)
    run_entry_actions(current, actor, now, unsaved=unsaved)


# --- Agents' moves --------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveInput:
    """What the agent sends with a transition or global action."""

    comment: str = ""
    message: str = ""
    values: Mapping[str, Any] | None = None


def _required_texts(move: Move, given: MoveInput) -> None:
    missing = []
    if move.comment == "required" and not given.comment.strip():
        missing.append("comment")
    if move.message == "required" and not given.message.strip():
        missing.append("message")
    extra = []
    if move.comment == "none" and given.comment:
        extra.append("comment")
    if move.message == "none" and given.message:
        extra.append("message")
    if missing or extra:
        errors = [FormError(f"/{name}", "required", _("This field is required.")) for name in missing]
        unexpected = {"comment": _("This action takes no comment."), "message": _("This action sends no message.")}
        errors += [FormError(f"/{name}", "not_expected", unexpected[name]) for name in extra]
        raise InvalidAgentForm(errors)


class _Backoffice:
    """An agent's upload, seen by the form engine as a file of its back-office field."""

    def __init__(self, attachment: Any) -> None:
        self.attachment = attachment
        self.field = attachment.field.removeprefix(BACKOFFICE_FILE)

    def as_value(self) -> dict[str, Any]:
        value: dict[str, Any] = self.attachment.as_value()
        return value


def _checked_form(submission: Submission, form: Definition | None, values: Mapping[str, Any] | None) -> dict[str, Any]:
    if form is None:
        if values:
            raise InvalidAgentForm([FormError("/values", "not_expected", _("This action has no form."))])
        return {}
    owned = {str(a.pk): _Backoffice(a) for a in submission.attachments.filter(field__startswith=BACKOFFICE_FILE)}
    bound = bind_files(form, values or {}, owned)
    result = validate(form, bound, today=timezone.localdate())
    if result.errors:
        raise InvalidAgentForm(
            [FormError("/values" + error.pointer, error.code, error.message) for error in result.errors]
        )
    return result.data


def take(
    submission: Submission,
    actor: Actor,
    move_id: str,
    *,
    roles: Collection[str],
    is_global: bool = False,
    expected_status: str | None = None,
    given: MoveInput = MoveInput(),
    now: datetime | None = None,
) -> Submission:
    """Take a transition (or a global action) on a sent request, for an agent acting for
    ``roles`` (slugs). The form is checked before the lock; under the lock the request
    must still be in the status the agent saw (``expected_status``, else the one read
    first): when two agents act at once, one wins and the other gets a 409."""
    now = now or timezone.now()
    snapshot = Submission.objects.select_related("procedure", "role", "version").get(pk=submission.pk)
    workflow = workflow_of(snapshot)
    seen = expected_status or snapshot.status
    if snapshot.status != seen:
        raise _changed(snapshot)
    move = workflow.move(move_id, is_global=is_global)
    if move is None:
        raise SubmissionProblem(404, "unknown-action", _("This workflow has no such action."))
    if not may_take(move, snapshot, roles):
        raise SubmissionProblem(409, "action-not-allowed", _("This action is not available for this request now."))
    _required_texts(move, given)
    values = _checked_form(snapshot, move.form, given.values)
    return _take(snapshot, workflow, move, actor, roles, seen, given, values, now)


def _changed(current: Submission) -> SubmissionProblem:
    problem = SubmissionProblem(
        409,
        "request-changed",
        _("Someone else changed this request in the meantime (it is now “%(status)s”). Reload it and try again.")
        % {"status": current.status},
        title=_("The request has changed."),
    )
    return problem


@action_transaction
def _take(
    snapshot: Submission,
    workflow: Workflow,
    move: Move,
    actor: Actor,
    roles: Collection[str],
    seen: str,
    given: MoveInput,
    values: dict[str, Any],
    now: datetime,
) -> Submission:
    current = locked(snapshot)
    if current.status != seen or current.revision != snapshot.revision:
        raise _changed(current)
    if not may_take(move, current, roles):  # the role or the fields changed under us
        raise _changed(current)
    previous = current.status
    # The move's events are written in one insert, and the request saved once with what
    # the move, its actions and the new status's actions change (as a send does).
    with held_events():
        if values:
            current.backoffice = {**current.backoffice, **values}
        if move.to is None:
            current.revision += 1
        events.transitioned(
            current,
            actor,
            move=move.id,
            is_global=move.is_global,
            previous=previous,
            comment=given.comment.strip(),
            fields=list(values),
        )
        ctx = steps.Context(current, workflow, actor, now, None, unsaved=True)
        steps.run_steps(ctx, move.steps)
        if move.to is not None:
            _enter(current, workflow, move.to, actor, now, message=given.message.strip(), unsaved=ctx.unsaved)
        else:
            if given.message.strip():
                events.notified(current, actor, {"fr": given.message.strip(), "en": given.message.strip()})
            ctx.store()
    return current


@transaction.atomic
def assign(
    submission: Submission, actor: Actor, *, role: Role | None, agent: User | None, unassign: bool = False
) -> Submission:
    """Hand a sent request to another role and/or to an agent (of its role)."""
    current = locked(submission)
    if current.state != State.SUBMITTED:
        raise SubmissionProblem(409, "not-submitted", _("Only sent requests are processed."))
    if role is not None and role.pk != current.role_id:
        current.role = role
        current.assignee = None
    if agent is not None:
        if current.role_id is None or not agent.memberships.filter(role_id=current.role_id).exists():
            raise SubmissionProblem(400, "not-a-member", _("This agent is not a member of the request's role."))
        current.assignee = agent
    elif unassign:
        current.assignee = None
    current.revision += 1
    current.save(update_fields=["role", "assignee", "revision", "updated_at"])
    events.assigned(current, actor, role=current.role.slug if current.role else None, agent=current.assignee_id)
    return current


# --- Timers (the worker) -------------------------------------------------------------------------


def _claim(timer_id: int) -> Timer | None:
    """Take a due timer for this worker alone. On PostgreSQL, a row lock that other
    workers skip; on SQLite (whose transactions here take the write lock up front),
    a compare-and-set: the second worker finds it done."""
    if connection.vendor == "postgresql":
        return Timer.objects.select_for_update(skip_locked=True).filter(pk=timer_id, done_at__isnull=True).first()
    if not Timer.objects.filter(pk=timer_id, done_at__isnull=True).update(outcome="taken"):
        return None
    return Timer.objects.get(pk=timer_id)


@transaction.atomic
def fire_timer(timer_id: int, now: datetime | None = None) -> str:
    """Run one due timer exactly once: its jump or deadline note if the request is
    still in the stay that set it, else nothing (``void``). Returns the outcome."""
    now = now or timezone.now()
    timer = _claim(timer_id)
    if timer is None:
        return "taken"
    if timer.due_at > now:
        if connection.vendor != "postgresql":
            Timer.objects.filter(pk=timer.pk).update(outcome="")
        return "early"
    current = locked(timer.submission)
    outcome = "void"
    if current.status == timer.status and current.status_since == timer.entered_at:
        workflow = workflow_of(current)
        if timer.kind == Timer.Kind.JUMP:
            previous = current.status
            message = timer.options.get("message")
            ctx = steps.Context(current, workflow, Actor(), now, None)
            text = ctx.render(message)["fr"] if message else ""
            events.transitioned(current, Actor(), move="timeout", is_global=False, previous=previous)
            _enter(current, workflow, timer.options["to"], Actor(), now, message=text)
            outcome = "jumped"
        else:
            events.deadline_passed(current, timer.due_at.isoformat(), timer.options.get("note"))
            outcome = "noted"
    Timer.objects.filter(pk=timer.pk).update(done_at=now, outcome=outcome)
    return outcome


def timer_due_at(timer_id: int) -> datetime | None:
    return Timer.objects.filter(pk=timer_id, done_at__isnull=True).values_list("due_at", flat=True).first()


def due_timers(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        Timer.objects.filter(done_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )


def fire_due_timers(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Run the due timers, the oldest first, at most ``limit`` (the worker's periodic
    sweep); safe with several workers."""
    outcomes: dict[str, int] = {}
    for timer_id in due_timers(now, limit):
        outcome = fire_timer(timer_id, now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# --- Anonymisation ---------------------------------------------------------------------------------


def anonymise_answers(current: Submission, *, reason: str) -> list[str]:
    """Remove the answers whose field says so (``anonymise``, true unless set false), the
    files they name, the owner and the search text; record it. On a locked request,
    inside the caller's transaction. Returns the removed field names."""
    definition = compiled_form(current.version)
    keep = {item.varname for _page, item in definition.fields() if item.get("anonymise", True) is False}
    removed = sorted(name for name in current.data if name not in keep)
    current.data = {name: value for name, value in current.data.items() if name in keep}
    for attachment in current.attachments.all():
        if attachment.field not in keep:
            attachment.file.delete(save=False)
            attachment.delete()
    current.messages.update(body="")
    current.owner = None
    current.resume_token_hash = ""
    current.search_text = normalise(f"{current.reference or ''} {current.tracking_code or ''}")
    current.anonymised_at = timezone.now()
    current.revision += 1
    current.save()
    events.anonymised(current, reason=reason, fields=removed)
    return removed


def retention_ends(submission_id: Any) -> datetime | None:
    """When a closed request's retention ends (None: not closed, or already anonymised)."""
    found = (
        Submission.objects.filter(pk=submission_id, closed_at__isnull=False, anonymised_at__isnull=True)
        .values_list("closed_at", "procedure__retention_days")
        .first()
    )
    if found is None:
        return None
    closed_at, days = found
    if closed_at is None:
        return None
    return closed_at + timedelta(days=days)


@transaction.atomic
def anonymise_if_due(submission_id: Any, now: datetime | None = None) -> str:
    """Anonymise one request whose retention ended (``done``); ``not-due`` if it has not
    (reopened since, or the retention was lengthened); ``gone`` if there is nothing to do."""
    now = now or timezone.now()
    ends = retention_ends(submission_id)
    if ends is None:
        return "gone"
    if ends > now:
        return "not-due"
    current = locked(Submission(pk=submission_id))
    if current.anonymised_at is not None or current.closed_at is None:
        return "gone"
    anonymise_answers(current, reason="retention")
    return "done"


def anonymise_due(now: datetime | None = None, limit: int = 500) -> int:
    """Anonymise the requests that reached an endpoint longer ago than their
    procedure's retention period (at most ``limit`` per call; the worker's periodic
    sweep); idempotent."""
    now = now or timezone.now()
    count = 0
    for procedure in Procedure.objects.only("pk", "retention_days"):
        due = Submission.objects.filter(
            procedure=procedure,
            closed_at__lte=now - timedelta(days=procedure.retention_days),
            anonymised_at__isnull=True,
        )
        for submission_id in due.order_by("closed_at").values_list("pk", flat=True)[: limit - count]:
            count += anonymise_if_due(submission_id, now) == "done"
        if count >= limit:
            break
    return count
