"""The demo procedures' forms behave as a citizen of Bellerive-sur-Orge would expect."""

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from api.catalog.demo_forms import FORMS
from api.forms.definition import parse
from api.forms.validation import validate

TODAY = date(2026, 11, 29)
IDENTITY = {"nom": "Martin", "prenom": "Anne", "courriel": "anne@example.org"}


def check(slug: str, payload: dict[str, Any]) -> Any:
    with translation.override("en"):
        return validate(parse(FORMS[slug]), payload, today=TODAY)


@pytest.mark.parametrize("slug", sorted(FORMS))
def test_every_demo_form_is_valid(slug: str) -> None:
    assert parse(FORMS[slug]).pages


def test_civil_status_is_multi_page_with_conditions() -> None:
    base = {
        **IDENTITY,
        "type_acte": "naissance",
        "format": "copie_integrale",
        "qualite": "titulaire",
        "exemplaires": 1,
        "date_evenement": "1990-04-12",
        "parents": "Martin et Durand",
        "adresse_envoi": {"street": "3 rue des Lilas", "postcode": "91100", "city": "Bellerive-sur-Orge"},
    }
    ok = check("acte-etat-civil", base)
    assert ok.errors == []
    assert ok.visible_pages == ["acte", "evenement", "demandeur"]

    other = check("acte-etat-civil", {**base, "qualite": "autre"})
    assert {(e.pointer, e.code) for e in other.errors} == {
        ("", "post_condition"),
        ("/titulaire_nom", "required"),
        ("/titulaire_prenoms", "required"),
    }
    marriage = check("acte-etat-civil", {**base, "type_acte": "mariage", "format": "extrait_sans_filiation"})
    assert [(e.pointer, e.code) for e in marriage.errors] == [("/conjoint", "required")]
    assert "parents" not in marriage.data  # hidden: dropped


def test_canteen_enrols_children_in_a_repeatable_block_with_a_computed_price() -> None:
    child = {"prenom": "Léa", "nom": "Martin", "naissance": "2019-02-01", "ecole": "tilleuls", "jours": ["lundi"]}
    ok = check(
        "inscription-restauration-scolaire",
        {**IDENTITY, "enfants": [child, {**child, "prenom": "Tom"}], "quotient": 720},
    )
    assert ok.errors == []
    assert ok.data["tarif_repas"] == 2.9
    assert check("inscription-restauration-scolaire", {**IDENTITY, "enfants": [child]}).data["tarif_repas"] == 4.8

    bad = check("inscription-restauration-scolaire", {**IDENTITY, "enfants": [{**child, "allergie": True}] * 7})
    assert [(e.pointer, e.code) for e in bad.errors] == [("/enfants", "too_many_rows")]
    none = check("inscription-restauration-scolaire", {**IDENTITY, "enfants": []})
    assert [(e.pointer, e.code) for e in none.errors] == [("/enfants", "too_few_rows")]
    allergy = check("inscription-restauration-scolaire", {**IDENTITY, "enfants": [{**child, "allergie": True}]})
    assert [(e.pointer, e.code) for e in allergy.errors] == [("/enfants/0/allergies", "required")]


def test_highway_report_takes_a_point_in_town_and_photos() -> None:
    photo = {"id": "att-1", "name": "trou.jpg", "content_type": "image/jpeg", "size": 2_000_000}
    ok = check("signalement-voirie", {"nature": "nid_de_poule", "lieu": {"lat": 48.66, "lon": 2.37}, "photos": [photo]})
    assert ok.errors == []
    far = check(
        "signalement-voirie", {"nature": "nid_de_poule", "lieu": {"lat": 43.3, "lon": 5.4}, "photos": [photo] * 4}
    )
    assert {(e.pointer, e.code) for e in far.errors} == {("/lieu", "out_of_bounds"), ("/photos", "too_many_files")}
    pdf = check(
        "signalement-voirie",
        {
            "nature": "autre",
            "lieu": {"lat": 48.66, "lon": 2.37},
            "photos": [{**photo, "content_type": "application/pdf"}],
        },
    )
    assert {(e.pointer, e.code) for e in pdf.errors} == {("/photos", "file_type"), ("/precision", "required")}


def test_public_domain_occupation_computes_the_fee() -> None:
    payload = {
        **IDENTITY,
        "motif": "terrasse",
        "siret": "73282932000074",
        "adresse_occupation": {"street": "2 place du Marché", "postcode": "91100", "city": "Bellerive-sur-Orge"},
        "debut": "2026-12-20",
        "jours": 30,
        "surface": "12.5",
    }
    ok = check("occupation-domaine-public", payload)
    assert ok.errors == []
    assert ok.data["redevance"] == pytest.approx(225.0)
    soon = check("occupation-domaine-public", {**payload, "debut": "2026-12-01", "motif": "demenagement"})
    assert [(e.pointer, e.code) for e in soon.errors] == [("/debut", "date_too_early")]
    assert "siret" not in soon.data
