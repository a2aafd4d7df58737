"""Submission endpoints: drafts (create, autosave with If-Match, delete, check a
page), sending, the citizen's requests, history, anonymous follow-up."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import PersonAccess, person, token_of
from api.catalog.definitions import compiled
from api.catalog.queries import public_procedure
from api.core.events import Audience
from api.core.filters import StrictFilterBackend
from api.core.idempotency import accepts_idempotency_key, run_once
from api.core.pagination import StrictCursorPagination
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem, answers_problem, problem_body
from api.core.ratelimit import limit, limit_caller
from api.core.serializers import ProblemSerializer

from .. import actions, answers
from ..access import RESUME_HEADER, actor_of, readable, writable
from ..events import SHARED_AUDIENCES
from ..models import Event, State, Submission
from ..presentation import EventSerializer, citizen_status
from . import listing
from .serializers import (
    CreatedDraftSerializer,
    CreateDraftSerializer,
    DraftChangedSerializer,
    PageCheckResultSerializer,
    PageCheckSerializer,
    SaveDraftSerializer,
    SubmissionDetailSerializer,
    SubmissionSerializer,
    TrackingRequestSerializer,
    TrackingSerializer,
    VersionFormSerializer,
)

NOBODY = uuid.UUID(int=0)  # matches no submission: the miss costs the same queries
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="The draft's ETag, as last read."
)
RESUME = OpenApiParameter(
    RESUME_HEADER, str, OpenApiParameter.HEADER, required=False, description="An anonymous draft's secret."
)
CHOSEN_RESUME = OpenApiParameter(
    RESUME_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    pattern="^[A-Za-z0-9_-]{32,128}$",
    description=(
        "Without an account: a secret of your own for the new draft (required with an Idempotency-Key, "
        "so that only you can replay the creation). Without it, Guichet generates one."
    ),
)
CONFLICTS = {
    (409, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Not allowed in this state."),
    (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Idempotency-Key reused."),
}


def submission_or_404(pk: Any) -> Submission:
    # The version's document is read through its compiled, cached form (catalog.definitions).
    return get_object_or_404(
        Submission.objects.select_related("procedure", "version").defer("version__definition"), pk=pk
    )


def with_etag(response: Response, submission: Submission) -> Response:
    response["ETag"] = submission.etag
    response["Cache-Control"] = "private, no-cache"
    return response


RESUME_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32,128}")


def chosen_resume_token(request: Request) -> str | None:
    """The secret a caller without an account chose for their new draft, if any."""
    given = request.headers.get(RESUME_HEADER)
    if given is None:
        return None
    if not RESUME_TOKEN_SHAPE.fullmatch(given):
        raise Problem(
            400,
            "invalid-resume-token",
            _("X-Resume-Token must be 32 to 128 letters, digits, '-' or '_'."),
            invalid_params=[
                {
                    "name": RESUME_HEADER,
                    "in": "header",
                    "pointer": "",
                    "reason": _("Invalid format."),
                    "code": "invalid",
                }
            ],
        )
    return given


def _without_secret(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "resume_token": None, "resume_url": str(data["resume_url"]).split("#", 1)[0]}


def _with_secret(data: dict[str, Any], token: str | None) -> dict[str, Any]:
    if not token:
        return data
    return {**data, "resume_token": token, "resume_url": f"{data['resume_url']}#{token}"}


class DraftCreateView(APIView):
    """Start a request: a draft tied to the procedure's current form version."""

    @extend_schema(
        operation_id="submissions_create",
        tags=["submissions"],
        parameters=[CHOSEN_RESUME],
        request=CreateDraftSerializer,
        responses={
            201: CreatedDraftSerializer,
            (401, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="account-required: this procedure needs a signed-in person."
            ),
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer,
                description="permission-denied (no submissions:write) or person-required (an application's own token).",
            ),
            (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="procedure-closed."),
            **CONFLICTS,
        },
    )
    @accepts_idempotency_key
    def post(self, request: Request, slug: str) -> Response:
        limit_caller(request, "drafts", settings.GUICHET_DRAFT_RATE)
        procedure = public_procedure(slug)
        token = token_of(request)
        if token is not None and not token.allow_scopes(["submissions:write"]):
            raise Problem(403, "permission-denied", _("This application may not start requests."))
        actor = actor_of(request)
        if procedure.requires_account and actor.user_or_none is None:
            if token is not None:
                raise Problem(
                    403,
                    "person-required",
                    _(
                        "This procedure needs a signed-in person: an application starts it on a person's behalf "
                        "with a token the person authorised (authorization code), not with its own token."
                    ),
                )
            raise Problem(401, "account-required", _("Sign in to start this procedure."))
        chosen = chosen_resume_token(request) if actor.user_or_none is None else None

        def create() -> Response:
            body = CreateDraftSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            submission, resume_token = actions.create_draft(
                procedure, actor, body.validated_data["data"], resume_token=chosen
            )
            resume_url = f"{settings.PUBLIC_URL}/demarches/{procedure.slug}/brouillon/{submission.pk}"
            data = _with_secret(
                {**SubmissionSerializer(submission).data, "resume_token": None, "resume_url": resume_url},
                resume_token,
            )
            response = Response(data, status=201, headers={"Location": f"/api/submissions/{submission.pk}/"})
            return with_etag(response, submission)

        return run_once(request, create, redact=_without_secret, restore=lambda data: _with_secret(data, chosen))


