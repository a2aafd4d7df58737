"""Every upload route works for every kind of caller that may use it: a signed-in
person (session cookie and CSRF header), an application acting for that person
(OAuth2 token), and someone without an account (resume secret)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts.models import User
from api.catalog.models import Procedure

from .test_attachments import FORM, jpeg_with_location

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(catalog: Any, settings: Any, tmp_path: Path) -> Procedure:
    from api.catalog import actions as catalog_actions

    settings.MEDIA_ROOT = tmp_path / "media"
    procedure = catalog("voirie")
    catalog_actions.save_definition(procedure, FORM)
    return procedure


def session_caller() -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user("anne", "anne@example.org"))
    client.get("/api/auth/browser/v1/config")
    return client, {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def oauth_caller() -> tuple[Client, dict[str, str]]:
    user = User.objects.create_user("bruno", "bruno@example.org")
    app = get_application_model().objects.create(
        name="Appli", client_type="public", authorization_grant_type="authorization-code", user=None
    )
    get_access_token_model().objects.create(
        application=app, user=user, token="acting-for-bruno", scope="submissions:write",
        expires=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    return Client(), {"HTTP_AUTHORIZATION": "Bearer acting-for-bruno"}


def anonymous_caller() -> tuple[Client, dict[str, str]]:
    return Client(), {"HTTP_X_RESUME_TOKEN": "a-secret-chosen-by-this-phone-0123456789"}


@pytest.mark.parametrize("caller", [session_caller, oauth_caller, anonymous_caller], ids=["session", "oauth2", "anon"])
def test_every_upload_route_works_for_this_caller(
    procedure: Procedure, caller: Callable[[], tuple[Client, dict[str, str]]]
) -> None:
    client, auth = caller()
    draft = client.post("/api/procedures/voirie/submissions/", {"data": {}}, content_type="application/json", **auth)
    assert draft.status_code == 201, draft.content
    draft_id = draft.json()["id"]
    photo = jpeg_with_location()

    direct = client.post(
        f"/api/submissions/{draft_id}/attachments/?field=photo",
        photo,
        content_type="image/jpeg",
        HTTP_CONTENT_DISPOSITION='attachment; filename="trou.jpg"',
        **auth,
    )
    assert direct.status_code == 201, direct.content

    announced = client.post(
        f"/api/submissions/{draft_id}/uploads/",
        {"name": "trou.jpg", "size": len(photo), "field": "photo"},
        content_type="application/json",
        **auth,
    )
    assert announced.status_code == 201, announced.content
    finished = client.patch(
        f"/api/uploads/{announced.json()['id']}/",
        photo,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET="0",
        **auth,
    )
    assert finished.status_code == 201, finished.content

    removed = client.delete(f"/api/attachments/{direct.json()['id']}/", **auth)
    assert removed.status_code == 204, removed.content


def test_a_session_upload_without_the_csrf_header_is_refused_as_csrf(procedure: Procedure) -> None:
    client, auth = session_caller()
    draft = client.post("/api/procedures/voirie/submissions/", {"data": {}}, content_type="application/json", **auth)
    refused = client.post(
        f"/api/submissions/{draft.json()['id']}/attachments/?field=photo",
        jpeg_with_location(),
        content_type="image/jpeg",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "csrf-failed")
    assert refused.json()["type"] == "urn:guichet:problem:csrf-failed"
