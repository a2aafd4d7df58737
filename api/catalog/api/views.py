"""Public catalog endpoints: read-only, conditional (ETag and Last-Modified)."""

from __future__ import annotations

from typing import Any

from django.utils.http import http_date
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from api.core.filters import StrictFilterBackend, StrictOrderingFilter
from api.core.pagination import StrictCursorPagination
from api.core.problems import PROBLEM_CONTENT_TYPE
from api.core.serializers import ProblemSerializer

from .. import queries
from ..models import Procedure
from ..pages import PAGES
from .filters import ProcedureFilter
from .serializers import CategorySerializer, ProcedureDetailSerializer, ProcedureSerializer


class CatalogReadMixin:
    """Adds Last-Modified (from the catalog's event log) and asks clients to
    revalidate; ConditionalGetMiddleware adds the ETag and answers 304s. With
    ``kept_pages``, a page printed once is served again until the catalog changes
    (pages.py)."""

    kept_pages = False

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        state = queries.catalog_state()
        request.catalog_changed = state[1]  # type: ignore[attr-defined]
        if not self.kept_pages:
            return super().get(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
        renderer = request.accepted_renderer.format
        key = (type(self).__name__, request.build_absolute_uri(), get_language(), renderer, state)
        page = PAGES.get(key)
        if page is not None:
            return Response(page)
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[misc]
        if response.status_code == 200:
            PAGES.put(key, response.data)
        return response

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            changed = getattr(request, "catalog_changed", None)
            if changed is not None:
                response.headers["Last-Modified"] = http_date(changed.timestamp())
            response.setdefault("Cache-Control", "public, no-cache")
        return response


class ProcedurePagination(StrictCursorPagination):
    ordering = "sort_title"


@extend_schema_view(get=extend_schema(operation_id="procedures_list", tags=["catalog"]))
class ProcedureListView(CatalogReadMixin, generics.ListAPIView[Procedure]):
    """Published procedures open now; searchable, filterable by category."""

    serializer_class = ProcedureSerializer
    filter_backends = [StrictFilterBackend, StrictOrderingFilter]
    filterset_class = ProcedureFilter
    ordering_fields = ["title", "updated_at"]
    ordering_aliases = {"title": "sort_title"}
    ordering = ["sort_title"]
    pagination_class = ProcedurePagination
    kept_pages = True

    def get_queryset(self) -> Any:
        return queries.public_procedures()


@extend_schema_view(
    get=extend_schema(
        operation_id="procedures_retrieve",
        tags=["catalog"],
        responses={
            200: ProcedureDetailSerializer,
            (403, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The procedure is not open yet (code procedure-not-yet-open)."
            ),
            (410, PROBLEM_CONTENT_TYPE): OpenApiResponse(
                ProblemSerializer, description="The procedure is closed (code procedure-closed)."
            ),
        },
    )
)
class ProcedureDetailView(CatalogReadMixin, generics.RetrieveAPIView[Procedure]):
    """One procedure, by slug. A closed or not-yet-open one answers a problem saying so."""

    serializer_class = ProcedureDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return Procedure.objects.select_related("category")

    def get_object(self) -> Procedure:
        return queries.public_procedure(self.kwargs["slug"])


@extend_schema_view(get=extend_schema(operation_id="categories_list", tags=["catalog"]))
class CategoryListView(CatalogReadMixin, generics.ListAPIView[Any]):
    """All categories, with how many procedures each has open now."""

    serializer_class = CategorySerializer
    kept_pages = True
    pagination_class = None
    filter_backends: list[type] = []

    def get_queryset(self) -> Any:
        return queries.categories_with_counts()
