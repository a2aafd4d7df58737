"""The worker's side of workflows: delayed jumps and deadlines fire once, whatever
the number of workers, only if the request is still where they were set; and
retention anonymises processed requests field by field."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from api.catalog.models import Procedure
from api.submissions import actions
from api.submissions.actions import processing
from api.submissions.models import Attachment, Event, Submission, Timer
from api.submissions.tasks import fire_timer as fire_timer_task

from .conftest import act, client_for


def kinds(request_id: str) -> list[str]:
    return list(Event.objects.filter(submission_id=request_id).order_by("id").values_list("kind", flat=True))


def test_a_delayed_jump_fires_once_when_due_and_tells_the_citizen(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("reservation-salle-des-fetes")
    agent = client_for(demo["agents"]["vie-associative"])
    assert act(agent, sent["id"], "pre_book").status_code == 200
    timer = Timer.objects.get(submission_id=sent["id"])
    assert (timer.kind, timer.status, timer.options["to"]) == ("jump", "pre_booked", "cancelled")
    assert timer.due_at - timezone.now() > timedelta(days=9, hours=23)
    assert actions.fire_due_timers() == {}  # not due yet
    later = timezone.now() + timedelta(days=10, minutes=1)
    assert actions.fire_due_timers(later) == {"jumped": 1}
    assert actions.fire_due_timers(later) == {}
    assert actions.fire_timer(timer.pk, later) == "taken"
    current = Submission.objects.get(pk=sent["id"])
    assert (current.status, current.citizen_status) == ("cancelled", "cancelled")
    history = client_for(demo["citizen"]).get(f"/api/submissions/{sent['id']}/history/").json()
    assert "Sans caution reçue sous 10 jours" in history[-1]["payload"]["message"]
    assert kinds(sent["id"]).count("submission.transitioned") == 2  # pre_book, then the timeout


def test_a_jump_whose_status_was_left_does_nothing_even_after_coming_back(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("inscription-listes-electorales")
    agent = client_for(demo["agents"]["etat-civil"])
    act(agent, sent["id"], "start")
    act(agent, sent["id"], "ask_information", message="Merci de joindre un justificatif de domicile.")
    first = Timer.objects.get(submission_id=sent["id"], kind="jump")
    act(agent, sent["id"], "resume")
    act(agent, sent["id"], "ask_information", message="Le justificatif est illisible.")
    second = Timer.objects.exclude(pk=first.pk).get(submission_id=sent["id"], kind="jump")
    when = second.due_at + timedelta(minutes=1)
    assert actions.fire_timer(first.pk, when) == "void"  # set by an earlier stay in the same status
    assert Submission.objects.get(pk=sent["id"]).status == "waiting_citizen"
    assert actions.fire_timer(second.pk, when) == "jumped"
    assert Submission.objects.get(pk=sent["id"]).status == "closed"


def test_a_deadline_is_noted_once_and_cleared_on_leaving_its_status(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("acte-etat-civil")
    current = Submission.objects.get(pk=sent["id"])
    assert current.deadline is not None
    assert current.deadline - current.submitted_at == timedelta(days=5)
    agent = client_for(demo["agents"]["etat-civil"])
    overdue = agent.get("/api/agent/requests/?deadline_passed=true").json()["results"]
    assert overdue == []
    outcomes = actions.fire_due_timers(current.deadline + timedelta(seconds=1))
    assert outcomes == {"noted": 1}
    note = Event.objects.get(submission_id=sent["id"], kind="submission.deadline_passed")
    assert note.audience == "agents" and note.payload["note"]["fr"] == "Délai de délivrance dépassé."
    act(agent, sent["id"], "start")
    assert Submission.objects.get(pk=sent["id"]).deadline is None


def test_an_early_task_puts_itself_back_until_due(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    from django_tasks_db.models import DBTaskResult

    sent = send("acte-etat-civil")
    timer = Timer.objects.get(submission_id=sent["id"])
    before = DBTaskResult.objects.count()
    assert fire_timer_task.call(timer.pk) == "early"
    again = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1 and again is not None
    assert again.run_after == timer.due_at and again.args_kwargs["args"] == [timer.pk]
    assert Timer.objects.get(pk=timer.pk).done_at is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_fire_each_timer_once(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both workers list the same due timers (a barrier makes them start together);
    PostgreSQL's skip-locked row locks, or SQLite's compare-and-set, give each timer
    to one of them only."""
    agent = client_for(demo["agents"]["vie-associative"])
    requests = [send("reservation-salle-des-fetes") for _ in range(4)]
    for sent in requests:
        act(agent, sent["id"], "pre_book")
    later = timezone.now() + timedelta(days=11)
    barrier = threading.Barrier(2, timeout=20)
    original = processing.due_timers

    def listed_together(now: Any = None, limit: int = 500) -> list[int]:
        found = original(now, limit)
        barrier.wait()
        return found

    monkeypatch.setattr(processing, "due_timers", listed_together)

    def worker() -> dict[str, int]:
        try:
            return actions.fire_due_timers(later)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = [future.result() for future in [pool.submit(worker), pool.submit(worker)]]
    assert sum(o.get("jumped", 0) for o in outcomes) == 4, outcomes
    assert sum(o.get("taken", 0) for o in outcomes) == 4, outcomes
    for sent in requests:
        assert kinds(sent["id"]).count("submission.status_changed") == 2  # pre-booked, cancelled: once each
        assert Submission.objects.get(pk=sent["id"]).status == "cancelled"


