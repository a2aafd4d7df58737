"""The theme over HTTP: served to anyone as JSON and as a stylesheet, revalidated with
its ETag; applied by administrators only, with every colour pair brought to WCAG AA and
the administrator told which and why; bad tokens refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from api.accounts.models import User
from api.theme.models import ThemeEvent
from api.theme.tokens import DEFAULT_COLOURS

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.create_user("admin", is_staff=True))
    return client


def test_the_default_theme_is_served_as_json_and_css_and_revalidated() -> None:
    client = APIClient()
    body = client.get("/api/theme/")
    assert body.status_code == 200
    assert body.json()["colours"] == DEFAULT_COLOURS
    assert body.json()["revision"] == 0
    again = client.get("/api/theme/", HTTP_IF_NONE_MATCH=body["ETag"])
    assert again.status_code == 304
    css = client.get("/api/theme.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert "--guichet-color-primary: #1d4e89;" in css.content.decode()
    assert client.get("/api/theme.css", HTTP_IF_NONE_MATCH=css["ETag"]).status_code == 304


def test_only_administrators_apply_a_theme(admin: APIClient) -> None:
    citizen = APIClient()
    citizen.force_authenticate(User.objects.create_user("anne"))
    for client in (APIClient(), citizen):
        refused = client.put("/api/theme/", {"name": "Ville"}, format="json")
        assert refused.status_code in (401, 403)
        assert refused["Content-Type"] == "application/problem+json"
    assert not ThemeEvent.objects.exists()


def test_an_applied_theme_has_every_pair_readable_and_says_what_it_corrected(admin: APIClient) -> None:
    before = APIClient().get("/api/theme.css")
    applied = admin.put(
        "/api/theme/",
        {
            "name": "Bellerive-sur-Orge",
            "colours": {"primary": "#FFCC00", "surface": "white", "border": "hsl(0 0% 85%)"},
            "fonts": {"body": "Marianne, Arial, sans-serif"},
            "radius": "4px",
            "links": [{"kind": "legal", "label": "Mentions légales", "url": "https://bellerive.example/mentions"}],
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert applied.status_code == 200, applied.content
    body = applied.json()
    fixed = {c["token"]: c for c in body["corrections"]}  # the last correction of each
    assert set(fixed) == {"primary", "border", "focus"}  # the focus ring is drawn on the primary colour
    first = next(c for c in body["corrections"] if c["token"] == "primary")
    assert first["was"] == "#ffcc00" and first["ratio_was"] < 4.5 <= first["ratio_now"]
    assert "links on cards" in first["message"]
    assert body["colours"]["primary"] == fixed["primary"]["now"] != "#000000"
    assert body["fonts"] == {"body": "Marianne, Arial, sans-serif", "headings": "Marianne, Arial, sans-serif"}
    assert body["revision"] == 1
    event = ThemeEvent.objects.get()
    assert (event.kind, event.payload["revision"]) == ("theme.applied", 1)
    assert [c["token"] for c in event.payload["corrections"]] == [c["token"] for c in body["corrections"]]
    # What everyone is served changed with it, under a new ETag.
    css = APIClient().get("/api/theme.css", HTTP_IF_NONE_MATCH=before["ETag"])
    assert css.status_code == 200
    text = css.content.decode()
    assert f"--guichet-color-primary: {fixed['primary']['now']};" in text
    assert "--guichet-font-family: Marianne, Arial, sans-serif;" in text
    assert "--guichet-radius: 4px;" in text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colours": {"primary": "not a colour"}}, "colours.primary"),
        ({"colours": {"primary": "rgb(0 0 0 / 40%)"}}, "colours.primary"),
        ({"colours": {"sparkle": "#fff"}}, "colours"),
        ({"fonts": {"body": "Arial; } body { display: none"}}, "fonts.body"),
        ({"fonts": {"body": "x, url(https://evil.example/font)"}}, "fonts.body"),
        ({"radius": "calc(100vw)"}, "radius"),
        ({"links": [{"kind": "legal", "label": "x", "url": "javascript:alert(1)"}]}, "links"),
    ],
)
def test_bad_tokens_are_refused_naming_the_field_and_nothing_changes(admin: APIClient, body: Any, field: str) -> None:
    refused = admin.put("/api/theme/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400, refused.content
    names = [p["name"] for p in refused.json()["invalid_params"]]
    assert any(name == field or name.startswith(field + ".") for name in names), names
    assert not ThemeEvent.objects.exists()
    assert APIClient().get("/api/theme/").json()["revision"] == 0


def test_the_apps_built_in_defaults_are_the_default_theme() -> None:
    """The app's stylesheet carries the default theme for when /api/theme.css cannot be
    read: the same colours, token for token."""
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "pwa" / "src" / "app" / "app.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    found = dict(re.findall(r"--guichet-color-([a-z-]+):\s*(#[0-9a-f]{6});", root))
    assert {name.replace("-", "_"): value for name, value in found.items()} == DEFAULT_COLOURS
