"""The catalog's actions: the only writers, each recording an event."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import ProtectedError

from api.catalog import actions
from api.catalog.models import CatalogEvent, Category, Procedure

pytestmark = pytest.mark.django_db


def test_upsert_records_created_then_only_real_changes(catalog: Any) -> None:
    procedure = catalog("acte", summary="Premier résumé")
    kinds = list(CatalogEvent.objects.values_list("kind", flat=True))
    assert kinds == ["category.created", "procedure.created"]

    _, changed = actions.upsert_procedure("acte", {"summary": "Premier résumé"})
    assert changed is False
    assert CatalogEvent.objects.count() == 2

    _, changed = actions.upsert_procedure("acte", {"summary": "Second résumé"})
    assert changed is True
    event = CatalogEvent.objects.last()
    assert event is not None
    assert (event.kind, event.procedure_id, event.payload) == (
        "procedure.updated",
        procedure.pk,
        {"changes": {"summary": ["Premier résumé", "Second résumé"]}},
    )


def test_search_text_follows_title_keywords_and_category(catalog: Any) -> None:
    catalog("cantine", title="Restauration scolaire", keywords=["Cantine", " repas "], category="ecole")
    procedure = Procedure.objects.get(slug="cantine")
    assert procedure.keywords == ["Cantine", "repas"]
    assert "cantine repas" in procedure.search_text
    actions.upsert_category("ecole", {"title": "Enfance et Éducation"})
    procedure.refresh_from_db()
    assert procedure.search_text.endswith("enfance et education")


def test_invalid_data_changes_nothing(catalog: Any) -> None:
    catalog("acte")
    before = CatalogEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.upsert_procedure("acte", {"icon": "Not An Icon!"})
    assert "icon" in error.value.message_dict
    assert Procedure.objects.get(slug="acte").icon == ""
    assert CatalogEvent.objects.count() == before


def test_deletions_are_recorded_and_categories_in_use_are_protected(catalog: Any) -> None:
    procedure = catalog("acte", category="etat-civil")
    category = Category.objects.get(slug="etat-civil")
    with pytest.raises(ProtectedError):
        actions.delete_category(category)
    assert not CatalogEvent.objects.filter(kind="category.deleted").exists()

    actions.delete_procedure(procedure)
    actions.delete_category(category)
    deleted = list(CatalogEvent.objects.filter(kind__endswith=".deleted").values_list("kind", "slug"))
    assert deleted == [("procedure.deleted", "acte"), ("category.deleted", "etat-civil")]


def test_demo_loads_idempotently() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    events = CatalogEvent.objects.count()
    snapshot = list(Procedure.objects.order_by("slug").values())
    assert Procedure.objects.count() >= 6
    assert Category.objects.count() >= 4

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert CatalogEvent.objects.count() == events
    assert list(Procedure.objects.order_by("slug").values()) == snapshot
