"""The only code that writes submissions. Every action runs in a transaction and
writes its event row; background work is enqueued after commit."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.catalog.definitions import compiled
from api.catalog.models import Procedure
from api.core.problems import Problem
from api.forms import datasources
from api.forms.fields import accepts as fields_accept
from api.forms.files import bind_files
from api.forms.validation import FormError, Result, validate

from . import files
from .models import INITIAL_STATUS, Attachment, Event, Message, ReferenceCounter, State, Submission, UploadSession
from .sequence import sequence_after_commit

#: No 0/O, 1/I/L: a tracking code is read aloud and typed from paper.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 8


class SubmissionProblem(Problem):
    """A request the state of the submission does not allow (e.g. sending it twice)."""


class StaleRevision(Problem):
    """The draft changed since the client read it (If-Match did not match)."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(
            412,
            "draft-changed",
            _("This draft was changed elsewhere (another device?). Here is its current state; merge and retry."),
            title=_("The draft has changed."),
        )
        self.submission = submission


class InvalidAnswers(Problem):
    def __init__(self, errors: list[FormError]) -> None:
        super().__init__(400, "invalid-answers", _("Some answers are not valid."))
        self.errors = errors


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in person, an application, or nobody known (anonymous)."""

    user: Any = None
    application: Any = None

    @property
    def user_or_none(self) -> Any:
        return self.user if getattr(self.user, "is_authenticated", False) else None


def _event(submission: Submission, kind: str, actor: Actor, *, visible: bool = False, **data: Any) -> Event:
    sequence_after_commit()
    return Event.objects.create(
        submission=submission,
        submission_uuid=submission.pk,
        procedure_id=submission.procedure_id,
        kind=kind,
        actor=actor.user_or_none,
        application=actor.application,
        citizen_visible=visible,
        data=data,
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def draft_lifespan() -> timedelta:
    return timedelta(days=settings.GUICHET_DRAFT_LIFESPAN_DAYS)


@transaction.atomic
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
    if procedure.current_version_id is None:
        raise SubmissionProblem(409, "procedure-without-form", _("This procedure has no form yet."))
    token = None if actor.user_or_none else (resume_token or secrets.token_urlsafe(32))
    submission = Submission.objects.create(
        procedure=procedure,
        version_id=procedure.current_version_id,
        owner=actor.user_or_none,
        application=actor.application,
        data=_clean_partial(data or {}),
        resume_token_hash=hash_token(token) if token else "",
        expires_at=now + draft_lifespan(),
    )
    _event(submission, Event.Kind.CREATED, actor, version=submission.version.number, fields=sorted(submission.data))
    transaction.on_commit(lambda: _schedule(submission))
    return submission, token


def _schedule(submission: Submission) -> None:
    from .tasks import enforce_draft_cap, expire_draft

    if submission.expires_at is not None:
        expire_draft.using(run_after=submission.expires_at).enqueue(str(submission.pk))
    if submission.owner_id is not None:
        enforce_draft_cap.enqueue(submission.owner_id, submission.procedure_id)


def _clean_partial(data: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key): value for key, value in data.items() if value is not None}


@transaction.atomic
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
    _event(current, Event.Kind.SAVED, actor, fields=sorted(str(k) for k in changes))
    return current


def _next_reference(year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:06d}"


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


@transaction.atomic
def submit(submission: Submission, actor: Actor, *, now: datetime | None = None) -> Submission:
    """Validate the whole draft, freeze its cleaned answers (hidden fields dropped),
    give it a reference (and a tracking code) and record that it was sent."""
    now = now or timezone.now()
    current = (
        Submission.objects.select_for_update(of=("self",)).select_related("version", "procedure").get(pk=submission.pk)
    )
    if current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("This request was already sent."))
    if current.procedure.requires_account and current.owner_id is None:
        raise SubmissionProblem(
            401, "account-required", _("This procedure is sent by a signed-in person: sign in to send it.")
        )
    result = check_answers(current, today=timezone.localdate(now))
    if result.errors:
        raise InvalidAnswers(result.errors)
    _forget_unreferenced_files(current, result.data, actor)
    current.state = State.SUBMITTED
    current.status = INITIAL_STATUS
    current.data = result.data
    current.reference = _next_reference(timezone.localtime(now).year)
    current.submitted_at = now
    current.expires_at = None
    current.revision += 1
    if current.procedure.tracking_codes:
        for _attempt in range(5):
            current.tracking_code = _tracking_code()
            try:
                with transaction.atomic():
                    current.save()
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("could not draw a unique tracking code")
    else:
        current.save()
    _event(current, Event.Kind.SUBMITTED, actor, visible=True, reference=current.reference, status=current.status)
    return current


@transaction.atomic
def delete_draft(submission: Submission, actor: Actor, *, kind: str = Event.Kind.DELETED, **data: Any) -> None:
    """Remove a draft; its events stay, the last one a tombstone."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("A request that was sent cannot be deleted."))
    _event(current, kind, actor, **data)
    stored = [a.file.name for a in current.attachments.all()]
    parts = [files.part_path(pk) for pk in current.upload_sessions.values_list("pk", flat=True)]
    current.delete()
    transaction.on_commit(lambda: _delete_files(stored, parts))


