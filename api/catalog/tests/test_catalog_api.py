"""The public catalog API: visibility, search, filters, pagination, problems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.catalog.models import ProcedureState

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def slugs(response: Any) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_lists_only_published_procedures_open_now(client: APIClient, catalog: Any) -> None:
    now = timezone.now()
    catalog("ouverte")
    catalog("brouillon", state=ProcedureState.DRAFT)
    catalog("fermee", state=ProcedureState.CLOSED)
    catalog("terminee", opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1))
    catalog("a-venir", opens_at=now + timedelta(days=3))
    catalog("en-cours", opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))

    response = client.get("/api/procedures/")

    assert response.status_code == 200
    assert sorted(slugs(response)) == ["en-cours", "ouverte"]


def test_search_ignores_accents_and_case(client: APIClient, demo: None) -> None:
    # "État civil" is in a title and in a category title.
    both = ["acte-etat-civil", "inscription-listes-electorales"]
    assert slugs(client.get("/api/procedures/", {"q": "etat civil"})) == both
    assert slugs(client.get("/api/procedures/", {"q": "ÉTAT-CIVIL"})) == both
    assert slugs(client.get("/api/procedures/", {"q": "acte etat civil"})) == ["acte-etat-civil"]
    # Keywords and category titles are searched too, every word must match.
    assert slugs(client.get("/api/procedures/", {"q": "cantine"})) == ["inscription-restauration-scolaire"]
    assert slugs(client.get("/api/procedures/", {"q": "electeur"})) == ["inscription-listes-electorales"]
    assert slugs(client.get("/api/procedures/", {"q": "cantine encombrants"})) == []


def test_filters_by_category_and_orders(client: APIClient, demo: None) -> None:
    response = client.get("/api/procedures/", {"category": "voirie-cadre-de-vie"})
    assert slugs(response) == ["collecte-encombrants", "signalement-voirie"]
    response = client.get("/api/procedures/", {"category": "voirie-cadre-de-vie", "ordering": "-title"})
    assert slugs(response) == ["signalement-voirie", "collecte-encombrants"]


def test_the_home_page_lists_the_featured_procedures(client: APIClient, demo: None) -> None:
    featured = ["acte-etat-civil", "inscription-restauration-scolaire", "signalement-voirie"]
    assert slugs(client.get("/api/procedures/", {"featured": "true"})) == featured
    listed = client.get("/api/procedures/", {"featured": "false"}).json()["results"]
    assert listed and not any(item["featured"] for item in listed)
    for wrong in ("peut-être", "", "1"):
        refused = client.get("/api/procedures/", {"featured": wrong})
        assert refused.status_code == 400, wrong
        assert [p["name"] for p in refused.json()["invalid_params"]] == ["featured"]


def test_title_order_ignores_accents_and_case(client: APIClient, catalog: Any) -> None:
    catalog("b", title="Inscription sur les listes")
    catalog("a", title="Inscription à la cantine")
    catalog("c", title="élagage des arbres")
    catalog("d", title="Zone bleue")
    assert slugs(client.get("/api/procedures/")) == ["c", "a", "b", "d"]
    assert slugs(client.get("/api/procedures/", {"ordering": "-title"})) == ["d", "b", "a", "c"]


def test_cursor_pagination_walks_every_procedure_once(client: APIClient, catalog: Any) -> None:
    for index in range(7):
        catalog(f"demarche-{index}", title="Même titre")  # equal titles: the cursor must still be exact
    seen: list[str] = []
    url: str | None = "/api/procedures/?page_size=3"
    while url:
        page = client.get(url).json()
        seen += [item["slug"] for item in page["results"]]
        url = page["next"]
    assert sorted(seen) == [f"demarche-{i}" for i in range(7)]


@pytest.mark.parametrize(
    ("params", "name", "code"),
    [
        ({"category": "inconnue"}, "category", "invalid_choice"),
        ({"q": "x" * 201}, "q", "max_length"),
        ({"ordering": "password"}, "ordering", "invalid"),
        ({"page_size": "abc"}, "page_size", "invalid"),
        ({"page_size": "1000"}, "page_size", "invalid"),
        ({"cursor": "%%%not-a-cursor"}, "cursor", "invalid"),
        ({"cursor": "cD3DqWEmcj0x"}, "cursor", "invalid"),
    ],
)
def test_bad_query_parameters_are_problems(
    client: APIClient, demo: None, params: dict[str, str], name: str, code: str
) -> None:
    response = client.get("/api/procedures/", params, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:guichet:problem:invalid-query"
    assert body["status"] == 400
    assert body["invalid_params"][0] == {
        "name": name,
        "in": "query",
        "pointer": f"/{name}",
        "reason": body["invalid_params"][0]["reason"],
        "code": code,
    }
    assert body["invalid_params"][0]["reason"]


def test_problem_messages_follow_accept_language(client: APIClient, demo: None) -> None:
    french = client.get("/api/procedures/", {"category": "inconnue"}, HTTP_ACCEPT_LANGUAGE="fr").json()
    english = client.get("/api/procedures/", {"category": "inconnue"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert french["title"] == "Certaines valeurs ne sont pas valides."
    assert french["detail"] == "1 valeur n'est pas valide : category."
    assert "Sélectionnez un choix valide" in french["invalid_params"][0]["reason"]
    assert english["title"] == "Some values are not valid."
    assert english["detail"] == "1 value is not valid: category."
    assert "Select a valid choice" in english["invalid_params"][0]["reason"]


def test_wrong_accept_header_is_a_problem(client: APIClient, demo: None) -> None:
    response = client.get("/api/procedures/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not-acceptable"


def test_unknown_path_and_method_are_problems(client: APIClient, demo: None) -> None:
    missing = client.get("/api/nothing-here/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["code"] == "not-found"
    post = client.post("/api/procedures/", {}, format="json")
    assert post.status_code in (403, 405)  # CSRF first for session clients, then the method
    assert post["Content-Type"] == "application/problem+json"


def test_procedure_detail_sanitises_the_description(client: APIClient, catalog: Any) -> None:
    catalog(
        "riche",
        description='<p onclick="x()">Bonjour <script>alert(1)</script><a href="javascript:alert(1)">lien</a></p>',
    )
    body = client.get("/api/procedures/riche/").json()
    assert body["description"] == '<p>Bonjour <a rel="noopener noreferrer">lien</a></p>'
    assert body["category"] == {"slug": "general", "title": "General"}


def test_procedure_detail_says_what_to_prepare_how_long_and_who_handles_it(client: APIClient, catalog: Any) -> None:
    from api.accounts import actions as accounts

    role, _ = accounts.upsert_role("etat-civil", "État civil")
    catalog(
        "acte",
        preparation=["  Un justificatif d'identité ", "", "La date de naissance"],
        processing_days=10,
        receiver_role=role,
    )
    catalog("sans-details")
    body = client.get("/api/procedures/acte/").json()
    assert body["preparation"] == ["Un justificatif d'identité", "La date de naissance"]
    assert (body["processing_days"], body["handled_by"]) == (10, "État civil")
    body = client.get("/api/procedures/sans-details/").json()
    assert (body["preparation"], body["processing_days"], body["handled_by"]) == ([], None, None)
    assert "preparation" not in client.get("/api/procedures/").json()["results"][0]  # the list stays light


@pytest.mark.parametrize(
    ("preparation", "code"),
    [
        ("une ligne", "invalid"),
        ([1, 2], "invalid"),
        (["nul \x00 caractère"], "invalid"),
        (["x"] * 21, "too-many"),
        (["x" * 201], "too-long"),
    ],
)
def test_what_to_prepare_is_a_few_short_lines(catalog: Any, preparation: Any, code: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        catalog("acte", preparation=preparation)
    assert [e.code for e in refused.value.error_dict["preparation"]] == [code]


def test_closed_procedure_says_why_in_french_and_english(client: APIClient, catalog: Any) -> None:
    closed_at = timezone.now() - timedelta(days=2)
    catalog("centre-loisirs", title="Centre de loisirs", opens_at=closed_at - timedelta(days=30), closes_at=closed_at)

    french = client.get("/api/procedures/centre-loisirs/", HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get("/api/procedures/centre-loisirs/", HTTP_ACCEPT_LANGUAGE="en")

    assert french.status_code == 410
    assert french["Content-Type"] == "application/problem+json"
    assert french.json()["code"] == "procedure-closed"
    assert french.json()["detail"].startswith("La démarche « Centre de loisirs » est fermée depuis le ")
    assert english.json()["detail"].startswith("The procedure “Centre de loisirs” closed on ")
    assert english.json()["procedure"] == {"slug": "centre-loisirs", "title": "Centre de loisirs"}


def test_closed_state_and_not_yet_open_and_draft(client: APIClient, catalog: Any) -> None:
    catalog("fermee", state=ProcedureState.CLOSED)
    catalog("bientot", opens_at=timezone.now() + timedelta(days=5))
    catalog("brouillon", state=ProcedureState.DRAFT)

    closed = client.get("/api/procedures/fermee/", HTTP_ACCEPT_LANGUAGE="en")
    assert (closed.status_code, closed.json()["detail"]) == (410, "The procedure “Fermee” is closed.")
    soon = client.get("/api/procedures/bientot/", HTTP_ACCEPT_LANGUAGE="fr")
    assert soon.status_code == 403
    assert soon.json()["code"] == "procedure-not-yet-open"
    assert soon.json()["detail"].startswith("La démarche « Bientot » ouvrira le ")
    draft = client.get("/api/procedures/brouillon/")
    assert draft.status_code == 404
    assert draft.json()["code"] == "not-found"


def test_categories_count_open_procedures(client: APIClient, demo: None) -> None:
    categories = {c["slug"]: c for c in client.get("/api/categories/").json()}
    assert len(categories) == 5
    # The summer centre closed in June 2026: only the canteen is open in that category.
    assert categories["enfance-education"]["procedure_count"] == 1
    assert categories["voirie-cadre-de-vie"]["procedure_count"] == 2
    assert list(categories) == sorted(categories, key=lambda slug: categories[slug]["position"])


def test_catalog_reads_are_conditional(client: APIClient, catalog: Any) -> None:
    catalog("premiere")
    first = client.get("/api/procedures/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"

    assert client.get("/api/procedures/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/procedures/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    catalog("premiere", summary="Un autre résumé")
    changed = client.get("/api/procedures/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_last_modified_is_the_latest_change_or_passed_opening_or_closing(catalog: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from api.catalog import queries
    from api.catalog.models import CatalogEvent

    assert queries.last_modified() is None
    catalog("premiere")
    latest_event = CatalogEvent.objects.latest("created_at").created_at
    assert queries.last_modified() == latest_event
    now = timezone.now()
    opened, closes, future = now + timedelta(hours=1), now + timedelta(hours=2), now + timedelta(days=9)
    catalog("ouverte", opens_at=opened, closes_at=future)
    catalog("fermee", closes_at=closes)
    after_events = CatalogEvent.objects.latest("created_at").created_at
    assert queries.last_modified(now) == after_events  # nothing has opened or closed yet
    assert queries.last_modified(opened + timedelta(minutes=1)) == opened
    assert queries.last_modified(closes + timedelta(minutes=1)) == closes
    assert queries.last_modified(future + timedelta(minutes=1)) == future
