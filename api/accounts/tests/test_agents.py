"""Agents act only for their roles, and with a second factor when the setting asks for it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client, override_settings
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts import actions
from api.accounts.models import ClientAccess, Role, User
from api.catalog import actions as catalog_actions

pytestmark = pytest.mark.django_db
AUTH = "/api/auth/browser/v1"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def roles(catalog: Any) -> dict[str, Role]:
    civil = Role.objects.create(slug="etat-civil", name="État civil")
    roads = Role.objects.create(slug="voirie", name="Voirie")
    for slug, role in (("acte", civil), ("mariage", civil), ("nid-de-poule", roads), ("orpheline", None)):
        catalog(slug)
        catalog_actions.upsert_procedure(slug, {"receiver_role": role})
    return {"civil": civil, "roads": roads}


def agent(username: str, role: Role | None = None, **extra: Any) -> User:
    user = User.objects.create_user(username, f"{username}@mairie.example", PASSWORD, **extra)
    if role is not None:
        actions.grant_role(user, role)
    return user


def slugs(response: Any) -> list[str]:
    return [item["slug"] for item in response.json()]


def test_an_agent_sees_only_the_procedures_of_their_roles(roles: dict[str, Role]) -> None:
    client = Client()
    client.force_login(agent("claire", roles["civil"]))
    assert slugs(client.get("/api/agent/procedures/")) == ["acte", "mariage"]
    other = Client()
    other.force_login(agent("paul", roles["roads"]))
    assert slugs(other.get("/api/agent/procedures/")) == ["nid-de-poule"]
    admin = Client()
    admin.force_login(agent("root", is_superuser=True, is_staff=True))
    assert slugs(admin.get("/api/agent/procedures/")) == ["acte", "mariage", "nid-de-poule"]


def test_citizens_and_the_public_are_not_agents(roles: dict[str, Role]) -> None:
    assert Client().get("/api/agent/procedures/").status_code == 401
    citizen = Client()
    citizen.force_login(agent("anne"))
    assert citizen.get("/api/agent/procedures/").status_code == 403


def test_role_grants_and_revocations_are_recorded(roles: dict[str, Role]) -> None:
    user = agent("claire", roles["civil"])
    assert actions.revoke_role(user, roles["civil"]) is True
    assert actions.revoke_role(user, roles["civil"]) is False
    kinds = list(user.account_events.values_list("kind", "payload__role"))
    assert kinds == [("role.granted", "etat-civil"), ("role.revoked", "etat-civil")]


def test_an_application_acts_for_the_role_it_is_attached_to(roles: dict[str, Role]) -> None:
    Application = get_application_model()
    app = Application.objects.create(
        name="Logiciel métier voirie",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    ClientAccess.objects.create(application=app, role=roles["roads"])
    expires = timezone.now() + timedelta(hours=1)
    Token = get_access_token_model()
    with_scope = Token.objects.create(application=app, token="t-agent", scope="agent", expires=expires)
    without = Token.objects.create(application=app, token="t-catalog", scope="catalog:read", expires=expires)
    listing = Client().get("/api/agent/procedures/", HTTP_AUTHORIZATION=f"Bearer {with_scope.token}")
    assert slugs(listing) == ["nid-de-poule"]
    assert Client().get("/api/agent/procedures/", HTTP_AUTHORIZATION=f"Bearer {without.token}").status_code == 403


#: The authenticator's clock, fixed in the middle of a 30-second window: codes computed
#: here are the codes the server expects, whenever the test runs (no boundary flake).
TOTP_NOW = 1_800_000_015


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, TOTP_NOW // 30))


@pytest.fixture
def totp_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("allauth.mfa.totp.internal.auth.time", SimpleNamespace(time=lambda: TOTP_NOW))


@override_settings(GUICHET_AGENT_MFA_REQUIRED=True)
def test_agents_need_a_second_factor_when_required(roles: dict[str, Role], totp_clock: None) -> None:
    claire = agent("claire", roles["civil"])
    EmailAddress.objects.create(user=claire, email=claire.email, verified=True, primary=True)
    client = Client()
    logged = client.post(
        AUTH + "/auth/login", {"email": "claire@mairie.example", "password": PASSWORD}, content_type="application/json"
    )
    assert logged.status_code == 200, logged.content
    refused = client.get("/api/agent/procedures/", HTTP_ACCEPT_LANGUAGE="en")
    assert (refused.status_code, refused.json()["code"]) == (403, "mfa-required")

    # Set up an authenticator app (TOTP) after confirming the password, then sign in again with it.
    assert (
        client.post(AUTH + "/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json").status_code
        == 200
    )
    setup = client.get(AUTH + "/account/authenticators/totp")
    secret = setup.json()["meta"]["secret"]
    activated = client.post(
        AUTH + "/account/authenticators/totp", {"code": totp_code(secret)}, content_type="application/json"
    )
    assert activated.status_code == 200, activated.json()
    client.delete(AUTH + "/auth/session")

    fresh = Client()
    pending = fresh.post(
        AUTH + "/auth/login", {"email": "claire@mairie.example", "password": PASSWORD}, content_type="application/json"
    )
    assert (pending.status_code, pending.json()["code"]) == (401, "mfa-authenticate-pending")
    second = fresh.post(AUTH + "/auth/2fa/authenticate", {"code": totp_code(secret)}, content_type="application/json")
    assert second.status_code == 200, second.content
    assert slugs(fresh.get("/api/agent/procedures/")) == ["acte", "mariage"]


# Committed as in production: allauth tells of the new authenticator once its row is committed,
# before the response saves the session.
@pytest.mark.django_db(transaction=True)
@override_settings(GUICHET_AGENT_MFA_REQUIRED=True)
def test_an_agent_who_sets_up_the_app_when_asked_goes_on_in_the_same_session(
    roles: dict[str, Role], totp_clock: None
) -> None:
    from api.accounts.models import AccountEvent

    claire = agent("claire", roles["civil"])
    EmailAddress.objects.create(user=claire, email=claire.email, verified=True, primary=True)
    client = Client()
    body = {"email": "claire@mairie.example", "password": PASSWORD}
    assert client.post(AUTH + "/auth/login", body, content_type="application/json").status_code == 200
    assert client.get("/api/agent/procedures/").json()["code"] == "mfa-required"
    # As the back office does: the password confirmed, then the app's code.
    confirmed = client.post(AUTH + "/auth/reauthenticate", {"password": PASSWORD}, content_type="application/json")
    assert confirmed.status_code == 200
    # A wrong code sets nothing up and opens nothing.
    secret = client.get(AUTH + "/account/authenticators/totp").json()["meta"]["secret"]
    wrong = client.post(AUTH + "/account/authenticators/totp", {"code": "000000"}, content_type="application/json")
    assert wrong.status_code == 400
    assert client.get("/api/agent/procedures/").status_code == 403

    activated = client.post(
        AUTH + "/account/authenticators/totp", {"code": totp_code(secret)}, content_type="application/json"
    )
    assert activated.status_code == 200, activated.content
    assert slugs(client.get("/api/agent/procedures/")) == ["acte", "mariage"]
    kinds = list(AccountEvent.objects.filter(user=claire).values_list("kind", "payload"))
    assert ("account.second_factor_added", {"type": "totp"}) in kinds
    # Another session of the same person still owes the second factor.
    other = Client()
    pending = other.post(AUTH + "/auth/login", body, content_type="application/json")
    assert (pending.status_code, pending.json()["code"]) == (401, "mfa-authenticate-pending")
