"""Exactly once under concurrency, on SQLite and PostgreSQL (CI's second pass):
Idempotency-Key replays and gapless reference numbers."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from api.catalog.models import Procedure
from api.core.models import IdempotencyRecord
from api.submissions.models import Submission

BODY = {"data": {"nom": "Anne"}}


def in_thread(call: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return call()
        finally:
            connection.close()

    return run


def create(key: str | None = None, body: dict[str, Any] = BODY) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
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
def test_a_thousand_concurrent_replays_store_one_submission(procedure: Procedure) -> None:
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
