"""Sorting the inbox by any column: the keyset pages of every order, walked forwards
and back on generated requests full of ties and missing values, hold each request
once, in the order the whole list has; and each order means what its column shows."""

from __future__ import annotations

import base64
import json
import random
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.accounts.models import User
from api.backoffice.sorting import ORDERINGS, SORTS, sort_of
from api.core.keyset import KEY
from api.submissions.models import Submission

from .conftest import client_for

NAMES = ["", "anne", "Anne", "zoé", "Émile", "bob", "O'Neil", "b", "😀", "  "]


def people(count: int, kind: str) -> list[User]:
    return [
        User.objects.create_user(
            f"{kind}-{n}",
            email=f"{kind}{n}@example.org",
            first_name=NAMES[n % len(NAMES)],
            last_name=NAMES[(n * 3) % 7],
        )
        for n in range(count)
    ]


def copies(model: Submission, count: int, seed: int, agents: list[User], citizens: list[User]) -> list[Submission]:
    """``count`` requests held by the model's role, drawn from few values so that keys tie."""
    chance = random.Random(seed)  # noqa: S311 (test data, not secrets)
    now = timezone.now().replace(microsecond=0)
    made = [
        Submission(
            procedure_id=model.procedure_id, version_id=model.version_id, workflow_version_id=model.workflow_version_id,
            role_id=model.role_id, state=model.state, status=chance.choice(["received", "in_progress", "done"]),
            citizen_status="received", data={}, reference=f"T-{uuid.uuid4().hex[:12]}",
            submitted_at=now - timedelta(minutes=chance.randrange(4)),
            status_since=chance.choice([None, now - timedelta(hours=chance.randrange(3))]),
            deadline=chance.choice([None, now + timedelta(days=chance.randrange(3))]),
            assignee=chance.choice([None, *agents]), owner=chance.choice([None, *citizens]),
        )
        for _n in range(count)
    ]  # fmt: skip
    return Submission.objects.bulk_create(made)


def walk(client: Any, first: str, link: str) -> list[list[str]]:
    pages, address = [], first
    while address:
        body = client.get(address).json()
        pages.append([row["id"] for row in body["results"]])
        address = body[link]
    return pages


