"""Serializers shared by every app: the problem-details document."""

from typing import Any

from rest_framework import serializers

from . import problem_codes


class InvalidParamSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The parameter or field, dotted for nested fields.")
    location = serializers.ChoiceField(
        choices=["body", "query", "path", "header"], help_text="Where the value was sent."
    )
    pointer = serializers.CharField(help_text="JSON pointer to the value within its location.")
    reason = serializers.CharField(help_text="Why it is not valid, in the request's language.")
    code = serializers.CharField(help_text="A stable machine code for the reason.")
    page = serializers.CharField(required=False, help_text="For form answers: the page of the field.")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # The wire name is "in", a Python keyword.
        fields["in"] = fields.pop("location")
        return fields


class ProblemSerializer(serializers.Serializer[Any]):
    """RFC 9457 problem details."""

    type = serializers.CharField(help_text="A URI identifying the kind of problem.")
    title = serializers.CharField(help_text="A short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong in this occurrence.")
    code = serializers.CharField(help_text=problem_codes.described())
    invalid_params = InvalidParamSerializer(many=True, required=False)


class ReadinessCheckSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    error = serializers.CharField(required=False, help_text="The kind of failure, when not ok.")
    duration_ms = serializers.FloatField()


class ReadinessSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["ready"])
    checks = serializers.DictField(child=ReadinessCheckSerializer())


class NotReadySerializer(ProblemSerializer):
    checks = serializers.DictField(child=ReadinessCheckSerializer())


class HealthSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=["ok"])
