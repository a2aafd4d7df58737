"""Form endpoints: the current form, validation (whole or one page), versions,
their diff, and import/export of a procedure."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import StaffOrAppScope
from api.accounts.profiles import prefill_source
from api.core.idempotency import idempotent
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem, answers_problem
from api.core.ratelimit import limit_caller
from api.core.serializers import ProblemSerializer
from api.forms import datasources
from api.forms.definition import DefinitionError
from api.forms.diff import diff
from api.forms.files import bind_files
from api.forms.prefill import prefill
from api.forms.validation import validate

from .. import transfer
from ..definitions import compiled
from ..models import Procedure, ProcedureVersion
from ..queries import public_procedure
from .form_serializers import (
    DiffSerializer,
    FormSerializer,
    ImportResultSerializer,
    ValidateRequestSerializer,
    ValidationResultSerializer,
    VersionDetailSerializer,
    VersionSerializer,
)
from .views import CatalogReadMixin

STAFF_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["procedures:admin"]}]
_CLOSED = {
    (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Not open yet."),
    (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Closed."),
}


def _no_form(procedure: Procedure) -> Problem:
    return Problem(
        404,
        "procedure-without-form",
        _("The procedure “%(title)s” has no form yet.") % {"title": procedure.title},
    )


def definition_problem(error: DefinitionError, prefix: str = "") -> Problem:
    params = [
        {"name": prefix.strip("/") + issue.pointer.replace("/", "."), "in": "body", "pointer": prefix + issue.pointer,
         "reason": issue.message, "code": "invalid_definition"}
        for issue in error.issues
    ]  # fmt: skip
    return Problem(
        400,
        "invalid-definition",
        ngettext("The document has %(count)d problem.", "The document has %(count)d problems.", len(params))
        % {"count": len(params)},
        title=_("This procedure document is not valid."),
        invalid_params=params,
    )


def map_settings() -> dict[str, Any] | None:
    """The map point fields show (GUICHET_MAP_*), or None when there are no tiles."""
    if not settings.GUICHET_MAP_TILES:
        return None
    return {
        "tiles": settings.GUICHET_MAP_TILES,
        "attribution": settings.GUICHET_MAP_ATTRIBUTION,
        "center": list(settings.GUICHET_MAP_POINT),
        "zoom": settings.GUICHET_MAP_ZOOM,
    }


class ProcedureFormView(CatalogReadMixin, APIView):
    """The current form of an open procedure, with its data-source choices."""

    @extend_schema(operation_id="procedures_form", tags=["forms"], responses={200: FormSerializer, **_CLOSED})
    def get(self, request: Request, slug: str) -> Response:
        procedure = public_procedure(slug)
        version = procedure.current_version
        if version is None:
            raise _no_form(procedure)
        definition = compiled(version)
        choices = datasources.resolve(definition)
        profile, verified = prefill_source(request.user)
        values, locked = prefill(definition, profile, verified, request.query_params)
        response = Response(
            {
                "procedure": procedure.slug,
                "version": version.number,
                "definition": definition.document,
                "choices": {pointer: [asdict(c) for c in items] for pointer, items in choices.items()},
                "prefill": values,
                "locked": locked,
                "map": map_settings(),
            }
        )
        if request.user.is_authenticated:
            response.headers["Cache-Control"] = "private, no-cache"
        return response


class ProcedureValidateView(APIView):
    """Check answers against the form, whole or one page (the server stays the authority)."""

    @extend_schema(
        operation_id="procedures_validate",
        tags=["forms"],
        request=ValidateRequestSerializer,
        responses={200: ValidationResultSerializer, **_CLOSED},
    )
    def post(self, request: Request, slug: str) -> Response:
        limit_caller(request, "validate", settings.GUICHET_VALIDATE_RATE)
        procedure = public_procedure(slug)
        body = ValidateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        number = body.validated_data.get("version")
        if number is None:
            version = procedure.current_version
            if version is None:
                raise _no_form(procedure)
        else:
            version = get_object_or_404(ProcedureVersion, procedure=procedure, number=number)
        definition = compiled(version)
        choices = datasources.allowed_values(definition)
        # Files exist only on a draft: here a file answer names nothing uploaded, and is
        # refused like any answer naming a file that is not there (never trusted as given).
        result = validate(
            definition,
            bind_files(definition, body.validated_data["data"], {}),
            today=timezone.localdate(),
            page=body.validated_data.get("page"),
            choices=choices,
        )
        if result.errors:
            raise answers_problem(result.errors)
        return Response(
            {"valid": True, "data": result.data, "visible_pages": result.visible_pages, "version": version.number}
        )


class StaffView(APIView):
    """Administrators (session), or applications with the procedures:admin scope."""

    permission_classes = [StaffOrAppScope]
    app_scope = "procedures:admin"

    def procedure(self, slug: str) -> Procedure:
        return get_object_or_404(Procedure.objects.select_related("category", "current_version"), slug=slug)


class VersionListView(StaffView):
    """Every version of a procedure's form (administrators)."""

    @extend_schema(
        operation_id="procedures_versions_list",
        tags=["forms"],
        auth=STAFF_AUTH,
        responses={200: VersionSerializer(many=True)},
    )
    def get(self, request: Request, slug: str) -> Response:
        versions = self.procedure(slug).versions.select_related("procedure", "created_by")
        return Response(VersionSerializer(versions, many=True).data)


