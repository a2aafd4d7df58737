"""Processing through the agents' API: each demo procedure's request taken from sent
to an endpoint by an agent of its role, what the citizen sees of it, who may see
and act, forms and texts the workflow asks for, and two agents acting at once."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image

from api.catalog.models import Procedure
from api.submissions.models import Event, Submission
from api.workflows.library import compiled

from .conftest import act, client_for

TODAY = timezone.localdate().isoformat()
CITIZEN_KINDS = {"submission.sent", "submission.status_changed", "submission.notified", "message.posted"}

#: For each demo procedure: (the role acting, None for the receiver; action; body) to an endpoint.
PATHS: dict[str, tuple[str, list[tuple[str | None, str, dict[str, Any]]]]] = {
    "acte-etat-civil": (
        "sent_by_post",
        [
            (None, "start", {}),
            (None, "check", {"comment": "Acte trouvé"}),
            (None, "post", {"values": {"sent_on": TODAY}}),
        ],
    ),
    "inscription-listes-electorales": (
        "registered",
        [(None, "start", {}), (None, "register", {"values": {"polling_station": "Bureau 3 – école Jules-Ferry"}})],
    ),
    "signalement-voirie": (
        "fixed",
        [
            (None, "qualify", {"values": {"priority": "normal", "team": "Équipe A"}}),
            (None, "schedule", {"values": {"planned_on": TODAY}}),
            (None, "fix", {"values": {"repair_photo": "PHOTO"}, "message": "C'est réparé."}),
        ],
    ),
    "collecte-encombrants": (
        "collected",
        [(None, "schedule", {"values": {"collection_on": TODAY}}), (None, "collected", {})],
    ),
    "inscription-restauration-scolaire": (
        "registered",
        [(None, "start", {}), (None, "register", {"message": "Bienvenue à la cantine !"})],
    ),
    "centre-loisirs-ete-2026": ("registered", [(None, "start", {}), (None, "waitlist", {}), (None, "register", {})]),
    "occupation-domaine-public": (
        "authorised",
        [
            (None, "start", {}),
            (None, "ask_opinion", {"comment": "Trottoir étroit, avis ?"}),
            ("voirie", "give_opinion", {"values": {"roads_opinion": "favourable"}}),
            (None, "authorise", {}),
        ],
    ),
    "reservation-salle-des-fetes": (
        "confirmed",
        [(None, "pre_book", {}), (None, "confirm", {"values": {"deposit_cheque": "0001234"}})],
    ),
}


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 120, 120)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload_photo(agent: Client, request_id: str) -> str:
    response = agent.post(
        f"/api/submissions/{request_id}/attachments/?field=backoffice:repair_photo",
        photo(),
        content_type="application/octet-stream",
        HTTP_CONTENT_DISPOSITION='attachment; filename="reparation.png"',
    )
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


@pytest.mark.parametrize("slug", sorted(PATHS))
def test_a_request_of_each_demo_procedure_is_processed_to_an_endpoint(
    slug: str, demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    Procedure.objects.filter(slug=slug).update(closes_at=None)  # the summer camp's registrations are over
    sent = send(slug)
    endpoint, path = PATHS[slug]
    receiver = demo["receivers"][slug]
    seen_statuses = ["received"]
    for role, action, body in path:
        agent = client_for(demo["agents"][role or receiver])
        before = agent.get(f"/api/agent/requests/{sent['id']}/")
        assert before.status_code == 200, before.content
        offered = [move["id"] for move in before.json()["actions"]]
        assert action in offered, f"{action} not offered in {before.json()['status']['id']}: {offered}"
        if body.get("values", {}).get("repair_photo") == "PHOTO":
            body = {**body, "values": {**body["values"], "repair_photo": [{"id": upload_photo(agent, sent["id"])}]}}
        done = act(agent, sent["id"], action, status=before.json()["status"]["id"], **body)
        assert done.status_code == 200, done.content
        seen_statuses.append(done.json()["status"]["id"])
    final = done.json()
    assert final["status"]["id"] == endpoint and final["status"]["endpoint"] is True
    assert final["closed_at"] is not None

    citizen = client_for(demo["citizen"])
    mine = citizen.get(f"/api/submissions/{sent['id']}/").json()
    assert mine["status"] == endpoint
    history = citizen.get(f"/api/submissions/{sent['id']}/history/").json()
    assert {event["kind"] for event in history} <= CITIZEN_KINDS
    assert all(event["audience"] == "citizen" for event in history)
    workflow = compiled(Submission.objects.get(pk=sent["id"]).workflow_version_id)
    final_status = workflow.statuses[endpoint]
    assert (mine["status_label"], mine["status_colour"]) == (final_status.citizen_label.fr, final_status.colour)
    english = citizen.get(f"/api/submissions/{sent['id']}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["status_label"] == final_status.citizen_label.get("en")
    shown = [event["payload"]["status"] for event in history if event["kind"] == "submission.status_changed"]
    hidden = [status for status in seen_statuses if not workflow.statuses[status].visible]
    assert shown and shown[-1] == endpoint and not set(hidden) & set(shown)
    # The agents' record holds every move, with who made it.
    agents_view = final["history"]
    moves = [event["payload"]["move"] for event in agents_view if event["kind"] == "submission.transitioned"]
    assert moves == [action for _role, action, _body in path]
    assert all(event["actor"] for event in agents_view if event["kind"] == "submission.transitioned")


def test_an_internal_comment_stays_with_the_agents_and_a_message_reaches_the_citizen(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("inscription-listes-electorales")
    agent = client_for(demo["agents"]["etat-civil"])
    assert act(agent, sent["id"], "start").status_code == 200
    refused = act(
        agent,
        sent["id"],
        "refuse",
        comment="Domicile hors commune (vérifié au cadastre)",
        message="Vous n'habitez pas la commune.",
        values={"refusal_reason": "ineligible"},
    )
    assert refused.status_code == 200, refused.content
    assert refused.json()["backoffice"] == {"refusal_reason": "ineligible"}
    citizen_text = str(client_for(demo["citizen"]).get(f"/api/submissions/{sent['id']}/history/").json())
    assert "Vous n'habitez pas la commune." in citizen_text
    assert "cadastre" not in citizen_text and "ineligible" not in citizen_text
    posted = client_for(demo["citizen"]).post(
        f"/api/submissions/{sent['id']}/messages/", {"body": "Je conteste."}, content_type="application/json"
    )
    assert posted.status_code == 201, posted.content
    thread = agent.get(f"/api/agent/requests/{sent['id']}/").json()["messages"]
    assert [(m["from_agent"], m["author"], m["body"]) for m in thread] == [(False, None, "Je conteste.")]
    comment = Event.objects.get(submission_id=sent["id"], kind="submission.transitioned", payload__move="refuse")
    assert comment.audience == "agents" and comment.payload["comment"].endswith("cadastre)")


def test_another_role_neither_sees_nor_acts_and_citizens_are_refused(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("acte-etat-civil")
    roads = client_for(demo["agents"]["voirie"])
    assert roads.get(f"/api/agent/requests/{sent['id']}/").status_code == 404
    assert act(roads, sent["id"], "start").status_code == 404
    assert (
        roads.post(
            f"/api/agent/requests/{sent['id']}/assignment/", {"me": True}, content_type="application/json"
        ).status_code
        == 404
    )
    assert sent["id"] not in [r["id"] for r in roads.get("/api/agent/requests/").json()["results"]]
    citizen = client_for(demo["citizen"])
    assert citizen.get("/api/agent/requests/").status_code == 403
    assert act(citizen, sent["id"], "start").status_code == 403
    assert Client().get("/api/agent/requests/").status_code in (401, 403)
    assert Submission.objects.get(pk=sent["id"]).status == "received"


def test_what_a_transition_asks_for_is_checked_with_clear_problems(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("inscription-listes-electorales")
    agent = client_for(demo["agents"]["etat-civil"])
    unknown = act(agent, sent["id"], "teleport")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown-action")
    early = act(agent, sent["id"], "register", values={"polling_station": "Bureau 1"})
    assert (early.status_code, early.json()["code"]) == (409, "action-not-allowed")
    assert act(agent, sent["id"], "start").status_code == 200
    missing = act(agent, sent["id"], "register", values={})
    assert (missing.status_code, missing.json()["code"]) == (400, "invalid-agent-form")
    assert [p["pointer"] for p in missing.json()["invalid_params"]] == ["/values/polling_station"]
    no_message = act(agent, sent["id"], "refuse", values={"refusal_reason": "other"})
    assert [p["pointer"] for p in no_message.json()["invalid_params"]] == ["/message"]
    bad_choice = act(agent, sent["id"], "refuse", message="Non.", values={"refusal_reason": "because"})
    assert [p["pointer"] for p in bad_choice.json()["invalid_params"]] == ["/values/refusal_reason"]
    not_taken = act(agent, sent["id"], "start", comment="hop", values={"x": 1})
    assert not_taken.status_code == 409  # no longer offered: checked before the form
    assert Submission.objects.get(pk=sent["id"]).status == "in_progress"


def test_a_condition_over_back_office_fields_hides_a_transition(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("occupation-domaine-public")
    public, roads = client_for(demo["agents"]["domaine-public"]), client_for(demo["agents"]["voirie"])
    act(public, sent["id"], "start")
    act(public, sent["id"], "ask_opinion", comment="Avis ?")
    # While the roads department holds it, the public-space agents no longer see it.
    assert public.get(f"/api/agent/requests/{sent['id']}/").status_code == 404
    given = act(roads, sent["id"], "give_opinion", values={"roads_opinion": "unfavourable"})
    assert given.status_code == 200, given.content
    assert roads.get(f"/api/agent/requests/{sent['id']}/").status_code == 404
    offered = [m["id"] for m in public.get(f"/api/agent/requests/{sent['id']}/").json()["actions"]]
    assert "authorise" not in offered and "refuse" in offered
    refused = act(public, sent["id"], "authorise")
    assert (refused.status_code, refused.json()["code"]) == (409, "action-not-allowed")


def test_a_stale_status_gets_a_409_and_changes_nothing(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("inscription-listes-electorales")
    first, second = client_for(demo["agents"]["etat-civil"]), client_for(demo["agents"]["etat-civil"])
    assert act(first, sent["id"], "start", status="received").status_code == 200
    late = act(second, sent["id"], "close", status="received", comment="Doublon")
    assert (late.status_code, late.json()["code"]) == (409, "request-changed")
    assert "in_progress" in late.json()["detail"]
    assert Submission.objects.get(pk=sent["id"]).status == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_two_agents_acting_at_once_get_one_transition_and_one_409(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both read the request in "received" and both pass every check before the row
    lock (a barrier holds them there): the lock lets one through, the other is told."""
    from api.submissions.actions import processing

    sent = send("inscription-listes-electorales")
    barrier = threading.Barrier(2, timeout=20)
    original = processing._checked_form

    def both_checked(*args: Any) -> Any:
        checked = original(*args)
        barrier.wait()
        return checked

    monkeypatch.setattr(processing, "_checked_form", both_checked)
    agent = demo["agents"]["etat-civil"]

    def take(action: str, body: dict[str, Any]) -> Any:
        try:
            return act(client_for(agent), sent["id"], action, **body)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda args: take(*args), [("start", {}), ("close", {"comment": "Sans objet"})]))
    codes = sorted(r.status_code for r in results)
    assert codes == [200, 409], [r.content for r in results]
    assert [r.json()["code"] for r in results if r.status_code == 409] == ["request-changed"]
    moves = Event.objects.filter(submission_id=sent["id"], kind="submission.transitioned").count()
    assert moves == 1


