"""Drafts: start, save, send, delete, expire; and what happens when an account closes."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.catalog.models import Procedure
from api.core.events import enqueue_with_transaction, held_events
from api.core.transactions import action_transaction

from .. import answers, events
from ..models import ReferenceCounter, State, Submission
from .common import CHECK_ATTEMPTS, Actor, InvalidAnswers, StaleRevision, SubmissionProblem, hash_token
from .files import delete_files, forget_unreferenced_files
from .processing import anonymise_answers, run_entry_actions, search_text, start_processing

#: No 0/O, 1/I/L: a tracking code is read aloud and typed from paper.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 8


def draft_lifespan() -> timedelta:
    return timedelta(days=settings.GUICHET_DRAFT_LIFESPAN_DAYS)


@action_transaction
def create_draft(
    procedure: Procedure,
    actor: Actor,
    data: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
    resume_token: str | None = None,
) -> tuple[Submission, str | None]:
    """Start a draft of the procedure's current version. A draft without an account
    gets a secret resume token (the caller's own if given; returned once; only its
    hash is kept)."""
    now = now or timezone.now()
    version = procedure.current_version  # (read with the procedure by its callers)
    if version is None:
        raise SubmissionProblem(409, "procedure-without-form", _("This procedure has no form yet."))
    token = None if actor.user_or_none else (resume_token or secrets.token_urlsafe(32))
    submission = Submission.objects.create(
        procedure=procedure,
        version=version,
        owner=actor.user_or_none,
        application=actor.application,
        data=_clean_partial(data or {}),
        resume_token_hash=hash_token(token) if token else "",
        expires_at=now + draft_lifespan(),
    )
    events.created(submission, actor)
    # (It expires by the worker's periodic sweep, tasks.expire_drafts: no task of its own.)
    owner_id = submission.owner_id
    if owner_id is not None:
        enqueue_with_transaction(lambda: _cap(owner_id, submission.procedure_id))
    return submission, token


def _cap(owner_id: int, procedure_id: int) -> None:
    from ..tasks import enforce_draft_cap

    enforce_draft_cap.enqueue(owner_id, procedure_id)


def _clean_partial(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in data.items() if value is not None}


@action_transaction
def save_draft(
    submission: Submission,
    changes: Mapping[str, Any],
    actor: Actor,
    *,
    revision: int | None,
    now: datetime | None = None,
) -> Submission:
    """Merge ``changes`` into a draft's answers (a null removes an answer). Answers are
    stored as given, valid or not: validation is for pages and for sending. ``revision``
    is the one the client read (None: whatever it is now, as ``If-Match: *`` asks)."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("This request was already sent; it can no longer change."))
    if revision is not None and current.revision != revision:
        raise StaleRevision(current)
    data = dict(current.data)
    for key, value in changes.items():
        if value is None:
            data.pop(str(key), None)
        else:
            data[str(key)] = value
    current.data = data
    current.revision += 1
    current.expires_at = (now or timezone.now()) + draft_lifespan()
    current.save(update_fields=["data", "revision", "expires_at", "updated_at"])
    events.saved(current, actor, [str(k) for k in changes])
    return current


