"""Form endpoints: current form, validation, versions and their diff, import and export."""

import json
from copy import deepcopy
from typing import Any

import pytest
from rest_framework.test import APIClient

from api.accounts.models import User
from api.catalog import actions, transfer
from api.catalog.models import CatalogEvent, Procedure, ProcedureVersion
from api.forms.definition import sanitised
from api.forms.tests.samples import EVERY_TYPE

pytestmark = pytest.mark.django_db

SIMPLE = {
    "schema_version": 1,
    "pages": [
        {
            "id": "vous",
            "title": "Vous",
            "fields": [
                {"type": "text", "varname": "nom", "label": "Nom", "required": True},
                {"type": "boolean", "varname": "asso", "label": "Pour une association ?"},
            ],
        },
        {
            "id": "association",
            "title": "Association",
            "condition": {"var": "asso"},
            "fields": [{"type": "siren", "varname": "siren", "label": "SIREN", "required": True}],
        },
    ],
}


@pytest.fixture
def procedure(catalog: Any) -> Procedure:
    procedure = catalog("salle", title="Réserver une salle")
    actions.save_definition(procedure, SIMPLE)
    procedure.refresh_from_db()
    return procedure


@pytest.fixture
def staff() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.create_user("agent", is_staff=True))
    return client


def test_current_form_is_public_for_an_open_procedure(procedure: Procedure, catalog: Any) -> None:
    body = APIClient().get("/api/procedures/salle/form/").json()
    assert (body["procedure"], body["version"], body["definition"], body["choices"]) == ("salle", 1, SIMPLE, {})
    catalog("vide")
    empty = APIClient().get("/api/procedures/vide/form/", HTTP_ACCEPT_LANGUAGE="en")
    assert (empty.status_code, empty.json()["code"]) == (404, "procedure-without-form")


def test_the_form_carries_the_map_only_when_tiles_are_set_and_the_app_may_load_them(
    procedure: Procedure, settings: Any
) -> None:
    client = APIClient()
    assert client.get("/api/procedures/salle/form/").json()["map"] is None
    assert "tiles.example.org" not in client.get("/demarches/")["Content-Security-Policy"]
    settings.GUICHET_MAP_TILES = "https://tiles.example.org/osm/{z}/{x}/{y}.png"
    settings.GUICHET_MAP_ATTRIBUTION = "© OpenStreetMap"
    settings.GUICHET_MAP_POINT = (48.63, 2.33)
    settings.GUICHET_MAP_ZOOM = 15
    assert client.get("/api/procedures/salle/form/").json()["map"] == {
        "tiles": "https://tiles.example.org/osm/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap",
        "center": [48.63, 2.33],
        "zoom": 15,
    }
    policy = dict(part.split(" ", 1) for part in client.get("/demarches/")["Content-Security-Policy"].split("; "))
    assert policy["img-src"] == "'self' data: blob: https://tiles.example.org"
    assert policy["connect-src"] == "'self'"  # images only: nothing else from there


def test_the_app_may_be_sent_on_to_the_sign_in_providers_and_nowhere_else(settings: Any) -> None:
    def form_action() -> str:
        policy = APIClient().get("/compte/connexion")["Content-Security-Policy"]
        return dict(part.split(" ", 1) for part in policy.split("; "))["form-action"]

    assert form_action() == "'self'"
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {"provider_id": "fc", "settings": {"server_url": "https://fc.example.gouv.fr/api/v1"}},
                {"provider_id": "ville", "settings": {"server_url": "https://sso.ville.example:8443/realms/x"}},
                {"provider_id": "bad", "settings": {"server_url": "javascript:alert(1)"}},
            ]
        }
    }
    assert form_action() == "'self' https://fc.example.gouv.fr https://sso.ville.example:8443"


