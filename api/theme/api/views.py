"""The theme over HTTP: its tokens as JSON and as a stylesheet for anyone (revalidated
with the ETag that ConditionalGetMiddleware adds), and applying new tokens for
administrators (a session with its second factor, or the procedures:admin scope)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import StaffOrAppScope
from api.core.idempotency import idempotent

from .. import actions
from ..css import stylesheet
from ..models import Theme
from .serializers import AppliedThemeSerializer, ThemeInputSerializer, ThemeSerializer

STAFF_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["procedures:admin"]}]
PUBLIC_AUTH: Any = [{}]


def _body(theme: Theme) -> dict[str, Any]:
    return {
        "name": theme.name,
        "colours": theme.colours,
        "fonts": theme.fonts,
        "radius": theme.radius,
        "links": theme.links,
        "revision": theme.revision,
    }


class ThemeView(APIView):
    """The municipality's theme (design tokens); administrators apply a new one."""

    app_scope = "procedures:admin"

    def get_permissions(self) -> list[Any]:
        # Only applying is guarded: another method gets its 405, not a 401.
        return [StaffOrAppScope()] if self.request.method == "PUT" else [AllowAny()]

    @extend_schema(operation_id="theme_retrieve", tags=["theme"], auth=PUBLIC_AUTH, responses={200: ThemeSerializer})
    def get(self, request: Request) -> Response:
        response = Response(_body(actions.current()))
        response["Cache-Control"] = "public, no-cache"
        return response

    @extend_schema(
        operation_id="theme_apply",
        tags=["theme"],
        auth=STAFF_AUTH,
        request=ThemeInputSerializer,
        responses={200: AppliedThemeSerializer},
    )
    @idempotent
    def put(self, request: Request) -> Response:
        given = ThemeInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        theme, corrections = actions.apply(
            dict(given.validated_data), request.user if request.user.is_authenticated else None
        )
        return Response({**_body(theme), "corrections": [asdict(c) for c in corrections]})


class CssRenderer(BaseRenderer):
    media_type = "text/css"
    format = "css"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return str(data).encode() if isinstance(data, str) else b""


class ThemeCssView(APIView):
    """The theme as a stylesheet of custom properties (--guichet-…), for the app, the
    widgets and the pages that embed them."""

    permission_classes = [AllowAny]
    renderer_classes = [CssRenderer]

    @extend_schema(
        operation_id="theme_css",
        tags=["theme"],
        auth=PUBLIC_AUTH,
        responses={200: OpenApiResponse(response=str, description="A stylesheet: `:root { --guichet-… }`.")},
    )
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(stylesheet(actions.current()), content_type="text/css; charset=utf-8")
        response["Cache-Control"] = "public, no-cache"
        response["Access-Control-Allow-Origin"] = "*"  # a host page may read its tokens
        return response
