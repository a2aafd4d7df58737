"""What agents read: the requests their roles hold, filtered, searched and counted.
Reads only; every change goes through the submissions' actions."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from api.accounts.models import Role, User
from api.submissions.models import Submission

from .search import matching

#: The operators of a field filter (``where=name:op:value``).
OPERATORS = ("eq", "ne", "lt", "gt", "in", "contains", "empty")
MAX_WHERE = 10


class FilterError(ValueError):
    """A filter that cannot be applied: the query parameter and why."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Where:
    column: str  # "data" (the answers) or "backoffice"
    name: str
    op: str
    value: str


def parse_where(raw: str) -> Where:
    """``name:op:value``, ``backoffice.name:op:value`` for a back-office field."""
    name, sep, rest = raw.partition(":")
    op, _sep, value = rest.partition(":")
    column = "data"
    if name.startswith("backoffice."):
        column, name = "backoffice", name.removeprefix("backoffice.")
    if not sep or not name.replace("_", "a").isalnum() or not name[:1].isalpha() or not name.islower():
        raise FilterError("where", _("Write a field filter as name:operator:value, e.g. commune:eq:Paris."))
    if op not in OPERATORS:
        raise FilterError(
            "where", _("Unknown operator %(op)s; use one of: %(ops)s.") % {"op": op, "ops": ", ".join(OPERATORS)}
        )
    return Where(column, name, op, value)


def _candidates(value: str) -> list[Any]:
    """A query-string value as the JSON values it may stand for ("3" is "3" or 3)."""
    found: list[Any] = [value]
    try:
        number = json.loads(value)
    except ValueError:
        return found
    if isinstance(number, (int, float)) and not isinstance(number, bool) and math.isfinite(number):
        found.append(number)
    if value in ("true", "false"):
        found.append(value == "true")
    return found


def where_q(where: Where) -> Q:
    key = f"{where.column}__{where.name}"
    if where.op == "empty":
        empty = Q(**{f"{where.column}__has_key": where.name}) & ~Q(**{key: ""}) & ~Q(**{f"{key}__isnull": True})
        return ~empty if where.value in ("", "true", "1") else empty
    if where.op in ("eq", "ne"):
        equal = Q()
        for candidate in _candidates(where.value):
            equal |= Q(**{key: candidate})
        return equal if where.op == "eq" else ~equal & Q(**{f"{where.column}__has_key": where.name})
    if where.op == "in":
        inside = Q()
        for item in where.value.split(","):
            for candidate in _candidates(item):
                inside |= Q(**{key: candidate})
        return inside
    if where.op == "contains":
        return Q(**{f"{key}__icontains": where.value})
    candidates = _candidates(where.value)
    bound = candidates[-1]  # the number when the value reads as one, else the text (dates compare as text)
    return Q(**{f"{key}__{where.op}": bound})


@dataclass
class InboxFilter:
    procedures: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    assigned: str = ""  # "me", "none", "others"
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    deadline_passed: bool | None = None
    query: str = ""
    where: list[Where] = field(default_factory=list)
    citizen: int | None = None
    role: str = ""

    def to_json(self) -> dict[str, Any]:
        """The filter as a job keeps it (and gives it back with ``from_json``)."""
        return {
            "procedures": self.procedures,
            "statuses": self.statuses,
            "assigned": self.assigned,
            "submitted_after": self.submitted_after.isoformat() if self.submitted_after else None,
            "submitted_before": self.submitted_before.isoformat() if self.submitted_before else None,
            "deadline_passed": self.deadline_passed,
            "query": self.query,
            "where": [[w.column, w.name, w.op, w.value] for w in self.where],
            "citizen": self.citizen,
            "role": self.role,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InboxFilter:
        def when(value: str | None) -> datetime | None:
            return datetime.fromisoformat(value) if value else None

        return cls(
            procedures=list(data.get("procedures", [])),
            statuses=list(data.get("statuses", [])),
            assigned=data.get("assigned", ""),
            submitted_after=when(data.get("submitted_after")),
            submitted_before=when(data.get("submitted_before")),
            deadline_passed=data.get("deadline_passed"),
            query=data.get("query", ""),
            where=[Where(*item) for item in data.get("where", [])],
            citizen=data.get("citizen"),
            role=data.get("role", ""),
        )


def held_by(roles: Collection[Role] | QuerySet[Role]) -> QuerySet[Submission]:
    """The sent requests these roles hold. A request is given a role when it is sent
    (drafts have none), so the role alone says it was sent; and the roles' ids are
    written into the query, so that PostgreSQL walks the (role, …) indexes in order
    instead of sorting every request of the role."""
    ids = list(roles.values_list("pk", flat=True)) if isinstance(roles, QuerySet) else [role.pk for role in roles]
    return Submission.objects.filter(role_id__in=ids)


def filtered(
    queryset: QuerySet[Submission], wanted: InboxFilter, agent: User | None, *, with_status: bool = True
) -> QuerySet[Submission]:
    if wanted.procedures:
        queryset = queryset.filter(procedure__slug__in=wanted.procedures)
    if with_status and wanted.statuses:
        queryset = queryset.filter(status__in=wanted.statuses)
    if wanted.assigned == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif wanted.assigned in ("me", "others"):
        if agent is None:
            raise FilterError("assigned", _("Only a person can be assigned requests."))
        queryset = (
            queryset.filter(assignee=agent)
            if wanted.assigned == "me"
            else queryset.exclude(assignee=agent).filter(assignee__isnull=False)
        )
    if wanted.submitted_after is not None:
        queryset = queryset.filter(submitted_at__gte=wanted.submitted_after)
    if wanted.submitted_before is not None:
        queryset = queryset.filter(submitted_at__lt=wanted.submitted_before)
    if wanted.role:
        queryset = queryset.filter(role__slug=wanted.role)
    if wanted.citizen is not None:
        queryset = queryset.filter(owner_id=wanted.citizen)
    if wanted.deadline_passed is not None:
        passed = Q(deadline__lt=timezone.now())
        queryset = queryset.filter(passed) if wanted.deadline_passed else queryset.exclude(passed)
    for where in wanted.where:
        queryset = queryset.filter(where_q(where))
    if wanted.query:
        queryset = matching(queryset, wanted.query)
    return queryset


def counts(queryset: QuerySet[Submission]) -> dict[str, int]:
    """How many requests per status (the status filter aside, for tabs)."""
    # count(*), not count(id): the (role, status, …) index alone answers it.
    rows = queryset.order_by().values("status").annotate(n=Count("*"))
    return {row["status"]: row["n"] for row in rows}


def citizen_name(submission: Submission) -> str:
    owner = submission.owner
    if owner is None:
        return ""
    return " ".join(part for part in (owner.first_name, owner.last_name) if part) or owner.email
