"""Drafts on any device, autosave without lost updates, sending exactly once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from api.accounts.models import User
from api.catalog.models import Procedure
from api.submissions.models import Event, Submission

pytestmark = pytest.mark.django_db


def create(client: Client, data: dict[str, Any] | None = None, **headers: Any) -> Any:
    return client.post(
        "/api/procedures/salle/submissions/", {"data": data or {}}, content_type="application/json", **headers
    )


def patch(client: Client, draft_id: str, data: dict[str, Any], etag: str | None, **headers: Any) -> Any:
    if etag is not None:
        headers["HTTP_IF_MATCH"] = etag
    return client.patch(f"/api/submissions/{draft_id}/", {"data": data}, content_type="application/json", **headers)


def signed_in(username: str = "anne") -> tuple[Client, User]:
    user = User.objects.filter(username=username).first() or User.objects.create_user(username)
    client = Client()
    client.force_login(user)
    return client, user


def test_an_anonymous_draft_is_resumed_with_its_secret_only(procedure: Procedure) -> None:
    created = create(Client(), {"nom": "Anne"})
    assert created.status_code == 201
    body = created.json()
    token = body["resume_token"]
    assert body["state"] == "draft" and body["version"] == 1 and body["data"] == {"nom": "Anne"}
    assert body["resume_url"].endswith(f"/brouillon/{body['id']}#{token}")
    assert created["ETag"] == f'"{body["id"]}-1"'

    elsewhere = Client()
    assert elsewhere.get(f"/api/submissions/{body['id']}/").status_code == 404
    assert elsewhere.get(f"/api/submissions/{body['id']}/", HTTP_X_RESUME_TOKEN="wrong").status_code == 404
    resumed = elsewhere.get(f"/api/submissions/{body['id']}/", HTTP_X_RESUME_TOKEN=token)
    assert resumed.status_code == 200
    assert Submission.objects.get().resume_token_hash != token  # only its hash is kept


def test_a_signed_in_citizen_resumes_on_another_device_and_others_cannot(procedure: Procedure) -> None:
    phone, _user = signed_in()
    draft = create(phone, {"nom": "Anne"}).json()
    assert draft["resume_token"] is None
    laptop, _same = signed_in()
    assert laptop.get(f"/api/submissions/{draft['id']}/").json()["data"] == {"nom": "Anne"}
    stranger, _bob = signed_in("bob")
    assert stranger.get(f"/api/submissions/{draft['id']}/").status_code == 404
    assert patch(stranger, draft["id"], {"nom": "X"}, f'"{draft["id"]}-1"').status_code == 404


def test_autosave_detects_concurrent_edits(procedure: Procedure) -> None:
    phone, _user = signed_in()
    created = create(phone)
    draft_id, etag = created.json()["id"], created["ETag"]
    laptop, _same = signed_in()

    first = patch(laptop, draft_id, {"nom": "Anne", "siren": "not yet valid"}, etag)
    assert first.status_code == 200
    assert first.json()["data"] == {"nom": "Anne", "siren": "not yet valid"}  # invalid answers are kept
    assert first["ETag"] == f'"{draft_id}-2"'

    stale = patch(phone, draft_id, {"nom": "Anne-Marie"}, etag, HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["code"] == "draft-changed"
    assert stale.json()["current"]["data"] == {"nom": "Anne", "siren": "not yet valid"}
    assert stale["ETag"] == first["ETag"]

    merged = patch(phone, draft_id, {"nom": "Anne-Marie", "siren": None}, stale["ETag"])
    assert merged.json()["data"] == {"nom": "Anne-Marie"}
    assert patch(phone, draft_id, {"nom": "x"}, None).status_code == 428
    assert patch(phone, draft_id, {"nom": "x"}, '"garbage"').status_code == 412


def test_send_validates_freezes_and_numbers_the_request(procedure: Procedure) -> None:
    client, _user = signed_in()
    created = create(client, {"asso": True})
    draft_id = created.json()["id"]
    refused = client.post(
        f"/api/submissions/{draft_id}/submit/", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert [(p["pointer"], p["code"]) for p in refused.json()["invalid_params"]] == [
        ("/data/nom", "required"),
        ("/data/siren", "required"),
    ]
    etag = client.get(f"/api/submissions/{draft_id}/")["ETag"]
    patch(client, draft_id, {"nom": " Anne ", "asso": False, "siren": "123"}, etag)

    sent = client.post(f"/api/submissions/{draft_id}/submit/", content_type="application/json")
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["state"] == "submitted" and body["status"] == "received"
    assert re.fullmatch(r"\d{4}-000001", body["reference"])
    assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", body["tracking_code"])
    assert body["data"] == {"nom": "Anne", "asso": False}  # cleaned; the hidden SIREN dropped
    assert body["expires_at"] is None

    again = client.post(f"/api/submissions/{draft_id}/submit/", content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "already-submitted")
    assert patch(client, draft_id, {"nom": "x"}, sent["ETag"]).status_code == 409
    assert client.delete(f"/api/submissions/{draft_id}/").status_code == 409
    kinds = list(Event.objects.values_list("kind", "audience"))
    assert kinds == [
        ("submission.created", "internal"),
        ("submission.saved", "internal"),
        ("submission.sent", "citizen"),
    ]


def test_check_a_page_of_a_draft(procedure: Procedure) -> None:
    client, _user = signed_in()
    draft_id = create(client, {"asso": True, "siren": "123"}).json()["id"]
    page = client.post(f"/api/submissions/{draft_id}/check/", {"page": "asso"}, content_type="application/json")
    assert page.status_code == 400
    assert [p["pointer"] for p in page.json()["invalid_params"]] == ["/data/siren"]
    first = client.post(f"/api/submissions/{draft_id}/check/", {"page": "vous"}, content_type="application/json")
    assert [p["pointer"] for p in first.json()["invalid_params"]] == ["/data/nom"]


def test_delete_a_draft_leaves_a_tombstone(procedure: Procedure) -> None:
    client, _user = signed_in()
    draft_id = create(client).json()["id"]
    assert client.delete(f"/api/submissions/{draft_id}/").status_code == 204
    assert not Submission.objects.exists()
    assert list(Event.objects.values_list("kind", "submission_uuid")) == [
        ("submission.created", Event.objects.first().submission_uuid),
        ("submission.deleted", Event.objects.first().submission_uuid),
    ]


def test_a_procedure_that_requires_an_account(procedure: Procedure) -> None:
    Procedure.objects.filter(pk=procedure.pk).update(requires_account=True)
    refused = create(Client(), HTTP_ACCEPT_LANGUAGE="en")
    assert (refused.status_code, refused.json()["code"]) == (401, "account-required")
    client, _user = signed_in()
    assert create(client).status_code == 201


def test_my_requests_lists_drafts_and_sent_filtered_by_state(procedure: Procedure) -> None:
    client, _user = signed_in()
    sent_id = create(client, {"nom": "Anne"}).json()["id"]
    client.post(f"/api/submissions/{sent_id}/submit/", content_type="application/json")
    draft_id = create(client).json()["id"]
    create(signed_in("bob")[0])
    everything = client.get("/api/me/submissions/").json()["results"]
    assert [s["id"] for s in everything] == [draft_id, sent_id]
    assert [s["id"] for s in client.get("/api/me/submissions/?state=submitted").json()["results"]] == [sent_id]
    assert client.get("/api/me/submissions/?state=nope").status_code == 400
    assert Client().get("/api/me/submissions/").status_code == 401


def test_a_request_is_shown_with_the_form_of_its_version(procedure: Procedure) -> None:
    from api.catalog import actions as catalog_actions

    from .conftest import FORM

    client, _user = signed_in()
    sent_id = create(client, {"nom": "Anne"}).json()["id"]
    client.post(f"/api/submissions/{sent_id}/submit/", content_type="application/json")
    catalog_actions.save_definition(procedure, {**FORM, "pages": FORM["pages"][:1]})  # the form changes later
    form = client.get(f"/api/submissions/{sent_id}/form/").json()
    assert (form["version"], form["definition"]) == (1, FORM)
    detail = client.get(f"/api/submissions/{sent_id}/").json()
    assert detail["version"] == 1 and detail["attachments"] == []
    assert signed_in("bob")[0].get(f"/api/submissions/{sent_id}/form/").status_code == 404


def test_if_match_follows_rfc_9110(procedure: Procedure) -> None:
    phone, _user = signed_in()
    draft = create(phone, {"nom": "Anne"}).json()
    current = f'"{draft["id"]}-1"'
    # "*": the draft exists, whatever its revision.
    assert patch(phone, draft["id"], {"nom": "B"}, "*").status_code == 200
    # A list matches when any of its tags is current (here the second, revision 2).
    listed = patch(phone, draft["id"], {"nom": "C"}, f'"other-1", W/"{draft["id"]}-2"')
    assert listed.status_code == 200, listed.content
    # An old tag alone is stale.
    stale = patch(phone, draft["id"], {"nom": "D"}, current)
    assert (stale.status_code, stale.json()["code"]) == (412, "draft-changed")
    assert stale.json()["current"]["data"] == {"nom": "C"}
    assert patch(phone, draft["id"], {"nom": "E"}, " ").status_code == 428