def test_validate_whole_form_and_one_page(procedure: Procedure) -> None:
    client = APIClient()
    ok = client.post("/api/procedures/salle/validate/", {"data": {"nom": " Anne ", "asso": False}}, format="json")
    assert ok.status_code == 200
    assert ok.json() == {"valid": True, "data": {"nom": "Anne", "asso": False}, "visible_pages": ["vous"], "version": 1}

    bad = client.post(
        "/api/procedures/salle/validate/",
        {"data": {"asso": True, "siren": "123"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["code"] == "invalid-answers"
    assert [(p["pointer"], p["code"], p["page"]) for p in bad.json()["invalid_params"]] == [
        ("/data/nom", "required", "vous"),
        ("/data/siren", "invalid_siren", "association"),
    ]
    page = client.post(
        "/api/procedures/salle/validate/",
        {"data": {"asso": True, "siren": "123"}, "page": "association"},
        format="json",
    )
    assert [p["pointer"] for p in page.json()["invalid_params"]] == ["/data/siren"]


def test_validate_against_an_older_version(procedure: Procedure) -> None:
    changed = deepcopy(SIMPLE)
    changed["pages"][0]["fields"][0]["required"] = False
    actions.save_definition(procedure, changed)
    client = APIClient()
    now = client.post("/api/procedures/salle/validate/", {"data": {}}, format="json")
    assert (now.status_code, now.json()["version"]) == (200, 2)
    before = client.post("/api/procedures/salle/validate/", {"data": {}, "version": 1}, format="json")
    assert before.status_code == 400
    missing = client.post("/api/procedures/salle/validate/", {"data": {}, "version": 9}, format="json")
    assert missing.status_code == 404


@pytest.mark.parametrize("body", [{}, {"data": []}, {"data": {}, "version": 0}, {"data": {}, "page": "x" * 64}])
def test_validate_refuses_a_malformed_request(procedure: Procedure, body: Any) -> None:
    response = APIClient().post("/api/procedures/salle/validate/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation-error"


def test_versions_are_immutable_and_only_created_on_change(procedure: Procedure) -> None:
    version, created = actions.save_definition(procedure, SIMPLE)
    assert (version.number, created) == (1, False)
    changed = deepcopy(SIMPLE)
    changed["pages"][0]["title"] = "Vous-même"
    version, created = actions.save_definition(procedure, changed)
    assert (version.number, created) == (2, True)
    procedure.refresh_from_db()
    assert procedure.current_version == version
    first = ProcedureVersion.objects.get(procedure=procedure, number=1)
    first.comment = "changed"
    with pytest.raises(Exception, match="cannot change"):
        first.save()
    assert CatalogEvent.objects.filter(kind="procedure.published").count() == 2


def test_an_invalid_definition_changes_nothing(procedure: Procedure) -> None:
    bad = deepcopy(SIMPLE)
    bad["pages"][0]["fields"][0]["type"] = "unknown"
    with pytest.raises(Exception, match="pages/0/fields/0"):
        actions.save_definition(procedure, bad)
    assert procedure.versions.count() == 1


def test_staff_lists_versions_and_diffs_them(procedure: Procedure, staff: APIClient) -> None:
    changed = deepcopy(SIMPLE)
    changed["pages"][0]["fields"].append({"type": "email", "varname": "courriel", "label": "Courriel"})
    changed["pages"][0]["fields"][0]["label"] = "Nom de famille"
    changed["pages"][1]["fields"].insert(0, changed["pages"][0]["fields"].pop(1))  # move "asso"
    agent = User.objects.create_user("redactrice", is_staff=True)
    actions.save_definition(procedure, changed, comment="courriel", actor=agent)

    versions = staff.get("/api/procedures/salle/versions/").json()
    assert [(v["number"], v["current"], v["comment"]) for v in versions] == [(1, False, ""), (2, True, "courriel")]
    # The first version was loaded without an author: null, as the schema says, not a 500 or "None".
    assert [v["created_by"] for v in versions] == [None, "redactrice"]
    assert staff.get("/api/procedures/salle/versions/1/").json()["definition"] == SIMPLE

    changes = staff.get("/api/procedures/salle/versions/1/diff/2/").json()["changes"]
    assert {(c["change"], c.get("varname")) for c in changes} == {
        ("field_added", "courriel"),
        ("field_changed", "nom"),
        ("field_moved", "asso"),
    }
    nom = next(c for c in changes if c["change"] == "field_changed")
    assert nom["changes"] == {"label": ["Nom", "Nom de famille"]}


def test_staff_endpoints_refuse_the_public(procedure: Procedure) -> None:
    client = APIClient()
    for url in ("/api/procedures/salle/versions/", "/api/procedures/salle/export/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response["Content-Type"] == "application/problem+json"
    assert client.post("/api/procedure-imports/", {}, format="json").status_code == 401
    citizen = APIClient()
    citizen.force_authenticate(User.objects.create_user("citoyen"))
    assert citizen.get("/api/procedures/salle/versions/").status_code == 403


def test_export_then_import_round_trips(procedure: Procedure, staff: APIClient) -> None:
    document = staff.get("/api/procedures/salle/export/").json()
    assert document["format"] == "guichet.procedure"
    assert document["definition"] == SIMPLE
    transfer.check(document)

    document["procedure"]["slug"] = "salle-copie"
    document["definition"] = EVERY_TYPE
    created = staff.post("/api/procedure-imports/", document, format="json")
    assert created.status_code == 201
    assert created.json() == {"procedure": "salle-copie", "version": 1, "created": True}
    copy = Procedure.objects.get(slug="salle-copie")
    assert copy.state == "draft"
    assert copy.current_version is not None and copy.current_version.definition == sanitised(EVERY_TYPE)
    assert "<script>" not in json.dumps(copy.current_version.definition)

    again = staff.post("/api/procedure-imports/", document, format="json")
    assert (again.status_code, again.json()["version"]) == (200, 1)


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda d: d.update(format="other"), "/format"),
        (lambda d: d["procedure"].update(slug="../../etc"), "/procedure/slug"),
        (lambda d: d["definition"]["pages"][0]["fields"][0].update(type="script"), "/definition/pages/0/fields/0/type"),
        (lambda d: d["definition"]["pages"][0].update(condition={"eval": 1}), "/definition/pages/0/condition"),
        (lambda d: d["procedure"]["category"].pop("title"), "/procedure/category"),
    ],
)
def test_a_hostile_import_is_refused_precisely_and_changes_nothing(
    procedure: Procedure, staff: APIClient, change: Any, pointer: str
) -> None:
    document = transfer.export(procedure)
    change(document)
    events = CatalogEvent.objects.count()
    response = staff.post("/api/procedure-imports/", document, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-definition"
    assert any(p["pointer"].startswith(pointer) for p in response.json()["invalid_params"]), response.json()
    assert CatalogEvent.objects.count() == events
    assert ProcedureVersion.objects.count() == 1


def test_paragraph_html_is_stored_and_served_sanitised(procedure: Procedure) -> None:
    document = deepcopy(SIMPLE)
    document["pages"][0]["fields"].insert(
        0,
        {
            "type": "paragraph",
            "varname": "aide",
            "html": '<p onclick="x()">Lire <a href="javascript:x()">ceci</a></p><img src=x onerror=alert(1)>',
        },
    )
    actions.save_definition(procedure, document)
    served = APIClient().get("/api/procedures/salle/form/").json()["definition"]
    assert served["pages"][0]["fields"][0]["html"] == '<p>Lire <a rel="noopener noreferrer">ceci</a></p>'
    # Saving the same unsafe document again is recognised as no change.
    _version, created = actions.save_definition(procedure, document)
    assert created is False


def test_the_form_is_prefilled_from_the_profile_and_locks_verified_fields(procedure: Procedure) -> None:
    from api.accounts import actions as accounts

    document = deepcopy(SIMPLE)
    document["pages"][0]["fields"] = [
        {"type": "text", "varname": "nom", "label": "Nom", "prefill": {"source": "profile", "key": "last_name"}},
        {"type": "text", "varname": "ville", "label": "Ville", "prefill": {"source": "profile", "key": "address.city"}},
        {
            "type": "email",
            "varname": "courriel",
            "label": "Courriel",
            "prefill": {"source": "profile", "key": "email", "locked": True},
        },
        {"type": "text", "varname": "quartier", "label": "Quartier", "prefill": {"source": "query", "key": "quartier"}},
    ]
    actions.save_definition(procedure, document)
    anonymous = APIClient().get("/api/procedures/salle/form/?quartier=gare").json()
    assert (anonymous["prefill"], anonymous["locked"]) == ({"quartier": "gare"}, [])

    user = User.objects.create_user("marie", "marie@example.org", last_name="Curie")
    accounts.update_profile(user, {"address": {"street": "1 rue", "postcode": "91100", "city": "Bellerive"}})
    accounts.record_verified_identity(user, "fc", {"family_name": "Curie"}, ["family_name"])
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/procedures/salle/form/")
    assert response.json()["prefill"] == {"nom": "Curie", "ville": "Bellerive", "courriel": "marie@example.org"}
    assert response.json()["locked"] == ["nom", "courriel"]
    assert response["Cache-Control"] == "private, no-cache"
