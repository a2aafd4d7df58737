"""The agents' back-office API: the inbox of the requests their roles hold, one
request with what they may do now, taking a transition or a global action, and
assignment. People act through their session (with a second factor when agents
must); third-party business applications through a token with ``requests:read``
or ``requests:process``, for the role their access names."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import agent_roles, require_mfa, token_of
from api.accounts.models import Role, User
from api.core.idempotency import accepts_idempotency_key, run_once
from api.core.keyset import KeysetPagination
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem, QueryValidationError
from api.core.serializers import ProblemSerializer
from api.submissions import actions
from api.submissions.access import PROCESS_SCOPES, actor_of
from api.submissions.events import SHARED_AUDIENCES
from api.submissions.models import Submission

from ..queries import FilterError, InboxFilter, counts, filtered, held_by, parse_where
from ..sorting import sort_of
from .serializers import (
    AgentRequestSerializer,
    AssignmentSerializer,
    InboxItemSerializer,
    InboxPageSerializer,
    InboxQuerySerializer,
    TakeSerializer,
    empty_parameters,
    status_data,
    status_names,
)

#: Reading the back office (the request log's ``submissions:read`` is for the feed only).
READ_SCOPES = ("agent", "requests:read", "requests:process")
AUTH: Any = [
    {"cookieAuth": []},
    {"oauth2": ["requests:read"]},
    {"oauth2": ["requests:process"]},
    {"oauth2": ["agent"]},
]
PROCESS_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["requests:process"]}, {"oauth2": ["agent"]}]
PROBLEMS = {
    (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=text)
    for status, text in [
        (400, "The body or the action's form is not valid."),
        (404, "No such request for this agent, or no such action."),
        (409, "Not offered now, or another agent changed the request since it was read."),
    ]
}
#: Writes that accept an Idempotency-Key also answer 422 when a key is reused for another body.
WRITE_PROBLEMS = {
    **PROBLEMS,
    (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Idempotency-Key reused."),
}


class RoleAccess(BasePermission):
    """Someone (or an application) acting for a role with the view's ``agent_scopes``
    for the method; a person's session must have used a second factor when agents must."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not agent_roles(request, scopes_for(request, view)).exists():
            return False
        require_mfa(request)
        return True


def scopes_for(request: Request, view: Any) -> tuple[str, ...]:
    """Reading takes a reading scope, changing a processing one (a view may say otherwise)."""
    declared: tuple[str, ...] | None = getattr(view, "agent_scopes", None)
    if declared is not None:
        return declared
    return READ_SCOPES if request.method in ("GET", "HEAD", "OPTIONS") else PROCESS_SCOPES


def roles_or_403(request: Request, scopes: tuple[str, ...]) -> QuerySet[Role]:
    """The roles the caller acts for with ``scopes`` (RoleAccess saw at least one)."""
    return agent_roles(request, scopes)


def inbox_filter(data: Any, prefix: str = "") -> tuple[InboxFilter, dict[str, Any]]:
    """The inbox's filter from its query (or, for bulk actions and exports, from a body's
    ``filter`` object with the same names), and the parameters read; bad values are a
    problem naming them."""
    query = InboxQuerySerializer(data=data)
    if hasattr(data, "getlist") and (empty := empty_parameters(query, data)):
        raise QueryValidationError(empty)
    if not query.is_valid():
        raise QueryValidationError({f"{prefix}{name}": errors for name, errors in query.errors.items()})
    params = query.validated_data
    try:
        wanted = InboxFilter(
            procedures=params.get("procedure", []),
            statuses=params.get("status", []),
            assigned=params.get("assigned", ""),
            submitted_after=params.get("submitted_after"),
            submitted_before=params.get("submitted_before"),
            deadline_passed=params.get("deadline_passed"),
            query=params.get("q", ""),
            where=[parse_where(raw) for raw in params.get("where", [])],
            citizen=params.get("citizen"),
            role=params.get("role", ""),
        )
    except FilterError as error:
        raise QueryValidationError({f"{prefix}{error.parameter}": [str(error)]}) from error
    return wanted, params


def selected(
    request: Request, roles: Any, wanted: InboxFilter, *, prefix: str = "", with_status: bool = True
) -> QuerySet[Submission]:
    """The requests the roles hold that the filter keeps."""
    try:
        return filtered(held_by(roles), wanted, agent_of(request), with_status=with_status)
    except FilterError as error:  # e.g. "assigned to me" asked by an application's own token
        raise QueryValidationError({f"{prefix}{error.parameter}": [str(error)]}) from error


def agent_of(request: Request) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def held_or_404(request: Request, pk: Any, scopes: tuple[str, ...]) -> tuple[Submission, list[str]]:
    """The request, if one of the caller's roles holds it (else 404: it does not exist
    for them), and the slugs of the caller's roles."""
    roles = roles_or_403(request, scopes)
    submission = get_object_or_404(
        held_by(roles).select_related("procedure", "version", "role", "assignee", "owner"), pk=pk
    )
    return submission, list(roles.values_list("slug", flat=True))


