"""What an agent works on: the procedures their roles receive."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import AgentAccess, agent_roles

from ..models import Procedure
from .serializers import ReceivedProcedureSerializer

AGENT_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["agent"]}]


class AgentProcedureListView(APIView):
    """The procedures whose requests the agent's roles process."""

    permission_classes = [AgentAccess]

    @extend_schema(
        operation_id="agent_procedures_list",
        tags=["agents"],
        auth=AGENT_AUTH,
        responses={200: ReceivedProcedureSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        procedures = (
            Procedure.objects.filter(receiver_role__in=agent_roles(request))
            .select_related("receiver_role")
            .order_by("sort_title")
        )
        return Response(ReceivedProcedureSerializer(procedures, many=True).data)