class SubmissionView(APIView):
    """One request: read it; while a draft, save answers (If-Match) or delete it."""

    @extend_schema(
        operation_id="submissions_retrieve", tags=["submissions"], parameters=[RESUME],
        responses={200: SubmissionDetailSerializer},
    )  # fmt: skip
    def get(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        role = readable(request, submission, reading=True)
        data = SubmissionDetailSerializer(submission).data
        if role != "owner":
            data["tracking_code"] = None
        return with_etag(Response(data), submission)

    @extend_schema(
        operation_id="submissions_save",
        tags=["submissions"],
        parameters=[IF_MATCH, RESUME],
        request=SaveDraftSerializer,
        responses={
            200: SubmissionSerializer,
            (412, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                DraftChangedSerializer, description="Changed elsewhere: the body carries the current draft."
            ),
            (428, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="If-Match is missing."),
            **CONFLICTS,
        },
    )
    @accepts_idempotency_key
    def patch(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        writable(request, submission)
        return run_once(request, lambda: self._save(request, submission))

    def _save(self, request: Request, submission: Submission) -> Response:
        revision = parse_if_match(request, submission)
        body = SaveDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = actions.save_draft(submission, body.validated_data["data"], actor_of(request), revision=revision)
        except actions.StaleRevision as stale:
            current = SubmissionSerializer(stale.submission).data
            problem = problem_body(412, "draft-changed", str(stale.detail), title=stale.title, current=current)
            response = Response(problem, status=412, content_type=PROBLEM_CONTENT_TYPE)
            return with_etag(response, stale.submission)
        return with_etag(Response(SubmissionSerializer(saved).data), saved)

    @extend_schema(
        operation_id="submissions_delete", tags=["submissions"], parameters=[RESUME],
        responses={204: OpenApiResponse(description="Deleted."), **CONFLICTS},
    )  # fmt: skip
    @accepts_idempotency_key
    def delete(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        writable(request, submission)

        def delete() -> Response:
            actions.delete_draft(submission, actor_of(request))
            return Response(status=204)

        return run_once(request, delete)


def parse_if_match(request: Request, submission: Submission) -> int | None:
    """The revision the client last read, from If-Match (RFC 9110 §13.1.1): ``*`` matches
    the draft as it is; a list matches if any of its tags is the draft's current one."""
    given = request.headers.get("If-Match")
    if not given or not given.strip():
        raise Problem(428, "if-match-required", _("Send the draft's ETag in If-Match, so no change is lost."))
    if given.strip() == "*":
        return None
    prefix = f'"{submission.pk}-'
    revisions = []
    for tag in given.split(","):
        value = tag.strip()
        if value.startswith("W/"):
            value = value[2:]
        if value.startswith(prefix) and value.endswith('"') and value[len(prefix) : -1].isdigit():
            revisions.append(int(value[len(prefix) : -1]))
    if submission.revision in revisions:
        return submission.revision
    return revisions[0] if revisions else -1  # another resource's or a malformed tag: stale by definition


class SubmitView(APIView):
    """Send the request: every answer checked, then frozen, with a reference."""

    @extend_schema(
        operation_id="submissions_submit", tags=["submissions"], parameters=[RESUME], request=None,
        responses={
            200: SubmissionSerializer,
            (401, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="account-required: this procedure is sent by a signed-in person."
            ),
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="person-required: an application's own token may not send."
            ),
            **CONFLICTS,
        },
    )  # fmt: skip
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        writable(request, submission)
        token = token_of(request)
        if token is not None and token.user_id is None:
            raise Problem(
                403,
                "person-required",
                _(
                    "An application's own token may prefill a draft, not send it: the person sends it, "
                    "or the application does with a token the person authorised (authorization code)."
                ),
            )

        def send() -> Response:
            try:
                sent = actions.submit(submission, actor_of(request))
            except actions.InvalidAnswers as invalid:
                raise answers_problem(invalid.errors) from None
            return with_etag(Response(SubmissionSerializer(sent).data), sent)

        return run_once(request, send)


class DraftCheckView(APIView):
    """Check a draft's stored answers, whole or one page, without sending it."""

    @extend_schema(
        operation_id="submissions_check", tags=["submissions"], parameters=[RESUME], request=PageCheckSerializer,
        responses={200: OpenApiResponse(PageCheckResultSerializer, description="The answers are valid.")},
    )  # fmt: skip
    def post(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        writable(request, submission)
        body = PageCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = answers.check(submission, page=body.validated_data.get("page")).result
        if result.errors:
            raise answers_problem(result.errors)
        return Response({"valid": True, "visible_pages": result.visible_pages})


class SubmissionFormView(APIView):
    """The form a request was filled against (its version), to display its answers."""

    @extend_schema(
        operation_id="submissions_form", tags=["submissions"], parameters=[RESUME],
        responses={200: VersionFormSerializer},
    )  # fmt: skip
    def get(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        readable(request, submission, reading=True)
        version = submission.version
        response = Response(
            {
                "procedure": submission.procedure.slug,
                "version": version.number,
                "definition": compiled(version).document,
            }
        )
        response["Cache-Control"] = "private, max-age=3600"  # a version never changes
        return response


class HistoryView(APIView):
    """What happened to a request: the citizen sees what is meant for them."""

    @extend_schema(
        operation_id="submissions_history", tags=["submissions"], parameters=[RESUME],
        responses={200: EventSerializer(many=True)},
    )  # fmt: skip
    def get(self, request: Request, pk: Any) -> Response:
        submission = submission_or_404(pk)
        role = readable(request, submission, reading=True)
        events: QuerySet[Event] = submission.events.select_related("procedure")
        events = events.filter(audience__in=[Audience.CITIZEN] if role == "owner" else SHARED_AUDIENCES)
        return Response(EventSerializer(events, many=True).data)


class SubmissionPagination(StrictCursorPagination):
    ordering = "-updated_at"


class MySubmissionsView(generics.ListAPIView[Submission]):
    """The signed-in citizen's requests, drafts and sent, most recently changed first."""

    permission_classes = [PersonAccess]
    person_scopes = {"GET": ["submissions:write"]}
    serializer_class = SubmissionSerializer
    pagination_class = SubmissionPagination
    filter_backends = [StrictFilterBackend]
    filterset_fields = ["state"]

    @extend_schema(operation_id="me_submissions_list", tags=["submissions"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Submission]:
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return Submission.objects.filter(owner=person(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Rows, not objects: the procedure's title and the version's number, not their
        # documents, nor the request's search text (see listing.py).
        rows = self.filter_queryset(self.get_queryset()).values(*listing.COLUMNS)
        page = self.paginate_queryset(rows) or []
        zone = timezone.get_current_timezone()
        return self.get_paginated_response([listing.listed(row, zone) for row in page])


class TrackingView(APIView):
    """Follow a request without an account, by its tracking code (rate-limited)."""

    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="tracking",
        tags=["submissions"],
        request=TrackingRequestSerializer,
        responses={
            200: TrackingSerializer,
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="unknown-tracking-code: no request has this code."
            ),
            (429, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Too many attempts."),
        },
    )
    def post(self, request: Request) -> Response:
        limit(request._request, "tracking", settings.GUICHET_TRACKING_RATE)
        body = TrackingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data["code"].strip().upper()
        # One indexed lookup whatever the code: a wrong code costs what a right one does.
        submission = (
            Submission.objects.select_related("procedure").filter(tracking_code=code, state=State.SUBMITTED).first()
        )
        history = list(
            Event.objects.filter(
                submission_id=submission.pk if submission else NOBODY, audience=Audience.CITIZEN
            ).select_related("procedure")
        )
        if submission is None:
            raise Problem(404, "unknown-tracking-code", _("No request has this tracking code."))
        tracked = {
            "reference": submission.reference,
            "procedure": {"slug": submission.procedure.slug, "title": submission.procedure.title},
            "status": submission.citizen_status,
            **citizen_status(submission),
            "submitted_at": submission.submitted_at,
            "history": history,
        }
        return Response(TrackingSerializer(tracked).data, headers={"Cache-Control": "no-store"})
