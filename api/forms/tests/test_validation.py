"""The validator: every field type, conditions, blocks, rules, pages; all errors at once."""

from copy import deepcopy
from datetime import date
from typing import Any

import pytest
from django.utils import translation

from api.forms.definition import parse
from api.forms.validation import validate

from .samples import EVERY_TYPE, VALID_PAYLOAD

TODAY = date(2026, 11, 29)
CHOICES = {"/pages/0/fields/15": ["centre", "gare"]}
DEFINITION = parse(EVERY_TYPE)


def run(payload: Any, **kwargs: Any) -> Any:
    with translation.override("en"):
        return validate(DEFINITION, payload, today=TODAY, choices=CHOICES, **kwargs)


def errors(payload: Any, **kwargs: Any) -> dict[str, str]:
    return {e.pointer: e.code for e in run(payload, **kwargs).errors}


def test_a_valid_payload_is_cleaned_to_canonical_values() -> None:
    result = run(VALID_PAYLOAD)
    assert result.errors == []
    data = result.data
    assert data["nom"] == "Dupont"
    assert data["courriel"] == "Anne.Dupont@example.org"
    assert data["telephone"] == "+33612345678"
    assert data["surface"] == 12.5
    assert data["redevance"] == 150
    assert data["jours"] == ["lundi", "jeudi"]
    assert data["iban"] == "FR7630006000011234567890189"
    assert data["nir"] == "284037511611014"
    assert data["lieu"] == {"lat": 48.5, "lon": 2.5}
    assert data["enfants"] == [
        {"prenom": "Léa", "naissance": "2018-05-01", "allergie": True, "allergies": "Arachide"},
        {"prenom": "Tom", "allergie": False},
    ]
    assert "titre" not in data and "aide" not in data
    assert result.visible_pages == ["identite", "details"]


def test_every_error_is_reported_at_once_with_pointers() -> None:
    bad = {
        "nom": "x" * 51,
        "courriel": "pas-un-courriel",
        "telephone": "12",
        "age": 131,
        "surface": 1.25,
        "naissance": "2030-01-01",
        "rdv": "2026-11-29",
        "heure": "19:00",
        "majeur": True,
        "civilite": "autre",
        "jours": ["lundi", "mardi", "jeudi"],
        "quartier": "ailleurs",
        "photo": [{"id": "a", "name": "x.pdf", "content_type": "application/pdf", "size": 1}],
        "lieu": {"lat": 10, "lon": 2.5},
        "adresse": {"street": "1 rue", "postcode": "1234", "city": "X"},
        "siret": "73282932000075",
        "siren": "123",
        "iban": "FR00",
        "nir": "1",
        "code_postal": "00000",
        "enfants": [{"prenom": "", "allergie": True}, {"age": 3}, "x", {}],
        "inconnu": 1,
    }
    assert errors(bad) == {
        "/nom": "too_long",
        "/courriel": "invalid_email",
        "/telephone": "invalid_phone",
        "/age": "above_max",
        "/surface": "too_many_decimals",
        "/naissance": "date_too_late",
        "/rdv": "date_too_early",
        "/heure": "time_too_late",
        "/civilite": "invalid_choice",
        "/jours": "too_many_choices",
        "/quartier": "invalid_choice",
        "/photo": "file_type",
        "/lieu": "out_of_bounds",
        "/adresse": "invalid_postcode",
        "/siret": "invalid_siret",
        "/siren": "invalid_siren",
        "/iban": "invalid_iban",
        "/nir": "invalid_nir",
        "/code_postal": "invalid_postcode",
        "/enfants": "too_many_rows",
        "/inconnu": "unknown_field",
    }


def test_required_fields_and_rows() -> None:
    payload = {"majeur": True, "enfants": [{"allergie": True}, {"prenom": "Tom", "age": 3}, "x"]}
    assert errors(payload) == {
        "/nom": "required",
        "/courriel": "required",
        "/enfants/0/prenom": "required",
        "/enfants/0/allergies": "required",
        "/enfants/1/age": "unknown_field",
        "/enfants/2": "invalid_row",
    }


def test_hidden_fields_are_not_required_and_their_values_are_dropped() -> None:
    payload = deepcopy(VALID_PAYLOAD)
    payload["majeur"] = False  # hides the whole "details" page
    payload["siret"] = "not even checked"
    result = run(payload)
    assert result.errors == []
    assert result.visible_pages == ["identite"]
    assert not {"photo", "siret", "enfants", "redevance", "societe"} & result.data.keys()

    payload = deepcopy(VALID_PAYLOAD)
    del payload["siret"]  # "societe" is shown only with a SIRET
    result = run(payload)
    assert result.errors == []
    assert "societe" not in result.data


def test_post_conditions_and_messages_follow_the_language() -> None:
    payload = {**VALID_PAYLOAD, "siret": "73282932000074"}
    result = run(payload)
    assert [(e.pointer, e.code, e.message, e.page) for e in result.errors] == [
        ("", "post_condition", "Ce SIRET est interdit.", "details")
    ]
    with translation.override("fr"):
        french = validate(DEFINITION, {"majeur": True}, today=TODAY, choices=CHOICES)
    assert {e.pointer: e.message for e in french.errors}["/nom"] == "Ce champ est obligatoire."


def test_one_page_at_a_time() -> None:
    payload = {"majeur": True, "siret": "bad"}
    assert errors(payload, page="identite") == {"/nom": "required", "/courriel": "required"}
    assert errors(payload, page="details") == {"/siret": "invalid_siret"}
    assert errors(payload, page="nope") == {"": "page_unknown"}


@pytest.mark.parametrize("payload", [None, [], "x", 3, True])
def test_a_payload_that_is_not_an_object(payload: Any) -> None:
    assert errors(payload) == {"": "invalid_type"}


def test_phone_region_and_numbers_given_as_strings() -> None:
    local = parse(
        {
            "schema_version": 1,
            "pages": [
                {
                    "id": "p",
                    "title": "P",
                    "fields": [
                        {"type": "phone", "varname": "tel", "label": "Tél", "international": False},
                        {"type": "number", "varname": "n", "label": "N", "min": 1, "step": 2},
                    ],
                }
            ],
        }
    )
    ok = validate(local, {"tel": "01 23 45 67 89", "n": "5"}, today=TODAY)
    assert (ok.errors, ok.data) == ([], {"tel": "+33123456789", "n": 5})
    bad = validate(local, {"tel": "+44 20 7946 0958", "n": "4"}, today=TODAY)
    assert {e.pointer: e.code for e in bad.errors} == {"/tel": "phone_region", "/n": "invalid_step"}
