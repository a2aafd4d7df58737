from __future__ import annotations

from rest_framework import serializers

from api.accounts.models import Role
from api.core.serializers import FieldsOnce

from ..models import Category, Procedure


class CategoryRefSerializer(FieldsOnce, serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["slug", "title"]


class CategorySerializer(FieldsOnce, serializers.ModelSerializer[Category]):
    procedure_count = serializers.IntegerField(read_only=True, help_text="Procedures open to the public now.")

    class Meta:
        model = Category
        fields = ["slug", "title", "description", "icon", "position", "procedure_count"]


class ProcedureSerializer(FieldsOnce, serializers.ModelSerializer[Procedure]):
    category = CategoryRefSerializer(read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "slug",
            "title",
            "summary",
            "category",
            "keywords",
            "requires_account",
            "estimated_minutes",
            "icon",
            "opens_at",
            "closes_at",
            "updated_at",
            "featured",
        ]


class ProcedureDetailSerializer(ProcedureSerializer):
    description = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    preparation = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What to have at hand before starting, one item each."
    )
    processing_days = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="How many days the service usually takes to answer."
    )
    handled_by = serializers.SerializerMethodField(help_text="The service that processes the requests, if named.")

    class Meta(ProcedureSerializer.Meta):
        fields = [*ProcedureSerializer.Meta.fields, "description", "preparation", "processing_days", "handled_by"]

    def get_handled_by(self, procedure: Procedure) -> str | None:
        return procedure.receiver_role.name if procedure.receiver_role_id and procedure.receiver_role else None


class RoleSerializer(serializers.ModelSerializer[Role]):
    class Meta:
        model = Role
        fields = ["slug", "name"]


class ReceivedProcedureSerializer(serializers.ModelSerializer[Procedure]):
    receiver_role = RoleSerializer(read_only=True)

    class Meta:
        model = Procedure
        fields = ["slug", "title", "state", "receiver_role"]
