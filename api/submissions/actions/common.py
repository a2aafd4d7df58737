"""What the submissions' actions share: who acts, the problems they raise, locking."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from api.core.events import Actor
from api.core.problems import Problem
from api.forms.validation import FormError

from ..models import Submission

__all__ = ["BACKOFFICE_FILE", "Actor", "InvalidAnswers", "StaleRevision", "SubmissionProblem", "hash_token", "locked"]


class SubmissionProblem(Problem):
    """A request the state of the submission does not allow (e.g. sending it twice)."""


class StaleRevision(Problem):
    """The draft changed since the client read it (If-Match did not match)."""

    def __init__(self, submission: Submission) -> None:
        super().__init__(
            412,
            "draft-changed",
            _("This draft was changed elsewhere (another device?). Here is its current state; merge and retry."),
            title=_("The draft has changed."),
        )
        self.submission = submission


class InvalidAnswers(Problem):
    def __init__(self, errors: list[FormError]) -> None:
        super().__init__(400, "invalid-answers", _("Some answers are not valid."))
        self.errors = errors


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def locked(submission: Submission) -> Submission:
    """The request read again under its row lock (inside the caller's transaction)."""
    return (
        Submission.objects.select_for_update(of=("self",)).select_related("version", "procedure").get(pk=submission.pk)
    )


#: The prefix of the ``field`` of an agent's file, uploaded for a file field of an agent form.
BACKOFFICE_FILE = "backoffice:"

#: How many times an action checks answers again when the request changed between
#: its check (outside the lock) and its lock.
CHECK_ATTEMPTS = 3
