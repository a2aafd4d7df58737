"""Incremental sync for third-party applications and agents' tools: the event log
after a given position, for the procedures the caller's roles receive, tombstones included."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import agent_roles, require_mfa, token_of
from api.core.problems import Problem, QueryValidationError

from ..events import SHARED_AUDIENCES
from ..models import Event
from ..presentation import EventSerializer
from .serializers import SyncPageSerializer

MAX_LIMIT = 500
READ_SCOPES = ("agent", "submissions:read")
SYNC_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["submissions:read"]}, {"oauth2": ["agent"]}]


class SyncAccess(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not agent_roles(request, scopes=READ_SCOPES).exists():
            token = token_of(request)
            if token is not None and token.user_id is None and any(token.allow_scopes([s]) for s in READ_SCOPES):
                raise Problem(
                    403,
                    "application-without-role",
                    _(
                        "This application acts for no role yet: an administrator attaches it to the role "
                        "whose requests it may read (admin, Application accesses)."
                    ),
                )
            return False
        require_mfa(request)
        return True


class EventSyncView(APIView):
    """Events after ``after`` (a position), in the order they were committed. Positions
    are given after commit, in commit order, so a reader never skips an event that
    committed late. Reading writes nothing: an event whose writer stopped between its
    commit and its numbering is numbered by the next event written, or by a web process's
    realtime tailer (``api.core.sequence.sequence_stragglers``)."""

    permission_classes = [SyncAccess]

    @extend_schema(
        operation_id="events_sync",
        tags=["submissions"],
        auth=SYNC_AUTH,
        parameters=[
            OpenApiParameter("after", int, description="The last position already seen (0 to start)."),
            OpenApiParameter("procedure", str, description="Only this procedure (slug)."),
            OpenApiParameter("limit", int, description=f"At most this many events (1-{MAX_LIMIT}, default 100)."),
        ],
        responses={200: SyncPageSerializer},
    )
    def get(self, request: Request) -> Response:
        roles = agent_roles(request, scopes=READ_SCOPES)
        after, size = self._int("after", 0, 0, None), self._int("limit", 100, 1, MAX_LIMIT)
        # Draft life is the citizen's own business (internal): agents and applications
        # see what happens from sending on, anonymisations included (the tombstones).
        events = Event.objects.filter(
            position__gt=after, audience__in=SHARED_AUDIENCES, procedure__receiver_role__in=roles
        )
        if slug := request.query_params.get("procedure"):
            events = events.filter(procedure__slug=slug)
        page = list(events.select_related("procedure").order_by("position")[: size + 1])
        has_more = len(page) > size
        page = page[:size]
        return Response(
            {
                "events": EventSerializer(page, many=True).data,
                "next_after": page[-1].position if page else after,
                "has_more": has_more,
            }
        )

    def _int(self, name: str, default: int, low: int, high: int | None) -> int:
        raw = self.request.query_params.get(name)
        if raw is None:
            return default
        if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
            bound = f"{low}-{high}" if high is not None else f"{low} or more"
            raise QueryValidationError({name: [_("Give a whole number (%(bound)s).") % {"bound": bound}]})
        return int(raw)
