"""Attachments: uploaded as the raw request body (so a client shows real progress),
read in chunks with the size limit enforced while reading, then checked; downloaded
by the people allowed, or through a signed link valid a few minutes."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import accepts_idempotency_key, run_once
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.ratelimit import limit_caller
from api.core.schema import IDEMPOTENCY_KEY
from api.core.serializers import ProblemSerializer

from .. import actions, files
from ..access import actor_of, readable, writable
from ..models import Attachment, Submission
from .serializers import AttachmentSerializer, LinkSerializer

LINK_SECONDS = 300
SALT = "guichet.attachment"
REJECTIONS = {
    "file-type": (415, gettext_lazy("This type of file is not accepted here.")),
    "too-many-files": (409, gettext_lazy("This field already holds as many files as it accepts; remove one first.")),
    "image-too-large": (422, gettext_lazy("This image is too large (too many pixels).")),
    "corrupt-image": (422, gettext_lazy("This image cannot be read.")),
    "infected": (422, gettext_lazy("This file contains a virus and was refused.")),
    "scan-unavailable": (503, gettext_lazy("Files cannot be checked right now; please try again later.")),
}


def filename_of(request: Request) -> str:
    header = request.headers.get("Content-Disposition", "")
    if header:
        message = Message()
        message["Content-Disposition"] = header
        name = message.get_filename()
        if name:
            return str(name)
    return str(request.query_params.get("name", "fichier"))


def receive(request: Request, limit: int) -> Path:
    """Write the request body to a temporary file, refusing it as soon as it passes ``limit``."""
    declared = request.META.get("CONTENT_LENGTH")
    too_large = Problem(
        413,
        "file-too-large",
        _("This file is too large (at most %(size)s MB).") % {"size": round(limit / 1_048_576, 1)},
    )
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    handle = tempfile.NamedTemporaryFile(prefix="guichet-upload-", delete=False)  # noqa: SIM115 - closed below
    path = Path(handle.name)
    total = 0
    try:
        with handle:
            while chunk := request._request.read(files.CHUNK):
                total += len(chunk)
                if total > limit:
                    raise too_large
                handle.write(chunk)
        if total == 0:
            raise Problem(400, "empty-file", _("The file is empty."))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def attachment_or_404(pk: Any) -> Attachment:
    return get_object_or_404(Attachment.objects.select_related("submission__procedure"), pk=pk)


def file_response(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


class AttachmentUploadView(APIView):
    """Upload a file: the body is the file; name it with Content-Disposition. With
    ``field``, it answers a file field of a draft (its owner uploads it); without,
    it is for a message on a sent request (its owner or an agent uploads it); with
    ``backoffice:<name>``, it is an agent's file for an action's form (e.g. a photo
    of the repair), named then in the action's ``values``."""

    @extend_schema(
        operation_id="attachments_upload",
        tags=["submissions"],
        parameters=[
            OpenApiParameter(
                "field",
                str,
                description="The file field it answers (none: a message's file; backoffice:<name>: an agent's file "
                "for a file field of an action's form).",
            ),
            OpenApiParameter(
                "Content-Disposition", str, OpenApiParameter.HEADER, description='attachment; filename="photo.jpg"'
            ),
            OpenApiParameter("X-Resume-Token", str, OpenApiParameter.HEADER, required=False),
            IDEMPOTENCY_KEY,
        ],
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        responses={
            201: AttachmentSerializer,
            (413, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Too large."),
            (415, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Type not accepted."),
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Refused (virus, corrupt)."),
        },
    )
    def post(self, request: Request, pk: Any) -> Response:
        limit_caller(request, "uploads", settings.GUICHET_UPLOAD_RATE)
        submission = get_object_or_404(Submission.objects.select_related("procedure", "version"), pk=pk)
        field = str(request.query_params.get("field", ""))
        if field.startswith(actions.BACKOFFICE_FILE):
            if readable(request, submission) != "agent":
                raise Problem(403, "permission-denied", _("Only the agents processing this request can do this."))
        elif field:
            writable(request, submission)
        else:
            readable(request, submission)
        path = receive(request, actions.upload_limit(submission, field))
        name = filename_of(request)

        def attach() -> Response:
            try:
                attachment = actions.add_attachment(submission, path, name, actor_of(request), field=field)
            except files.RejectedFile as rejected:
                status, detail = REJECTIONS[rejected.code]
                raise Problem(status, rejected.code, str(detail)) from None
            return Response(AttachmentSerializer(attachment).data, status=201)

        try:
            # The request's hash for Idempotency-Key is taken from the file's bytes and name.
            return run_once(request, attach, body_digest=f"{files.sha256_of(path)}:{name}")
        finally:
            path.unlink(missing_ok=True)


class AttachmentView(APIView):
    """Download a file (its request's owner and processing agents), or remove it from a draft."""

    @extend_schema(
        operation_id="attachments_download", tags=["submissions"],
        responses={(200, "application/octet-stream"): OpenApiResponse(description="The file.")},
    )  # fmt: skip
    def get(self, request: Request, pk: Any) -> FileResponse:
        attachment = attachment_or_404(pk)
        readable(request, attachment.submission, reading=True)
        return file_response(attachment)

    @extend_schema(operation_id="attachments_delete", tags=["submissions"], responses={204: None})
    @accepts_idempotency_key
    def delete(self, request: Request, pk: Any) -> Response:
        attachment = attachment_or_404(pk)
        writable(request, attachment.submission)

        def remove() -> Response:
            actions.remove_attachment(attachment, actor_of(request))
            return Response(status=204)

        return run_once(request, remove)


class AttachmentLinkView(APIView):
    """A short-lived signed link to a file, for an <img> or another tab."""

    @extend_schema(operation_id="attachments_link", tags=["submissions"], request=None, responses={200: LinkSerializer})
    def post(self, request: Request, pk: Any) -> Response:
        attachment = attachment_or_404(pk)
        readable(request, attachment.submission, reading=True)
        token = signing.TimestampSigner(salt=SALT).sign(str(attachment.pk))
        link = {
            "url": f"/api/attachments/{attachment.pk}/signed/?token={token}",
            "expires_at": timezone.now() + timedelta(seconds=LINK_SECONDS),
        }
        return Response(LinkSerializer(link).data)  # timestamps rendered like every other


class SignedDownloadView(APIView):
    """Download through a signed link (no session needed; it expires)."""

    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="attachments_signed_download", tags=["submissions"],
        parameters=[OpenApiParameter("token", str, required=True)],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Invalid or expired link."),
        },
    )  # fmt: skip
    def get(self, request: Request, pk: Any) -> FileResponse:
        try:
            value = signing.TimestampSigner(salt=SALT).unsign(
                request.query_params.get("token", ""), max_age=LINK_SECONDS
            )
        except signing.BadSignature:
            raise Problem(403, "link-expired", _("This link is invalid or has expired.")) from None
        if value != str(pk):
            raise Problem(403, "link-expired", _("This link is invalid or has expired."))
        return file_response(attachment_or_404(pk))
