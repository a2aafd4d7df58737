"""Following a request: history, tracking codes, agents, third-party prefill,
draft expiry and the fate of requests when an account is closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts import actions as accounts
from api.accounts.models import Role, User
from api.catalog.models import Procedure
from api.submissions import actions, tasks
from api.submissions.models import Event, State, Submission

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def sent_request(client: Client, data: dict[str, Any] | None = None) -> dict[str, Any]:
    draft = client.post(
        "/api/procedures/salle/submissions/", {"data": data or {"nom": "Anne"}}, content_type="application/json"
    ).json()
    headers = {"HTTP_X_RESUME_TOKEN": draft["resume_token"]} if draft["resume_token"] else {}
    sent = client.post(f"/api/submissions/{draft['id']}/submit/", content_type="application/json", **headers)
    assert sent.status_code == 200, sent.content
    return sent.json()


def test_anonymous_follow_up_by_tracking_code(procedure: Procedure) -> None:
    sent = sent_request(Client())
    followed = Client().post("/api/tracking/", {"code": sent["tracking_code"].lower()}, content_type="application/json")
    assert followed.status_code == 200
    body = followed.json()
    assert (body["reference"], body["status"], body["procedure"]["slug"]) == (sent["reference"], "received", "salle")
    assert [e["kind"] for e in body["history"]] == ["submission.sent"]
    assert "data" not in body  # no answers, no personal data

    wrong = Client().post(
        "/api/tracking/", {"code": "ZZZZZZZZ"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (404, "unknown-tracking-code")
    malformed = Client().post("/api/tracking/", {"code": "x"}, content_type="application/json")
    assert malformed.status_code == 400


def test_tracking_is_rate_limited_per_address(procedure: Procedure, settings: Any) -> None:
    settings.GUICHET_TRACKING_RATE = 3
    statuses = [
        Client().post("/api/tracking/", {"code": f"AAAAAAA{n}"}, content_type="application/json").status_code
        for n in range(2, 6)
    ]
    assert statuses == [404, 404, 404, 429]


def test_the_citizen_sees_their_history_and_the_receiving_agents_what_is_shared_with_them(procedure: Procedure) -> None:
    anne = User.objects.create_user("anne")
    civil = Role.objects.create(slug="etat-civil", name="État civil")
    roads = Role.objects.create(slug="voirie", name="Voirie")
    Procedure.objects.filter(pk=procedure.pk).update(receiver_role=civil)
    sent = sent_request(client_for(anne))  # held by the procedure's receiver from then on
    claire, paul = User.objects.create_user("claire"), User.objects.create_user("paul")
    accounts.grant_role(claire, civil)
    accounts.grant_role(paul, roads)

    own = client_for(anne).get(f"/api/submissions/{sent['id']}/history/").json()
    assert [e["kind"] for e in own] == ["submission.sent"]
    agent_view = client_for(claire).get(f"/api/submissions/{sent['id']}/history/").json()
    assert [e["kind"] for e in agent_view] == ["submission.sent"]  # the draft's life is the citizen's own
    detail = client_for(claire).get(f"/api/submissions/{sent['id']}/").json()
    assert detail["reference"] == sent["reference"] and detail["tracking_code"] is None
    assert client_for(paul).get(f"/api/submissions/{sent['id']}/").status_code == 404
    assert (
        client_for(claire)
        .patch(f"/api/submissions/{sent['id']}/", {"data": {}}, content_type="application/json")
        .status_code
        == 403
    )

    draft = (
        client_for(anne)
        .post("/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json")
        .json()
    )
    assert client_for(claire).get(f"/api/submissions/{draft['id']}/").status_code == 404  # drafts are private


def test_an_application_prefills_a_draft_the_citizen_finishes(procedure: Procedure) -> None:
    Application = get_application_model()
    app = Application.objects.create(
        name="Portail", client_type="confidential", authorization_grant_type="client-credentials"
    )
    expires = timezone.now() + timedelta(hours=1)
    Token = get_access_token_model()
    Token.objects.create(application=app, token="prefill", scope="submissions:write", expires=expires)
    Token.objects.create(application=app, token="read-only", scope="catalog:read", expires=expires)

    refused = Client().post(
        "/api/procedures/salle/submissions/",
        {"data": {}},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer read-only",
    )
    assert refused.status_code == 403
    created = Client().post(
        "/api/procedures/salle/submissions/",
        {"data": {"nom": "Durand"}},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer prefill",
    )
    assert created.status_code == 201
    draft = created.json()
    assert Submission.objects.get().application == app
    # The citizen opens the link (the secret travels in its #fragment) and sends it.
    citizen = Client()
    secret = draft["resume_url"].split("#", 1)[1]
    assert citizen.get(f"/api/submissions/{draft['id']}/", HTTP_X_RESUME_TOKEN=secret).json()["data"] == {
        "nom": "Durand"
    }
    sent = citizen.post(
        f"/api/submissions/{draft['id']}/submit/", content_type="application/json", HTTP_X_RESUME_TOKEN=secret
    )
    assert sent.status_code == 200
    # The application itself cannot read the request afterwards.
    assert Client().get(f"/api/submissions/{draft['id']}/", HTTP_AUTHORIZATION="Bearer prefill").status_code == 404


def test_drafts_expire_and_are_capped_by_background_tasks(procedure: Procedure, settings: Any) -> None:
    settings.GUICHET_DRAFTS_PER_PROCEDURE = 2
    anne = User.objects.create_user("anne")
    client = client_for(anne)
    ids = [
        client.post("/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json").json()["id"]
        for _ in range(3)
    ]
    assert tasks.enforce_draft_cap.call(anne.pk, procedure.pk) == 1
    assert not Submission.objects.filter(pk=ids[0]).exists()
    assert Event.objects.filter(submission_uuid=ids[0], kind="submission.expired", payload__reason="cap").exists()

    assert tasks.expire_draft.call(ids[1]) == "postponed"
    Submission.objects.filter(pk=ids[1]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tasks.expire_draft.call(ids[1]) == "expired"
    assert tasks.expire_draft.call(ids[1]) == "gone"
    Submission.objects.filter(pk=ids[2]).update(expires_at=timezone.now() - timedelta(days=1))
    assert tasks.expire_drafts.call() == 1
    assert not Submission.objects.exists()


def test_drafts_expire_by_the_workers_periodic_sweep_not_a_task_each(
    procedure: Procedure, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        draft = (
            Client().post("/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json").json()
        )
    assert not DBTaskResult.objects.exists()  # nothing written for the draft's expiry
    Submission.objects.filter(pk=draft["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert tasks.expire_drafts.call() == 1
    assert not Submission.objects.filter(pk=draft["id"]).exists()
    # ... and the sweep put its next run in the queue, five minutes on.
    queued = DBTaskResult.objects.get(task_path="api.submissions.tasks.expire_drafts")
    assert queued.run_after is not None
    assert timezone.now() + timedelta(minutes=4) < queued.run_after <= timezone.now() + timedelta(minutes=5)


def test_a_sweep_with_more_to_do_comes_back_at_once_after_the_other_tasks(
    procedure: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    from api.core import periodic

    monkeypatch.setattr(periodic, "BATCH", 2)
    past = timezone.now() - timedelta(days=400)
    drafts = [actions.create_draft(procedure, actions.Actor(), {}, now=past - timedelta(days=n))[0] for n in range(3)]
    assert tasks.expire_drafts.call() == 2  # the two longest past
    assert list(Submission.objects.values_list("pk", flat=True)) == [drafts[0].pk]
    (queued,) = DBTaskResult.objects.filter(task_path="api.submissions.tasks.expire_drafts")
    assert queued.run_after is not None and queued.run_after <= timezone.now()  # more to do: at once
    assert queued.priority < 0  # ... after any other task ready
    queued.delete()  # (as the worker takes it)
    assert tasks.expire_drafts.call() == 1
    (queued,) = DBTaskResult.objects.filter(task_path="api.submissions.tasks.expire_drafts")
    assert queued.run_after is not None and queued.run_after > timezone.now() + timedelta(minutes=4)


def test_closing_an_account_keeps_sent_requests_anonymous_and_removes_drafts(
    procedure: Procedure, django_capture_on_commit_callbacks: Any
) -> None:
    anne = User.objects.create_user("anne")
    client = client_for(anne)
    sent = sent_request(client)
    client.post("/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        accounts.delete_account(anne)
    kept = Submission.objects.get()
    assert (str(kept.pk), kept.state, kept.owner) == (sent["id"], State.SUBMITTED, None)
    assert Event.objects.filter(kind="submission.anonymised", submission=kept).exists()
    assert actions.anonymise_owner(anne.pk) == 0


def test_incremental_sync_after_an_event_id_with_tombstones(
    procedure: Procedure, django_capture_on_commit_callbacks: Any
) -> None:
    # Events are numbered after commit (what the test's transaction holds back is run here).
    civil = Role.objects.create(slug="etat-civil", name="État civil")
    Procedure.objects.filter(pk=procedure.pk).update(receiver_role=civil)
    Application = get_application_model()
    app = Application.objects.create(
        name="Logiciel", client_type="confidential", authorization_grant_type="client-credentials"
    )
    from api.accounts.models import ClientAccess

    ClientAccess.objects.create(application=app, role=civil)
    expires = timezone.now() + timedelta(hours=1)
    get_access_token_model().objects.create(application=app, token="sync", scope="submissions:read", expires=expires)
    sync = Client(HTTP_AUTHORIZATION="Bearer sync")

    anne = User.objects.create_user("anne")
    with django_capture_on_commit_callbacks(execute=True):
        first = sent_request(client_for(anne))
        client_for(anne).post(
            "/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json"
        )  # a draft
    page = sync.get("/api/events/?after=0").json()
    assert [(e["kind"], e["submission"]) for e in page["events"]] == [("submission.sent", first["id"])]
    assert page["has_more"] is False

    with django_capture_on_commit_callbacks(execute=True):
        second = sent_request(Client())
        actions.anonymise_owner(anne.pk)
    later = sync.get(f"/api/events/?after={page['next_after']}&limit=1").json()
    assert [(e["kind"], e["submission"]) for e in later["events"]] == [("submission.sent", second["id"])]
    assert later["has_more"] is True
    rest = sync.get(f"/api/events/?after={later['next_after']}").json()
    assert [e["kind"] for e in rest["events"]] == ["submission.anonymised"]

    assert sync.get("/api/events/?after=-1").status_code == 400
    assert sync.get("/api/events/?limit=0").status_code == 400
    assert Client().get("/api/events/").status_code == 401
    assert client_for(anne).get("/api/events/").status_code == 403


def test_the_personal_data_export_holds_the_persons_requests_messages_and_files(procedure: Procedure) -> None:
    anne = User.objects.create_user("anne")
    client = client_for(anne)
    sent = sent_request(client, {"nom": "Anne"})
    submission = Submission.objects.get(pk=sent["id"])
    actions.post_message(submission, actions.Actor(user=anne), "Voici ma question", from_agent=False)
    sent_request(Client(), {"nom": "Bruno"})  # another person's request stays out

    exported = client.get("/api/me/data/").json()
    [request] = exported["requests"]
    assert request["id"] == sent["id"] and request["reference"] == sent["reference"]
    assert request["answers"] == {"nom": "Anne"}
    assert [m["body"] for m in request["messages"]] == ["Voici ma question"]
    assert request["files"] == []
    assert request["procedure"]["slug"] == "salle"


def test_an_application_alone_prefills_but_never_sends_nor_starts_what_needs_a_person(procedure: Procedure) -> None:
    app = get_application_model().objects.create(
        name="Portail", client_type="confidential", authorization_grant_type="client-credentials"
    )
    expires = timezone.now() + timedelta(hours=1)
    get_access_token_model().objects.create(application=app, token="alone", scope="submissions:write", expires=expires)
    alone = {"HTTP_AUTHORIZATION": "Bearer alone", "HTTP_ACCEPT_LANGUAGE": "en"}

    draft = Client().post(
        "/api/procedures/salle/submissions/", {"data": {"nom": "A"}}, content_type="application/json", **alone
    )
    assert draft.status_code == 201
    secret = draft.json()["resume_token"]
    sent = Client().post(
        f"/api/submissions/{draft.json()['id']}/submit/",
        content_type="application/json",
        HTTP_X_RESUME_TOKEN=secret,
        **alone,
    )
    assert (sent.status_code, sent.json()["code"]) == (403, "person-required")
    assert Submission.objects.get().state == State.DRAFT

    Procedure.objects.filter(pk=procedure.pk).update(requires_account=True)
    refused = Client().post(
        "/api/procedures/salle/submissions/", {"data": {}}, content_type="application/json", **alone
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "person-required")
    # Whoever holds the earlier draft's secret: a procedure needing an account is sent by a signed-in person.
    anonymous = Client().post(
        f"/api/submissions/{draft.json()['id']}/submit/", content_type="application/json", HTTP_X_RESUME_TOKEN=secret
    )
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "account-required")


def test_the_feed_tells_an_application_without_a_role_what_it_lacks(procedure: Procedure) -> None:
    app = get_application_model().objects.create(
        name="Logiciel", client_type="confidential", authorization_grant_type="client-credentials"
    )
    expires = timezone.now() + timedelta(hours=1)
    get_access_token_model().objects.create(
        application=app, token="roleless", scope="submissions:read", expires=expires
    )
    answer = Client().get("/api/events/", HTTP_AUTHORIZATION="Bearer roleless", HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.status_code, answer.json()["code"]) == (403, "application-without-role")
    assert "role" in answer.json()["detail"]


def test_events_a_crash_left_unnumbered_are_numbered_by_the_tailer_not_by_a_read(procedure: Procedure) -> None:
    from api.core.sequence import sequence_stragglers
    from api.submissions.models import Event

    anne = User.objects.create_user("anne")
    sent = sent_request(client_for(anne))  # its after-commit numbering never runs here, as after a crash
    assert Event.objects.filter(position__isnull=True).count() > 0
    owner = client_for(anne)
    assert owner.get("/api/me/submissions/").status_code == 200
    assert owner.get(f"/api/submissions/{sent['id']}/history/").status_code == 200
    assert Event.objects.filter(position__isnull=True).count() > 0  # reading wrote nothing
    assert sequence_stragglers([Event]) > 0
    assert not Event.objects.filter(position__isnull=True).exists()
    assert sequence_stragglers([Event]) == 0


@pytest.mark.django_db(transaction=True)
def test_a_use_case_numbers_its_own_events_by_id_before_its_commit(procedure: Procedure) -> None:
    """Numbering before the commit names the transaction's events; it does not walk the
    events without a position (whose partial index fills with dead entries until a
    vacuum), so what a crash left unnumbered stays for the tailer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    anne = User.objects.create_user("anne")
    sent = sent_request(client_for(anne))
    Event.objects.filter(submission_uuid=sent["id"]).update(position=None)  # as after a crash
    stragglers = set(Event.objects.filter(position__isnull=True).values_list("pk", flat=True))
    assert stragglers
    with CaptureQueriesContext(connection) as queries:
        draft = client_for(anne).post(
            "/api/procedures/salle/submissions/", {"data": {"nom": "Anne"}},
            content_type="application/json", HTTP_IDEMPOTENCY_KEY="numbering-own-events",
        )  # fmt: skip
    assert draft.status_code == 201, draft.content
    own = list(Event.objects.filter(submission_uuid=draft.json()["id"]).values_list("pk", "position"))
    assert own and all(position is not None for _pk, position in own)
    assert set(Event.objects.filter(position__isnull=True).values_list("pk", flat=True)) == stragglers
    numbering = [q["sql"] for q in queries.captured_queries if 'SET "position"' in q["sql"]]
    assert len(numbering) == 1
    assert all(str(pk) in numbering[0] for pk, _position in own)
