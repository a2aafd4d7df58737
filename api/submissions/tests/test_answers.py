"""Answers are checked before the request's row is locked (data sources may be
fetched over HTTP), and an action proceeds only with what it checked: a change
made between the check and the lock makes it check again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from api.catalog.models import Procedure
from api.core.events import Actor
from api.submissions import actions, answers
from api.submissions.actions import drafts
from api.submissions.models import State, Submission


@pytest.mark.django_db(transaction=True)
def test_the_check_runs_outside_any_transaction_and_again_after_a_concurrent_change(
    procedure: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft, _token = actions.create_draft(procedure, Actor(), {"nom": "Anne"})
    real_check = answers.check
    seen: list[tuple[bool, Any]] = []

    def spying_check(submission: Submission, *args: Any, **kwargs: Any) -> answers.Checked:
        seen.append((connection.in_atomic_block, submission.data.get("nom")))
        checked = real_check(submission, *args, **kwargs)
        if len(seen) == 1:  # another device saves between this check and the lock
            actions.save_draft(submission, {"nom": "Anne Dupont"}, Actor(), revision=None)
        return checked

    monkeypatch.setattr(answers, "check", spying_check)
    sent = drafts.submit(draft, Actor())
    assert seen == [(False, "Anne"), (False, "Anne Dupont")]  # never under a lock; checked again
    assert sent.state == State.SUBMITTED and sent.data["nom"] == "Anne Dupont"


@pytest.mark.django_db(transaction=True)
def test_a_draft_that_never_stops_changing_is_not_sent_unchecked(
    procedure: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft, _token = actions.create_draft(procedure, Actor(), {"nom": "Anne"})
    real_check = answers.check

    def always_changed(submission: Submission, *args: Any, **kwargs: Any) -> answers.Checked:
        checked = real_check(submission, *args, **kwargs)
        actions.save_draft(submission, {"nom": f"{submission.data['nom']}!"}, Actor(), revision=None)
        return checked

    monkeypatch.setattr(answers, "check", always_changed)
    with pytest.raises(actions.SubmissionProblem) as problem:
        drafts.submit(draft, Actor())
    assert (problem.value.status_code, problem.value.problem_code) == (409, "draft-changing")
    assert Submission.objects.get(pk=draft.pk).state == State.DRAFT
