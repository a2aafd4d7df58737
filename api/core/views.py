"""Cross-cutting endpoints: health, readiness, CSRF failures."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .health import run_checks
from .problems import PROBLEM_CONTENT_TYPE, problem_body, problem_response
from .serializers import HealthSerializer, NotReadySerializer, ReadinessSerializer

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema" / "openapi.yaml"


class HealthView(APIView):
    """Liveness: the process answers. Touches nothing else."""

    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="health",
        tags=["operations"],
        responses={200: HealthSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})


class ReadyView(APIView):
    """Readiness: the database, the channel layer and the task backend answer."""

    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="ready",
        tags=["operations"],
        responses={
            200: ReadinessSerializer,
            (503, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                NotReadySerializer, description="A dependency is not reachable."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        checks = run_checks()
        if all(result["ok"] for result in checks.values()):
            return Response({"status": "ready", "checks": checks}, headers={"Cache-Control": "no-store"})
        failing = ", ".join(name for name, result in checks.items() if not result["ok"])
        body = problem_body(503, "not-ready", _("Not reachable: %(names)s.") % {"names": failing}, checks=checks)
        return Response(
            body,
            status=503,
            content_type=PROBLEM_CONTENT_TYPE,
            headers={"Cache-Control": "no-store", "Retry-After": "5"},
        )


@lru_cache(maxsize=1)
def _committed_schema(mtime: float) -> tuple[bytes, bytes]:
    text = SCHEMA_FILE.read_bytes()
    return text, json.dumps(yaml.safe_load(text), ensure_ascii=False).encode()


def schema_file(request: HttpRequest) -> HttpResponse:
    """The API's contract as committed (schema/openapi.yaml, drift-checked against the code):
    the same document whatever the caller's language; ``?format=json`` for JSON."""
    if request.method not in {"GET", "HEAD"}:
        return problem_response(405, "method-not-allowed")
    text, as_json = _committed_schema(SCHEMA_FILE.stat().st_mtime)
    if request.GET.get("format") == "json" or "json" in request.headers.get("Accept", ""):
        return HttpResponse(as_json, content_type="application/vnd.oai.openapi+json")
    return HttpResponse(text, content_type="application/vnd.oai.openapi; charset=utf-8")


#: The app's sections: their paths are the app's pages, whatever follows.
APP_ROUTES = r"^(demarches|compte|suivi|demandes|hors-ligne|integrer|agents)(/[\s\S]*)?$"


def app_shell(request: HttpRequest, *args: str) -> HttpResponse:
    """The built app's index page, for a path the app routes itself."""
    index = Path(settings.PWA_DIST_DIR) / "index.html"
    if request.method not in {"GET", "HEAD"}:
        return problem_response(405, "method-not-allowed")
    try:
        html = index.read_bytes()
    except OSError:
        return problem_response(404, "not-found")
    return HttpResponse(html, content_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return problem_response(
        403, "csrf-failed", _("The request's CSRF token is missing or wrong; reload the page and try again.")
    )
