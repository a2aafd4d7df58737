"""Shapes of the agents' API: the inbox's query and rows, a request as agents see it,
the actions they may take, and what they send to take one."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.catalog.definitions import compiled as compiled_form
from api.core.serializers import (
    EmailTextField,
    EventEnvelopeSerializer,
    FlagField,
    SlugTextField,
    TextField,
    UUIDTextField,
    WholeNumberField,
    payload_field,
)
from api.submissions.models import Event, Submission
from api.workflows.definition import Move, Status, Text
from api.workflows.library import compiled

from ..queries import MAX_WHERE, OPERATORS, citizen_name
from ..sorting import ORDERINGS

#: Whether an action takes an internal comment, a message to the citizen.
INPUTS = [("none", "none"), ("optional", "optional"), ("required", "required")]


def language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _text(text: Text) -> str:
    return text.get(language())


def empty_parameters(serializer: serializers.Serializer[Any], params: Any) -> dict[str, list[str]]:
    """Query parameters given with no value (``?status=``), which a serializer would
    take for absent: named in a problem instead."""
    names: list[str] = list(serializer.fields)
    return {
        name: [str(_("Give a value, or leave the parameter out."))]
        for name in names
        if name in params and "" in params.getlist(name)
    }


class InboxQuerySerializer(serializers.Serializer[Any]):
    procedure = serializers.ListField(
        child=SlugTextField(max_length=80),
        required=False,
        max_length=50,
        help_text="Only these procedures (slugs).",
    )
    status = serializers.ListField(
        child=SlugTextField(max_length=60), required=False, max_length=50, help_text="Only in these statuses."
    )
    assigned = serializers.ChoiceField(
        choices=["me", "none", "others"], required=False, help_text="Assigned to me, to nobody, or to someone else."
    )
    submitted_after = serializers.DateTimeField(required=False, help_text="Sent at or after this time.")
    submitted_before = serializers.DateTimeField(required=False, help_text="Sent before this time.")
    citizen = serializers.IntegerField(
        required=False, min_value=1, help_text="Only the requests of this citizen's account (its id)."
    )
    role = SlugTextField(
        max_length=80, required=False, help_text="Only the requests this role holds (one of the caller's roles)."
    )
    deadline_passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = TextField(
        required=False, max_length=200, help_text="Words found in the answers, reference, tracking code or name."
    )
    where = serializers.ListField(
        child=TextField(max_length=300),
        required=False,
        max_length=MAX_WHERE,
        help_text="Field filters, name:operator:value (backoffice.name for a back-office field); operators: "
        + ", ".join(OPERATORS)
        + ". in takes a comma-separated list; empty takes true or false.",
    )
    ordering = serializers.ChoiceField(
        choices=ORDERINGS,
        required=False,
        default="-submitted_at",
        help_text="The column to sort by, with - for descending (then by id, so that pages never overlap).",
    )
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


class AgentProcedureRefSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField()
    title = serializers.CharField()


def person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": " ".join(p for p in (user.first_name, user.last_name) if p) or user.username}


class InboxItemSerializer(serializers.ModelSerializer[Submission]):
    procedure = AgentProcedureRefSerializer(read_only=True)
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
        return person(submission.assignee)

    @extend_schema_field(serializers.CharField(help_text="The citizen's name (empty when anonymous)."))
    def get_citizen(self, submission: Submission) -> str:
        return citizen_name(submission)


class StatusCountSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    count = serializers.IntegerField()
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The status's name in the language asked for (its id when no workflow of the agent's names it)."
    )
    colour = serializers.CharField()


def status_names(roles: Any) -> dict[str, dict[str, Any]]:
    """The statuses of the workflows the roles' procedures follow now, by id (the first
    workflow that names an id gives its name), for the inbox's tabs."""
    from api.catalog.models import Procedure

    names: dict[str, dict[str, Any]] = {}
    versions = (
        Procedure.objects.filter(receiver_role__in=roles, current_version__workflow_version__isnull=False)
        .values_list("current_version__workflow_version", flat=True)
        .distinct()
    )
    for version in sorted(versions):
        for status in compiled(version).statuses.values():
            names.setdefault(status.id, status_data(status, status.id))
    return names


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
    comment = serializers.ChoiceField(choices=INPUTS, help_text="Whether it takes an internal comment.")
    message = serializers.ChoiceField(choices=INPUTS, help_text="Whether it takes a message to the citizen.")
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
        return person(event.actor)


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


