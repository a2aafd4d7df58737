from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField

from ..models import Category, Procedure
from ..queries import search

SEARCH_MAX_LENGTH = 200


class GivenChoiceField(ChoiceField):
    """A choice that, once its parameter is in the query, must be one of the choices:
    ``?featured=`` is refused like any other wrong value, not read as "no filter"."""

    def clean(self, value: object) -> object:
        if value == "":
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().clean(value)


class GivenChoiceFilter(django_filters.ChoiceFilter):
    field_class = GivenChoiceField


class ProcedureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=SEARCH_MAX_LENGTH,
        label=_("Words to find in the title, summary, keywords or category (accents and case ignored)."),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        label=_("The slug of a category."),
    )
    # A choice, not a BooleanFilter: that one reads any other word as "no filter" instead of refusing it.
    featured = GivenChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_featured",
        label=_("Only the procedures the home page features (true)."),
    )

    class Meta:
        model = Procedure
        fields = ["q", "category", "featured"]

    def filter_featured(self, queryset: QuerySet[Procedure], name: str, value: str) -> QuerySet[Procedure]:
        return queryset.filter(featured=value == "true")

    def filter_q(self, queryset: QuerySet[Procedure], name: str, value: str) -> QuerySet[Procedure]:
        return search(queryset, value)
