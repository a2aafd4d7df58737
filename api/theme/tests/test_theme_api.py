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
    # The shell's theme-color before the served theme is read: the default primary colour.
    html = (Path(__file__).resolve().parents[3] / "pwa" / "index.html").read_text()
    assert f'<meta name="theme-color" content="{DEFAULT_COLOURS["primary"]}" />' in html


def test_an_administrator_uploads_a_logo_recognised_by_its_bytes(admin: APIClient) -> None:
    from api.theme.models import ThemeAsset

    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<rect width="10" height="10"/></svg>'
    )
    stored = admin.post("/api/theme/assets/?kind=logo", svg, content_type="image/png")
    assert stored.status_code == 201, stored.content
    assert stored.json()["content_type"] == "image/svg+xml"  # what it is, not what it was called
    served = APIClient().get(stored.json()["src"])
    assert served.content == svg and served["Content-Security-Policy"].endswith("sandbox")
    assert admin.put("/api/theme/", {"logo": stored.json()["sha256"]}, format="json").status_code == 200
    assert APIClient().get("/api/theme/").json()["logo"] == stored.json()["src"]
    # Refused, naming why: not an image, too large, a font given as a logo, no kind.
    for body, kind, status in (
        (b"<html><script>alert(1)</script></html>", "logo", 415),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "logo", 415),  # a PNG's signature, then nothing readable
        (b"x" * 1_000_001, "logo", 413),
        (b"wOF2" + b"\0" * 50, "logo", 415),
        (svg, "font", 415),
        (svg, "", 400),
    ):
        refused = admin.post(f"/api/theme/assets/?kind={kind}", body, content_type="application/octet-stream")
        assert refused.status_code == status, (body[:10], kind)
        assert refused["Content-Type"] == "application/problem+json"
    assert ThemeAsset.objects.count() == 2  # the SVG logo and the square icon derived from it
    # A logo that was never stored cannot be applied.
    unknown = admin.put("/api/theme/", {"logo": "0" * 64}, format="json")
    assert unknown.status_code == 400 and unknown.json()["invalid_params"][0]["name"] == "logo"
    assert APIClient().get("/api/theme/assets/" + "0" * 64 + ".png").status_code == 404


def test_the_manifest_wears_the_theme(admin: APIClient) -> None:
    from api.theme.tests.test_import import PNG_LOGO

    default = APIClient().get("/manifest.webmanifest")
    assert default["Content-Type"] == "application/manifest+json"
    body = default.json()
    assert (body["name"], body["theme_color"], body["background_color"]) == (
        "Guichet – démarches en ligne",
        DEFAULT_COLOURS["primary"],
        DEFAULT_COLOURS["background"],
    )
    assert {icon["purpose"] for icon in body["icons"]} == {"any", "maskable"}
    logo = admin.post("/api/theme/assets/?kind=logo", PNG_LOGO, content_type="application/octet-stream").json()
    applied = admin.put(
        "/api/theme/",
        {"name": "Marval", "logo": logo["sha256"], "colours": {"primary": "#c2185b", "background": "#fffdf5"}},
        format="json",
    )
    assert applied.status_code == 200
    body = APIClient().get("/manifest.webmanifest").json()
    assert (body["name"], body["short_name"], body["theme_color"], body["background_color"]) == (
        "Marval – démarches en ligne",
        "Marval",
        "#c2185b",
        "#fffdf5",
    )
    assert [(i["sizes"], i["purpose"]) for i in body["icons"]] == [
        ("192x192", "any maskable"),
        ("512x512", "any maskable"),
    ]
    assert all(APIClient().get(i["src"]).status_code == 200 for i in body["icons"])


def test_no_colour_is_written_in_the_app_but_the_default_themes() -> None:
    """The app's sources, its page and the email templates write no colour of their own:
    only the default theme's, as fallbacks of the --guichet-* properties."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    sources = [
        *(root / "pwa" / "src").rglob("*.ts"),
        *(root / "pwa" / "src").rglob("*.css"),
        root / "pwa" / "index.html",
        *(root / "api" / "notify" / "templates").rglob("*.html"),
    ]
    allowed = set(DEFAULT_COLOURS.values())
    found = {}
    for source in sources:
        if source.name.endswith(".d.ts"):
            continue
        for literal in re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\brgba?\(|\bhsla?\(", source.read_text()):
            value = literal.lower()
            if len(value) == 4 and value.startswith("#"):
                value = "#" + "".join(c * 2 for c in value[1:])
            if value not in allowed:
                found.setdefault(str(source.relative_to(root)), set()).add(literal)
    assert found == {}