class FormFieldSerializer(serializers.Serializer[Any]):
    varname = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    type = serializers.CharField()


class FormPageSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()
    fields = FormFieldSerializer(many=True)  # type: ignore[assignment]


class AgentMessageSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    from_agent = serializers.BooleanField()
    author = PersonSerializer(allow_null=True, help_text="The agent who wrote it (null: the citizen).")
    body = serializers.CharField()
    requested_fields = serializers.ListField(child=serializers.CharField())
    attachments = FileSerializer(many=True)
    created_at = serializers.DateTimeField()


class AgentRequestSerializer(InboxItemSerializer):
    """A request as an agent sees it, with what they may do now."""

    version = serializers.IntegerField(source="version.number", read_only=True)
    form = serializers.SerializerMethodField()
    citizen_account = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    statuses = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    messages = serializers.SerializerMethodField()

    class Meta(InboxItemSerializer.Meta):
        fields = [
            *InboxItemSerializer.Meta.fields,
            "tracking_code",
            "version",
            "form",
            "citizen_account",
            "data",
            "backoffice",
            "requested_fields",
            "files",
            "statuses",
            "actions",
            "history",
            "messages",
            "revision",
        ]

    @extend_schema_field(FormPageSerializer(many=True))
    def get_form(self, submission: Submission) -> list[dict[str, Any]]:
        """The pages and fields of the form version the request was filled in, to show
        its answers in order under their labels (display-only items left out)."""
        definition = compiled_form(submission.version)
        return [
            {
                "id": page.id,
                "title": page.title,
                "fields": [
                    {"varname": item.varname, "label": item.label or item.varname, "type": item.type}
                    for item in page.fields
                    if item.has_value
                ],
            }
            for page in definition.pages
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

    @extend_schema_field(AgentMessageSerializer(many=True))
    def get_messages(self, submission: Submission) -> list[dict[str, Any]]:
        """The thread with the citizen (the same as the messages endpoint), oldest first."""
        return [
            {
                "id": message.pk,
                "from_agent": message.from_agent,
                "author": person(message.author) if message.from_agent else None,
                "body": message.body,
                "requested_fields": message.requested_fields,
                "attachments": [
                    {"id": a.pk, "field": a.field, "name": a.name, "content_type": a.content_type, "size": a.size}
                    for a in message.attachments.all()
                ],
                "created_at": message.created_at,
            }
            for message in submission.messages.select_related("author").prefetch_related("attachments")
        ]

    @extend_schema_field(AgentEventSerializer(many=True))
    def get_history(self, submission: Submission) -> list[Any]:
        events = self.context.get("history", [])
        return list(AgentEventSerializer(events, many=True).data)


class TakeSerializer(serializers.Serializer[Any]):
    action = SlugTextField(max_length=60, help_text="The transition's or global action's id.")
    is_global = FlagField(default=False)
    status = SlugTextField(
        max_length=60,
        required=False,
        help_text="The status the agent saw: if the request is no longer in it, nothing happens (409).",
    )
    comment = TextField(required=False, allow_blank=True, max_length=10000, default="")
    message = TextField(required=False, allow_blank=True, max_length=10000, default="")
    values = serializers.DictField(required=False, default=dict, help_text="The action's form, by field name.")


class AssignmentSerializer(serializers.Serializer[Any]):
    role = SlugTextField(max_length=80, required=False, help_text="Hand the request to this role.")
    agent = WholeNumberField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text="Assign it to this agent of its role; null: to nobody.",
    )
    me = FlagField(required=False, default=False, help_text="Assign it to the caller.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not ({"role", "agent"} & attrs.keys()) and not attrs.get("me"):
            raise serializers.ValidationError(_("Give a role, an agent (or null), or me."))
        return attrs


class BulkDoSerializer(serializers.Serializer[Any]):
    type = serializers.ChoiceField(choices=["action", "assign"])
    action = SlugTextField(max_length=60, required=False, help_text="With type action: its id.")
    is_global = FlagField(default=False)
    comment = TextField(required=False, allow_blank=True, max_length=10000, default="")
    message = TextField(required=False, allow_blank=True, max_length=10000, default="")
    values = serializers.DictField(required=False, default=dict)
    role = SlugTextField(max_length=80, required=False, help_text="With type assign: hand over to this role.")
    agent = WholeNumberField(required=False, allow_null=True, help_text="With type assign: this agent (or null).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["type"] == "action" and not attrs.get("action"):
            raise serializers.ValidationError({"action": _("Name the action to take.")})
        if attrs["type"] == "assign" and not ({"role", "agent"} & attrs.keys()):
            raise serializers.ValidationError({"role": _("Give a role, an agent (or null), or both.")})
        return attrs


class BulkSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=UUIDTextField(), required=False, max_length=10000, help_text="The requests chosen by hand."
    )
    filter = serializers.DictField(
        required=False, default=dict, help_text="Else the inbox's filter, with the inbox's parameter names."
    )
    do = BulkDoSerializer()


class ExportSerializer(serializers.Serializer[Any]):
    format = serializers.ChoiceField(choices=["csv", "xlsx", "ods"])
    columns = serializers.ListField(
        child=TextField(max_length=80),
        min_length=1,
        max_length=60,
        help_text="Built-in columns (reference, procedure, status, submitted_at, status_since, closed_at, deadline, "
        "role, assignee, citizen, tracking_code), data.<field> for an answer, backoffice.<field> for a back-office "
        "field.",
    )
    filter = serializers.DictField(
        required=False,
        default=dict,
        help_text="The inbox's filter, as in the inbox. Its ordering, when given, orders the rows (else oldest first).",
    )

    def validate_columns(self, names: list[str]) -> list[str]:
        from ..exports import column

        unknown = [name for name in names if column(name) is None]
        if unknown:
            raise serializers.ValidationError(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        return names


class FailureSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.CharField()


class JobSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=["bulk", "export"])
    state = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    failures = FailureSerializer(many=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="An export's file, once ready."))
    def get_download(self, job: Any) -> str | None:
        return f"/api/agent/jobs/{job.pk}/file/" if job.file else None


