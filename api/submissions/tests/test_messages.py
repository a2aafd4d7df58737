"""The thread on a request, with files, and corrections an agent asks for."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from api.accounts import actions as accounts
from api.accounts.models import Role, User
from api.catalog.models import Procedure
from api.submissions.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(procedure: Procedure, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    civil = Role.objects.create(slug="etat-civil", name="État civil")
    Procedure.objects.filter(pk=procedure.pk).update(receiver_role=civil)
    anne, bob, claire = (User.objects.create_user(name) for name in ("anne", "bob", "claire"))
    accounts.grant_role(claire, civil)
    clients = {}
    for name, user in (("anne", anne), ("bob", bob), ("claire", claire)):
        clients[name] = Client()
        clients[name].force_login(user)
    draft = (
        clients["anne"]
        .post("/api/procedures/salle/submissions/", {"data": {"nom": "Anne"}}, content_type="application/json")
        .json()
    )
    sent = clients["anne"].post(f"/api/submissions/{draft['id']}/submit/", content_type="application/json").json()
    return {"clients": clients, "sent": sent}


def post_message(client: Client, submission_id: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/submissions/{submission_id}/messages/", body, content_type="application/json")


def test_an_agent_asks_for_a_correction_and_the_citizen_answers(scene: dict[str, Any]) -> None:
    anne, claire = scene["clients"]["anne"], scene["clients"]["claire"]
    sid = scene["sent"]["id"]
    attachment = claire.post(
        f"/api/submissions/{sid}/attachments/", b"Modele de courrier", content_type="application/octet-stream",
        HTTP_CONTENT_DISPOSITION='attachment; filename="modele.txt"',
    ).json()  # fmt: skip
    asked = post_message(
        claire,
        sid,
        {"body": "Merci de préciser votre nom complet.", "request_fields": ["nom"], "attachments": [attachment["id"]]},
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["from_agent"] is True and asked.json()["attachments"][0]["name"] == "modele.txt"

    thread = anne.get(f"/api/submissions/{sid}/messages/").json()
    assert [(m["from_agent"], m["requested_fields"]) for m in thread] == [(True, ["nom"])]
    assert anne.get(f"/api/attachments/{attachment['id']}/").status_code == 200
    assert anne.get(f"/api/submissions/{sid}/").json()["requested_fields"] == ["nom"]

    outside = anne.post(
        f"/api/submissions/{sid}/corrections/",
        {"data": {"asso": True}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (outside.status_code, outside.json()["code"]) == (400, "field-not-requested")
    invalid = anne.post(f"/api/submissions/{sid}/corrections/", {"data": {"nom": ""}}, content_type="application/json")
    assert [(p["pointer"], p["code"]) for p in invalid.json()["invalid_params"]] == [("/data/nom", "required")]
    corrected = anne.post(
        f"/api/submissions/{sid}/corrections/", {"data": {"nom": " Anne Dupont "}}, content_type="application/json"
    )
    assert corrected.status_code == 200
    assert corrected.json()["data"]["nom"] == "Anne Dupont" and corrected.json()["requested_fields"] == []
    again = anne.post(f"/api/submissions/{sid}/corrections/", {"data": {"nom": "X"}}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "no-correction-requested")

    visible = [e["kind"] for e in anne.get(f"/api/submissions/{sid}/history/").json()]
    assert visible == ["submission.sent", "message.posted", "submission.correction_requested", "submission.corrected"]
    assert Event.objects.filter(kind="attachment.added").count() == 1


def test_citizens_post_messages_but_cannot_ask_for_corrections(scene: dict[str, Any]) -> None:
    anne = scene["clients"]["anne"]
    sid = scene["sent"]["id"]
    posted = post_message(anne, sid, {"body": "Bonjour, où en est ma demande ?"})
    assert posted.status_code == 201 and posted.json()["from_agent"] is False
    refused = post_message(anne, sid, {"body": "x", "request_fields": ["nom"]})
    assert refused.status_code == 403
    assert (
        post_message(scene["clients"]["claire"], sid, {"body": "x", "request_fields": ["inconnu"]}).status_code == 400
    )


def test_strangers_see_no_thread_and_drafts_have_none(scene: dict[str, Any]) -> None:
    bob, anne = scene["clients"]["bob"], scene["clients"]["anne"]
    sid = scene["sent"]["id"]
    assert bob.get(f"/api/submissions/{sid}/messages/").status_code == 404
    assert post_message(bob, sid, {"body": "spam"}).status_code == 404
    assert (
        bob.post(f"/api/submissions/{sid}/corrections/", {"data": {}}, content_type="application/json").status_code
        == 404
    )
    draft = anne.post("/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json").json()
    assert post_message(anne, draft["id"], {"body": "x"}).status_code == 409
    stolen = anne.post(
        f"/api/submissions/{sid}/messages/", {"body": "x", "attachments": ["00000000-0000-0000-0000-000000000000"]},
        content_type="application/json",
    )  # fmt: skip
    assert (stolen.status_code, stolen.json()["code"]) == (400, "unknown-attachment")
