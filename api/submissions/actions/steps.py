"""The actions a workflow runs on entering a status (or in a global action): one
small registered class per type of schema/workflow-definition.schema.json's
``action``, whose options that schema checks (``$defs/action_<type>``). Each runs
inside the transition's transaction, on the locked request, and records its event."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from api.accounts.models import Role
from api.catalog.definitions import compiled as compiled_form
from api.forms import logic
from api.forms.jslogic import LogicEvaluationError
from api.workflows.definition import RECEIVER, Status, Text, Workflow, delay

from .. import events
from ..models import Submission, Timer
from .common import Actor

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,62})\}")


@dataclass
class Context:
    """What a step sees: the locked request, the workflow, who acts, when, and the
    status just entered (None in a global action that moves nowhere)."""

    submission: Submission
    workflow: Workflow
    actor: Actor
    now: datetime
    status: Status | None
    #: The request's own changes are not stored yet (a send runs its first status's
    #: actions before its save): the steps' changes join them, saved once by ``store``.
    unsaved: bool = False

    def save(self, *fields: str) -> None:
        """Store a step's change to these fields of the request (with its own save, or
        later with the send's)."""
        if not self.unsaved:
            self.submission.save(update_fields=[*fields, "updated_at"])

    def store(self) -> None:
        """Save the request whole if its changes are not stored yet (at the end of the
        actions, or before a step that reads or locks the stored request)."""
        if self.unsaved:
            self.submission.save()
            self.unsaved = False

    def values(self, language: str) -> dict[str, str]:
        status = self.workflow.status(self.submission.status)
        found = {str(name): _printable(value) for name, value in (self.submission.backoffice or {}).items()}
        found.update(
            reference=self.submission.reference or "",
            procedure=self.submission.procedure.title,
            status=status.citizen_label.get(language) if status else self.submission.status,
        )
        return found

    def render(self, text: Mapping[str, str]) -> dict[str, str]:
        """A message in both languages, its {placeholders} filled (unknown ones left as written)."""
        compiled = Text(text["fr"], text.get("en", ""))
        return {language: _fill(compiled.get(language), self.values(language)) for language in ("fr", "en")}

    def role(self, slug: str) -> Role:
        if slug == RECEIVER:
            role = self.submission.role or self.submission.procedure.receiver_role
            if role is None:
                raise LookupError("the request has no receiving role")
            return role
        return Role.objects.get(slug=slug)


def _fill(text: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _printable(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict) and "name" in value:
        return str(value["name"])
    if isinstance(value, list):
        return ", ".join(_printable(item) for item in value)
    return "" if value is None else str(value)


class Step(ABC):
    type: ClassVar[str]

    @abstractmethod
    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        """Do it on the locked request, recording its event."""


REGISTRY: dict[str, Step] = {}


def register(cls: type[Step]) -> type[Step]:
    REGISTRY[cls.type] = cls()
    return cls


@register
class NotifyCitizen(Step):
    type = "notify_citizen"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        events.notified(ctx.submission, ctx.actor, ctx.render(options["message"]))


@register
class NotifyRole(Step):
    type = "notify_role"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        role = ctx.role(options["role"])
        events.role_notified(ctx.submission, ctx.actor, role=role.slug, message=ctx.render(options["message"]))


@register
class Assign(Step):
    type = "assign"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        current = ctx.submission
        before = (current.role_id, current.assignee_id)
        if "role" in options:
            role = ctx.role(options["role"])
            if role.pk != current.role_id:
                current.role = role
                current.assignee = None  # an agent of the former role no longer holds it
        agent = options.get("agent")
        if agent == "@actor" and ctx.actor.user_or_none is not None:
            current.assignee = ctx.actor.user_or_none
        elif agent == "@none":
            current.assignee = None
        if (current.role_id, current.assignee_id) == before:
            return  # already so: nothing to record
        ctx.save("role", "assignee")
        events.assigned(current, ctx.actor, role=current.role.slug if current.role else None, agent=current.assignee_id)


@register
class SetDeadline(Step):
    type = "set_deadline"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        current = ctx.submission
        current.deadline = ctx.now + delay(options["after"])
        ctx.save("deadline")
        _timer(ctx, Timer.Kind.DEADLINE, current.deadline, {"note": options.get("notify")})
        events.deadline_set(current, ctx.actor, current.deadline.isoformat())


@register
class JumpAfter(Step):
    type = "jump_after"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        due = ctx.now + delay(options["after"])
        _timer(ctx, Timer.Kind.JUMP, due, {"to": options["to"], "message": options.get("message")})
        events.timer_set(ctx.submission, ctx.actor, due_at=due.isoformat(), to=options["to"])


def _timer(ctx: Context, kind: str, due: datetime, options: dict[str, Any]) -> None:
    current = ctx.submission
    # Fired by the worker's periodic sweep (tasks.fire_due_timers) once due.
    Timer.objects.create(
        submission=current,
        kind=kind,
        status=current.status,
        entered_at=current.status_since or ctx.now,
        due_at=due,
        options={k: v for k, v in options.items() if v is not None},
    )


@register
class RequestInformation(Step):
    type = "request_information"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        from .messages import post_message  # the request-for-more-information flow itself

        ctx.store()  # posting the message locks and reads the stored request
        known = compiled_form(ctx.submission.version).varnames
        fields = [name for name in options["fields"] if name in known]
        language = "fr"
        post_message(
            ctx.submission, ctx.actor, ctx.render(options["message"])[language], from_agent=True, request_fields=fields
        )
        ctx.submission.refresh_from_db()


@register
class SetFields(Step):
    type = "set_fields"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        current = ctx.submission
        data = {**current.data, "backoffice": dict(current.backoffice)}
        values = {name: _value(rule, data) for name, rule in options["values"].items()}
        current.backoffice = {**current.backoffice, **values}
        ctx.save("backoffice")
        events.fields_set(current, ctx.actor, list(values))


def _value(rule: Any, data: Any) -> Any:
    try:
        return logic.evaluate(rule, data)
    except (LogicEvaluationError, RecursionError):  # as the browser: a rule that throws gives null
        return None


@register
class Anonymise(Step):
    type = "anonymise"

    def run(self, ctx: Context, options: Mapping[str, Any]) -> None:
        from .processing import anonymise_answers

        ctx.store()
        anonymise_answers(ctx.submission, reason="workflow")


def run_steps(ctx: Context, steps: Any) -> None:
    for step in steps:
        REGISTRY[step.type].run(ctx, step.options)
