"""The thread between a citizen and the agents on a sent request, and corrections
answering an agent's request for more information."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import accepts_idempotency_key, run_once
from api.core.problems import PROBLEM_CONTENT_TYPE, answers_problem
from api.core.ratelimit import limit_caller
from api.core.serializers import ProblemSerializer

from .. import actions
from ..access import actor_of, readable, writable
from .serializers import CorrectionSerializer, MessageSerializer, NewMessageSerializer, SubmissionSerializer
from .views import submission_or_404, with_etag


class MessagesView(APIView):
    """The messages of a sent request, oldest first; post one."""

    @extend_schema(operation_id="messages_list", tags=["submissions"], responses={200: MessageSerializer(many=True)})
    def get(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        readable(request, submission, reading=True)
        messages = submission.messages.prefetch_related("attachments")
        return Response(MessageSerializer(messages, many=True).data)

    @extend_schema(
        operation_id="messages_create",
        tags=["submissions"],
        request=NewMessageSerializer,
        responses={
            201: MessageSerializer,
            (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="The request was not sent."),
        },
    )
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        limit_caller(request, "messages", settings.GUICHET_MESSAGE_RATE)
        submission = submission_or_404(pk)
        role = readable(request, submission)

        def post() -> Response:
            body = NewMessageSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            message = actions.post_message(
                submission,
                actor_of(request),
                body.validated_data["body"],
                from_agent=role == "agent",
                attachment_ids=[str(a) for a in body.validated_data.get("attachments", [])],
                request_fields=body.validated_data.get("request_fields"),
            )
            return Response(MessageSerializer(message).data, status=201)

        return run_once(request, post)


class CorrectionView(APIView):
    """Answer a request for more information: new values for the fields asked."""

    @extend_schema(
        operation_id="submissions_correct",
        tags=["submissions"],
        request=CorrectionSerializer,
        responses={200: SubmissionSerializer},
    )
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        writable(request, submission)

        def correct() -> Response:
            body = CorrectionSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            try:
                corrected = actions.correct(submission, body.validated_data["data"], actor_of(request))
            except actions.InvalidAnswers as invalid:
                raise answers_problem(invalid.errors) from None
            return with_etag(Response(SubmissionSerializer(corrected).data), corrected)

        return run_once(request, correct)
