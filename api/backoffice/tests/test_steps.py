"""Each workflow action, run by a small workflow of its own on a demo procedure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.catalog import actions as catalog
from api.catalog.models import Procedure
from api.submissions.models import Event, Message, Submission
from api.workflows.actions import save_workflow

from .conftest import act, client_for


def with_workflow(slug: str, entering: list[dict[str, Any]], **extra: Any) -> None:
    """Give a demo procedure a workflow whose "next" status runs ``entering``."""
    document = {
        "schema_version": 1,
        "initial": "new",
        "statuses": [
            {"id": "new", "label": {"fr": "Nouvelle"}},
            {"id": "next", "label": {"fr": "Suivante", "en": "Next"}, "actions": entering},
            {"id": "done", "label": {"fr": "Finie"}, "endpoint": True},
        ],
        "transitions": [
            {"id": "go", "from": ["new"], "to": "next", "label": {"fr": "Aller"}, **extra},
            {"id": "end", "from": ["next"], "to": "done", "label": {"fr": "Finir"}},
        ],
    }
    version, _ = save_workflow(f"test-{slug}", "Essai", document)
    catalog.bind_workflow(Procedure.objects.get(slug=slug), version.workflow)


def kinds(request_id: str) -> list[str]:
    return list(Event.objects.filter(submission_id=request_id).order_by("id").values_list("kind", flat=True))


def test_notify_citizen_renders_both_languages_with_back_office_values(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    message = {"fr": "Demande {reference} : {status}, le {when}. {unknown}", "en": "Request {reference}: {status}."}
    form = [{"type": "text", "varname": "when", "label": "Quand"}]
    with_workflow("collecte-encombrants", [{"type": "notify_citizen", "message": message}], form=form)
    sent = send("collecte-encombrants")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go", values={"when": "lundi"})
    event = Event.objects.get(submission_id=sent["id"], kind="submission.notified")
    assert event.audience == "citizen"
    assert event.payload["message"] == {
        "fr": f"Demande {sent['reference']} : Suivante, le lundi. {{unknown}}",
        "en": f"Request {sent['reference']}: Next.",
    }


def test_notify_role_is_an_internal_note_naming_the_role(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    with_workflow(
        "collecte-encombrants", [{"type": "notify_role", "role": "domaine-public", "message": {"fr": "À voir"}}]
    )
    sent = send("collecte-encombrants")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go")
    event = Event.objects.get(submission_id=sent["id"], kind="submission.role_notified")
    assert (event.audience, event.payload) == (
        "agents",
        {"role": "domaine-public", "message": {"fr": "À voir", "en": "À voir"}},
    )
    citizen = client_for(demo["citizen"]).get(f"/api/submissions/{sent['id']}/history/").json()
    assert "submission.role_notified" not in [e["kind"] for e in citizen]


def test_assign_to_the_acting_agent_and_to_nobody(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    with_workflow("collecte-encombrants", [{"type": "assign", "agent": "@actor"}])
    sent = send("collecte-encombrants")
    agent = demo["agents"]["voirie"]
    act(client_for(agent), sent["id"], "go")
    assert Submission.objects.get(pk=sent["id"]).assignee == agent
    assert Event.objects.get(submission_id=sent["id"], kind="submission.assigned").payload == {
        "role": "voirie",
        "agent": agent.pk,
    }


def test_request_information_uses_the_correction_flow(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    ask = {"type": "request_information", "message": {"fr": "Précisez votre nom."}, "fields": ["nom", "not_a_field"]}
    with_workflow("collecte-encombrants", [ask])
    sent = send("collecte-encombrants")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go")
    current = Submission.objects.get(pk=sent["id"])
    assert current.requested_fields == ["nom"]  # names the form does not have are left out
    message = Message.objects.get(submission=current)
    assert (message.body, message.from_agent, message.requested_fields) == ("Précisez votre nom.", True, ["nom"])
    citizen = client_for(demo["citizen"])
    fixed = citizen.post(
        f"/api/submissions/{sent['id']}/corrections/", {"data": {"nom": "Durand"}}, content_type="application/json"
    )
    assert fixed.status_code == 200, fixed.content
    assert Submission.objects.get(pk=sent["id"]).data["nom"] == "Durand"


def test_set_fields_evaluates_rules_over_answers_and_back_office_fields(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    rules = {
        "label": {"cat": [{"var": "nom"}, " / ", {"var": "backoffice.zone"}]},
        "fixed": "B",
        "broken": {"/": [1, {"var": "missing"}]},
    }
    form = [{"type": "text", "varname": "zone", "label": "Zone"}]
    with_workflow("collecte-encombrants", [{"type": "set_fields", "values": rules}], form=form)
    sent = send("collecte-encombrants")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go", values={"zone": "Nord"})
    backoffice = Submission.objects.get(pk=sent["id"]).backoffice
    assert backoffice["label"] == "Dupont / Nord" and backoffice["fixed"] == "B"
    assert backoffice["broken"] is None  # as the browser: a rule that fails gives null
    assert Event.objects.get(submission_id=sent["id"], kind="submission.fields_set").payload == {
        "fields": ["broken", "fixed", "label"]
    }


def test_anonymise_removes_the_personal_answers_now(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    with_workflow("signalement-voirie", [{"type": "anonymise"}])
    sent = send("signalement-voirie")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go")
    current = Submission.objects.get(pk=sent["id"])
    assert current.data == {"nature": "nid_de_poule"} and current.owner is None
    assert Event.objects.get(submission_id=sent["id"], kind="submission.anonymised").payload["reason"] == "workflow"


@pytest.mark.parametrize("entering", [[{"type": "set_deadline", "after": {"hours": 4}}]])
def test_set_deadline_counts_from_entering_the_status(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], entering: list[dict[str, Any]]
) -> None:
    with_workflow("collecte-encombrants", entering)
    sent = send("collecte-encombrants")
    act(client_for(demo["agents"]["voirie"]), sent["id"], "go")
    current = Submission.objects.get(pk=sent["id"])
    assert current.deadline is not None and current.status_since is not None
    assert (current.deadline - current.status_since).total_seconds() == 4 * 3600
    assert kinds(sent["id"])[-1] == "submission.deadline_set"


def with_first_status_actions(slug: str, entering: list[dict[str, Any]], **extra: Any) -> None:
    """Give a demo procedure a workflow whose first status runs ``entering`` (on sending)."""
    document = {
        "schema_version": 1,
        "initial": "new",
        "statuses": [
            {"id": "new", "label": {"fr": "Nouvelle"}, "actions": entering},
            {"id": "done", "label": {"fr": "Finie"}, "endpoint": True},
        ],
        "transitions": [{"id": "end", "from": ["new"], "to": "done", "label": {"fr": "Finir"}}],
        **extra,
    }
    version, _ = save_workflow(f"first-{slug}", "Essai", document)
    catalog.bind_workflow(Procedure.objects.get(slug=slug), version.workflow)


def test_the_first_status_actions_changes_are_stored_with_the_send(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    """A send saves the request once with what its first status's actions changed
    (deadline, assignment, back-office fields), then a step that needs the stored
    request (asking for information) finds it sent, with its reference."""
    entering = [
        {"type": "set_deadline", "after": {"days": 2}},
        {"type": "assign", "agent": "@none"},
        {"type": "set_fields", "values": {"copie": {"var": "nom"}}},
        {"type": "notify_citizen", "message": {"fr": "Reçue sous le numéro {reference}."}},
        {"type": "request_information", "message": {"fr": "Précisez votre nom."}, "fields": ["nom"]},
        {"type": "set_fields", "values": {"apres": "oui"}},
    ]
    with_first_status_actions("collecte-encombrants", entering)
    sent = send("collecte-encombrants")
    current = Submission.objects.get(pk=sent["id"])
    assert current.state == "submitted" and current.reference == sent["reference"] and current.status == "new"
    assert current.deadline is not None and current.status_since is not None
    assert (current.deadline - current.status_since).days == 2
    assert current.backoffice == {"copie": "Dupont", "apres": "oui"}
    assert current.requested_fields == ["nom"]
    assert Message.objects.get(submission=current).body == "Précisez votre nom."
    assert Event.objects.get(submission_id=sent["id"], kind="submission.notified").payload["message"]["fr"] == (
        f"Reçue sous le numéro {sent['reference']}."
    )
    assert kinds(sent["id"]) == [
        "submission.created",
        "submission.sent",
        "submission.deadline_set",
        "submission.fields_set",  # (already unassigned: the assignment records nothing)
        "submission.notified",
        "message.posted",
        "submission.correction_requested",
        "submission.fields_set",
    ]


def test_anonymising_on_the_first_status_keeps_what_the_send_stored(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    with_first_status_actions("signalement-voirie", [{"type": "anonymise"}])
    sent = send("signalement-voirie")
    current = Submission.objects.get(pk=sent["id"])
    assert current.state == "submitted" and current.reference == sent["reference"]
    assert current.data == {"nature": "nid_de_poule"} and current.owner is None and current.anonymised_at


def test_a_first_status_that_only_changes_fields_is_stored_in_the_sends_one_save(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    entering = [{"type": "set_deadline", "after": {"hours": 6}}, {"type": "set_fields", "values": {"lot": "A"}}]
    with_first_status_actions("collecte-encombrants", entering)
    sent = send("collecte-encombrants")
    current = Submission.objects.get(pk=sent["id"])
    assert current.state == "submitted" and current.reference == sent["reference"]
    assert current.deadline is not None and current.backoffice == {"lot": "A"}