def expire_drafts(now: datetime | None = None) -> int:
    """Remove the drafts whose lifespan has passed. Returns how many."""
    now = now or timezone.now()
    expired = 0
    for draft in Submission.objects.filter(state=State.DRAFT, expires_at__lte=now).only("pk"):
        delete_draft(draft, Actor(), kind=Event.Kind.EXPIRED, reason="lifespan")
        expired += 1
    return expired


def expire_uploads(now: datetime | None = None, age: timedelta = timedelta(days=1)) -> int:
    """Forget resumable uploads left unfinished for a day, and their bytes."""
    stale = UploadSession.objects.filter(created_at__lte=(now or timezone.now()) - age)
    count = 0
    for session in stale:
        files.part_path(session.pk).unlink(missing_ok=True)
        session.delete()
        count += 1
    return count


#: Unfinished resumable uploads one request may hold at once.
OPEN_UPLOADS_PER_SUBMISSION = 20


@transaction.atomic
def open_upload(submission: Submission, *, field: str, name: str, size: int) -> UploadSession:
    """Announce a resumable upload (its bytes follow); a request holds a bounded number."""
    Submission.objects.select_for_update().filter(pk=submission.pk).first()
    if UploadSession.objects.filter(submission=submission).count() >= OPEN_UPLOADS_PER_SUBMISSION:
        raise SubmissionProblem(
            409,
            "too-many-uploads",
            _("This request already has %(count)d unfinished uploads; finish or abandon them first.")
            % {"count": OPEN_UPLOADS_PER_SUBMISSION},
        )
    session = UploadSession.objects.create(submission=submission, field=field, name=name, size=size)
    files.part_path(session.pk).touch()
    return session


def enforce_draft_cap(owner_id: int, procedure_id: int) -> int:
    """Keep a person's most recent drafts of a procedure, up to the cap; remove the rest."""
    drafts = Submission.objects.filter(owner_id=owner_id, procedure_id=procedure_id, state=State.DRAFT).order_by(
        "-updated_at", "-created_at"
    )
    removed = 0
    for draft in drafts[settings.GUICHET_DRAFTS_PER_PROCEDURE :]:
        delete_draft(draft, Actor(), kind=Event.Kind.EXPIRED, reason="cap")
        removed += 1
    return removed


@transaction.atomic
def anonymise_owner(user_id: int) -> int:
    """After an account is closed: drafts go, sent requests stay, attributed to nobody."""
    count = 0
    for submission in Submission.objects.select_for_update().filter(owner_id=user_id):
        if submission.state == State.DRAFT:
            delete_draft(submission, Actor(), reason="account closed")
        else:
            submission.owner = None
            submission.save(update_fields=["owner", "updated_at"])
            _event(submission, Event.Kind.ANONYMISED, Actor())
        count += 1
    return count


def _file_field(submission: Submission, varname: str) -> Any:
    for _page, field in compiled(submission.version).fields():
        if field.varname == varname:
            if field.type != "file":
                raise SubmissionProblem(400, "not-a-file-field", _("This field does not take files."))
            return field
    raise SubmissionProblem(400, "unknown-field", _("This field is not part of the form."))


def upload_limit(submission: Submission, varname: str) -> int:
    """The most bytes an upload for this field may have."""
    limit = int(settings.GUICHET_MAX_UPLOAD_BYTES)
    if varname:
        limit = min(limit, int(_file_field(submission, varname).get("max_size", limit)))
    return limit


