"""Shapes of the agents' API: the inbox's query and rows, a request as agents see it,
the actions they may take, and what they send to take one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.core.serializers import EventEnvelopeSerializer, payload_field
from api.submissions.models import Event, Submission
from api.workflows.definition import Move, Status, Text
from api.workflows.library import compiled

from ..queries import MAX_WHERE, OPERATORS, citizen_name

ORDERINGS = ("-submitted_at", "submitted_at", "-status_since", "status_since")


def language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _text(text: Text) -> str:
    return text.get(language())


class InboxQuerySerializer(serializers.Serializer[Any]):
    procedure = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        max_length=50,
        help_text="Only these procedures (slugs).",
    )
    status = serializers.ListField(
        child=serializers.SlugField(max_length=60), required=False, max_length=50, help_text="Only in these statuses."
    )
    assigned = serializers.ChoiceField(
        choices=["me", "none", "others"], required=False, help_text="Assigned to me, to nobody, or to someone else."
    )
    submitted_after = serializers.DateTimeField(required=False)
    submitted_before = serializers.DateTimeField(required=False)
    deadline_passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(
        required=False, max_length=200, help_text="Words found in the answers, reference, tracking code or name."
    )
    where = serializers.ListField(
        child=serializers.CharField(max_length=300),
        required=False,
        max_length=MAX_WHERE,
        help_text="Field filters, name:operator:value (backoffice.name for a back-office field); operators: "
        + ", ".join(OPERATORS)
        + ". in takes a comma-separated list; empty takes true or false.",
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False, default="-submitted_at")
    counts = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also count the requests per status (for tabs), the status filter aside.",
    )


class StatusSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    citizen_label = serializers.CharField()
    colour = serializers.CharField()
    endpoint = serializers.BooleanField()
    visible_to_citizen = serializers.BooleanField()


def status_data(status: Status | None, status_id: str) -> dict[str, Any]:
    if status is None:  # a status the workflow version does not know (never expected)
        return {
            "id": status_id,
            "label": status_id,
            "citizen_label": status_id,
            "colour": "#5a5a5a",
            "endpoint": False,
            "visible_to_citizen": False,
        }
    return {
        "id": status.id,
        "label": _text(status.label),
        "citizen_label": _text(status.citizen_label),
        "colour": status.colour,
        "endpoint": status.endpoint,
        "visible_to_citizen": status.visible,
    }


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProcedureRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


class InboxItemSerializer(serializers.ModelSerializer[Submission]):
    procedure = ProcedureRefSerializer(read_only=True)
    status = serializers.SerializerMethodField()
    role: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.SerializerMethodField()
    citizen = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "reference",
            "procedure",
            "status",
            "role",
            "assignee",
            "citizen",
            "submitted_at",
            "status_since",
            "deadline",
            "closed_at",
        ]

    @extend_schema_field(StatusSerializer)
    def get_status(self, submission: Submission) -> dict[str, Any]:
        workflow = compiled(submission.workflow_version_id) if submission.workflow_version_id else None
        return status_data(workflow.status(submission.status) if workflow else None, submission.status)

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_assignee(self, submission: Submission) -> dict[str, Any] | None:
        agent = submission.assignee
        if agent is None:
            return None
        return {"id": agent.pk, "name": " ".join(p for p in (agent.first_name, agent.last_name) if p) or agent.username}

    @extend_schema_field(serializers.CharField(help_text="The citizen's name (empty when anonymous)."))
    def get_citizen(self, submission: Submission) -> str:
        return citizen_name(submission)


class StatusCountSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    count = serializers.IntegerField()


class InboxPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)
    counts = StatusCountSerializer(many=True, required=False, help_text="With counts=true: per status.")


class MoveSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    is_global = serializers.BooleanField(help_text="A global action (offered in many statuses), not a transition.")
    label = serializers.CharField()  # type: ignore[assignment]
    to = serializers.CharField(allow_null=True, help_text="The status it leads to, if any.")
    comment = serializers.ChoiceField(choices=["none", "optional", "required"])
    message = serializers.ChoiceField(choices=["none", "optional", "required"])
    form = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.ListField(
            child=serializers.DictField(), help_text="The form's fields, in the procedure-definition format."
        )
    )
    def get_form(self, move: Move) -> list[Any]:
        if move.form is None:
            return []
        fields: list[Any] = move.form.document["pages"][0]["fields"]
        return fields

    def to_representation(self, move: Move) -> dict[str, Any]:
        return {
            "id": move.id,
            "is_global": move.is_global,
            "label": _text(move.label),
            "to": move.to,
            "comment": move.comment,
            "message": move.message,
            "form": self.get_form(move),
        }


class AgentEventSerializer(EventEnvelopeSerializer):
    payload = payload_field("submissions.event")
    actor = serializers.SerializerMethodField()

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_actor(self, event: Event) -> dict[str, Any] | None:
        user = event.actor
        if user is None:
            return None
        return {"id": user.pk, "name": " ".join(p for p in (user.first_name, user.last_name) if p) or user.username}


class FileSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    field = serializers.CharField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class CitizenSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    email = serializers.EmailField()


class AgentRequestSerializer(InboxItemSerializer):
    """A request as an agent sees it, with what they may do now."""

    version = serializers.IntegerField(source="version.number", read_only=True)
    citizen_account = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    statuses = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(InboxItemSerializer.Meta):
        fields = [
            *InboxItemSerializer.Meta.fields,
            "tracking_code",
            "version",
            "citizen_account",
            "data",
            "backoffice",
            "requested_fields",
            "files",
            "statuses",
            "actions",
            "history",
            "revision",
        ]

    @extend_schema_field(CitizenSerializer(allow_null=True))
    def get_citizen_account(self, submission: Submission) -> dict[str, Any] | None:
        owner = submission.owner
        if owner is None:
            return None
        return {"id": owner.pk, "name": citizen_name(submission), "email": owner.email}

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, submission: Submission) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "field": a.field, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in submission.attachments.all()
        ]

    @extend_schema_field(StatusSerializer(many=True))
    def get_statuses(self, submission: Submission) -> list[dict[str, Any]]:
        workflow = compiled(submission.workflow_version_id) if submission.workflow_version_id else None
        return [status_data(status, status.id) for status in (workflow.statuses.values() if workflow else [])]

    @extend_schema_field(MoveSerializer(many=True))
    def get_actions(self, submission: Submission) -> list[dict[str, Any]]:
        moves: list[Move] = self.context.get("moves", [])
        return [MoveSerializer(move).data for move in moves]

    @extend_schema_field(AgentEventSerializer(many=True))
    def get_history(self, submission: Submission) -> list[Any]:
        events = self.context.get("history", [])
        return list(AgentEventSerializer(events, many=True).data)


class TakeSerializer(serializers.Serializer[Any]):
    action = serializers.SlugField(max_length=60, help_text="The transition's or global action's id.")
    is_global = serializers.BooleanField(default=False)
    status = serializers.SlugField(
        max_length=60,
        required=False,
        help_text="The status the agent saw: if the request is no longer in it, nothing happens (409).",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    message = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")
    values = serializers.DictField(required=False, default=dict, help_text="The action's form, by field name.")


class AssignmentSerializer(serializers.Serializer[Any]):
    role = serializers.SlugField(max_length=80, required=False, help_text="Hand the request to this role.")
    agent = serializers.IntegerField(
        required=False, allow_null=True, help_text="Assign it to this agent of its role; null: to nobody."
    )
    me = serializers.BooleanField(required=False, default=False, help_text="Assign it to the caller.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not ({"role", "agent"} & attrs.keys()) and not attrs.get("me"):
            raise serializers.ValidationError(_("Give a role, an agent (or null), or me."))
        return attrs
