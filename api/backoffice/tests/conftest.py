"""The demo town's procedures and workflows, its agents, and requests sent by a citizen."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.accounts import actions as accounts
from api.accounts.models import Role, User
from api.catalog.demo import RECEIVERS

ADDRESS = {"street": "1 place de la Mairie", "postcode": "91190", "city": "Bellerive-sur-Orge"}
IDENTITY = {"nom": "Dupont", "prenom": "Anne", "courriel": "anne.dupont@example.org"}
SIMPLE = {**IDENTITY, "message": "Bonjour, je souhaite faire cette demande."}


def answers(slug: str) -> dict[str, Any]:
    """Valid answers to each demo procedure's form."""
    in_three_weeks = (timezone.localdate() + timedelta(days=21)).isoformat()
    return {
        "acte-etat-civil": {
            **IDENTITY,
            "type_acte": "naissance",
            "format": "extrait_sans_filiation",
            "qualite": "titulaire",
            "exemplaires": 1,
            "titulaire_nom": "Dupont",
            "titulaire_prenoms": "Anne Marie",
            "date_evenement": "1990-05-04",
            "adresse_envoi": ADDRESS,
        },
        "signalement-voirie": {"nature": "nid_de_poule", "lieu": {"lat": 48.65, "lon": 2.35}},
        "inscription-restauration-scolaire": {
            **IDENTITY,
            "enfants": [
                {"prenom": "Léo", "nom": "Dupont", "naissance": "2018-03-02", "ecole": "tilleuls", "jours": ["lundi"]}
            ],
        },
        "occupation-domaine-public": {
            **IDENTITY,
            "motif": "demenagement",
            "adresse_occupation": ADDRESS,
            "debut": in_three_weeks,
            "jours": 2,
            "surface": 10,
        },
        "inscription-listes-electorales": SIMPLE,
        "collecte-encombrants": SIMPLE,
        "centre-loisirs-ete-2026": SIMPLE,
        "reservation-salle-des-fetes": SIMPLE,
    }[slug]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """The demo content, one agent per role (named after it) and a citizen."""
    call_command("load_demo", stdout=io.StringIO())
    agents = {}
    for role in Role.objects.all():
        agent = User.objects.create_user(f"agent-{role.slug}", email=f"{role.slug}@mairie.example", first_name="Agent")
        accounts.grant_role(agent, role)
        agents[role.slug] = agent
    anne = User.objects.create_user("anne", email="anne.dupont@example.org", first_name="Anne", last_name="Dupont")
    return {"agents": agents, "citizen": anne, "receivers": RECEIVERS}


@pytest.fixture
def send(demo: dict[str, Any]) -> Callable[..., dict[str, Any]]:
    """Send a request of a demo procedure as the citizen; its body as the citizen reads it."""

    def make(slug: str, data: dict[str, Any] | None = None, client: Client | None = None) -> dict[str, Any]:
        client = client or client_for(demo["citizen"])
        draft = client.post(
            f"/api/procedures/{slug}/submissions/", {"data": data or answers(slug)}, content_type="application/json"
        )
        assert draft.status_code == 201, draft.content
        sent = client.post(f"/api/submissions/{draft.json()['id']}/submit/", content_type="application/json")
        assert sent.status_code == 200, sent.content
        body: dict[str, Any] = sent.json()
        return body

    return make


def act(client: Client, request_id: str, action: str, **body: Any) -> Any:
    return client.post(
        f"/api/agent/requests/{request_id}/actions/", {"action": action, **body}, content_type="application/json"
    )
