"""Sign in with an external OpenID Connect provider (FranceConnect's protocol), against
a real provider: a second Guichet process, with its own database, serving OpenID
Connect through django-oauth-toolkit. The citizen's claims fill the profile and
the fields the provider vouched for are locked."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client, override_settings

from conftest import ROOT, free_port, wait_for_port

SECRET = "rp-secret-" + "y" * 40
CALLBACK = "http://testserver/accounts/oidc/fc/login/callback/"
PROVIDER_SETUP = f"""
from allauth.account.models import EmailAddress
from oauth2_provider.models import get_application_model
from api.accounts.models import ClientAccess, Profile, User
import datetime
marie = User.objects.create_user("marie", "marie.curie@example.org", "radium-polonium-1867",
    first_name="Marie", last_name="Curie")
EmailAddress.objects.create(user=marie, email=marie.email, verified=True, primary=True)
Profile.objects.create(user=marie, birthdate=datetime.date(1867, 11, 7))
App = get_application_model()
rp = App.objects.create(name="Guichet RP", client_id="guichet-rp", client_secret="{SECRET}",
    client_type=App.CLIENT_CONFIDENTIAL, authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
    redirect_uris="{CALLBACK}", algorithm=App.RS256_ALGORITHM, skip_authorization=True)
ClientAccess.objects.create(application=rp, scopes=["openid", "profile", "email"])
"""


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "GUICHET_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'provider.sqlite3'}",
        "GUICHET_VAR_DIR": str(tmp_path),
        "PUBLIC_URL": url,
    }
    for name in ("GUICHET_TEST_SQLITE", "REDIS_URL"):
        env.pop(name, None)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "shell", "-c", PROVIDER_SETUP], cwd=ROOT, env=env, check=True)
    log = (tmp_path / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "api.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, tmp_path / "provider.log")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def rp_settings(provider: str) -> dict[str, Any]:
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "fc",
                    "name": "FranceConnect (test)",
                    "client_id": "guichet-rp",
                    "secret": SECRET,
                    "settings": {
                        "server_url": provider + "/o",
                        "scope": ["openid", "profile", "email"],
                        "verified_claims": ["given_name", "family_name", "birthdate", "email"],
                        "token_auth_method": "client_secret_post",
                    },
                }
            ],
        }
    }


def sign_in_at_provider(provider: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{provider}/api/auth/browser/v1/config", timeout=10)
    response = session.post(
        f"{provider}/api/auth/browser/v1/auth/login",
        json={"email": "marie.curie@example.org", "password": "radium-polonium-1867"},
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return session


@pytest.mark.django_db
def test_first_login_creates_the_account_with_verified_locked_fields(provider: str) -> None:
    with override_settings(SOCIALACCOUNT_PROVIDERS=rp_settings(provider)):
        citizen = Client()
        start = citizen.post(
            "/api/auth/browser/v1/auth/provider/redirect",
            {"provider": "fc", "callback_url": "/compte", "process": "login"},
        )
        assert start.status_code == 302
        authorize = start["Location"]
        assert authorize.startswith(f"{provider}/o/authorize/")
        assert "code_challenge=" in authorize

        at_provider = sign_in_at_provider(provider)
        back = at_provider.get(authorize, allow_redirects=False, timeout=10)
        assert back.status_code == 302, back.text[:500]
        callback = urlsplit(back.headers["Location"])
        assert callback.path == "/accounts/oidc/fc/login/callback/"

        finished = citizen.get(f"{callback.path}?{callback.query}")
        assert finished.status_code == 302, finished.content[:500]
        assert finished["Location"] == "/compte"

        me = citizen.get("/api/me/").json()
        assert (me["first_name"], me["last_name"], me["birthdate"], me["email"]) == (
            "Marie",
            "Curie",
            "1867-11-07",
            "marie.curie@example.org",
        )
        assert set(me["verified"]) == {"first_name", "last_name", "birthdate", "email"}
        assert {v["provider"] for v in me["verified"].values()} == {"fc"}

        locked = citizen.patch("/api/me/", {"last_name": "Sklodowska"}, content_type="application/json")
        assert locked.status_code == 400
        assert locked.json()["invalid_params"][0]["pointer"] == "/last_name"
        assert citizen.patch("/api/me/", {"phone": "0612345678"}, content_type="application/json").status_code == 200
