"""Tickets for the websocket: the REST call that lets a widget or an application
open ``/ws/`` without a cookie and without putting its token in a URL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import agent_roles, require_mfa, token_of
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.ratelimit import limit
from api.core.serializers import ProblemSerializer
from api.submissions.access import holds_resume_token
from api.submissions.models import State, Submission

from ..streams import AGENT, CITIZEN, REQUEST, Viewer, credential_hash
from ..tickets import TICKET_SECONDS, issue
from .serializers import TicketRequestSerializer, TicketSerializer

#: An agent's stream: the scopes that read the back office or the feed.
AGENT_SCOPES = ("agent", "requests:read", "requests:process", "submissions:read")
TICKET_AUTH: Any = [
    {},
    {"cookieAuth": []},
    {"oauth2": ["submissions:write"]},
    *({"oauth2": [scope]} for scope in AGENT_SCOPES),
]


def _citizen(request: Request) -> Viewer:
    user, token = request.user, token_of(request)
    if token is not None and (token.user_id is None or not token.allow_scopes(["submissions:write"])):
        raise Problem(403, "permission-denied", _("This token may not read a citizen's requests."))
    if not getattr(user, "is_authenticated", False):
        raise Problem(401, "not-authenticated", _("Sign in to follow your requests."))
    return Viewer(stream=CITIZEN, user_id=user.pk, token_id=token.pk if token else None)


def _agent(request: Request) -> Viewer:
    if not agent_roles(request, AGENT_SCOPES).exists():
        if not getattr(request.user, "is_authenticated", False) and token_of(request) is None:
            raise Problem(401, "not-authenticated", _("Authentication is required."))
        raise Problem(403, "permission-denied", _("Only agents, or applications acting for a role, follow a role."))
    require_mfa(request)
    token = token_of(request)
    if token is not None:
        return Viewer(
            stream=AGENT,
            user_id=token.user_id,
            application_id=None if token.user_id else token.application_id,
            token_id=token.pk,
        )
    return Viewer(stream=AGENT, user_id=request.user.pk)


def _follower(request: Request, body: dict[str, Any]) -> Viewer:
    limit(request._request, "tracking", settings.GUICHET_TRACKING_RATE)
    code = (body.get("tracking_code") or "").strip().upper()
    given = request.headers.get("X-Resume-Token", "")
    submission: Submission | None = None
    if code:
        submission = Submission.objects.filter(tracking_code=code, state=State.SUBMITTED).first()
        secret = code
    elif body.get("request") and given:
        submission = Submission.objects.filter(pk=body["request"], state=State.SUBMITTED).first()
        if submission is not None and not holds_resume_token(request, submission):
            submission = None
        secret = submission.resume_token_hash if submission else ""
    else:
        raise Problem(
            400,
            "follow-needs-a-code",
            _("To follow one request, give its tracking code, or its id with its resume token (X-Resume-Token)."),
        )
    if submission is None:
        raise Problem(404, "unknown-tracking-code", _("No sent request matches this code."))
    return Viewer(stream=REQUEST, request_id=str(submission.pk), credential=credential_hash(secret))


class TicketView(APIView):
    """A ticket to open the websocket (``/ws/?ticket=…``) within a minute, once.

    ``citizen``: the signed-in person's requests. ``agent``: the requests the roles of
    the agent (or of the application's access) hold, and their jobs. ``request``: one
    sent request, for someone without an account, by its tracking code or by its id
    with its resume token. Without ``stream``: ``request`` when a code is given, else
    ``agent`` for an agent, else ``citizen``. A ticket writes nothing: asking again
    gives another."""

    @extend_schema(
        operation_id="realtime_ticket",
        tags=["realtime"],
        auth=TICKET_AUTH,
        request=TicketRequestSerializer,
        responses={
            201: TicketSerializer,
            **{
                (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=text)
                for status, text in [
                    (400, "The body is not valid, or a follow without a code."),
                    (401, "A citizen's or agent's stream needs authentication."),
                    (403, "The caller may not read this stream (not an agent, a token's scopes, a second factor)."),
                    (404, "unknown-tracking-code: no sent request matches."),
                    (429, "Too many attempts to follow a request."),
                ]
            },
        },
    )
    def post(self, request: Request) -> Response:
        body = TicketRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        stream = given.get("stream") or (
            REQUEST
            if given.get("tracking_code") or given.get("request")
            else AGENT
            if agent_roles(request, AGENT_SCOPES).exists()
            else CITIZEN
        )
        if stream == CITIZEN:
            viewer = _citizen(request)
        elif stream == AGENT:
            viewer = _agent(request)
        else:
            viewer = _follower(request, body.validated_data)
        viewer.language = body.validated_data.get("language") or (
            "en" if (request.LANGUAGE_CODE or "fr").startswith("en") else "fr"
        )
        ticket = issue(viewer)
        scheme = "wss" if request.is_secure() else "ws"
        return Response(
            {
                "ticket": ticket,
                "expires_at": timezone.now() + timedelta(seconds=TICKET_SECONDS),
                "url": f"{scheme}://{request.get_host()}/ws/?ticket={ticket}",
            },
            status=201,
        )
