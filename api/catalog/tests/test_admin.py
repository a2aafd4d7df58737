"""The Django admin writes through the catalog's actions."""

from typing import Any

import pytest
from django.test import Client

from api.accounts.models import User
from api.catalog import actions
from api.catalog.models import CatalogEvent, Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    user = User.objects.create_superuser("admin", "admin@example.org", "correct horse battery staple")
    client = Client()
    client.force_login(user)
    return client


def test_admin_creates_renames_and_deletes_through_actions(admin_client: Client, catalog: Any) -> None:
    category, _ = actions.upsert_category("voirie", {"title": "Voirie"})
    CatalogEvent.objects.all().delete()
    form = {
        "slug": "nid-de-poule",
        "title": "Signaler un nid-de-poule",
        "summary": "Un trou dans la chaussée",
        "description": '<p>Bonjour<script>alert("x")</script></p>',
        "category": category.pk,
        "keywords": '["trou", "chaussée"]',
        "state": "published",
        "icon": "road",
        "estimated_minutes": "3",
        "retention_days": "90",
    }
    response = admin_client.post("/admin/catalog/procedure/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure = Procedure.objects.get(slug="nid-de-poule")
    assert procedure.description == "<p>Bonjour</p>"
    assert procedure.preparation == []  # left empty
    response = admin_client.post(
        f"/admin/catalog/procedure/{procedure.pk}/change/",
        {**form, "preparation": "Une photo du trou\r\n\r\n  L'adresse la plus proche  \r\n"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.preparation == ["Une photo du trou", "L'adresse la plus proche"]
    page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/").content.decode()
    assert "Une photo du trou\nL&#x27;adresse la plus proche</textarea>" in page
    CatalogEvent.objects.filter(kind="procedure.updated").delete()
    assert "chaussee" in procedure.search_text
    created = CatalogEvent.objects.get(kind="procedure.created")
    assert created.actor is not None and created.actor.username == "admin"

    response = admin_client.post(
        f"/admin/catalog/procedure/{procedure.pk}/change/", {**form, "slug": "trou-chaussee", "title": "Trou"}
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.slug, procedure.title, procedure.sort_title) == ("trou-chaussee", "Trou", "trou")
    updated = CatalogEvent.objects.get(kind="procedure.updated")
    assert updated.payload["changes"]["slug"] == ["nid-de-poule", "trou-chaussee"]

    response = admin_client.post(f"/admin/catalog/procedure/{procedure.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Procedure.objects.exists()
    assert CatalogEvent.objects.filter(kind="procedure.deleted", slug="trou-chaussee").exists()


def test_admin_refuses_invalid_input_without_writing(admin_client: Client) -> None:
    category, _ = actions.upsert_category("voirie", {"title": "Voirie"})
    CatalogEvent.objects.all().delete()
    response = admin_client.post(
        "/admin/catalog/procedure/add/",
        {"slug": "x", "title": "X", "summary": "x", "category": category.pk, "state": "published", "icon": "Bad Icon"},
    )
    assert response.status_code == 200  # the form again, with its errors
    assert not Procedure.objects.exists()
    assert not CatalogEvent.objects.exists()