@pytest.fixture
def held(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> tuple[Submission, User]:
    sent = Submission.objects.get(pk=send("collecte-encombrants")["id"])
    assert sent.role is not None
    return sent, demo["agents"][sent.role.slug]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    count=st.integers(min_value=0, max_value=23),
    size=st.integers(min_value=1, max_value=7),
    ordering=st.sampled_from(ORDERINGS),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_every_order_pages_each_request_once_in_the_whole_lists_order(
    held: tuple[Submission, User], count: int, size: int, ordering: str, seed: int
) -> None:
    model, agent = held
    client = client_for(agent)
    with transaction.atomic():
        copies(model, count, seed, [agent, *people(2, "agent")], people(3, "citizen"))
        key, descending = sort_of(ordering)
        whole = list(
            Submission.objects.filter(role_id=model.role_id)
            .annotate(**{KEY: key.expression})
            .order_by(*((f"-{KEY}", "-pk") if descending else (KEY, "pk")))
            .values_list("pk", flat=True)
        )
        forwards = walk(client, f"/api/agent/requests/?ordering={ordering}&page_size={size}", "next")
        assert [pk for page in forwards for pk in page] == [str(pk) for pk in whole]
        assert all(len(page) == size for page in forwards[:-1])
        # Back from the last page: the same pages, the other way.
        last = client.get(f"/api/agent/requests/?ordering={ordering}&page_size={size}")
        address = last.json()["next"]
        while address:
            body = client.get(address).json()
            if not body["next"]:
                break
            address = body["next"]
        if address:
            assert walk(client, address, "previous") == forwards[::-1]
        transaction.set_rollback(True)


def test_a_request_arriving_mid_walk_neither_repeats_nor_hides_the_others(held: tuple[Submission, User]) -> None:
    model, agent = held
    client = client_for(agent)
    copies(model, 12, 7, [agent], people(2, "citizen"))
    before = {str(pk) for pk in Submission.objects.filter(role_id=model.role_id).values_list("pk", flat=True)}
    for ordering in ORDERINGS:
        body = client.get(f"/api/agent/requests/?ordering={ordering}&page_size=5").json()
        seen = [row["id"] for row in body["results"]]
        added = copies(model, 3, len(seen), [agent], [])
        seen += [pk for page in walk(client, body["next"], "next") for pk in page]
        assert len(seen) == len(set(seen)), ordering
        assert before <= set(seen), ordering
        before |= {str(row.pk) for row in added}


def test_each_order_means_what_its_column_shows(held: tuple[Submission, User]) -> None:
    model, agent = held
    client = client_for(agent)
    named = [User.objects.create_user(f"c{n}", email=f"{n}@example.org", first_name=name) for n, name in
             enumerate(["carla", "Bruno", "", "alice", "Émile", "zoé", "Élodie"])]  # fmt: skip
    for n, citizen in enumerate(named):
        Submission.objects.filter(pk=copies(model, 1, n, [], [])[0].pk).update(
            owner=citizen, deadline=None if n == 1 else timezone.now() + timedelta(days=n), reference=f"2026-9{9 - n}"
        )

    def column(ordering: str, name: str) -> list[Any]:
        rows = client.get(f"/api/agent/requests/?ordering={ordering}&page_size=100").json()["results"]
        return [row[name] for row in rows]

    # By the name shown, accents and case aside (the address when there is no name).
    citizens = column("citizen", "citizen")
    assert citizens == ["2@example.org", "alice", "Anne Dupont", "Bruno", "carla", "Élodie", "Émile", "zoé"]
    assert column("-citizen", "citizen") == citizens[::-1]
    deadlines = column("deadline", "deadline")
    assert None in deadlines
    assert deadlines[-deadlines.count(None) :] == [None] * deadlines.count(None)  # none last, soonest first
    dated = [d for d in deadlines if d]
    assert dated == sorted(dated)
    references = column("-reference", "reference")
    assert references == sorted(references, reverse=True)
    statuses = [status["id"] for status in column("status", "status")]
    assert statuses == sorted(statuses)
    assert set(SORTS) >= {"citizen", "assignee", "procedure", "status", "reference", "submitted_at", "deadline"}


UUID = "6f1c1c9e-2b1a-4c1e-9d4e-1a2b3c4d5e6f"


def token(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("ordering", "cursor"),
    [
        ("-submitted_at", "forged"),
        ("citizen", "%FF%FE"),
        ("citizen", token([1, 2, 3])),
        ("citizen", token(["x", "not-a-uuid", False])),
        ("citizen", token(["x", UUID, "yes"])),
        ("citizen", token(["a\x00b", UUID, False])),
        ("citizen", token(["\ud800", UUID, False])),
        ("citizen", token(["x" * 500, UUID, False])),
        ("-deadline", token(["x", UUID, False])),
        ("-deadline", token(["2026-01-01T00:00:00", UUID, False])),  # a time without its offset
    ],
)
def test_a_forged_cursor_is_a_problem_naming_it(held: tuple[Submission, User], ordering: str, cursor: str) -> None:
    _model, agent = held
    response = client_for(agent).get(f"/api/agent/requests/?ordering={ordering}&cursor={cursor}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert [p["name"] for p in response.json()["invalid_params"]] == ["cursor"]


def test_a_cursor_of_another_order_gives_a_page_not_an_error(held: tuple[Submission, User]) -> None:
    _model, agent = held
    client = client_for(agent)
    response = client.get(
        f"/api/agent/requests/?ordering=citizen&cursor={token(['2026-01-01T00:00:00+00:00', UUID, False])}"
    )
    assert response.status_code == 200  # a time is a text too: the page after it
