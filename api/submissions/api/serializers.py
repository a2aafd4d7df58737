from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.core.serializers import FieldsOnce, TextField, UUIDTextField, WholeNumberField

from ..models import Attachment, Message, State, Submission, UploadSession
from ..presentation import EventSerializer, citizen_status

#: The shape of an answer, by field type (the form's definition says each field's type).
ANSWERS_HELP = (
    "Answers by field varname. Their shape follows the field's type: "
    "text, textarea, email, phone, postcode, siret, siren, iban, nir and choice: a string "
    "(a choice's value); multichoice: a list of values; number: a number; boolean: true or false; "
    'date: "YYYY-MM-DD"; time: "HH:MM"; geopoint: {"lat": number, "lon": number}; '
    'address: {"street", "complement" (optional), "postcode", "city"}; file: a list of '
    '{"id"} naming uploaded files (Guichet fills in name, content_type and size from the upload); '
    "a repeatable block: a list of objects of its fields' answers; computed: any JSON value. "
    "A draft stores answers as given; a sent request holds them checked and normalised."
)


class ProcedureRefSerializer(FieldsOnce, serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


class SubmissionSerializer(FieldsOnce, serializers.ModelSerializer[Submission]):
    procedure = ProcedureRefSerializer(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    status = serializers.CharField(
        source="citizen_status",
        read_only=True,
        help_text="The status the citizen is shown once sent (a slug, e.g. received); empty while a draft. "
        "Internal statuses are not shown: agents read the exact one in the back-office API.",
    )
    status_label = serializers.SerializerMethodField(
        help_text="The status's name as the citizen reads it, in the language asked for; empty while a draft."
    )
    status_colour = serializers.SerializerMethodField(help_text="The status's colour (#rrggbb); empty while a draft.")

    def get_status_label(self, submission: Submission) -> str:
        return citizen_status(submission)["status_label"]

    def get_status_colour(self, submission: Submission) -> str:
        return citizen_status(submission)["status_colour"]

    class Meta:
        model = Submission
        fields = [
            "id", "procedure", "version", "state", "status", "status_label", "status_colour", "data",
            "requested_fields", "revision", "reference", "tracking_code",
            "created_at", "updated_at", "submitted_at", "expires_at",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"data": {"help_text": ANSWERS_HELP}}


class CreatedDraftSerializer(SubmissionSerializer):
    resume_token = serializers.CharField(
        read_only=True, allow_null=True, help_text="Anonymous drafts only, given once: send it as X-Resume-Token."
    )
    resume_url = serializers.CharField(read_only=True, help_text="The address to finish this draft from any device.")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "resume_token", "resume_url"]
        read_only_fields = fields


class CreateDraftSerializer(serializers.Serializer[Any]):
    data = serializers.DictField(required=False, default=dict, help_text="Initial (prefilled) answers.")  # type: ignore[assignment]


class SaveDraftSerializer(serializers.Serializer[Any]):
    data = serializers.DictField(help_text="Answers to change; null removes an answer. " + ANSWERS_HELP)  # type: ignore[assignment]


class PageCheckSerializer(serializers.Serializer[Any]):
    page = TextField(required=False, max_length=63)


class SubmissionFilterSerializer(serializers.Serializer[Any]):
    state = serializers.ChoiceField(choices=State.choices, required=False)


class TrackingRequestSerializer(serializers.Serializer[Any]):
    code = TextField(min_length=8, max_length=8, help_text="The 8-character tracking code.")


class TrackingSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    procedure = ProcedureRefSerializer()
    status = serializers.CharField()
    status_label = serializers.CharField(help_text="The status's name, in the language asked for.")
    status_colour = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    history = EventSerializer(many=True)


class AttachmentRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    field = serializers.CharField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class SubmissionDetailSerializer(SubmissionSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "attachments"]
        read_only_fields = fields

    @extend_schema_field(AttachmentRefSerializer(many=True))
    def get_attachments(self, submission: Submission) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "field": a.field, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in submission.attachments.filter(message__isnull=True)
        ]


class VersionFormSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    version = serializers.IntegerField()
    definition = serializers.JSONField(help_text="See schema/procedure-definition.schema.json.")


class PageCheckResultSerializer(serializers.Serializer[Any]):
    valid = serializers.BooleanField(help_text="Always true: invalid answers are a 400 problem.")
    visible_pages = serializers.ListField(
        child=serializers.CharField(), help_text="The pages shown for these answers, in order."
    )


class DraftChangedSerializer(serializers.Serializer[Any]):
    """The 412 problem: the draft as it is now, to merge with the changes and retry."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    current = SubmissionSerializer(help_text="The draft as it is now (its ETag is in the ETag header).")


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    class Meta:
        model = Attachment
        fields = ["id", "field", "name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class LinkSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MessageSerializer(serializers.ModelSerializer[Message]):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "from_agent", "body", "requested_fields", "attachments", "created_at"]
        read_only_fields = fields


class NewMessageSerializer(serializers.Serializer[Any]):
    body = TextField(max_length=10000)
    attachments = serializers.ListField(child=UUIDTextField(), required=False, max_length=10)
    request_fields = serializers.ListField(
        child=TextField(max_length=63), required=False, max_length=50,
        help_text="Agents only: fields the citizen must correct.",
    )  # fmt: skip


class CorrectionSerializer(serializers.Serializer[Any]):
    data = serializers.DictField(help_text="New answers for the requested fields.")  # type: ignore[assignment]


class NewUploadSerializer(serializers.Serializer[Any]):
    name = TextField(max_length=255)
    size = WholeNumberField(min_value=1)
    field = TextField(max_length=63, required=False, default="", allow_blank=True)


class UploadSerializer(serializers.ModelSerializer[UploadSession]):
    class Meta:
        model = UploadSession
        fields = ["id", "field", "name", "size", "offset", "created_at"]
        read_only_fields = fields


class SyncPageSerializer(serializers.Serializer[Any]):
    events = EventSerializer(many=True)
    next_after = serializers.IntegerField(help_text="The last position returned: pass it as ?after= to continue.")
    has_more = serializers.BooleanField()