class VersionDetailView(StaffView):
    """One version of a procedure's form (administrators)."""

    @extend_schema(
        operation_id="procedures_versions_retrieve",
        tags=["forms"],
        auth=STAFF_AUTH,
        responses={200: VersionDetailSerializer},
    )
    def get(self, request: Request, slug: str, number: int) -> Response:
        version = get_object_or_404(ProcedureVersion, procedure=self.procedure(slug), number=number)
        return Response(VersionDetailSerializer(version).data)


class VersionDiffView(StaffView):
    """What changed from version ``base`` to version ``target`` (administrators)."""

    @extend_schema(
        operation_id="procedures_versions_diff", tags=["forms"], auth=STAFF_AUTH, responses={200: DiffSerializer}
    )
    def get(self, request: Request, slug: str, base: int, target: int) -> Response:
        procedure = self.procedure(slug)
        old = get_object_or_404(ProcedureVersion, procedure=procedure, number=base)
        new = get_object_or_404(ProcedureVersion, procedure=procedure, number=target)
        changes = diff(old.definition, new.definition)
        return Response({"procedure": procedure.slug, "base": base, "target": target, "changes": changes})


class ExportView(StaffView):
    """The procedure and its current form as one document (schema/procedure-export.schema.json)."""

    @extend_schema(
        operation_id="procedures_export",
        tags=["forms"],
        auth=STAFF_AUTH,
        responses={200: OpenApiResponse(description="An export document.")},
    )
    def get(self, request: Request, slug: str) -> Response:
        procedure = self.procedure(slug)
        if procedure.current_version is None:
            raise _no_form(procedure)
        headers = {"Content-Disposition": f'attachment; filename="{procedure.slug}.json"'}
        return Response(transfer.export(procedure), headers=headers)


class ImportView(StaffView):
    """Create or update a procedure from an export document; its form becomes a new version."""

    @extend_schema(
        operation_id="procedures_import",
        tags=["forms"],
        auth=STAFF_AUTH,
        request={"application/json": {"type": "object", "description": "An export document."}},
        responses={200: ImportResultSerializer, 201: ImportResultSerializer},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        try:
            with transaction.atomic():
                procedure, version, created = transfer.import_document(request.data, actor=request.user)
        except DefinitionError as error:
            raise definition_problem(error) from None
        return Response(
            {"procedure": procedure.slug, "version": version.number, "created": created},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