@transaction.atomic
def add_attachment(submission: Submission, path: Path, name: str, actor: Actor, *, field: str = "") -> Attachment:
    """Check an uploaded file (type from its bytes, the field's accepted types and size,
    metadata stripped from images, virus scan) and attach it to a draft."""
    current = Submission.objects.select_for_update(of=("self",)).select_related("version").get(pk=submission.pk)
    if field and current.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("This request was already sent; it can no longer change."))
    if not field and current.state != State.SUBMITTED:
        raise SubmissionProblem(409, "not-submitted", _("Files for messages go with requests that were sent."))
    spec = _file_field(current, field) if field else None
    if spec is not None and current.attachments.filter(field=field).count() >= int(spec.get("max_files", 1)):
        raise files.RejectedFile("too-many-files", f"{field} holds {spec.get('max_files', 1)} files already")
    content_type = files.sniff(path)
    accepted = spec.get("accept") if spec is not None else list(settings.GUICHET_MESSAGE_FILE_TYPES)
    if accepted and not fields_accept(accepted, content_type):
        raise files.RejectedFile("file-type", f"{content_type} not in {accepted}")
    files.strip_metadata(path, content_type)
    files.scan(path)
    attachment = Attachment(
        submission=current,
        field=field,
        name=files.safe_name(name),
        content_type=content_type,
        size=path.stat().st_size,
        sha256=files.sha256_of(path),
        uploaded_by=actor.user_or_none,
    )
    _event(current, Event.Kind.ATTACHMENT_ADDED, actor, attachment=str(attachment.pk), field=field)
    with path.open("rb") as handle:
        attachment.file.save(str(attachment.pk), File(handle), save=True)  # last: a failure above stores nothing
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, actor: Actor) -> None:
    submission = Submission.objects.select_for_update().get(pk=attachment.submission_id)
    if submission.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("A file of a sent request cannot be removed."))
    _event(submission, Event.Kind.ATTACHMENT_REMOVED, actor, attachment=str(attachment.pk))
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))


def check_answers(
    submission: Submission,
    data: Mapping[str, Any] | None = None,
    *,
    page: str | None = None,
    today: date | None = None,
) -> Result:
    """The one check of a request's answers (page check, sending, correction): files
    bound to what was really uploaded, data sources' values, the form's rules."""
    definition = compiled(submission.version)
    owned = {str(a.pk): a for a in submission.attachments.all()}
    bound = bind_files(definition, submission.data if data is None else data, owned)
    choices = datasources.allowed_values(definition)
    return validate(definition, bound, today=today or timezone.localdate(), page=page, choices=choices)


def _forget_unreferenced_files(submission: Submission, answers: Mapping[str, Any], actor: Actor) -> None:
    """Files uploaded for fields but named by no answer sent (replaced, or on a page
    hidden by the answers) do not go with the request."""
    referenced = set()
    for _page, field in compiled(submission.version).fields():
        value = answers.get(field.varname) if field.type == "file" else None
        for entry in value if isinstance(value, list) else []:
            if isinstance(entry, dict):
                referenced.add(str(entry.get("id")))
    unused = [a for a in submission.attachments.exclude(field="") if str(a.pk) not in referenced]
    for attachment in unused:
        _event(submission, Event.Kind.ATTACHMENT_REMOVED, actor, attachment=str(attachment.pk), reason="unreferenced")
    if unused:
        stored = [a.file.name for a in unused]
        Attachment.objects.filter(pk__in=[a.pk for a in unused]).delete()
        transaction.on_commit(lambda: _delete_files(stored))


def _delete_files(names: list[str], parts: list[Path] | None = None) -> None:
    for name in names:
        default_storage.delete(name)
    for part in parts or []:
        part.unlink(missing_ok=True)


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
    current = Submission.objects.select_for_update(of=("self",)).select_related("version").get(pk=submission.pk)
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
    _event(current, Event.Kind.MESSAGE_POSTED, actor, visible=True, message=str(message.pk), from_agent=from_agent)
    if requested:
        current.requested_fields = sorted(set(current.requested_fields) | set(requested))
        current.revision += 1
        current.save(update_fields=["requested_fields", "revision", "updated_at"])
        _event(current, Event.Kind.FIELDS_REQUESTED, actor, visible=True, fields=requested)
    return message


@transaction.atomic
def correct(submission: Submission, changes: Mapping[str, Any], actor: Actor) -> Submission:
    """The citizen answers a request for more information: only the requested fields
    change, the whole request is checked again, and the correction is recorded."""
    current = Submission.objects.select_for_update(of=("self",)).select_related("version").get(pk=submission.pk)
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
    result = check_answers(current, {**current.data, **{str(k): v for k, v in changes.items()}})
    if result.errors:
        raise InvalidAnswers(result.errors)
    current.data = result.data
    current.requested_fields = sorted(allowed - set(changes))
    current.revision += 1
    current.save(update_fields=["data", "requested_fields", "revision", "updated_at"])
    _event(current, Event.Kind.CORRECTED, actor, visible=True, fields=sorted(str(k) for k in changes))
    return current
