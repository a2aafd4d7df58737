"""Exactly once under concurrency, on SQLite and PostgreSQL (CI's second pass):
Idempotency-Key replays and gapless reference numbers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from api.catalog.models import Procedure
from api.core.models import IdempotencyRecord
from api.submissions.models import Event, Submission

BODY = {"data": {"nom": "Anne"}}
#: Without an account, a key comes with the caller's own secret for the draft.
SECRET = "a-secret-of-my-own-for-this-draft-0123456789"


def in_thread(call: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return call()
        finally:
            connection.close()

    return run


def create(key: str | None = None, body: dict[str, Any] = BODY) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key, "HTTP_X_RESUME_TOKEN": SECRET} if key else {}
    return Client().post("/api/procedures/salle/submissions/", body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_replay_returns_the_first_response(procedure: Procedure) -> None:
    first = create("key-1")
    again = create("key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["ETag"] == first["ETag"] and again["Location"] == first["Location"]
    assert "Idempotent-Replayed" not in first
    assert Submission.objects.count() == 1

    reused = create("key-1", {"data": {"nom": "Bob"}})
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency-key-reused")
    assert create("k" * 300).status_code == 400
    assert create("key-2").json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_a_failed_request_does_not_burn_its_key(procedure: Procedure) -> None:
    Procedure.objects.filter(pk=procedure.pk).update(requires_account=True)
    assert create("key-1").status_code == 401
    Procedure.objects.filter(pk=procedure.pk).update(requires_account=False)
    assert create("key-1").status_code == 201
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_thousand_concurrent_replays_store_one_submission(procedure: Procedure, settings: Any) -> None:
    settings.GUICHET_DRAFT_RATE = 10_000
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(lambda _i: in_thread(lambda: create("same-key"))(), range(1000)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum(1 for r in responses if r.has_header("Idempotent-Replayed")) == 999
    assert Submission.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_references_are_sequential_without_gaps_under_concurrency(procedure: Procedure) -> None:
    drafts = [create().json() for _ in range(24)]

    def send(draft: dict[str, Any]) -> Any:
        return Client().post(
            f"/api/submissions/{draft['id']}/submit/",
            content_type="application/json",
            HTTP_X_RESUME_TOKEN=draft["resume_token"],
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda draft: in_thread(lambda: send(draft))(), drafts))
    assert {r.status_code for r in results} == {200}
    numbers = sorted(int(r.json()["reference"].split("-")[1]) for r in results)
    assert numbers == list(range(1, 25))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_reference_lock_is_what_keeps_numbers_unique(procedure: Procedure, monkeypatch: Any) -> None:
    """Every sender reaches the counter at the same instant (a barrier inside the
    transaction): without the row lock they read the same number and collide."""
    import threading

    from api.submissions import actions

    senders = 6
    drafts = [create().json() for _ in range(senders)]
    barrier = threading.Barrier(senders, timeout=20)
    original = actions.drafts._next_reference

    def all_at_once(year: int) -> str:
        barrier.wait()
        return original(year)

    monkeypatch.setattr(actions.drafts, "_next_reference", all_at_once)

    def send(draft: dict[str, Any]) -> Any:
        return Client().post(
            f"/api/submissions/{draft['id']}/submit/",
            content_type="application/json",
            HTTP_X_RESUME_TOKEN=draft["resume_token"],
        )

    with ThreadPoolExecutor(max_workers=senders) as pool:
        results = list(pool.map(lambda draft: in_thread(lambda: send(draft))(), drafts))
    assert [r.status_code for r in results] == [200] * senders
    numbers = sorted(int(r.json()["reference"].split("-")[1]) for r in results)
    assert numbers == list(range(1, senders + 1))


def feed_reader(procedure: Procedure) -> Client:
    """A client application reading the event feed of the procedure's receiving role."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model, get_application_model

    from api.accounts.models import ClientAccess, Role

    civil = Role.objects.create(slug="etat-civil", name="État civil")
    Procedure.objects.filter(pk=procedure.pk).update(receiver_role=civil)
    app = get_application_model().objects.create(
        name="Logiciel", client_type="confidential", authorization_grant_type="client-credentials"
    )
    ClientAccess.objects.create(application=app, role=civil, scopes=["submissions:read"])
    expires = timezone.now() + timedelta(hours=1)
    get_access_token_model().objects.create(application=app, token="feed", scope="submissions:read", expires=expires)
    return Client(HTTP_AUTHORIZATION="Bearer feed")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_events_numbered_before_commit_hold_the_logs_lock_until_it(
    procedure: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A send with an Idempotency-Key numbers its events inside its own transaction.
    Another write (here a new draft, which takes no reference number) must wait for
    that commit before numbering its own: a reader never sees a later position while
    an earlier one is still uncommitted."""
    import threading

    from api.core import sequence

    reader = feed_reader(procedure)
    draft = create().json()
    cursor = reader.get("/api/events/?after=0").json()["next_after"]
    original, numbered, release = sequence.number_before_commit, threading.Event(), threading.Event()

    def pausing() -> None:
        original()
        if threading.current_thread().name == "send":
            numbered.set()
            assert release.wait(timeout=20)

    monkeypatch.setattr(sequence, "number_before_commit", pausing)

    def send() -> Any:
        return Client().post(
            f"/api/submissions/{draft['id']}/submit/",
            content_type="application/json",
            HTTP_X_RESUME_TOKEN=draft["resume_token"],
            HTTP_IDEMPOTENCY_KEY="send",
        )

    results: dict[str, Any] = {}
    threads = {
        "send": threading.Thread(name="send", target=in_thread(lambda: results.setdefault("send", send()))),
        "start": threading.Thread(name="start", target=in_thread(lambda: results.setdefault("start", create("new")))),
    }
    threads["send"].start()
    assert numbered.wait(timeout=20)
    threads["start"].start()
    threads["start"].join(timeout=1.5)
    waiting = threads["start"].is_alive()
    seen_meanwhile = reader.get(f"/api/events/?after={cursor}").json()["events"]
    release.set()
    for thread in threads.values():
        thread.join(timeout=20)
    assert waiting, "the new draft numbered its event while the send still held the log"
    assert seen_meanwhile == []
    assert (results["send"].status_code, results["start"].status_code) == (200, 201)
    sent = reader.get(f"/api/events/?after={cursor}").json()["events"]
    assert {e["submission"] for e in sent} == {draft["id"]}
    started = Event.objects.get(submission_id=results["start"].json()["id"]).position
    assert started is not None and started > max(e["position"] for e in sent)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_event_feed_never_skips_an_event_that_commits_late(procedure: Procedure) -> None:
    """A transaction writes an event (a lower id) and commits after another one has
    committed a higher id and a reader has read it: the reader still gets both."""
    import threading

    from api.submissions import actions

    reader = feed_reader(procedure)

    def sent() -> Submission:
        draft = create().json()
        Client().post(
            f"/api/submissions/{draft['id']}/submit/",
            content_type="application/json",
            HTTP_X_RESUME_TOKEN=draft["resume_token"],
        )
        return Submission.objects.get(pk=draft["id"])

    early, late = sent(), sent()
    cursor = reader.get("/api/events/?after=0").json()["next_after"]

    written, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                actions.post_message(early, actions.Actor(), "first written", from_agent=False)
                written.set()
                assert release.wait(timeout=20)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert written.wait(timeout=20)
    actions.post_message(late, actions.Actor(), "written second, committed first", from_agent=False)
    seen = []
    page = reader.get(f"/api/events/?after={cursor}").json()
    seen += [e["payload"]["message"] for e in page["events"]]
    cursor = page["next_after"]
    release.set()
    thread.join(timeout=20)
    page = reader.get(f"/api/events/?after={cursor}").json()
    seen += [e["payload"]["message"] for e in page["events"]]
    written_messages = [str(event.payload["message"]) for event in Event.objects.filter(kind="message.posted")]
    assert len(written_messages) == 2
    assert sorted(seen) == sorted(written_messages)


@pytest.mark.django_db
def test_a_key_past_its_lifetime_is_a_new_request(procedure: Procedure, settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    settings.GUICHET_IDEMPOTENCY_TTL_HOURS = 24
    first = create("key-1")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = create("key-1")
    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    assert later.json()["id"] != first.json()["id"]
    assert IdempotencyRecord.objects.count() == 1
