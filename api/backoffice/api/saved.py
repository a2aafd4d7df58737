"""Saved inbox views: an agent names the inbox's address (its filters, order and
columns) to come back to it, for themselves or shared with one of their roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import token_of
from api.core.idempotency import idempotent
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.serializers import ProblemSerializer
from api.submissions.access import actor_of

from .. import actions
from ..models import SavedView
from .view_serializers import SavedViewSerializer, SaveViewSerializer
from .views import READ_SCOPES, WRITE_PROBLEMS, RoleAccess, roles_or_403


def _person(request: Request) -> Any:
    """Saved views are the back office screens' own: a person signed in there, not a token."""
    if not request.user.is_authenticated or token_of(request) is not None:
        raise Problem(403, "permission-denied", _("Saved views are kept for people signed in to the back office."))
    return request.user


def _visible(request: Request) -> Any:
    roles = roles_or_403(request, READ_SCOPES)
    user = _person(request)
    return SavedView.objects.filter(Q(owner=user) | Q(role__in=roles)).select_related("role", "owner").distinct()


#: Sessions only: a view is kept for the screens, not for applications' tokens.
SESSION_AUTH: Any = [{"cookieAuth": []}]
VIEW_PROBLEMS = {
    **WRITE_PROBLEMS,
    (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Not the caller's view."),
}


class SavedViewsView(APIView):
    """The caller's saved inbox views and those shared with their roles; saving one."""

    permission_classes = [RoleAccess]
    agent_scopes = READ_SCOPES

    @extend_schema(operation_id="agent_views_list", tags=["agents"], auth=SESSION_AUTH,
                   responses={200: SavedViewSerializer(many=True)})  # fmt: skip
    def get(self, request: Request) -> Response:
        views = _visible(request).order_by("name", "id")
        return Response(SavedViewSerializer(views, many=True, context={"user": request.user}).data)

    @extend_schema(operation_id="agent_views_save", tags=["agents"], auth=SESSION_AUTH, request=SaveViewSerializer,
                   responses={200: SavedViewSerializer, 201: SavedViewSerializer, **VIEW_PROBLEMS})  # fmt: skip
    @idempotent
    def post(self, request: Request) -> Response:
        roles = roles_or_403(request, READ_SCOPES)
        user = _person(request)
        body = SaveViewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        role = None
        if given.get("role"):
            role = roles.filter(slug=given["role"]).first()
            if role is None:
                raise serializers.ValidationError({"role": [_("Share with one of your own roles.")]})
        view, created = actions.save_view(user, given["name"], given["query"], role, actor_of(request))
        data = SavedViewSerializer(view, context={"user": user}).data
        return Response(data, status=201 if created else 200, headers={"Location": f"/api/agent/views/{view.pk}/"})


class SavedViewView(APIView):
    """Deleting one of the caller's saved views (a view shared with them is its owner's to delete)."""

    permission_classes = [RoleAccess]
    agent_scopes = READ_SCOPES

    @extend_schema(operation_id="agent_views_delete", tags=["agents"], auth=SESSION_AUTH,
                   responses={204: None, **VIEW_PROBLEMS})  # fmt: skip
    @idempotent
    def delete(self, request: Request, pk: Any) -> Response:
        view = get_object_or_404(_visible(request), pk=pk)
        if view.owner_id != request.user.pk:
            raise Problem(403, "permission-denied", _("Only the agent who saved this view may delete it."))
        actions.delete_view(view, actor_of(request))
        return Response(status=204)