class InboxView(APIView):
    """The requests the agent's roles hold, filtered, searched and ordered, a page at a
    time (a cursor: a page does not shift when new requests arrive); with
    ``counts=true``, how many per status for tabs."""

    permission_classes = [RoleAccess]

    @extend_schema(
        operation_id="agent_requests_list",
        tags=["agents"],
        auth=AUTH,
        parameters=[InboxQuerySerializer],
        responses={200: InboxPageSerializer},
    )
    def get(self, request: Request) -> Response:
        roles = roles_or_403(request, READ_SCOPES)
        wanted, params = inbox_filter(request.query_params)
        base = selected(request, roles, wanted, with_status=False)
        listing = base.filter(status__in=wanted.statuses) if wanted.statuses else base
        listing = listing.select_related("procedure", "role", "assignee", "owner")
        key, descending = sort_of(params["ordering"])
        paginator = KeysetPagination(key, descending=descending)
        page = paginator.paginate_queryset(listing, request, view=self)
        body: dict[str, Any] = {
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": InboxItemSerializer(page, many=True).data,
        }
        if params["counts"]:
            names = status_names(roles)
            body["counts"] = [
                {"status": status, "count": n, **_label_and_colour(names.get(status) or status_data(None, status))}
                for status, n in sorted(counts(base).items())
            ]
        return Response(body)


def _label_and_colour(status: dict[str, Any]) -> dict[str, Any]:
    return {"label": status["label"], "colour": status["colour"]}


class AgentRequestView(APIView):
    """One request as its agents see it: answers, files, back-office fields, the full
    history (internal events included, with who acted), and the transitions and
    global actions this agent may take now, with their forms."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_requests_retrieve", tags=["agents"], auth=AUTH,
                   responses={200: AgentRequestSerializer, **PROBLEMS})  # fmt: skip
    def get(self, request: Request, pk: Any) -> Response:
        submission, roles = held_or_404(request, pk, READ_SCOPES)
        return Response(detail(request, submission, roles))


def detail(request: Request, submission: Submission, roles: list[str]) -> dict[str, Any]:
    processing = token_of(request) is None or agent_roles(request, PROCESS_SCOPES).exists()
    moves = actions.moves_for(submission, roles) if processing else []
    history = submission.events.filter(audience__in=SHARED_AUDIENCES).select_related("procedure", "actor")
    data: dict[str, Any] = AgentRequestSerializer(submission, context={"moves": moves, "history": history}).data
    return data


class TakeView(APIView):
    """Take a transition or a global action. Send the status you saw: if another agent
    moved the request meanwhile, nothing happens and the answer is a 409 problem."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_requests_act", tags=["agents"], auth=PROCESS_AUTH, request=TakeSerializer,
                   responses={200: AgentRequestSerializer, **WRITE_PROBLEMS})  # fmt: skip
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        submission, roles = held_or_404(request, pk, PROCESS_SCOPES)
        body = TakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data

        def take() -> Response:
            current = actions.take(
                submission,
                actor_of(request),
                given["action"],
                roles=roles,
                is_global=given["is_global"],
                expected_status=given.get("status"),
                given=actions.MoveInput(comment=given["comment"], message=given["message"], values=given["values"]),
            )
            return Response(detail(request, refreshed(current), roles))

        return run_once(request, take)


class AssignmentView(APIView):
    """Hand the request to another role, or to an agent of its role (or to nobody)."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_requests_assign", tags=["agents"], auth=PROCESS_AUTH,
                   request=AssignmentSerializer,
                   responses={200: AgentRequestSerializer,
                              204: OpenApiResponse(description="Handed to a role the caller does not act for."),
                              **WRITE_PROBLEMS})  # fmt: skip
    @accepts_idempotency_key
    def post(self, request: Request, pk: Any) -> Response:
        submission, roles = held_or_404(request, pk, PROCESS_SCOPES)
        body = AssignmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        role = None
        if "role" in given:
            role = Role.objects.filter(slug=given["role"]).first()
            if role is None:
                raise Problem(400, "validation-error", _("No role is named %(slug)s.") % {"slug": given["role"]},
                              invalid_params=[{"name": "role", "in": "body", "pointer": "/role",
                                               "reason": _("No such role.")}])  # fmt: skip
        agent = None
        if given.get("me"):
            agent = agent_of(request)
            if agent is None:
                raise Problem(400, "person-required", _("An application's own token has no person to assign."))
        elif given.get("agent") is not None:
            agent = User.objects.filter(pk=given["agent"]).first()
            if agent is None:
                raise Problem(400, "not-a-member", _("This agent is not a member of the request's role."))

        def assign() -> Response:
            current = actions.assign(
                submission,
                actor_of(request),
                role=role,
                agent=agent,
                unassign="agent" in given and given["agent"] is None,
            )
            if current.role is None or current.role.slug not in roles:
                return Response(status=204)  # handed to a role the caller does not act for
            return Response(detail(request, refreshed(current), roles))

        return run_once(request, assign)


def refreshed(submission: Submission) -> Submission:
    return Submission.objects.select_related("procedure", "version", "role", "assignee", "owner").get(pk=submission.pk)
