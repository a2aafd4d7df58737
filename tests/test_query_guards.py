"""Query-count guards: what the main endpoints cost the database, as budgets.

A change that adds a query per row (N+1), a commit or a savepoint to one of these
paths fails here, with the statements it ran. Counted in real transactions
(``transactional_db``): inside a test's own transaction every atomic block would be
a savepoint and commits would not be seen. Budgets are exact, so that a saving is
noticed too (lower the budget with it). Lists are measured at two sizes and must
cost the same. The figures are PostgreSQL's and SQLite's alike, except where named
(PostgreSQL takes the event log's advisory lock in a statement of its own)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from api.core.querycount import DatabaseCost, database_cost
from benchmarks.cost_form import ANSWERS, FORM

pytestmark = pytest.mark.django_db(transaction=True)

#: The advisory lock the event log's numbering takes on PostgreSQL, per numbering.
LOCK = 1 if connection.vendor == "postgresql" else 0


@pytest.fixture
def procedure(catalog: Callable[..., Any]) -> Any:
    from api.accounts import actions as accounts
    from api.catalog import actions

    role, _ = accounts.upsert_role("guichet-unique", "Guichet unique")
    procedure = catalog("vingt-champs", title="Vingt champs", receiver_role=role)
    actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    return procedure


def cost_of(call: Callable[[], Any], status: int = 200) -> tuple[Any, DatabaseCost]:
    with database_cost() as cost:
        response = call()
    assert response.status_code == status, response.content
    return response, cost


class Citizen:
    """The calls the app (and a widget) makes for a citizen without an account."""

    def __init__(self) -> None:
        self.client = Client()
        self.token = secrets.token_urlsafe(32)

    def headers(self) -> dict[str, str]:
        return {"HTTP_X_RESUME_TOKEN": self.token, "HTTP_IDEMPOTENCY_KEY": secrets.token_hex(16)}

    def create(self, slug: str) -> Any:
        return self.client.post(
            f"/api/procedures/{slug}/submissions/", {"data": ANSWERS}, content_type="application/json", **self.headers()
        )

    def send(self, draft_id: str) -> Any:
        return self.client.post(
            f"/api/submissions/{draft_id}/submit/", content_type="application/json", **self.headers()
        )

    def submit(self, slug: str) -> dict[str, Any]:
        sent = self.send(self.create(slug).json()["id"])
        assert sent.status_code == 200, sent.content
        body: dict[str, Any] = sent.json()
        return body


def test_starting_and_sending_a_request(procedure: Any) -> None:
    citizen = Citizen()
    citizen.submit(procedure.slug)  # the process's caches (compiled form and workflow) are warm
    created, create = cost_of(lambda: citizen.create(procedure.slug), 201)
    # procedure, Idempotency-Key look-up; request, event, key record; numbering (in the same
    # transaction, just before its commit). Drafts expire by the worker's sweep: no task each.
    assert create.as_dict() == {"statements": 6 + LOCK, "writes": 4, "savepoints": 0, "commits": 1}, str(create)
    _sent, send = cost_of(lambda: citizen.send(created.json()["id"]))
    # request, key look-up, request locked (no file read: the form has no file field),
    # tracking code look-up, reference upsert, timer, request saved (with the deadline its first
    # status set), the 3 events in one insert, worker wake-up task (the timer is fired by the
    # worker's sweep), key record; the 3 events' deliveries in one insert, numbering
    assert send.as_dict() == {"statements": 12 + LOCK, "writes": 8, "savepoints": 0, "commits": 1}, str(send)


def test_a_replayed_key_costs_one_look_up(procedure: Any) -> None:
    citizen = Citizen()
    headers = citizen.headers()
    url = f"/api/procedures/{procedure.slug}/submissions/"
    first = citizen.client.post(url, {"data": ANSWERS}, content_type="application/json", **headers)
    assert first.status_code == 201
    replay, cost = cost_of(
        lambda: citizen.client.post(url, {"data": ANSWERS}, content_type="application/json", **headers), 201
    )
    assert replay["Idempotent-Replayed"] == "true"
    assert cost.as_dict() == {"statements": 2, "writes": 0, "savepoints": 0, "commits": 0}, str(cost)


def signed_in(username: str) -> tuple[Any, Client]:
    from api.accounts.models import User

    user = User.objects.create_user(username, email=f"{username}@example.org")
    client = Client()
    client.force_login(user)
    return user, client


def test_my_requests_cost_the_same_for_2_or_20(procedure: Any) -> None:
    from api.submissions import actions

    user, client = signed_in("anne")
    costs = []
    for count in (2, 20):
        while user.submissions.count() < count:
            draft, _token = actions.create_draft(procedure, actions.Actor(user=user), ANSWERS)
            actions.submit(draft, actions.Actor(user=user))
        listed, cost = cost_of(lambda: client.get("/api/me/submissions/?page_size=20"))
        assert len(listed.json()["results"]) == count
        costs.append(cost.as_dict())
    # session, account, the page (with procedure and version joined)
    assert costs == [{"statements": 3, "writes": 0, "savepoints": 0, "commits": 0}] * 2, costs


def test_the_catalog_costs_the_same_for_2_or_20_procedures(catalog: Callable[..., Any]) -> None:
    client = Client()
    costs = []
    for count in (2, 20):
        for n in range(count):
            catalog(f"demarche-{n}", category=f"cat-{n % 3}")
        listed, cost = cost_of(lambda: client.get("/api/procedures/?page_size=50"))
        assert len(listed.json()["results"]) == count
        costs.append(cost.as_dict())
    # the catalog's state, then the page (with its categories); once printed, the state only
    assert costs == [{"statements": 2, "writes": 0, "savepoints": 0, "commits": 0}] * 2, costs
    _again, kept = cost_of(lambda: client.get("/api/procedures/?page_size=50"))
    assert kept.as_dict() == {"statements": 1, "writes": 0, "savepoints": 0, "commits": 0}, str(kept)


def test_tracking_a_request_by_its_code(procedure: Any) -> None:
    from api.catalog import actions

    procedure.tracking_codes = True
    actions.upsert_procedure(procedure.slug, {"tracking_codes": True})
    sent = Citizen().submit(procedure.slug)
    client = Client()
    _found, cost = cost_of(
        lambda: client.post("/api/tracking/", {"code": sent["tracking_code"]}, content_type="application/json")
    )
    assert cost.as_dict() == {"statements": 2, "writes": 0, "savepoints": 0, "commits": 0}, str(cost)


def test_the_agents_inbox_and_a_request_cost_the_same_for_2_or_20(procedure: Any) -> None:
    from api.accounts import actions as accounts

    agent, client = signed_in("agent")
    accounts.grant_role(agent, procedure.receiver_role)
    citizen = Citizen()
    sent: list[dict[str, Any]] = []
    costs = []
    for count in (2, 20):
        while len(sent) < count:
            sent.append(citizen.submit(procedure.slug))
        inbox, cost = cost_of(lambda: client.get("/api/agent/requests/?page_size=20"))
        assert len(inbox.json()["results"]) == count
        costs.append(cost.as_dict())
    assert costs[0] == costs[1], costs
    assert costs[0] == {"statements": 5, "writes": 0, "savepoints": 0, "commits": 0}, costs
    _detail, detail = cost_of(lambda: client.get(f"/api/agent/requests/{sent[0]['id']}/"))
    assert detail.as_dict() == {"statements": 9, "writes": 0, "savepoints": 0, "commits": 0}, str(detail)


def test_an_agents_transitions(procedure: Any) -> None:
    from api.accounts import actions as accounts

    agent, client = signed_in("agent")
    accounts.grant_role(agent, procedure.receiver_role)
    sent = Citizen().submit(procedure.slug)
    url = f"/api/agent/requests/{sent['id']}/actions/"

    def move(action: str, **text: str) -> Any:
        body = {"action": action, **text}
        return client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=secrets.token_hex(16))

    _started, start = cost_of(lambda: move("start", comment="Pris en charge."))
    _accepted, accept = cost_of(lambda: move("accept", message="Votre demande est acceptée."))
    # Session, agent, the agent's roles (three reads), the request, key look-up; the request
    # read, then locked; its role; the request saved once; the move's events in one insert; the
    # worker's wake-up; the response's request, files, history and messages; key record;
    # deliveries; numbering. No savepoint: the move is the use case's own action.
    budget = {"statements": 20 + LOCK, "writes": 6, "savepoints": 0, "commits": 1}
    assert start.as_dict() == budget, str(start)
    # Into an endpoint with a message and an action telling the citizen: the same (the
    # retention's end is the worker's sweep's, not a task of its own after the commit).
    assert accept.as_dict() == budget, str(accept)


#: Indexes of the tables a submit writes that no query of the product needs, found by
#: PostgreSQL's catalog: a plain b-tree index whose columns begin another plain b-tree
#: index of the same table (the longer one serves its look-ups), and LIKE-pattern
#: indexes (Django adds one beside each indexed or unique text column; nothing searches
#: these columns by pattern).
SPARE_INDEXES = """
WITH found AS (
    SELECT t.relname AS tbl, i.relname AS idx, x.indkey::int2[] AS cols, x.indpred IS NOT NULL AS partial,
           x.indisunique AS uniq, am.amname AS method, pg_get_indexdef(x.indexrelid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_am am ON am.oid = i.relam
    WHERE t.relname = ANY(%s)
)
SELECT a.tbl, a.idx, 'begins ' || b.idx FROM found a JOIN found b ON a.tbl = b.tbl AND a.idx <> b.idx
WHERE a.method = 'btree' AND b.method = 'btree' AND NOT a.partial AND NOT b.partial AND NOT a.uniq
  AND cardinality(a.cols) < cardinality(b.cols) AND a.cols = b.cols[0:cardinality(a.cols) - 1]
UNION ALL
SELECT tbl, idx, 'pattern search' FROM found WHERE definition LIKE '%%_pattern_ops%%'
"""


@pytest.mark.postgresql
def test_the_tables_a_submit_writes_keep_only_the_indexes_queries_use(procedure: Any) -> None:
    """Every index of a table is written by each insert, and again by each update that
    changes an indexed column (sending a request changes its state; numbering an event
    sets its position): a submit pays for every index of the tables it writes."""
    citizen = Citizen()
    with database_cost() as cost:
        citizen.submit(procedure.slug)
    written = sorted({m.group(1) for sql in cost.sql if (m := re.match(r'(?:INSERT INTO|UPDATE) "(\w+)"', sql))})
    assert {"submissions_submission", "submissions_event", "core_idempotencyrecord"} <= set(written), written
    with connection.cursor() as cursor:
        cursor.execute(SPARE_INDEXES, [written])
        spare = cursor.fetchall()
    assert spare == [], spare