def test_assignment_to_me_to_nobody_and_to_another_role(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("signalement-voirie")
    roads_agent = demo["agents"]["voirie"]
    roads = client_for(roads_agent)

    def assign(body: dict[str, Any]) -> Any:
        return roads.post(f"/api/agent/requests/{sent['id']}/assignment/", body, content_type="application/json")

    mine = assign({"me": True})
    assert mine.status_code == 200 and mine.json()["assignee"]["id"] == roads_agent.pk
    listed = roads.get("/api/agent/requests/?assigned=me").json()["results"]
    assert [r["id"] for r in listed] == [sent["id"]]
    outsider = demo["agents"]["enfance"]
    refused = assign({"agent": outsider.pk})
    assert (refused.status_code, refused.json()["code"]) == (400, "not-a-member")
    assert assign({"agent": None}).json()["assignee"] is None
    assert assign({}).status_code == 400
    assert assign({"agent": 10**30}).status_code == 400  # beyond any id: refused, not a database error
    assert assign({"agent": "12"}).status_code == 400 and assign({"me": 1}).status_code == 400
    assert assign({"role": "no-such-role"}).status_code == 400
    handed = assign({"role": "domaine-public"})
    assert handed.status_code == 204
    assert roads.get(f"/api/agent/requests/{sent['id']}/").status_code == 404
    assert client_for(demo["agents"]["domaine-public"]).get(f"/api/agent/requests/{sent['id']}/").status_code == 200
    kinds = list(
        Event.objects.filter(submission_id=sent["id"], kind="submission.assigned").values_list("payload", flat=True)
    )
    assert kinds[-1] == {"role": "domaine-public", "agent": None}


def test_global_actions_take_reopen_and_mark_as_duplicate(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    first, second = send("collecte-encombrants"), send("collecte-encombrants")
    agent = client_for(demo["agents"]["voirie"])
    taken = act(agent, first["id"], "take", is_global=True)
    assert taken.status_code == 200 and taken.json()["assignee"]["id"] == demo["agents"]["voirie"].pk
    duplicate = act(agent, second["id"], "mark_duplicate", is_global=True, values={"duplicate_of": first["reference"]})
    assert duplicate.status_code == 200, duplicate.content
    assert duplicate.json()["status"]["id"] == "closed"
    assert "reopen" in [m["id"] for m in duplicate.json()["actions"]]
    reopened = act(agent, second["id"], "reopen", is_global=True, comment="Pas un doublon")
    assert reopened.status_code == 200 and reopened.json()["status"]["id"] == "received"
    assert reopened.json()["closed_at"] is None
    assert act(agent, first["id"], "reopen", is_global=True, comment="x").status_code == 409  # not closed


def test_the_inbox_lists_filters_counts_and_pages_without_shifting(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = [send("collecte-encombrants") for _ in range(3)] + [send("signalement-voirie")]
    agent = client_for(demo["agents"]["voirie"])
    act(agent, sent[0]["id"], "schedule", values={"collection_on": TODAY})
    page = agent.get("/api/agent/requests/?counts=true&page_size=2").json()
    assert [r["id"] for r in page["results"]] == [sent[3]["id"], sent[2]["id"]]
    assert [(c["status"], c["count"]) for c in page["counts"]] == [("received", 3), ("scheduled", 1)]
    # Each tab is named in the language asked for, from the workflow the procedures follow.
    assert all(c["label"] and c["label"] != c["status"] and c["colour"].startswith("#") for c in page["counts"])
    english = agent.get("/api/agent/requests/?counts=true", HTTP_ACCEPT_LANGUAGE="en").json()["counts"]
    french = agent.get("/api/agent/requests/?counts=true", HTTP_ACCEPT_LANGUAGE="fr").json()["counts"]
    assert [c["label"] for c in english] != [c["label"] for c in french]
    send("collecte-encombrants")  # arrives while the agent reads
    rest = agent.get(page["next"]).json()
    assert [r["id"] for r in rest["results"]] == [sent[1]["id"], sent[0]["id"]]
    only = agent.get("/api/agent/requests/?status=scheduled&counts=true").json()
    assert [r["id"] for r in only["results"]] == [sent[0]["id"]]
    assert sum(c["count"] for c in only["counts"]) == 5  # the tabs ignore the status filter
    by_procedure = agent.get("/api/agent/requests/?procedure=signalement-voirie").json()["results"]
    assert [r["id"] for r in by_procedure] == [sent[3]["id"]]
    assert by_procedure[0]["status"] == {
        "id": "received", "label": "Signalement reçu", "citizen_label": "Signalement reçu", "colour": "#1f5fbf",
        "endpoint": False, "visible_to_citizen": True,
    }  # fmt: skip
    oldest_first = agent.get("/api/agent/requests/?ordering=submitted_at&page_size=1").json()["results"]
    assert oldest_first[0]["id"] == sent[0]["id"]
    later = (timezone.now() + timedelta(days=16)).isoformat()
    assert agent.get("/api/agent/requests/", {"submitted_after": later}).json()["results"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("assigned=someone", "assigned"),
        ("ordering=data", "ordering"),
        ("where=nom", "where"),
        ("where=nom:like:x", "where"),
        ("where=Nom:eq:x", "where"),
        ("submitted_after=yesterday", "submitted_after"),
        ("submitted_before=2026-13-01", "submitted_before"),
        ("citizen=0", "citizen"),
        ("citizen=anne", "citizen"),
        ("page_size=1000", "page_size"),
        ("cursor=forged", "cursor"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_inbox_parameters_are_named_in_a_problem(demo: dict[str, Any], query: str, parameter: str) -> None:
    response = client_for(demo["agents"]["voirie"]).get(f"/api/agent/requests/?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert parameter in [p["name"] for p in response.json()["invalid_params"]]


ODD_VALUES = [
    "Infinity",
    "-Infinity",
    "NaN",
    "1e400",
    "null",
    "true",
    "[1, 2]",
    '{"a": 1}',
    "",
    "é\u0301🙂",
    "'; --",
    "0",
]


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "gt", "in", "contains", "empty"])
def test_odd_field_filter_values_are_answered_never_a_server_error(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], op: str
) -> None:
    send("signalement-voirie")
    agent = client_for(demo["agents"]["voirie"])
    for name in ("nature", "lieu", "backoffice.priority", "missing"):
        for value in ODD_VALUES:
            response = agent.get("/api/agent/requests/", {"where": f"{name}:{op}:{value}", "counts": "true"})
            assert response.status_code in (200, 400), (name, op, value, response.content[:300])


def test_a_request_shows_its_answers_under_the_labels_of_its_own_form_version(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    """The agent reads the answers as the citizen was asked them: a later version of the
    form (a label changed, a field added) does not change what an older request shows."""
    from api.catalog import actions as catalog
    from api.catalog.models import Procedure

    sent = send("collecte-encombrants")
    agent = client_for(demo["agents"]["voirie"])
    before = agent.get(f"/api/agent/requests/{sent['id']}/").json()
    fields = [field for page in before["form"] for field in page["fields"]]
    assert fields and all(field["label"] and field["varname"] for field in fields)
    assert {field["varname"] for field in fields} >= set(before["data"])  # every answer has its label
    procedure = Procedure.objects.get(slug="collecte-encombrants")
    changed = dict(procedure.current_version.definition)
    pages = [dict(page) for page in changed["pages"]]
    first = dict(pages[0]["fields"][0])
    first["label"] = "Libellé changé plus tard"
    pages[0] = {**pages[0], "fields": [first, *pages[0]["fields"][1:]]}
    catalog.save_definition(procedure, {**changed, "pages": pages})
    after = agent.get(f"/api/agent/requests/{sent['id']}/").json()
    assert after["form"] == before["form"] and after["version"] == before["version"]
    newer = agent.get(f"/api/agent/requests/{send('collecte-encombrants')['id']}/").json()
    assert newer["form"][0]["fields"][0]["label"] == "Libellé changé plus tard"
