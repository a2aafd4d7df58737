"""The one check of a request's answers: the page check, sending, a correction
(and later the agents' forms) all go through ``check``.

It binds file answers to what was really uploaded, resolves the data sources'
values and applies the form's rules. Data sources may be fetched over HTTP, so
the check runs before the action takes its row lock, never inside it: the action
then locks the request and proceeds only if nothing the check read has changed
since (``Checked.holds``); otherwise it checks again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from api.catalog.definitions import compiled
from api.forms import datasources
from api.forms.files import bind_files
from api.forms.validation import Result, validate

from .models import Attachment, Submission


@dataclass(frozen=True)
class Checked:
    """A check's result and what it was made from."""

    result: Result
    revision: int
    files: frozenset[str]

    def holds(self, current: Submission, attached: Iterable[Attachment] | None = None) -> bool:
        """Whether ``current`` (read under lock, with its files ``attached`` if the
        caller has read them) is what was checked."""
        if current.revision != self.revision:
            return False
        if attached is None:
            return _file_ids(current) == self.files
        return frozenset(str(a.pk) for a in attached) == self.files


def _file_ids(submission: Submission) -> frozenset[str]:
    if not compiled(submission.version).takes_files:
        return frozenset()
    return frozenset(str(pk) for pk in submission.attachments.values_list("pk", flat=True))


def attachments(submission: Submission) -> list[Attachment]:
    """The files a request's answers may name: none to read when its form has no file
    field (files for messages and agents' forms are never answers; a draft's files are
    for its own form's file fields, and its form version never changes)."""
    if not compiled(submission.version).takes_files:
        return []
    return list(submission.attachments.all())


def check(
    submission: Submission,
    data: Mapping[str, Any] | None = None,
    *,
    page: str | None = None,
    today: date | None = None,
) -> Checked:
    """Check ``data`` (by default the stored answers) against the request's form version."""
    definition = compiled(submission.version)
    owned = {str(a.pk): a for a in attachments(submission)}
    bound = bind_files(definition, submission.data if data is None else data, owned)
    choices = datasources.allowed_values(definition)
    result = validate(definition, bound, today=today or timezone.localdate(), page=page, choices=choices)
    return Checked(result, submission.revision, frozenset(owned))