class StatisticsQuerySerializer(serializers.Serializer[Any]):
    procedure = serializers.ListField(child=SlugTextField(max_length=80), required=False, max_length=50)
    role = SlugTextField(
        max_length=80, required=False, help_text="Only the requests this role holds (one of the caller's roles)."
    )
    period = serializers.ChoiceField(choices=["day", "week", "month"], default="week")
    to = serializers.DateField(required=False, help_text="The last day (today by default).")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, help_text="The first day (90 days before by default).")
        return fields


class StatusCountRowSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    status = serializers.CharField()
    count = serializers.IntegerField()


class PeriodRowSerializer(serializers.Serializer[Any]):
    period = serializers.DateField(help_text="The period's first day.")
    sent = serializers.IntegerField()
    closed = serializers.IntegerField()


class BacklogRowSerializer(serializers.Serializer[Any]):
    period = serializers.DateField()
    open = serializers.IntegerField(help_text="Requests sent and not at an endpoint at the end of the period.")


class ProcessingTimeSerializer(serializers.Serializer[Any]):
    procedure = serializers.CharField()
    count = serializers.IntegerField()
    median_hours = serializers.FloatField()
    p90_hours = serializers.FloatField()


class StatisticsSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    to = serializers.DateField()
    per_status = StatusCountRowSerializer(many=True)
    per_period = PeriodRowSerializer(many=True)
    backlog = BacklogRowSerializer(many=True)
    processing_time = ProcessingTimeSerializer(many=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields


class DeskEntrySerializer(serializers.Serializer[Any]):
    data = serializers.DictField(help_text="The answers, as the citizen gives them.")  # type: ignore[assignment]
    citizen_email = EmailTextField(
        required=False, help_text="Links the request to the citizen's account when one has this address."
    )
    channel = serializers.ChoiceField(choices=["desk", "phone", "mail", "email"], default="desk")