def _next_reference(year: int) -> str:
    """The year's next reference number: one upsert, whose row lock is held until the
    send commits (so numbers are gapless: a send rolled back gives its number back).
    Called as late in the send as possible, to keep that lock short."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608 - a table name, not input
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"{year}-{last:06d}"


def _tracking_code() -> str:
    """A code no request has: 31^8 codes, so a clash is rare and a look-up settles it
    (two sends drawing the same unused code at the same instant would fail on the
    unique index, roll back and be answered as a conflict to retry)."""
    for _attempt in range(5):
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Submission.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw an unused tracking code")


def _sendable(current: Submission) -> None:
    if current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("This request was already sent."))
    if current.procedure.requires_account and current.owner_id is None and current.entered_by_id is None:
        # (an agent entering it at the desk has identified the person)
        raise SubmissionProblem(
            401, "account-required", _("This procedure is sent by a signed-in person: sign in to send it.")
        )


def submit(submission: Submission, actor: Actor, *, now: datetime | None = None) -> Submission:
    """Validate the whole draft, freeze its cleaned answers (hidden fields dropped),
    give it a reference (and a tracking code) and record that it was sent. The
    answers are checked before the row lock (data sources may be remote), on the
    request as the caller read it (with its version and procedure), then again on a
    fresh read if it changed before the lock."""
    now = now or timezone.now()
    snapshot = submission
    for _attempt in range(CHECK_ATTEMPTS):
        _sendable(snapshot)
        checked = answers.check(snapshot, today=timezone.localdate(now))
        if checked.result.errors:
            raise InvalidAnswers(checked.result.errors)
        try:
            sent = _send(snapshot, checked, actor, now)
        except IntegrityError:
            # Only a tracking code drawn by two sends at the same instant gets here.
            raise SubmissionProblem(
                409, "draft-changing", _("This draft keeps changing while it is sent; try again.")
            ) from None
        if sent is not None:
            return sent
        snapshot = Submission.objects.select_related("version", "procedure").get(pk=submission.pk)
    raise SubmissionProblem(409, "draft-changing", _("This draft keeps changing while it is sent; try again."))


@action_transaction
def _send(snapshot: Submission, checked: answers.Checked, actor: Actor, now: datetime) -> Submission | None:
    current = Submission.objects.select_for_update().get(pk=snapshot.pk)
    # The version and procedure the answers were checked against (a request's version
    # never changes; the procedure's settings read a moment ago are the ones applied).
    current.version, current.procedure = snapshot.version, snapshot.procedure
    _sendable(current)
    attached = answers.attachments(current)
    if not checked.holds(current, attached):
        return None
    forget_unreferenced_files(current, checked.result.data, actor, attached)
    current.state = State.SUBMITTED
    current.data = checked.result.data
    current.submitted_at = now
    current.expires_at = None
    start_processing(current, now)
    if current.procedure.tracking_codes:
        current.tracking_code = _tracking_code()
    current.reference = _next_reference(timezone.localtime(now).year)
    current.search_text = search_text(current)
    with held_events():  # the "sent" event and its entry actions' ones, in one insert
        events.sent(current, actor)
        # The request is saved with the changes of its first status's actions (a
        # deadline, an assignment...), in one statement.
        run_entry_actions(current, actor, now, unsaved=True)
    return current


@transaction.atomic
def delete_draft(submission: Submission, actor: Actor, *, expired: str = "", reason: str = "") -> None:
    """Remove a draft (``expired``: why the system removed it); its events stay, the
    last one a tombstone."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("A request that was sent cannot be deleted."))
    if expired:
        events.expired(current, reason=expired)
    else:
        events.deleted(current, actor, reason=reason)
    stored = [a.file.name for a in current.attachments.all()]
    uploads = list(current.upload_sessions.values_list("pk", flat=True))
    current.delete()
    transaction.on_commit(lambda: delete_files(stored, uploads))


def expire_drafts(now: datetime | None = None, limit: int | None = None) -> int:
    """Remove the drafts whose lifespan has passed (the longest past first, at most
    ``limit``). Returns how many."""
    now = now or timezone.now()
    expired = 0
    due = Submission.objects.filter(state=State.DRAFT, expires_at__lte=now).order_by("expires_at").only("pk")
    for draft in due[:limit]:
        delete_draft(draft, Actor(), expired="lifespan")
        expired += 1
    return expired


def enforce_draft_cap(owner_id: int, procedure_id: int) -> int:
    """Keep a person's most recent drafts of a procedure, up to the cap; remove the rest."""
    drafts = Submission.objects.filter(owner_id=owner_id, procedure_id=procedure_id, state=State.DRAFT).order_by(
        "-updated_at", "-created_at"
    )
    removed = 0
    for draft in drafts[settings.GUICHET_DRAFTS_PER_PROCEDURE :]:
        delete_draft(draft, Actor(), expired="cap")
        removed += 1
    return removed


@transaction.atomic
def anonymise_owner(user_id: int) -> int:
    """After an account is closed: drafts go; sent requests stay, attributed to nobody,
    their personal answers removed as each field says (as at the end of retention)."""
    count = 0
    for submission in Submission.objects.select_for_update().select_related("version").filter(owner_id=user_id):
        if submission.state == State.DRAFT:
            delete_draft(submission, Actor(), reason="account closed")
        elif submission.anonymised_at is None:
            anonymise_answers(submission, reason="account_closed")
        count += 1
    return count
