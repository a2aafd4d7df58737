"""The theme over HTTP: its tokens as JSON and as a stylesheet for anyone (revalidated
with the ETag that ConditionalGetMiddleware adds), and applying new tokens for
administrators (a session with its second factor, or the procedures:admin scope)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import StaffOrAppScope
from api.core.idempotency import idempotent
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem, QueryValidationError, problem_response
from api.core.ratelimit import limit_caller
from api.core.serializers import ProblemSerializer

from .. import actions, assets
from ..css import stylesheet
from ..importer.fetch import ImportError_
from ..models import Theme, ThemeAsset
from .serializers import (
    AppliedThemeSerializer,
    AssetSerializer,
    ImportRequestSerializer,
    ProposalSerializer,
    ThemeInputSerializer,
    ThemeSerializer,
)

STAFF_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["procedures:admin"]}]
PUBLIC_AUTH: Any = [{}]


def _body(theme: Theme) -> dict[str, Any]:
    return {
        "name": theme.name,
        "logo": theme.logo.path if theme.logo_id and theme.logo else None,
        "icons": [{k: v for k, v in icon.items() if k != "asset"} for icon in theme.icons],
        "font_faces": [{k: v for k, v in face.items() if k != "asset"} for face in theme.font_faces],
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


IMPORT_PROBLEMS = {
    "not-public": (422, "site-not-public"),
    "unreachable": (422, "site-unreachable"),
    "not-html": (422, "site-not-html"),
    "too-many-requests": (422, "site-too-many-requests"),
}


class ThemeImportView(APIView):
    """Read the municipality's site and propose a theme: its name, logo, colours ranked
    by use, fonts and footer links. Nothing is applied: review, adjust, then apply the
    proposal's ``tokens`` with PUT /api/theme/."""

    app_scope = "procedures:admin"
    permission_classes = [StaffOrAppScope]

    @extend_schema(
        operation_id="theme_import",
        tags=["theme"],
        auth=STAFF_AUTH,
        request=ImportRequestSerializer,
        responses={
            200: ProposalSerializer,
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The site cannot be read: not public, no answer, not a web page."
            ),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        given = ImportRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        limit_caller(request, "theme-import", 6)
        try:
            proposal = actions.import_site(given.validated_data["url"], request.user)
        except ImportError_ as error:
            status, code = IMPORT_PROBLEMS[error.code]
            raise Problem(status, code, _import_message(code), field="url", reason=error.detail) from None
        return Response(proposal)


def _import_message(code: str) -> str:
    return str(
        {
            "site-not-public": _("This address is not a public site; Guichet does not read private addresses."),
            "site-unreachable": _("The site could not be read (no answer, an error, or pages too large)."),
            "site-not-html": _("This address is not a web page."),
            "site-too-many-requests": _("The site needs more requests than an import may make."),
        }[code]
    )


class ThemeAssetUploadView(APIView):
    """Upload a logo or a font file for the theme: the body is the file (recognised by
    its bytes: PNG, JPEG, GIF, WebP, ICO or SVG images; WOFF2 or WOFF fonts)."""

    app_scope = "procedures:admin"
    permission_classes = [StaffOrAppScope]

    @extend_schema(
        operation_id="theme_asset_upload",
        tags=["theme"],
        auth=STAFF_AUTH,
        parameters=[OpenApiParameter("kind", str, enum=["logo", "font"], required=True)],
        request={"application/octet-stream": {"type": "string", "format": "binary"}},
        responses={
            201: AssetSerializer,
            (413, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Too large."),
            (415, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Not an image or font."),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        kind = str(request.query_params.get("kind", ""))
        if kind not in {"logo", "font"}:
            raise QueryValidationError({"kind": [_("Say which kind of file: logo or font.")]})
        limit = assets.LOGO_MAX_BYTES if kind == "logo" else assets.FONT_MAX_BYTES
        data = request._request.read(limit + 1)
        if len(data) > limit:
            raise Problem(
                413, "file-too-large", _("This file is too large (at most %(size)s KB).") % {"size": limit // 1000}
            )
        try:
            asset = actions.store_asset(data, kind, request.user if request.user.is_authenticated else None)
        except assets.AssetError as error:
            raise Problem(415, "file-type", _("This file is not a usable logo or font."), reason=str(error)) from None
        return Response(
            {"sha256": asset.sha256, "kind": asset.kind, "content_type": asset.content_type, "src": asset.path},
            status=201,
        )


def asset_file(request: HttpRequest, sha256: str, extension: str) -> HttpResponse:
    """A theme's file, by its SHA-256: never changes, so cached for a year. An SVG is
    sandboxed (opened on its own, it runs nothing)."""
    if request.method not in {"GET", "HEAD"}:
        return problem_response(405, "method-not-allowed")
    asset = ThemeAsset.objects.filter(sha256=sha256).first()
    if asset is None or asset.extension != extension:
        return problem_response(404, "not-found")
    response = HttpResponse(bytes(asset.data), content_type=asset.content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # a host page's widgets show the logo
    response["Access-Control-Allow-Origin"] = "*"  # fonts are fetched in CORS mode
    return response
