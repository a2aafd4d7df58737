"""Django admin for the catalog, until the administration studio exists.
Every save and delete goes through the catalog's actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import actions
from .models import CatalogEvent, Category, Procedure


class ActionBackedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    upsert: Any = None
    remove: Any = None

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        original_slug = form.initial.get("slug", obj.slug) if change else obj.slug
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in form.base_fields}
        saved, _changed = type(self).upsert(original_slug, fields, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        type(self).remove(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            type(self).remove(obj, actor=request.user)


@admin.register(Category)
class CategoryAdmin(ActionBackedAdmin):
    upsert = staticmethod(actions.upsert_category)
    remove = staticmethod(actions.delete_category)
    list_display = ["title", "slug", "position"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug"]


class LinesField(forms.Field):
    """A list of short texts typed one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        text = value if isinstance(value, str) else ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProcedureForm(ModelForm):  # type: ignore[type-arg]
    preparation = LinesField(
        label=_("what to prepare"),
        required=False,
        help_text=_("What to have at hand before starting (documents, numbers), one item per line."),
    )

    class Meta:
        model = Procedure
        fields = "__all__"  # noqa: DJ007 - the admin shows the fields it is given; this form changes one


@admin.register(Procedure)
class ProcedureAdmin(ActionBackedAdmin):
    form = ProcedureForm
    upsert = staticmethod(actions.upsert_procedure)
    remove = staticmethod(actions.delete_procedure)
    list_display = ["title", "category", "receiver_role", "state", "opens_at", "closes_at", "updated_at"]
    list_filter = ["state", "category", "receiver_role"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "slug", "summary"]


@admin.register(CatalogEvent)
class CatalogEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "kind", "slug", "actor"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "category", "procedure", "slug", "actor", "payload", "position", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