def test_retention_anonymises_processed_requests_field_by_field(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("signalement-voirie")
    open_one = send("signalement-voirie")
    agent = client_for(demo["agents"]["voirie"])
    act(agent, sent["id"], "reject", message="Ce n'est pas sur la voie publique.")
    closed_at = Submission.objects.get(pk=sent["id"]).closed_at
    assert closed_at is not None
    Procedure.objects.filter(slug="signalement-voirie").update(retention_days=30)
    assert actions.anonymise_due(closed_at + timedelta(days=29)) == 0
    assert actions.anonymise_due(closed_at + timedelta(days=31)) == 1
    assert actions.anonymise_due(closed_at + timedelta(days=31)) == 0
    done = Submission.objects.get(pk=sent["id"])
    assert done.data == {"nature": "nid_de_poule"}  # the form marks "nature" as not personal
    assert done.owner is None and done.anonymised_at is not None and "dupont" not in done.search_text
    event = Event.objects.get(submission_id=sent["id"], kind="submission.anonymised")
    assert event.payload == {"reason": "retention", "fields": ["lieu"]}
    assert Submission.objects.get(pk=open_one["id"]).anonymised_at is None  # never closed
    assert client_for(demo["citizen"]).get(f"/api/submissions/{sent['id']}/").status_code == 404


def test_closing_an_account_anonymises_the_persons_answers_the_same_way(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("occupation-domaine-public")
    actions.anonymise_owner(demo["citizen"].pk)
    current = Submission.objects.get(pk=sent["id"])
    assert set(current.data) == {"motif", "jours", "surface"}
    assert current.owner is None and current.status == "received"  # still processed
    event = Event.objects.get(submission_id=sent["id"], kind="submission.anonymised")
    assert event.payload["reason"] == "account_closed" and "courriel" in event.payload["fields"]
    assert not Attachment.objects.filter(submission_id=sent["id"]).exists()


def test_a_closed_request_is_anonymised_by_the_workers_sweep_when_its_retention_ends(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from api.submissions.tasks import fire_due_timers

    sent = send("signalement-voirie")
    agent = client_for(demo["agents"]["voirie"])
    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        act(agent, sent["id"], "reject", message="Hors voie publique.")
    assert DBTaskResult.objects.count() == before  # no task of its own: the sweep sees it
    closed_at = Submission.objects.get(pk=sent["id"]).closed_at
    assert closed_at is not None
    assert fire_due_timers.call()["anonymised"] == 0  # not yet
    Submission.objects.filter(pk=sent["id"]).update(closed_at=closed_at - timedelta(days=91))
    assert fire_due_timers.call()["anonymised"] == 1  # 90 days on
    assert Submission.objects.get(pk=sent["id"]).anonymised_at is not None


def test_a_retention_task_queued_before_the_sweep_still_waits_until_due(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    from django_tasks_db.models import DBTaskResult

    from api.submissions.tasks import anonymise_when_due

    sent = send("signalement-voirie")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "reject", message="Hors voie publique.")
    closed_at = Submission.objects.get(pk=sent["id"]).closed_at
    assert closed_at is not None
    # Run early (the retention was lengthened meanwhile): it comes back when due.
    Procedure.objects.filter(slug="signalement-voirie").update(retention_days=120)
    assert anonymise_when_due.call(sent["id"]) == "not-due"
    again = DBTaskResult.objects.filter(task_path__endswith="anonymise_when_due").order_by("-enqueued_at").first()
    assert again is not None and again.run_after == closed_at + timedelta(days=120)
    assert actions.anonymise_if_due(sent["id"], closed_at + timedelta(days=121)) == "done"
    assert Submission.objects.get(pk=sent["id"]).anonymised_at is not None
    assert actions.anonymise_if_due(sent["id"], closed_at + timedelta(days=122)) == "gone"
