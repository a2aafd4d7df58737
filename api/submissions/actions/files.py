"""Files: attachments checked and stored, resumable uploads, files no answer names."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.catalog.definitions import compiled
from api.core.problems import Problem
from api.forms.fields import accepts as fields_accept

from .. import events, files
from ..models import Attachment, State, Submission, UploadSession
from .common import BACKOFFICE_FILE, Actor, SubmissionProblem
from .processing import backoffice_file_field


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


#: Unfinished resumable uploads one request may hold at once.
OPEN_UPLOADS_PER_SUBMISSION = 20


def _file_field(submission: Submission, varname: str) -> Any:
    if varname.startswith(BACKOFFICE_FILE):  # an agent's file for an agent form
        return backoffice_file_field(submission, varname.removeprefix(BACKOFFICE_FILE))
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
    metadata stripped from images, virus scan) and attach it: to a draft's file field,
    to a sent request's messages (no field), or, with ``backoffice:<name>``, to a sent
    request for a file field of an agent form."""
    current = Submission.objects.select_for_update(of=("self",)).select_related("version").get(pk=submission.pk)
    if field.startswith(BACKOFFICE_FILE) and current.state != State.SUBMITTED:
        raise SubmissionProblem(409, "not-submitted", _("Only sent requests are processed."))
    if field and not field.startswith(BACKOFFICE_FILE) and current.state != State.DRAFT:
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
    events.attachment_added(current, actor, attachment=str(attachment.pk), field=field)
    with path.open("rb") as handle:
        attachment.file.save(str(attachment.pk), File(handle), save=True)  # last: a failure above stores nothing
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, actor: Actor) -> None:
    submission = Submission.objects.select_for_update().get(pk=attachment.submission_id)
    if submission.state != State.DRAFT:
        raise SubmissionProblem(409, "already-submitted", _("A file of a sent request cannot be removed."))
    events.attachment_removed(submission, actor, attachment=str(attachment.pk))
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: default_storage.delete(stored))


def forget_unreferenced_files(
    submission: Submission, answers: Mapping[str, Any], actor: Actor, attached: Iterable[Attachment] | None = None
) -> None:
    """Files uploaded for fields but named by no answer sent (replaced, or on a page
    hidden by the answers) do not go with the request (``attached``: its files, if
    the caller has read them under the lock)."""
    referenced = set()
    for _page, field in compiled(submission.version).fields():
        value = answers.get(field.varname) if field.type == "file" else None
        for entry in value if isinstance(value, list) else []:
            if isinstance(entry, dict):
                referenced.add(str(entry.get("id")))
    candidates = submission.attachments.exclude(field="") if attached is None else [a for a in attached if a.field]
    unused = [a for a in candidates if str(a.pk) not in referenced]
    for attachment in unused:
        events.attachment_removed(submission, actor, attachment=str(attachment.pk), reason="unreferenced")
    if unused:
        stored = [a.file.name for a in unused]
        Attachment.objects.filter(pk__in=[a.pk for a in unused]).delete()
        transaction.on_commit(lambda: delete_files(stored))


def delete_files(names: Iterable[str], uploads: Iterable[uuid.UUID] = ()) -> None:
    """Remove stored files and the bytes of unfinished uploads (after commit)."""
    for name in names:
        default_storage.delete(name)
    for upload in uploads:
        files.part_path(upload).unlink(missing_ok=True)


# --- Resumable uploads ----------------------------------------------------------------


@transaction.atomic
def open_upload(submission: Submission, actor: Actor, *, field: str, name: str, size: int) -> UploadSession:
    """Announce a resumable upload (its bytes follow); a request holds a bounded number."""
    current = Submission.objects.select_for_update().get(pk=submission.pk)
    if UploadSession.objects.filter(submission=current).count() >= OPEN_UPLOADS_PER_SUBMISSION:
        raise SubmissionProblem(
            409,
            "too-many-uploads",
            _("This request already has %(count)d unfinished uploads; finish or abandon them first.")
            % {"count": OPEN_UPLOADS_PER_SUBMISSION},
        )
    session = UploadSession.objects.create(submission=current, field=field, name=name, size=size)
    events.upload_opened(current, actor, upload=str(session.pk), field=field, size=size)
    files.part_path(session.pk).touch()
    return session


@transaction.atomic
def append_to_upload(session: UploadSession, offset: int, body: Readable, actor: Actor) -> UploadSession:
    """Write the bytes that follow ``offset`` (which must be where the upload stands)."""
    session = UploadSession.objects.select_for_update().select_related("submission").get(pk=session.pk)
    if offset != session.offset:
        raise Problem(
            409,
            "upload-offset-mismatch",
            _("The upload is at %(offset)s bytes; resume from there.") % {"offset": session.offset},
            offset=session.offset,
        )
    path = files.part_path(session.pk)
    room = session.size - session.offset
    received = 0
    with path.open("ab") as handle:
        while chunk := body.read(files.CHUNK):
            received += len(chunk)
            if received > room:
                handle.truncate(session.offset)
                raise Problem(413, "file-too-large", _("More bytes than announced."))
            handle.write(chunk)
    session.offset += received
    session.save(update_fields=["offset"])
    events.upload_received(session.submission, actor, upload=str(session.pk), offset=session.offset)
    return session


def complete_upload(session: UploadSession, actor: Actor) -> Attachment:
    """Turn a whole upload into an attachment (checked like any other); the upload
    ends either way, its bytes removed."""
    path = files.part_path(session.pk)
    try:
        attachment = add_attachment(session.submission, path, session.name, actor, field=session.field)
    except BaseException:
        close_upload(session, actor, reason="rejected")
        raise
    close_upload(session, actor, attachment=attachment)
    return attachment


@transaction.atomic
def close_upload(
    session: UploadSession, actor: Actor, *, reason: str = "", attachment: Attachment | None = None
) -> None:
    """End an upload: completed (it became ``attachment``) or abandoned (``reason``)."""
    submission = Submission.objects.select_for_update().filter(pk=session.submission_id).first()
    deleted, _rows = UploadSession.objects.filter(pk=session.pk).delete()
    if submission is not None and deleted:
        if attachment is not None:
            events.upload_completed(submission, actor, upload=str(session.pk), attachment=str(attachment.pk))
        else:
            events.upload_abandoned(submission, actor, upload=str(session.pk), reason=reason)
    # The bytes are scratch: gone with the upload, whatever happens to the transaction.
    files.part_path(session.pk).unlink(missing_ok=True)


def expire_uploads(now: datetime | None = None, age: timedelta = timedelta(days=1)) -> int:
    """Forget resumable uploads left unfinished for a day, and their bytes."""
    stale = UploadSession.objects.filter(created_at__lte=(now or timezone.now()) - age)
    count = 0
    for session in stale:
        close_upload(session, Actor(), reason="expired")
        count += 1
    return count
