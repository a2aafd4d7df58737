"""Background work on submissions (django-tasks; the worker process runs it).
Tasks take ids and are idempotent: running one twice changes nothing more."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from api.core import periodic
from api.core.actions import purge_idempotency_keys

from . import actions
from .models import State, Submission


@task()
def expire_draft(submission_id: str) -> str:
    """Remove a draft whose lifespan has passed; if it was saved since, come back later.
    (No longer enqueued: the periodic ``expire_drafts`` sweep does it; kept for the
    runs queued before.)"""
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


@periodic.every(timedelta(minutes=5))
@task()
def expire_drafts() -> int:
    """Sweep every expired draft, unfinished upload and forgotten Idempotency-Key
    (every five minutes)."""
    expired = 0
    try:
        purge_idempotency_keys()
        actions.expire_uploads()
        expired = actions.expire_drafts(limit=periodic.BATCH)
        return expired
    finally:
        periodic.again(expire_drafts.module_path, more=expired >= periodic.BATCH)


@task()
def fire_timer(timer_id: int) -> str:
    """Run one delayed jump or deadline when it falls due; exactly once, whichever
    worker takes it; a timer whose stay ended does nothing. (No longer enqueued per
    timer: the periodic ``fire_due_timers`` sweep fires them; kept for the runs queued
    before.)"""
    outcome = actions.fire_timer(timer_id)
    if outcome == "early":  # enqueued ahead of time (clock skew): come back when due
        due = actions.timer_due_at(timer_id)
        if due is not None:
            fire_timer.using(run_after=due).enqueue(timer_id)
    return outcome


@periodic.every(timedelta(minutes=1))
@task()
def fire_due_timers() -> dict[str, int]:
    """Fire the timers that fell due (delays are counted in hours and days: a minute
    late at most), and anonymise the requests whose retention period is over; every
    minute."""
    fired = anonymised = 0
    try:
        outcomes = actions.fire_due_timers(limit=periodic.BATCH)
        fired = sum(outcomes.values())
        anonymised = outcomes["anonymised"] = actions.anonymise_due(limit=periodic.BATCH)
        return outcomes
    finally:
        periodic.again(fire_due_timers.module_path, more=max(fired, anonymised) >= periodic.BATCH)


@task()
def anonymise_when_due(submission_id: str) -> str:
    """Anonymise a processed request once its procedure's retention period is over; if
    it is not due after all, come back then. (No longer enqueued per closed request:
    the periodic ``fire_due_timers`` sweep anonymises; kept for the runs queued before.)"""
    outcome = actions.anonymise_if_due(submission_id)
    if outcome == "not-due":
        ends = actions.retention_ends(submission_id)
        if ends is not None:
            anonymise_when_due.using(run_after=ends).enqueue(submission_id)
    return outcome
