"""The event spine: each committed event reaches each subscriber exactly once,
nothing from a rolled-back transaction does, positions follow commit order, a
failing subscriber fails nothing, and durable subscribers get every event through
the outbox even when they fail for a while."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api.accounts.models import AccountEvent
from api.catalog import actions as catalog
from api.catalog.models import CatalogEvent
from api.core import event_schemas, outbox
from api.core.events import KINDS, EventRecord, declare, subscribe, unsubscribe
from api.core.models import Delivery


@pytest.fixture
def received() -> Iterator[list[EventRecord]]:
    got: list[EventRecord] = []
    subscribe("test-listener", got.append)
    yield got
    unsubscribe("test-listener")


def kinds(events: list[EventRecord]) -> list[tuple[str, str]]:
    return [(e.kind, e.subject_id) for e in events]


@pytest.mark.django_db(transaction=True)
def test_a_subscriber_receives_each_committed_event_once_and_nothing_rolled_back(
    received: list[EventRecord],
) -> None:
    catalog.upsert_category("etat-civil", {"title": "État civil"})
    with transaction.atomic():
        catalog.upsert_category("voirie", {"title": "Voirie"})
        catalog.upsert_category("voirie", {"title": "Voirie et propreté"})
        assert kinds(received) == [("category.created", "etat-civil")]  # not before commit
    with pytest.raises(RuntimeError), transaction.atomic():
        catalog.upsert_category("fetes", {"title": "Fêtes"})
        raise RuntimeError("rolled back")
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint rolled back inside a committed transaction
                catalog.upsert_category("sport", {"title": "Sport"})
                raise RuntimeError("savepoint rolled back")
        except RuntimeError:
            pass
        catalog.upsert_category("culture", {"title": "Culture"})
    assert kinds(received) == [
        ("category.created", "etat-civil"),
        ("category.created", "voirie"),
        ("category.updated", "voirie"),
        ("category.created", "culture"),
    ]
    assert [e.position for e in received] == [1, 2, 3, 4]
    assert list(CatalogEvent.objects.order_by("position").values_list("pk", flat=True)) == [e.pk for e in received]


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_fails_neither_the_write_nor_the_others(received: list[EventRecord]) -> None:
    def broken(event: EventRecord) -> None:
        raise ValueError("subscriber bug")

    subscribe("broken", broken)
    try:
        category, changed = catalog.upsert_category("etat-civil", {"title": "État civil"})
    finally:
        unsubscribe("broken")
    assert changed and category.pk is not None
    assert kinds(received) == [("category.created", "etat-civil")]


@pytest.mark.django_db(transaction=True)
def test_a_subscriber_gets_only_the_kinds_it_asked_for() -> None:
    got: list[EventRecord] = []
    subscribe("deletions", got.append, kinds=["category.deleted"])
    try:
        category, _ = catalog.upsert_category("etat-civil", {"title": "État civil"})
        catalog.delete_category(category)
    finally:
        unsubscribe("deletions")
    assert kinds(got) == [("category.deleted", "etat-civil")]


@pytest.mark.django_db(transaction=True)
def test_a_durable_subscriber_gets_every_committed_event_once_despite_failures() -> None:
    got: list[tuple[str, int]] = []
    failures = {"left": 2}

    def flaky(event: EventRecord) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise ConnectionError("push service down")
        got.append((event.kind, event.pk))

    subscribe("durable-test", flaky, durable=True)
    try:
        catalog.upsert_category("etat-civil", {"title": "État civil"})
        with pytest.raises(RuntimeError), transaction.atomic():
            catalog.upsert_category("fetes", {"title": "Fêtes"})
            raise RuntimeError("rolled back")
        assert Delivery.objects.count() == 1  # none for the rolled-back event
        first = Delivery.objects.get()
        assert outbox.deliver_due() == 0  # fails: retried later, not lost
        delivery = Delivery.objects.get()
        assert delivery.delivered_at is None and delivery.attempts == 1 and "push service down" in delivery.last_error
        assert outbox.deliver_due() == 0  # not due yet (backoff)
        later = timezone.now() + timedelta(hours=7)
        assert outbox.deliver_due(now=later) == 0  # fails a second time
        assert outbox.deliver_due(now=later + timedelta(hours=7)) == 1
        assert outbox.deliver_due(now=later + timedelta(hours=14)) == 0  # delivered once only
    finally:
        unsubscribe("durable-test")
    event = CatalogEvent.objects.get(pk=first.event_id)
    assert got == [("category.created", event.pk)]
    assert Delivery.objects.get().attempts == 3


@pytest.mark.django_db(transaction=True)
def test_a_delivery_claimed_by_one_worker_is_not_taken_by_another() -> None:
    subscribe("durable-claims", lambda event: None, durable=True)
    try:
        catalog.upsert_category("etat-civil", {"title": "État civil"})
        now = timezone.now()
        read_by_both = Delivery.objects.get()  # two workers read the same due delivery
        assert outbox._take(read_by_both, now) is True
        assert outbox._take(Delivery.objects.get(), now) is False  # the second loses the race
        assert outbox._claim(now) is None  # leased to the first worker
        assert outbox._claim(now + outbox.LEASE + timedelta(seconds=1)) is not None  # lease expired: taken over
    finally:
        unsubscribe("durable-claims")


def test_every_declared_kind_has_a_valid_schema_and_every_schema_a_kind() -> None:
    assert len(KINDS) > 30
    assert event_schemas.declared_files() == set(KINDS)
    for name in KINDS:
        domain, _dot, verb = name.partition(".")
        assert domain and verb, name
        schema = event_schemas.payload_schema(name)
        assert schema["title"] == name and schema["additionalProperties"] is False
        assert json.loads(json.dumps(schema)) == schema


def test_a_payload_unlike_its_declaration_is_caught() -> None:
    assert event_schemas.problems("submission.sent", {"reference": "2026-000001", "status": "received"}) == []
    assert event_schemas.problems("submission.sent", {"reference": "2026-1"}) != []
    assert event_schemas.problems("submission.sent", {"reference": "2026-000001", "status": "x", "extra": 1}) != []
    assert event_schemas.problems("nothing.declared", {}) == ["nothing.declared is not a declared kind"]


def test_kinds_are_named_domain_verb_and_declared_once() -> None:
    for bad in ("created", "Submission.Sent", "submission.", ".sent"):
        with pytest.raises(ValueError):
            declare(bad, CatalogEvent, audience="internal")
    with pytest.raises(ValueError):  # the same name for another log
        declare("category.created", AccountEvent, audience="internal")


@pytest.mark.django_db(transaction=True)
def test_a_use_case_writes_its_deliveries_in_one_insert_and_none_for_what_a_savepoint_rolled_back() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api.core.transactions import use_case

    subscribe("durable-held", lambda event: None, durable=True)
    try:
        with CaptureQueriesContext(connection) as queries, use_case():
            catalog.upsert_category("etat-civil", {"title": "État civil"})
            try:
                with transaction.atomic():
                    catalog.upsert_category("fetes", {"title": "Fêtes"})
                    raise RuntimeError("savepoint rolled back")
            except RuntimeError:
                pass
            catalog.upsert_category("voirie", {"title": "Voirie"})
            assert not Delivery.objects.exists()  # held until the use case's end
        inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "core_delivery"')]
        assert len(inserts) == 1
        kept = CatalogEvent.objects.filter(slug__in=["etat-civil", "voirie"]).values_list("pk", flat=True)
        assert set(Delivery.objects.filter(subscriber="durable-held").values_list("event_id", flat=True)) == set(kept)
        assert len(kept) == 2 and not CatalogEvent.objects.filter(slug="fetes").exists()
    finally:
        unsubscribe("durable-held")
    # Outside a use case, an event's deliveries are written with it, as before.
    subscribe("durable-held", lambda event: None, durable=True)
    try:
        with transaction.atomic():
            catalog.upsert_category("sport", {"title": "Sport"})
            assert Delivery.objects.filter(subscriber="durable-held").count() == 3
    finally:
        unsubscribe("durable-held")


@pytest.mark.django_db(transaction=True)
def test_held_events_are_written_in_one_insert_in_order_and_none_a_savepoint_rolled_back(
    received: list[EventRecord],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api.core.events import held_events

    subscribe("durable-held", lambda event: None, durable=True)
    try:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            with held_events():
                catalog.upsert_category("etat-civil", {"title": "État civil"})
                try:
                    with transaction.atomic():
                        catalog.upsert_category("fetes", {"title": "Fêtes"})
                        raise RuntimeError("savepoint rolled back")
                except RuntimeError:
                    pass
                catalog.upsert_category("voirie", {"title": "Voirie"})
                assert not CatalogEvent.objects.exists()  # held until the block ends
            assert CatalogEvent.objects.count() == 2  # written when it ends, before the commit
        inserts = [
            q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "catalog_catalogevent"')
        ]
        assert len(inserts) == 1
        written = list(CatalogEvent.objects.order_by("pk"))
        assert [(e.kind, e.slug) for e in written] == [
            ("category.created", "etat-civil"),
            ("category.created", "voirie"),
        ]
        assert [e.position for e in written] == [1, 2]  # numbered, in the order recorded
        # After the commit, published once each, and handed to the durable subscriber.
        assert kinds(received) == [("category.created", "etat-civil"), ("category.created", "voirie")]
        assert set(Delivery.objects.values_list("event_id", flat=True)) == {e.pk for e in written}
    finally:
        unsubscribe("durable-held")
    # An error in the block writes nothing (its transaction is rolled back).
    with pytest.raises(RuntimeError), transaction.atomic(), held_events():
        catalog.upsert_category("sport", {"title": "Sport"})
        raise RuntimeError("rolled back")
    assert not CatalogEvent.objects.filter(slug="sport").exists()
    assert len(received) == 2
