"""Serializers of the form endpoints: the current form, validation, versions, import."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.core.serializers import TextField, WholeNumberField

from ..models import ProcedureVersion

DEFINITION_HELP = "A procedure definition: see schema/procedure-definition.schema.json."


class ChoiceSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    text = serializers.CharField()


class MapSerializer(serializers.Serializer[Any]):
    tiles = serializers.CharField(help_text="Raster tiles' address, with {z}, {x} and {y}.")
    attribution = serializers.CharField(help_text="Whose tiles and data they are, shown on the map.")
    center = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="Where the map starts: [lat, lon]."
    )
    zoom = serializers.IntegerField(help_text="The starting zoom level.")


class FormSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField(help_text="The procedure's slug.")
    version = serializers.IntegerField(help_text="The version number to send back with a submission.")
    definition = serializers.JSONField(help_text=DEFINITION_HELP)
    choices = serializers.DictField(
        child=ChoiceSerializer(many=True), help_text="Choices of data-source fields, keyed by the field's pointer."
    )
    prefill = serializers.DictField(
        help_text="Initial answers from the signed-in person's profile or the query string."
    )
    locked = serializers.ListField(
        child=serializers.CharField(), help_text="Fields whose prefilled value cannot be changed (verified identity)."
    )
    map = MapSerializer(
        allow_null=True, help_text="The map point fields show, when the municipality set one up; else null."
    )


class ValidateRequestSerializer(serializers.Serializer[Any]):
    data = serializers.DictField(help_text="The answers: {varname: value}.")  # type: ignore[assignment]
    page = TextField(required=False, max_length=63, help_text="Check only this page (its id).")
    version = WholeNumberField(
        required=False, min_value=1, help_text="The version filled in; the current one by default."
    )


class ValidationResultSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField()
    data = serializers.DictField(  # type: ignore[assignment]
        help_text="The answers cleaned: canonical values, hidden fields dropped."
    )
    visible_pages = serializers.ListField(child=serializers.CharField())
    version = serializers.IntegerField()


class VersionSerializer(serializers.ModelSerializer[ProcedureVersion]):
    created_by = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="Who published this version; null when the account is gone or the version was loaded.",
    )
    current = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = ["number", "comment", "created_at", "created_by", "current"]

    def get_current(self, version: ProcedureVersion) -> bool:
        return version.procedure.current_version_id == version.pk


class VersionDetailSerializer(VersionSerializer):
    definition = serializers.JSONField(help_text=DEFINITION_HELP)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "definition"]


class ChangeSerializer(serializers.Serializer[Any]):
    change = serializers.ChoiceField(
        choices=[
            "page_added",
            "page_removed",
            "page_changed",
            "field_added",
            "field_removed",
            "field_moved",
            "field_changed",
        ]
    )
    page = serializers.CharField(required=False)
    varname = serializers.CharField(required=False)
    from_page = serializers.CharField(required=False)
    position = serializers.IntegerField(required=False)
    field = serializers.JSONField(required=False)
    changes = serializers.DictField(required=False, help_text="{property: [before, after]}")


class DiffSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    base = serializers.IntegerField()
    target = serializers.IntegerField()
    changes = ChangeSerializer(many=True)


class ImportResultSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    version = serializers.IntegerField()
    created = serializers.BooleanField(help_text="Whether the procedure was new (it is then a draft).")
