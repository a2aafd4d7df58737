"""Hostile probes against a real daphne server: third-party applications (scopes,
tokens without a person, the feed), a signed-in person's uploads and answers, and
the details that integrators trip on (problem language, If-Match, the issuer)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts.models import ClientAccess, User

from .conftest import SECRET, Http, new_draft

APP_SECRET = "probe-app-secret-" + "s" * 40


def application(*scopes: str, role: Any = None) -> Any:
    app = get_application_model().objects.create(
        name="Probe app",
        client_id="probe-app",
        client_secret=APP_SECRET,
        client_type="confidential",
        authorization_grant_type="client-credentials",
    )
    if scopes or role:
        ClientAccess.objects.create(application=app, scopes=list(scopes), role=role)
    return app


def token_for(http: Http, scope: str) -> Any:
    basic = base64.b64encode(f"probe-app:{APP_SECRET}".encode()).decode()
    return http(
        "POST",
        "/o/token/",
        raw=f"grant_type=client_credentials&scope={scope}".encode(),
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
    )


def test_an_application_gets_only_its_allowed_scopes_and_nothing_of_a_person(served: Any) -> None:
    application("catalog:read", "openid", "profile")  # the allow-list even names person scopes
    _, http = served()
    assert json.loads(token_for(http, "procedures:admin").body)["error"] == "invalid_scope"
    granted = json.loads(token_for(http, "catalog:read procedures:admin openid profile").body)
    assert granted["scope"] == "catalog:read"
    bearer = {"Authorization": f"Bearer {granted['access_token']}"}
    assert http("GET", "/api/procedures/probe/export/", headers=bearer).status == 403
    userinfo = http("GET", "/o/userinfo/", headers=bearer)
    assert userinfo.status in (401, 403) and b"NoneType" not in userinfo.body


def test_userinfo_with_an_old_machine_token_holding_openid_is_not_a_server_error(served: Any) -> None:
    app = application("catalog:read")
    get_access_token_model().objects.create(
        application=app, token="old-machine", scope="openid profile", expires=timezone.now() + timedelta(hours=1)
    )
    _, http = served()
    answer = http("GET", "/o/userinfo/", headers={"Authorization": "Bearer old-machine"})
    assert answer.status == 403, answer.body


def test_an_application_alone_cannot_send_and_the_feed_says_what_it_lacks(served: Any) -> None:
    application("submissions:write", "submissions:read")
    _, http = served()
    granted = json.loads(token_for(http, "submissions:write submissions:read").body)
    bearer = {"Authorization": f"Bearer {granted['access_token']}"}
    draft = http("POST", "/api/procedures/probe/submissions/", {"data": {"nom": "A"}}, headers=bearer).json()
    secret = {"X-Resume-Token": draft["resume_token"]}
    sent = http("POST", f"/api/submissions/{draft['id']}/submit/", headers={**bearer, **secret})
    assert (sent.status, sent.code) == (403, "person-required")
    feed = http("GET", "/api/events/", headers=bearer)
    assert (feed.status, feed.code) == (403, "application-without-role")


def test_discovery_names_the_issuer_at_the_port_served(served: Any) -> None:
    # No PUBLIC_URL: in development it follows PORT, as honcho sets it.
    from api.devenv import rsa_private_key

    server, http = served(
        GUICHET_ENV="development",
        SECRET_KEY="django-insecure-" + "d" * 50,
        OIDC_RSA_PRIVATE_KEY=rsa_private_key(),
        PUBLIC_URL=None,
    )
    port = server.url.rsplit(":", 1)[1]
    discovery = http("GET", "/o/.well-known/openid-configuration").json()
    assert discovery["issuer"] == f"http://127.0.0.1:{port}/o"
    assert discovery["response_types_supported"] == ["code"]
    assert discovery["code_challenge_methods_supported"] == ["S256"]


def signed_in(http: Http, user: User) -> dict[str, str]:
    from tests.test_api_fuzz import session_headers

    return session_headers(user)


def test_a_signed_in_person_uploads_saves_with_if_match_star_and_reads_french_problems(served: Any) -> None:
    anne = User.objects.create_user("anne", "anne@example.org")
    _, http = served()
    session = signed_in(http, anne)
    draft = http("POST", "/api/procedures/probe/submissions/", {"data": {}}, headers=session).json()
    photo = http(
        "POST",
        f"/api/submissions/{draft['id']}/attachments/?field=photos",
        raw=base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
        ),
        headers={**session, "Content-Type": "image/png", "Content-Disposition": 'attachment; filename="p.png"'},
    )
    assert photo.status == 201, photo.body
    saved = http(
        "PATCH",
        f"/api/submissions/{draft['id']}/",
        {"data": {"nom": "Anne", "photos": [{"id": photo.json()["id"]}]}},
        headers={**session, "If-Match": "*"},
    )
    assert saved.status == 200
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = http("PATCH", "/api/me/", {"birthdate": future}, headers={**session, "Accept-Language": "fr"})
    assert refused.status == 400 and refused.json()["title"] == "Certaines valeurs ne sont pas valides."
    forged = http("POST", f"/api/submissions/{draft['id']}/submit/", headers={"Cookie": session["Cookie"]})
    assert (forged.status, forged.code) == (403, "csrf-failed")
    assert http("POST", f"/api/submissions/{draft['id']}/submit/", headers=session).status == 200
    mine = http("GET", "/api/me/data/", headers=session).json()
    assert [r["id"] for r in mine["requests"]] == [draft["id"]]
    assert [f["name"] for f in mine["requests"][0]["files"]] == ["p.png"]


def test_a_replayed_draft_creation_without_the_secret_never_returns_it(served: Any) -> None:
    _, http = served()
    first = new_draft(http, **{"Idempotency-Key": "k-1"})
    assert first.json()["resume_token"] == SECRET
    for headers in ({"Idempotency-Key": "k-1"}, {"Idempotency-Key": "k-1", "X-Resume-Token": "x" * 40}):
        again = http("POST", "/api/procedures/probe/submissions/", {"data": {"nom": "Anne"}}, headers=headers)
        assert SECRET not in again.body.decode()
