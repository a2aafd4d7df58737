"""Serializers shared by every app: the problem-details document, the events' envelope;
``FieldsOnce``, for serializers on busy paths."""

import copy
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import problem_codes
from .events import Audience, EventRecord


# A serializer that builds its fields once per class, not once per use.
#
# DRF builds a serializer's fields on each instance: a model serializer reads its
# model's fields and makes a new field object for each (most of the cost of
# printing one short list). Here the fields are built on first use and each
# instance gets copies: a shallow copy for a plain field (its per-use state is set
# on the copy when it is bound), a full copy for a field holding other fields (a
# nested serializer, a list's or dict's child), as DRF does. Only for serializers
# whose fields depend on their class alone (not on the request or the instance).
# (A comment, not a docstring: the schema would take it as every serializer's description.)
class FieldsOnce:
    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built: dict[str, Any] | None = cls.__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built = built  # type: ignore[attr-defined]
        return {name: _copy_field(field) for name, field in built.items()}


def _copy_field(field: Any) -> Any:
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child") or hasattr(field, "child_relation"):
        return copy.deepcopy(field)
    return copy.copy(field)


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


class EventSubjectSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="What the event is about: submission, catalog, account.")
    id = serializers.CharField(help_text="Its identifier (a request's id, a slug, an account id).")


def payload_field(log: str) -> serializers.JSONField:
    """The payload of one log's events: documented in the OpenAPI file as the union of
    that log's kinds (schema/events/<kind>.json)."""

    @extend_schema_field({"type": "object", "x-event-log": log})
    class PayloadField(serializers.JSONField):
        pass

    return PayloadField(read_only=True, help_text="What happened, as declared for its kind (schema/events/).")


class EventEnvelopeSerializer(serializers.Serializer[Any]):
    """One shape for every event, whichever log it is read from."""

    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Its place in commit order (the event feed's cursor); null for a moment after it is written.",
    )
    kind = serializers.CharField(
        read_only=True,
        help_text="What happened, named domain.verb. An open set: new kinds may come with new capabilities; "
        "ignore those you do not know.",
    )
    audience = serializers.ChoiceField(
        choices=Audience.choices, read_only=True, help_text="Who may read it: citizen (and agents), agents, internal."
    )
    subject = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(EventSubjectSerializer)
    def get_subject(self, event: EventRecord) -> dict[str, str]:
        return {"type": event.subject_type, "id": event.subject_id}


class _GivenAsText:
    """A field whose JSON value must be a string (DRF's text, slug and UUID fields also
    take numbers, even false)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


class TextField(_GivenAsText, serializers.CharField):
    """Text given as a JSON string."""


class RegexTextField(_GivenAsText, serializers.RegexField):
    """Text matching a pattern, given as a JSON string."""


class URLTextField(_GivenAsText, serializers.URLField):
    """An address given as a JSON string."""


class EmailTextField(_GivenAsText, serializers.EmailField):
    """An e-mail address given as a JSON string."""


class SlugTextField(_GivenAsText, serializers.SlugField):
    """A slug given as a JSON string."""


class UUIDTextField(_GivenAsText, serializers.UUIDField):
    """A UUID given as a JSON string."""


class FlagField(serializers.BooleanField):
    """A JSON true or false (DRF's BooleanField also takes 0, 1, "yes"…)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class WholeNumberField(serializers.IntegerField):
    """A JSON integer (DRF's IntegerField also takes "12" and 12.0)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)
