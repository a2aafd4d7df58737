"""Third-party applications get tokens from Guichet's OAuth2 endpoints, and the API
accepts them with the right scopes and refuses them without."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import get_application_model

from api.accounts.models import ClientAccess, User
from api.catalog import actions

pytestmark = pytest.mark.django_db
Application = get_application_model()
SECRET = "s3cret-" + "x" * 40
REDIRECT = "https://app.example.org/callback"


@pytest.fixture
def procedure(catalog: Any) -> Any:
    procedure = catalog("salle")
    actions.save_definition(
        procedure,
        {
            "schema_version": 1,
            "pages": [{"id": "p", "title": "P", "fields": [{"type": "text", "varname": "n", "label": "N"}]}],
        },
    )
    return procedure


def server_app(*scopes: str) -> Any:
    app = Application.objects.create(
        name="Catalogue partagé",
        client_id="shared-catalog",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    if scopes:
        ClientAccess.objects.create(application=app, scopes=list(scopes))
    return app


def citizen_app(*scopes: str) -> Any:
    app = Application.objects.create(
        name="Appli de quartier",
        client_id="citizen-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        skip_authorization=True,
    )
    ClientAccess.objects.create(application=app, scopes=list(scopes or ("openid", "profile", "email")))
    return app


def client_credentials(scope: str) -> Any:
    basic = base64.b64encode(f"shared-catalog:{SECRET}".encode()).decode()
    return Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


def test_client_credentials_token_works_with_its_scope_only(procedure: Any) -> None:
    server_app("catalog:read", "procedures:admin")
    granted = client_credentials("procedures:admin")
    assert granted.status_code == 200, granted.content
    token = granted.json()["access_token"]
    assert granted.json()["scope"] == "procedures:admin"

    export = Client().get("/api/procedures/salle/export/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert export.status_code == 200
    assert export.json()["format"] == "guichet.procedure"
    # An application's own token does not stand for a person.
    assert Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403

    narrow = client_credentials("catalog:read").json()["access_token"]
    refused = Client().get("/api/procedures/salle/export/", HTTP_AUTHORIZATION=f"Bearer {narrow}")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert Client().get("/api/procedures/", HTTP_AUTHORIZATION=f"Bearer {narrow}").status_code == 200

    bogus = Client().get("/api/procedures/salle/export/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bogus.status_code == 401
    assert bogus["WWW-Authenticate"].startswith("Bearer")
    assert client_credentials("no-such-scope").status_code == 400


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(citizen: Client, scope: str, challenge: str | None) -> Any:
    params = {
        "response_type": "code",
        "client_id": "citizen-app",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
    }
    if challenge:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return citizen.get("/o/authorize/", params)


def test_authorization_code_with_pkce_acts_for_the_citizen() -> None:
    citizen_app("openid", "profile", "email", "submissions:write", "catalog:read")
    user = User.objects.create_user("anne", "anne@example.org", "pw", first_name="Anne")
    citizen = Client()
    citizen.force_login(user)

    verifier, challenge = pkce()
    redirect = authorize(citizen, "profile", challenge)
    assert redirect.status_code == 302
    query = parse_qs(urlsplit(redirect["Location"]).query)
    assert query["state"] == ["xyz"]
    tokens = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": "citizen-app",
            "code_verifier": verifier,
        },
    )
    assert tokens.status_code == 200, tokens.content
    token = tokens.json()["access_token"]
    me = Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["first_name"] == "Anne"
    # Acting for a citizen never reaches their personal-data export or deletion.
    assert Client().get("/api/me/data/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert Client().delete("/api/me/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403

    # A token without the profile scope cannot read the profile.
    verifier, challenge = pkce()
    code = parse_qs(urlsplit(authorize(citizen, "catalog:read", challenge)["Location"]).query)["code"][0]
    other = (
        Client()
        .post(
            "/o/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "client_id": "citizen-app",
                "code_verifier": verifier,
            },
        )
        .json()["access_token"]
    )
    assert Client().get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403


def test_pkce_is_required_and_the_verifier_checked() -> None:
    citizen_app()
    citizen = Client()
    citizen.force_login(User.objects.create_user("anne", "anne@example.org", "pw"))
    without = authorize(citizen, "profile", None)
    assert "error=invalid_request" in without["Location"]

    _verifier, challenge = pkce()
    code = parse_qs(urlsplit(authorize(citizen, "profile", challenge)["Location"]).query)["code"][0]
    stolen = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": "citizen-app",
            "code_verifier": "wrong" * 10,
        },
    )
    assert stolen.status_code == 400
    assert stolen.json()["error"] == "invalid_grant"


def test_an_application_is_granted_only_what_its_allow_list_says(procedure: Any) -> None:
    server_app()  # no access settings: the least, reading the catalog
    assert client_credentials("procedures:admin").json()["error"] == "invalid_scope"
    asked_more = client_credentials("catalog:read procedures:admin agent")
    assert asked_more.status_code == 200
    assert asked_more.json()["scope"] == "catalog:read"  # the intersection, and the response says so
    token = asked_more.json()["access_token"]
    assert Client().get("/api/procedures/salle/export/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403
    assert Client().get("/api/procedures/salle/versions/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_an_applications_own_token_never_carries_a_persons_scopes() -> None:
    server_app("catalog:read", "openid", "profile", "email")
    refused = client_credentials("openid profile email")
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_scope")
    assert client_credentials("openid catalog:read").json()["scope"] == "catalog:read"


def test_userinfo_with_an_applications_own_token_is_refused_cleanly() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    app = server_app("catalog:read")
    expires = timezone.now() + timedelta(hours=1)
    # Even a token minted before the rule (openid on a client-credentials token).
    get_access_token_model().objects.create(application=app, token="machine", scope="openid profile", expires=expires)
    answer = Client().get("/o/userinfo/", HTTP_AUTHORIZATION="Bearer machine")
    assert answer.status_code in (401, 403), answer.content
    assert b"NoneType" not in answer.content


def test_only_authorization_code_with_s256_is_offered_and_accepted(settings: Any) -> None:
    citizen_app()
    citizen = Client()
    citizen.force_login(User.objects.create_user("anne", "anne@example.org", "pw"))
    verifier = secrets.token_urlsafe(48)
    plain = citizen.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": "citizen-app",
            "redirect_uri": REDIRECT,
            "scope": "profile",
            "code_challenge": verifier,
            "code_challenge_method": "plain",
        },
    )
    assert "code=" not in plain.get("Location", "") and "error=" in plain.get("Location", "error=")
    implicit = citizen.get(
        "/o/authorize/",
        {"response_type": "token", "client_id": "citizen-app", "redirect_uri": REDIRECT, "scope": "profile"},
    )
    assert "access_token=" not in implicit.get("Location", "")

    discovery = Client().get("/o/.well-known/openid-configuration").json()
    assert discovery["response_types_supported"] == ["code"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["issuer"] == settings.PUBLIC_URL + "/o"
