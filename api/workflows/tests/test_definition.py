"""Workflow documents: what the schema and the compiler accept and refuse, the
shipped workflows, and the registry of actions agreeing with the schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from api.accounts import actions as accounts
from api.submissions.actions.steps import REGISTRY
from api.workflows.actions import save_workflow
from api.workflows.definition import SCHEMA_PATH, WorkflowError, parse
from api.workflows.library import SHIPPED, compiled, current_version, shipped
from api.workflows.models import WorkflowEvent, WorkflowVersion

MINIMAL: dict[str, Any] = {
    "schema_version": 1,
    "initial": "new",
    "statuses": [
        {"id": "new", "label": {"fr": "Nouvelle"}},
        {"id": "done", "label": {"fr": "Faite"}, "endpoint": True},
    ],
    "transitions": [{"id": "finish", "from": ["new"], "to": "done", "label": {"fr": "Terminer"}}],
}


def issues(document: Any) -> list[str]:
    with pytest.raises(WorkflowError) as refused:
        parse(document)
    return [f"{issue.pointer} {issue.message}" for issue in refused.value.issues]


def changed(**edits: Any) -> dict[str, Any]:
    document = copy.deepcopy(MINIMAL)
    document.update(edits)
    return document


def test_a_minimal_workflow_compiles() -> None:
    workflow = parse(MINIMAL)
    assert workflow.initial == "new" and workflow.endpoints == ["done"]
    move = workflow.move("finish")
    assert move is not None and move.offered_in("new") and not move.offered_in("done")
    assert move.roles == ("@receiver",) and move.comment == "none" and move.form is None


@pytest.mark.parametrize("slug", sorted(SHIPPED))
def test_every_shipped_workflow_is_valid_and_reaches_an_endpoint_from_its_start(slug: str) -> None:
    workflow = parse(shipped(slug))
    reachable, frontier = {workflow.initial}, [workflow.initial]
    while frontier:
        here = frontier.pop()
        for move in workflow.transitions:
            if move.offered_in(here) and move.to and move.to not in reachable:
                reachable.add(move.to)
                frontier.append(move.to)
    assert set(workflow.endpoints) & reachable, f"{slug}: no endpoint reachable"
    assert all(status in reachable for status in workflow.statuses), f"{slug}: a status no transition leads to"


def test_references_to_unknown_statuses_are_refused_with_their_place() -> None:
    document = changed(initial="nowhere")
    document["transitions"][0]["to"] = "limbo"
    found = issues(document)
    assert any(issue.startswith("/initial No status is named 'nowhere'") for issue in found)
    assert any(issue.startswith("/transitions/0/to No status is named 'limbo'") for issue in found)


def test_duplicate_ids_no_endpoint_and_an_endpoint_start_are_refused() -> None:
    document = copy.deepcopy(MINIMAL)
    document["statuses"][1] = {"id": "new", "label": {"fr": "Encore"}}
    found = issues(document)
    assert any("/statuses/1/id Another status is already named 'new'" in issue for issue in found)
    assert any("At least one status must be an endpoint" in issue for issue in found)
    assert any("/initial A request cannot start in an endpoint" in issue for issue in issues(changed(initial="done")))


def test_schema_errors_name_the_field() -> None:
    document = changed()
    document["statuses"][0]["colour"] = "red"
    document["transitions"][0]["roles"] = ["Not A Slug"]
    found = issues(document)
    assert any(issue.startswith("/statuses/0/colour") for issue in found)
    assert any(issue.startswith("/transitions/0/roles/0") for issue in found)


def test_agent_forms_are_checked_by_the_form_engine() -> None:
    document = changed()
    document["transitions"][0]["form"] = [
        {"type": "choice", "varname": "reason", "label": "Motif", "options": []},
        {"type": "text", "varname": "reason", "label": "Encore"},
    ]
    found = issues(document)
    assert any(issue.startswith("/transitions/0/form") for issue in found), found


def test_one_back_office_name_has_one_type_across_forms() -> None:
    document = changed()
    document["transitions"][0]["form"] = [{"type": "date", "varname": "on", "label": "Le"}]
    document["global_actions"] = [
        {"id": "note", "label": {"fr": "Noter"}, "form": [{"type": "text", "varname": "on", "label": "Le"}]}
    ]
    assert any("'on' is a date field" in issue for issue in issues(document))


def test_bad_logic_in_a_condition_or_set_fields_is_refused() -> None:
    document = changed()
    document["transitions"][0]["condition"] = {"nope": [1]}
    document["statuses"][1]["actions"] = [{"type": "set_fields", "values": {"x": {"nope": []}}}]
    found = issues(document)
    assert any(issue.startswith("/transitions/0/condition") for issue in found)
    assert any(issue.startswith("/statuses/1/actions/0/values/x") for issue in found)


def test_delayed_jumps_belong_to_a_status_and_lead_elsewhere() -> None:
    document = changed()
    document["statuses"][0]["actions"] = [{"type": "jump_after", "after": {"days": 1}, "to": "new"}]
    document["global_actions"] = [
        {
            "id": "later",
            "label": {"fr": "Plus tard"},
            "actions": [{"type": "jump_after", "after": {"days": 1}, "to": "done"}],
        }
    ]
    found = issues(document)
    assert any("/statuses/0/actions/0/to A delayed jump must lead to another status" in issue for issue in found)
    assert any("/global_actions/0/actions/0 A delayed jump belongs to a status" in issue for issue in found)


def test_each_action_type_of_the_schema_has_one_registered_class_and_options_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    types = set(schema["$defs"]["action"]["properties"]["type"]["enum"])
    assert types == set(REGISTRY)
    assert all(f"action_{name}" in schema["$defs"] for name in types)


@pytest.mark.parametrize(
    ("action", "problem"),
    [
        ({"type": "notify_citizen"}, "'message' is a required property"),
        ({"type": "notify_role", "role": "voirie", "message": {"en": "no French"}}, "'fr' is a required property"),
        ({"type": "assign"}, "does not have enough properties"),
        ({"type": "assign", "agent": "someone"}, "is not one of"),
        ({"type": "set_deadline", "after": {}}, "should be non-empty"),
        ({"type": "jump_after", "after": {"days": -1}, "to": "done"}, "less than the minimum"),
        ({"type": "request_information", "message": {"fr": "?"}, "fields": []}, "should be non-empty"),
        ({"type": "set_fields", "values": {"Bad Name": 1}}, "does not match"),
        ({"type": "anonymise", "when": "now"}, "Additional properties are not allowed"),
    ],
)
def test_each_action_checks_its_options(action: dict[str, Any], problem: str) -> None:
    document = changed()
    document["statuses"][0]["actions"] = [action]
    assert any(problem in issue for issue in issues(document)), issues(document)


@pytest.mark.django_db
def test_saving_versions_a_workflow_and_records_it() -> None:
    first, created = save_workflow("circuit", "Circuit", MINIMAL)
    same, again = save_workflow("circuit", "Circuit", copy.deepcopy(MINIMAL))
    assert created and not again and same.pk == first.pk
    second, _ = save_workflow("circuit", "Circuit", changed(initial="new", transitions=[]))
    assert (first.number, second.number) == (1, 2)
    assert current_version("circuit").pk == second.pk
    assert compiled(first).move("finish") is not None and compiled(second).move("finish") is None
    kinds = list(WorkflowEvent.objects.filter(slug="circuit").values_list("payload", flat=True))
    assert kinds == [{"version": 1, "previous": None}, {"version": 2, "previous": 1}]
    with pytest.raises(Exception, match="cannot change"):
        WorkflowVersion.objects.get(pk=first.pk).save()


@pytest.mark.django_db
def test_a_workflow_naming_an_unknown_role_is_refused_until_the_role_exists() -> None:
    document = changed()
    document["transitions"][0]["roles"] = ["voirie"]
    with pytest.raises(WorkflowError, match="voirie"):
        save_workflow("circuit", "Circuit", document)
    accounts.upsert_role("voirie", "Voirie")
    version, _ = save_workflow("circuit", "Circuit", document)
    assert version.number == 1


@pytest.mark.django_db
def test_the_default_workflow_exists_from_the_migrations() -> None:
    version = current_version()
    assert version.definition == shipped("default")
