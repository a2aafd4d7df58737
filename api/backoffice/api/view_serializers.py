"""The saved inbox views' serializers: a view as listed, and the body that saves one
(its query checked to be an inbox address's)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.utils.translation import gettext as _
from rest_framework import serializers

from api.core.serializers import SlugTextField, TextField

from ..models import SavedView

#: What an inbox address may hold (pwa/src/agents/data.ts), and the columns it may show.
QUERY_KEYS = {
    "status",
    "q",
    "procedure",
    "assigned",
    "deadline_passed",
    "ordering",
    "citizen",
    "from",
    "to",
    "role",
    "cols",
    "where",
}
COLUMNS = {"procedure", "citizen", "status", "assignee", "submitted", "deadline"}
MAX_QUERY = 1000


class SavedViewSerializer(serializers.ModelSerializer[SavedView]):
    role = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()

    class Meta:
        model = SavedView
        fields = ["id", "name", "query", "role", "mine", "owner", "updated_at"]

    def get_role(self, view: SavedView) -> str | None:
        return view.role.slug if view.role else None

    def get_mine(self, view: SavedView) -> bool:
        return bool(view.owner_id == self.context["user"].pk)

    def get_owner(self, view: SavedView) -> str:
        owner = view.owner
        return owner.get_full_name() or owner.username


class SaveViewSerializer(serializers.Serializer[Any]):
    name = TextField(max_length=80, help_text="Its name; the caller's view of that name is replaced.")
    query = TextField(
        max_length=MAX_QUERY, allow_blank=True, help_text="The inbox address's query string (filters, order, cols)."
    )
    role = SlugTextField(
        max_length=80, required=False, allow_null=True, help_text="Shared with this one of the caller's roles."
    )

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the view a name."))
        return value.strip()

    def validate_query(self, value: str) -> str:
        try:
            pairs = parse_qsl(value.lstrip("?"), keep_blank_values=True, strict_parsing=bool(value), max_num_fields=40)
        except ValueError:
            raise serializers.ValidationError(_("This is not an inbox address's query.")) from None
        unknown = sorted({key for key, _value in pairs} - QUERY_KEYS)
        if unknown:
            raise serializers.ValidationError(_("Unknown inbox filter: %(names)s.") % {"names": ", ".join(unknown)})
        for key, given in pairs:
            if key == "cols" and not set(filter(None, given.split(","))) <= COLUMNS:
                raise serializers.ValidationError(_("Unknown column in cols."))
        return urlencode(pairs)
