"""Resumable uploads, for large photos on weak mobile networks (modelled on tus):
create an upload with the file's size, send its bytes in one or more PATCH
requests carrying ``Upload-Offset``, ask where it stands after a failure, resume.
The last chunk turns it into an attachment, checked like any other."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import accepts_idempotency_key, run_once
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.ratelimit import limit_caller
from api.core.serializers import ProblemSerializer

from .. import actions, files
from ..access import actor_of, readable, writable
from ..models import Submission, UploadSession
from .attachments import REJECTIONS
from .serializers import AttachmentSerializer, NewUploadSerializer, UploadSerializer


def check_access(request: Request, submission: Submission, field: str, *, reading: bool = False) -> None:
    if field:
        writable(request, submission)
    else:
        readable(request, submission, reading=reading)


class UploadCreateView(APIView):
    """Announce a file (name, size, field); then send its bytes to the upload."""

    @extend_schema(
        operation_id="uploads_create", tags=["submissions"], request=NewUploadSerializer,
        responses={201: UploadSerializer},
    )  # fmt: skip
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        limit_caller(request, "uploads", settings.GUICHET_UPLOAD_RATE)
        submission = get_object_or_404(Submission.objects.select_related("procedure", "version"), pk=pk)
        body = NewUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        field = body.validated_data["field"]
        check_access(request, submission, field)
        return run_once(request, lambda: self._create(request, submission, body.validated_data))

    def _create(self, request: Request, submission: Submission, announced: dict[str, Any]) -> Response:
        field = announced["field"]
        limit = actions.upload_limit(submission, field)
        if announced["size"] > limit:
            raise Problem(
                413,
                "file-too-large",
                _("This file is too large (at most %(size)s MB).") % {"size": round(limit / 1_048_576, 1)},
            )
        session = actions.open_upload(
            submission, actor_of(request), field=field, name=announced["name"], size=announced["size"]
        )
        response = Response(UploadSerializer(session).data, status=201)
        response["Location"] = f"/api/uploads/{session.pk}/"
        response["Upload-Offset"] = "0"
        return response


class UploadView(APIView):
    """Where an upload stands (GET), or its next bytes (PATCH with Upload-Offset)."""

    def session(self, request: Request, pk: Any, *, reading: bool = False) -> UploadSession:
        session = get_object_or_404(UploadSession.objects.select_related("submission__procedure"), pk=pk)
        check_access(request, session.submission, session.field, reading=reading)
        return session

    @extend_schema(operation_id="uploads_retrieve", tags=["submissions"], responses={200: UploadSerializer})
    def get(self, request: Request, pk: Any) -> Response:
        session = self.session(request, pk, reading=True)
        return Response(
            UploadSerializer(session).data, headers={"Upload-Offset": str(session.offset), "Cache-Control": "no-store"}
        )

    @extend_schema(
        operation_id="uploads_append",
        tags=["submissions"],
        parameters=[OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True)],
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        responses={
            200: UploadSerializer,
            201: AttachmentSerializer,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="Wrong offset: see Upload-Offset."
            ),
        },
    )
    def patch(self, request: Request, pk: Any) -> Response:
        session = self.session(request, pk)
        given = request.headers.get("Upload-Offset", "")
        if not given.isdigit():
            raise Problem(400, "upload-offset-required", _("Send the offset of these bytes in Upload-Offset."))
        session = actions.append_to_upload(session, int(given), request._request, actor_of(request))
        if session.offset < session.size:
            return Response(UploadSerializer(session).data, headers={"Upload-Offset": str(session.offset)})
        try:
            attachment = actions.complete_upload(session, actor_of(request))
        except files.RejectedFile as rejected:
            status, detail = REJECTIONS[rejected.code]
            raise Problem(status, rejected.code, str(detail)) from None
        return Response(AttachmentSerializer(attachment).data, status=201, headers={"Upload-Offset": str(session.size)})
