"""The catalog's pages kept between changes (pages.py): served again while nothing
changed, never once the catalog changed or a date made a procedure open or close."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from api.catalog import actions
from api.catalog.pages import PAGES, Pages
from api.core.querycount import database_cost


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["title"] for p in response.json()["results"]]


def test_a_kept_page_costs_one_statement_and_reads_the_same(catalog: Any) -> None:
    catalog("premiere")
    client = Client()
    first = client.get("/api/procedures/")
    with database_cost() as cost:
        again = client.get("/api/procedures/")
    assert cost.as_dict()["statements"] == 1
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"] and again["ETag"] == first["ETag"]


def test_a_change_through_the_catalogs_actions_is_seen_at_once(catalog: Any) -> None:
    procedure = catalog("premiere", title="Avant")
    client = Client()
    assert titles(client.get("/api/procedures/")) == ["Avant"]
    actions.upsert_procedure(procedure.slug, {"title": "Après"})
    assert titles(client.get("/api/procedures/")) == ["Après"]
    catalog("seconde", title="Autre")
    assert titles(client.get("/api/procedures/")) == ["Après", "Autre"]
    categories = client.get("/api/categories/").json()
    actions.upsert_category("general", {"title": "Renommée"})
    assert client.get("/api/categories/").json() != categories


def test_an_opening_or_closing_date_passing_changes_the_page(catalog: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    now = timezone.now()
    catalog("ouverte", title="Ouverte", closes_at=now + timedelta(hours=3))
    catalog("bientot", title="Bientôt", opens_at=now + timedelta(hours=1))
    client = Client()
    assert titles(client.get("/api/procedures/")) == ["Ouverte"]
    assert titles(client.get("/api/procedures/")) == ["Ouverte"]  # (kept)
    later = now + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert titles(client.get("/api/procedures/")) == ["Bientôt", "Ouverte"]
    later = now + timedelta(hours=4)
    assert titles(client.get("/api/procedures/")) == ["Bientôt"]


def test_pages_are_kept_per_address_host_and_language(catalog: Any) -> None:
    for n in range(3):
        catalog(f"demarche-{n}")
    for host in ("testserver", "localhost"):
        page = Client(HTTP_HOST=host).get("/api/procedures/?page_size=1").json()
        assert page["next"].startswith(f"http://{host}/api/procedures/?")
        assert len(page["results"]) == 1
    assert len(Client().get("/api/procedures/?page_size=2").json()["results"]) == 2
    PAGES.clear()
    for language in ("fr", "en", "fr"):
        assert Client(HTTP_ACCEPT_LANGUAGE=language).get("/api/procedures/").status_code == 200
    assert len(PAGES) == 2  # one page in each language


def test_at_most_size_pages_are_kept_least_recently_used_dropped() -> None:
    pages = Pages(size=3)
    for key in "abc":
        pages.put(key, key.upper())
    assert pages.get("a") == "A"  # a is now the most recent
    pages.put("d", "D")
    assert len(pages) == 3
    assert pages.get("b") is None
    assert [pages.get(k) for k in "acd"] == ["A", "C", "D"]
