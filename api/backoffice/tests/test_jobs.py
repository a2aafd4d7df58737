"""Work on many requests: bulk actions with their report, exports that open in a
spreadsheet and match the listing, statistics, requests entered at the desk, and
business applications processing with OAuth2 scopes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts import actions as accounts
from api.accounts.models import ClientAccess, Role
from api.backoffice import actions
from api.backoffice.models import Job, JobEvent
from api.submissions.models import Event, State, Submission

from .conftest import IDENTITY, act, answers, client_for


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def run(response: Any) -> None:
    """Run the job a response announced, as the worker would."""
    assert response.status_code == 202, response.content
    assert actions.run_job(response.json()["id"]) == "done"
    assert actions.run_job(response.json()["id"]) == "taken"  # a second worker finds nothing to do


def test_a_bulk_action_goes_through_each_requests_checks_and_reports_failures(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    sent = [send("collecte-encombrants") for _ in range(3)]
    agent = client_for(demo["agents"]["voirie"])
    act(agent, sent[2]["id"], "schedule", values={"collection_on": timezone.localdate().isoformat()})
    with django_capture_on_commit_callbacks(execute=True):
        started = post(
            agent,
            "/api/agent/bulk/",
            {"ids": [s["id"] for s in sent], "do": {"type": "action", "action": "close", "comment": "Hors secteur"}},
        )
    run(started)
    job = agent.get(f"/api/agent/jobs/{started.json()['id']}/").json()
    assert (job["state"], job["total"], job["done"]) == ("done", 3, 3)
    assert job["failures"] == [
        {
            "id": sent[2]["id"],
            "reference": sent[2]["reference"],
            "code": "action-not-allowed",
            "detail": job["failures"][0]["detail"],
        }
    ]
    statuses = dict(Submission.objects.filter(pk__in=[s["id"] for s in sent]).values_list("reference", "status"))
    assert statuses == {
        sent[0]["reference"]: "closed",
        sent[1]["reference"]: "closed",
        sent[2]["reference"]: "scheduled",
    }
    logged = list(JobEvent.objects.filter(job_uuid=job["id"]).values_list("kind", "payload"))
    assert logged[0] == ("job.queued", {"kind": "bulk"})
    assert logged[-1] == ("job.finished", {"state": "done", "done": 3, "total": 3, "failed": 1})
    other = client_for(demo["agents"]["etat-civil"])
    assert other.get(f"/api/agent/jobs/{job['id']}/").status_code == 404  # another agent's job


def test_a_bulk_assignment_by_filter(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    sent = [send("signalement-voirie") for _ in range(2)]
    agent_user = demo["agents"]["voirie"]
    started = post(
        client_for(agent_user),
        "/api/agent/bulk/",
        {"filter": {"procedure": ["signalement-voirie"]}, "do": {"type": "assign", "agent": agent_user.pk}},
    )
    run(started)
    assert set(Submission.objects.filter(pk__in=[s["id"] for s in sent]).values_list("assignee", flat=True)) == {
        agent_user.pk
    }


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"do": {"type": "action"}}, "do.action"),
        ({"do": {"type": "teleport"}}, "do.type"),
        ({"filter": {"status": "not a list of slugs!"}, "do": {"type": "action", "action": "close"}}, "filter.status"),
        ({"filter": {"where": ["x:like:y"]}, "do": {"type": "action", "action": "close"}}, "filter.where"),
        ({"ids": ["not-a-uuid"], "do": {"type": "action", "action": "close"}}, "ids.0"),
    ],
)
def test_bad_bulk_bodies_name_the_field(demo: dict[str, Any], body: dict[str, Any], name: str) -> None:
    response = post(client_for(demo["agents"]["voirie"]), "/api/agent/bulk/", body)
    assert response.status_code == 400, response.content
    assert name in [p["name"] for p in response.json()["invalid_params"]], response.json()
    assert not Job.objects.exists()


def exported(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_small_exports_in_each_format_match_the_listing(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    import openpyxl
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    send("collecte-encombrants", {**IDENTITY, "nom": '=HYPERLINK("http://evil")', "message": "Un canapé"})
    send("collecte-encombrants")
    agent = client_for(demo["agents"]["voirie"])
    columns = ["reference", "status", "citizen", "data.message", "data.nom"]
    listing = agent.get("/api/agent/requests/?ordering=submitted_at").json()["results"]
    expected = [[r["reference"], r["status"]["label"], r["citizen"]] for r in listing]
    by_format = {}
    for fmt in ("csv", "xlsx", "ods"):
        response = post(agent, "/api/agent/exports/", {"format": fmt, "columns": columns, "filter": {}})
        assert response.status_code == 200, response.content
        assert response["Content-Disposition"].endswith(f'.{fmt}"')
        by_format[fmt] = exported(response)
    rows = list(csv.reader(io.StringIO(by_format["csv"].decode("utf-8-sig"))))
    assert rows[0] == ["Référence", "Statut", "Demandeur", "message", "nom"]
    assert [row[:3] for row in rows[1:]] == expected
    assert rows[1][3:] == ["Un canapé", '\'=HYPERLINK("http://evil")']  # text, never a formula
    sheet = openpyxl.load_workbook(io.BytesIO(by_format["xlsx"]), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert [row[:3] for row in values[1:]] == expected
    assert values[1][4] == '=HYPERLINK("http://evil")'  # a string cell, not a formula
    document = load(io.BytesIO(by_format["ods"]))
    table = document.spreadsheet.getElementsByType(Table)[0]
    cells = [
        ["".join(str(p) for p in cell.getElementsByType(P)) for cell in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]
    assert [row[:3] for row in cells[1:]] == expected
    assert cells[1][3:5] == ["Un canapé", '=HYPERLINK("http://evil")']


def test_an_export_of_ten_thousand_requests_is_a_job_whose_file_matches_the_listing(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    import openpyxl

    model = Submission.objects.get(pk=send("collecte-encombrants")["id"])
    start = timezone.now() - timedelta(days=30)
    Submission.objects.bulk_create(
        [
            Submission(
                procedure_id=model.procedure_id, version_id=model.version_id,
                workflow_version_id=model.workflow_version_id,
                role_id=model.role_id, state=State.SUBMITTED, status="received", citizen_status="received",
                data=model.data, reference=f"2026-{n + 100000:06d}", submitted_at=start + timedelta(seconds=n),
            )
            for n in range(9_999)
        ],
        batch_size=1000,
    )  # fmt: skip
    agent = client_for(demo["agents"]["voirie"])
    started = post(agent, "/api/agent/exports/", {"format": "xlsx", "columns": ["reference", "status", "data.nom"]})
    run(started)
    job = agent.get(f"/api/agent/jobs/{started.json()['id']}/").json()
    assert (job["state"], job["total"], job["done"]) == ("done", 10_000, 10_000)
    download = agent.get(job["download"])
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Référence", "Statut", "nom") and len(rows) == 10_001
    listed: list[str] = []
    page = agent.get("/api/agent/requests/?ordering=submitted_at&page_size=100").json()
    while True:
        listed += [row["reference"] for row in page["results"]]
        if not page["next"]:
            break
        page = agent.get(page["next"]).json()
    assert [row[0] for row in rows[1:]] == listed
    assert {row[2] for row in rows[1:]} == {"Dupont"}


def test_an_export_lists_the_requests_in_the_inbox_order_it_is_given(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]], settings: Any
) -> None:
    for _ in range(4):
        send("collecte-encombrants")
    agent = client_for(demo["agents"]["voirie"])
    shown = [row["reference"] for row in agent.get("/api/agent/requests/?ordering=-reference").json()["results"]]
    oldest = [row["reference"] for row in agent.get("/api/agent/requests/?ordering=submitted_at").json()["results"]]
    assert shown == sorted(oldest, reverse=True) and len(shown) == 4

    def exported(body: dict[str, Any]) -> list[str]:
        response = post(agent, "/api/agent/exports/", {"format": "csv", "columns": ["reference"], **body})
        if response.status_code == 202:  # a job: run it, then read its file
            run(response)
            job = agent.get(f"/api/agent/jobs/{response.json()['id']}/").json()
            response = agent.get(job["download"])
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return [line[0] for line in csv.reader(io.StringIO(text))][1:]

    assert exported({"filter": {"ordering": "-reference"}}) == shown
    assert exported({}) == oldest  # no order named: the register's, oldest first
    settings.GUICHET_EXPORT_INLINE_MAX = 2
    assert exported({"filter": {"ordering": "-reference"}}) == shown
    assert exported({}) == oldest


def test_statistics_give_series_a_chart_can_draw(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    sent = [send("collecte-encombrants") for _ in range(3)]
    agent = client_for(demo["agents"]["voirie"])
    for request in sent[:2]:
        act(agent, request["id"], "close", comment="Fait")
    today = timezone.now()
    Submission.objects.filter(pk=sent[0]["id"]).update(
        submitted_at=today - timedelta(days=10, hours=2), closed_at=today - timedelta(days=10)
    )
    Submission.objects.filter(pk=sent[1]["id"]).update(
        submitted_at=today - timedelta(days=3, hours=10), closed_at=today - timedelta(days=3)
    )
    # Sent after the second one was closed: at no day's end are two open, whatever the hour
    # (an hour's overlap made the assertion below fail between midnight and 1 a.m. local time).
    Submission.objects.filter(pk=sent[2]["id"]).update(submitted_at=today - timedelta(days=2, hours=23))  # fmt: skip
    frm = (timezone.localdate() - timedelta(days=13)).isoformat()
    body = agent.get(f"/api/agent/statistics/?period=day&from={frm}").json()
    assert sorted((row["status"], row["count"]) for row in body["per_status"]) == [("closed", 2), ("received", 1)]
    assert sum(row["sent"] for row in body["per_period"]) == 3 and sum(row["closed"] for row in body["per_period"]) == 2
    assert len(body["per_period"]) == 14 and body["per_period"][0]["period"] == frm
    assert [row["open"] for row in body["backlog"]][-1] == 1
    assert max(row["open"] for row in body["backlog"]) == 1
    (times,) = body["processing_time"]
    assert (times["procedure"], times["count"]) == ("collecte-encombrants", 2)
    assert times["median_hours"] == 6.0 and times["p90_hours"] == pytest.approx(9.2)
    bad = agent.get("/api/agent/statistics/?period=year")
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "period"


def test_statistics_keep_to_the_role_chosen_among_the_callers(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    send("collecte-encombrants")
    send("inscription-listes-electorales")
    both = demo["agents"]["voirie"]
    accounts.grant_role(both, Role.objects.get(slug="etat-civil"))

    def per_status(client: Any, query: str) -> int:
        response = client.get(f"/api/agent/statistics/?{query}")
        assert response.status_code == 200, response.content
        return sum(row["count"] for row in response.json()["per_status"])

    assert per_status(client_for(both), "") == 2
    assert per_status(client_for(both), "role=voirie") == 1
    assert per_status(client_for(both), "role=etat-civil") == 1
    # Another's role only narrows what the caller holds: nothing more is counted.
    assert per_status(client_for(demo["agents"]["etat-civil"]), "role=voirie") == 0
    bad = client_for(both).get("/api/agent/statistics/?role=%3Cx%3E")
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "role"


def test_an_agent_enters_a_request_for_a_citizen_at_the_desk(demo: dict[str, Any]) -> None:
    agent_user = demo["agents"]["etat-civil"]
    agent = client_for(agent_user)
    entered = post(
        agent,
        "/api/agent/procedures/inscription-listes-electorales/requests/",
        {
            "data": answers("inscription-listes-electorales"),
            "citizen_email": "ANNE.DUPONT@example.org",
            "channel": "phone",
        },
    )
    assert entered.status_code == 201, entered.content
    request = Submission.objects.get(pk=entered.json()["id"])
    assert (request.owner, request.entered_by, request.state) == (demo["citizen"], agent_user, State.SUBMITTED)
    event = Event.objects.get(submission=request, kind="submission.entered")
    assert event.actor == agent_user and event.payload == {"channel": "phone", "linked_to_account": True}
    mine = client_for(demo["citizen"]).get("/api/me/submissions/").json()["results"]
    assert [r["id"] for r in mine] == [str(request.pk)]
    anonymous = post(agent, "/api/agent/procedures/inscription-listes-electorales/requests/",
                     {"data": answers("inscription-listes-electorales")})  # fmt: skip
    assert anonymous.status_code == 201 and anonymous.json()["tracking_code"]
    invalid = post(agent, "/api/agent/procedures/inscription-listes-electorales/requests/", {"data": {"nom": ""}})
    assert (invalid.status_code, invalid.json()["code"]) == (400, "invalid-answers")
    assert Submission.objects.count() == 2  # nothing kept of the refused entry
    roads = client_for(demo["agents"]["voirie"])
    assert (
        post(roads, "/api/agent/procedures/inscription-listes-electorales/requests/", {"data": {}}).status_code == 404
    )


def token(demo: dict[str, Any], role: str, scope: str) -> Client:
    application = get_application_model().objects.create(
        name=f"Métier {scope}", client_type="confidential", authorization_grant_type="client-credentials"
    )
    ClientAccess.objects.create(application=application, role=Role.objects.get(slug=role), scopes=[scope])
    get_access_token_model().objects.create(
        application=application, token=f"t-{role}-{scope}", scope=scope, expires=timezone.now() + timedelta(hours=1)
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer t-{role}-{scope}")


def test_business_applications_read_and_process_with_scopes(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    sent = send("signalement-voirie")
    reader, processor = token(demo, "voirie", "requests:read"), token(demo, "voirie", "requests:process")
    assert [r["id"] for r in reader.get("/api/agent/requests/").json()["results"]] == [sent["id"]]
    assert reader.get(f"/api/agent/requests/{sent['id']}/").json()["actions"] == []
    assert act(reader, sent["id"], "qualify", values={"priority": "low"}).status_code == 403
    done = act(processor, sent["id"], "qualify", values={"priority": "low"})
    assert done.status_code == 200, done.content
    assert Event.objects.get(submission_id=sent["id"], kind="submission.transitioned").application is not None
    catalog_only = token(demo, "voirie", "catalog:read")
    assert catalog_only.get("/api/agent/requests/").status_code == 403
    # "Assigned to me" means nothing for an application's own token: a problem naming it.
    for path, body in [
        ("/api/agent/exports/", {"format": "csv", "columns": ["reference"], "filter": {"assigned": "me"}}),
        ("/api/agent/bulk/", {"filter": {"assigned": "me"}, "do": {"type": "assign", "agent": None}}),
    ]:
        refused = post(processor, path, body)
        assert refused.status_code == 400, refused.content
        assert [p["name"] for p in refused.json()["invalid_params"]] == ["filter.assigned"]
    assert reader.get("/api/agent/requests/?assigned=me").json()["invalid_params"][0]["name"] == "assigned"
    elsewhere = token(demo, "etat-civil", "requests:process")
    assert act(elsewhere, sent["id"], "reject", message="Non").status_code == 404
