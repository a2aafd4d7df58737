"""Query-string filtering that refuses bad values instead of ignoring them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

from .problems import QueryValidationError

#: The filter sets django-filter generates from views' ``filterset_fields``, by view
#: class, model and fields (it builds a new class, through its metaclass, per request).
_generated: dict[tuple[type, type, str], Any] = {}


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, reporting invalid values as query problems.

    A filter set generated from ``filterset_fields`` is built once per view, and a
    request naming none of its filters skips it (such a filter set filters only on the
    values given: none given, the query is unchanged)."""

    def get_filterset_class(self, view: Any, queryset: QuerySet[Any] | None = None) -> Any:
        if getattr(view, "filterset_class", None) or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model, repr(getattr(view, "filterset_fields", None)))
        if key not in _generated:
            _generated[key] = super().get_filterset_class(view, queryset)
        return _generated[key]

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        generated = not getattr(view, "filterset_class", None)
        if generated and not any(name in request.query_params for name in filterset_class.base_filters):
            return queryset
        filterset = filterset_class(**self.get_filterset_kwargs(request, queryset, view))
        if not filterset.is_valid():
            raise QueryValidationError(utils.translate_validation(filterset.errors).detail)
        qs: QuerySet[Any] = filterset.qs
        return qs


class StrictOrderingFilter(OrderingFilter):
    """OrderingFilter that answers 400 for an unknown ordering instead of ignoring it.

    A view's ``ordering_aliases`` maps public names to model fields (e.g. the
    public ``title`` orders by a normalised ``sort_title``).
    """

    def remove_invalid_fields(self, queryset: QuerySet[Any], fields: Any, view: Any, request: Request) -> list[str]:
        aliases: dict[str, str] = getattr(view, "ordering_aliases", {})
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        mapped = []
        for term in valid:
            name = term.lstrip("-")
            mapped.append(term[: len(term) - len(name)] + aliases.get(name, name))
        return mapped

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        raw = request.query_params.get(self.ordering_param)
        if raw is not None:
            terms = [term.strip() for term in raw.split(",")]
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            bad = [term for term in terms if term.lstrip("-") not in allowed]
            if bad or not terms:
                raise QueryValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown ordering %(value)s; use one of: %(choices)s.")
                            % {"value": ", ".join(bad) or "''", "choices": ", ".join(sorted(allowed))}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        fields = list(getattr(view, "ordering_fields", []))
        choices = [variant for name in fields for variant in (name, f"-{name}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort order: a field name, or with a leading '-' for descending order.",
                "schema": {"type": "string", "enum": choices},
            }
        ]
