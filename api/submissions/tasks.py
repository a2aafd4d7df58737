"""Background work on submissions (django-tasks; the worker process runs it).
Tasks take ids and are idempotent: running one twice changes nothing more."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from api.core.actions import purge_idempotency_keys

from . import actions
from .models import State, Submission


@task()
def expire_draft(submission_id: str) -> str:
    """Remove a draft whose lifespan has passed; if it was saved since, come back later."""
    draft = Submission.objects.filter(pk=submission_id, state=State.DRAFT).first()
    if draft is None:
        return "gone"
    if draft.expires_at is not None and draft.expires_at > timezone.now():
        expire_draft.using(run_after=draft.expires_at).enqueue(submission_id)
        return "postponed"
    actions.delete_draft(draft, actions.Actor(), expired="lifespan")
    return "expired"


@task()
def enforce_draft_cap(owner_id: int, procedure_id: int) -> int:
    return actions.enforce_draft_cap(owner_id, procedure_id)


@task()
def expire_drafts() -> int:
    """Sweep every expired draft, unfinished upload and forgotten Idempotency-Key."""
    purge_idempotency_keys()
    actions.expire_uploads()
    return actions.expire_drafts()


@task()
def fire_timer(timer_id: int) -> str:
    """Run one delayed jump or deadline when it falls due (enqueued with run_after);
    exactly once, whichever worker takes it; a timer whose stay ended does nothing."""
    outcome = actions.fire_timer(timer_id)
    if outcome == "early":  # enqueued ahead of time (clock skew): come back when due
        due = actions.timer_due_at(timer_id)
        if due is not None:
            fire_timer.using(run_after=due).enqueue(timer_id)
    return outcome


@task()
def fire_due_timers() -> dict[str, int]:
    """Sweep the timers that fell due (in case a task was lost), and anonymise the
    requests whose retention period is over."""
    outcomes = actions.fire_due_timers()
    outcomes["anonymised"] = actions.anonymise_due()
    return outcomes


@task()
def anonymise_when_due(submission_id: str) -> str:
    """Anonymise a processed request once its procedure's retention period is over
    (enqueued when it reaches an endpoint); if it is not due after all, come back then."""
    outcome = actions.anonymise_if_due(submission_id)
    if outcome == "not-due":
        ends = actions.retention_ends(submission_id)
        if ends is not None:
            anonymise_when_due.using(run_after=ends).enqueue(submission_id)
    return outcome
