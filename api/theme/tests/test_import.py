"""The theme's import, run against realistic municipal home pages served locally
(sites/: CSS variables and an inline SVG logo with web fonts; a legacy table layout in
ISO-8859-1; a WordPress theme; a DSFR site; a village page whose charset is said only
by the server, behind a redirect): the tokens each one should give are asserted."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from PIL import Image
from rest_framework.test import APIClient

from api.accounts.models import User
from api.theme.models import ThemeAsset, ThemeEvent

from .sitehost import Host, address, serving

pytestmark = pytest.mark.django_db

PNG_LOGO = (Path(__file__).parent / "sites/legacy/images/blason.png").read_bytes()


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    with serving() as server:
        yield server


@pytest.fixture
def admin() -> Iterator[APIClient]:
    client = APIClient()
    client.force_authenticate(User.objects.create_user("admin", is_staff=True))
    with override_settings(GUICHET_THEME_IMPORT_ALLOW_PRIVATE=True):
        yield client


def _import(admin: APIClient, host: Host, path: str) -> dict[str, Any]:
    answer = admin.post("/api/theme/import/", {"url": address(host, path)}, format="json")
    assert answer.status_code == 200, answer.content
    return dict(answer.json())


EXPECTED = {
    "/ville-moderne/": {
        "name": "Ville de Bellerive-sur-Orge",
        "colours": {
            "primary": "#0b6e4f",
            "secondary": "#1e5f8c",
            "accent": "#f4a259",
            "background": "#fbfaf7",
            "text": "#1d1d1b",
        },
        "logo": ("header-svg", "image/svg+xml"),
        "body_font": '"Open Sans", ',
        "faces": [("Open Sans", "400"), ("Open Sans", "700")],
        "links": ["legal", "accessibility", "privacy", "contact"],
    },
    "/legacy/": {
        "name": "Mairie de Saint-Aubin-lès-Prés",  # read from ISO-8859-1
        "colours": {"primary": "#8b1a1a", "text": "#333333"},
        "logo": ("header-img", "image/png"),
        "body_font": "Verdana, ",
        "heading_font": "Georgia, ",
        "faces": [],
        "links": ["legal", "accessibility", "contact"],
    },
    "/wordpress/": {
        "name": "Ville de Marval",
        "colours": {"primary": "#c2185b", "secondary": "#00695c", "accent": "#ffb300", "text": "#212121"},
        "logo": ("header-img", "image/png"),
        "body_font": "Nunito, ",
        "faces": [],  # its file is missing: said in a note
        "links": ["legal", "accessibility", "privacy", "contact"],
    },
    "/dsfr/": {
        "name": "Commune de Lorval",
        "colours": {"primary": "#000091", "text": "#161616"},
        "logo": ("header-img", "image/svg+xml"),
        "body_font": "Marianne, ",
        "faces": [],  # Marianne's licence does not let Guichet serve it
        "links": ["legal", "accessibility", "privacy"],
    },
    "/village/": {
        "name": "Village d’Écublé",  # windows-1252, said only in the Content-Type header
        "colours": {"primary": "#5b3a8c", "background": "#fffdf5", "text": "#2b2b2b"},
        "logo": ("og-image", "image/png"),
        "body_font": "Tahoma, ",
        "faces": [],
        "links": ["legal", "contact"],
    },
}


@pytest.mark.parametrize("path", list(EXPECTED))
def test_the_import_finds_each_sites_tokens(admin: APIClient, host: Host, path: str) -> None:
    expected = EXPECTED[path]
    proposal = _import(admin, host, path)
    tokens = proposal["tokens"]
    assert tokens["name"] == expected["name"]
    for name, value in expected["colours"].items():
        assert tokens["colours"][name] == value, (name, proposal["why"])
    for token in ("primary", "secondary", "accent"):
        if token in tokens["colours"]:  # the text drawn on it reads on it
            on = tokens["colours"][f"on_{token}"]
            assert on in {"#ffffff", "#1b1b1b"}
    chosen = next(c for c in proposal["logo_candidates"] if c.get("chosen"))
    assert (chosen["how"], proposal["logo"]["content_type"]) == expected["logo"]
    logo = APIClient().get(proposal["logo"]["src"])
    assert logo.status_code == 200 and logo["Content-Type"] == expected["logo"][1]
    assert tokens["fonts"]["body"].startswith(expected["body_font"])
    assert tokens["fonts"]["headings"].startswith(expected.get("heading_font", expected["body_font"]))
    assert [(f["family"], f["weight"]) for f in tokens["font_faces"]] == expected["faces"]
    assert [link["kind"] for link in tokens["links"]] == expected["links"]
    assert all(link["url"].startswith("http://127.0.0.1:") for link in tokens["links"])
    # The site's colours, ranked by use, without near-duplicates.
    ranked = [c["colour"] for c in proposal["colours"]]
    assert len(ranked) == len(set(ranked)) and tokens["colours"]["primary"] in ranked
    event = ThemeEvent.objects.get(kind="theme.imported")
    assert event.payload["url"] == address(host, path) and event.payload["tokens"] == tokens
    # The proposal applies as it is.
    assert admin.put("/api/theme/", tokens, format="json").status_code == 200


def test_what_is_not_taken_is_said(admin: APIClient, host: Host) -> None:
    notes = _import(admin, host, "/wordpress/")["notes"]
    assert any(n["field"] == "fonts" and "404" in n["message"] for n in notes)
    notes = _import(admin, host, "/dsfr/")["notes"]
    assert any(n["field"] == "fonts" and "Marianne" in n["message"] for n in notes)
    assert not any("Marianne" in path for path in host.requested)  # its files were never fetched


def test_print_stylesheets_and_print_rules_are_not_read(admin: APIClient, host: Host) -> None:
    proposal = _import(admin, host, "/ville-moderne/")
    assert "/ville-moderne/css/print.css" not in host.requested
    assert "#ff00ff" not in [c["colour"] for c in proposal["colours"]]


def test_a_proposal_applies_as_it_is_with_its_logo_icons_and_fonts(admin: APIClient, host: Host) -> None:
    proposal = _import(admin, host, "/legacy/")
    applied = admin.put("/api/theme/", proposal["tokens"], format="json")
    assert applied.status_code == 200, applied.content
    theme = APIClient().get("/api/theme/").json()
    assert theme["name"] == "Mairie de Saint-Aubin-lès-Prés"
    assert theme["logo"] == proposal["logo"]["src"]
    assert [(i["sizes"], i["type"]) for i in theme["icons"]] == [("192x192", "image/png"), ("512x512", "image/png")]
    for icon, size in zip(theme["icons"], (192, 512), strict=True):
        served = APIClient().get(icon["src"])
        assert served["Cache-Control"] == "public, max-age=31536000, immutable"
        image = Image.open(io.BytesIO(served.content))
        assert image.size == (size, size)
        assert image.getpixel((2, 2)) == (255, 255, 255)  # the surface colour around the logo
        assert image.getpixel((size // 2, size // 2)) != (255, 255, 255)  # the logo, centred
    # An SVG logo gets a square SVG icon; open-licensed font files are served and declared.
    proposal = _import(admin, host, "/ville-moderne/")
    assert admin.put("/api/theme/", proposal["tokens"], format="json").status_code == 200
    theme = APIClient().get("/api/theme/").json()
    assert [(i["sizes"], i["type"]) for i in theme["icons"]] == [("any", "image/svg+xml")]
    icon = APIClient().get(theme["icons"][0]["src"])
    assert b'viewBox="0 0 512 512"' in icon.content and icon["Content-Security-Policy"].endswith("sandbox")
    assert [(f["family"], f["weight"], f["format"]) for f in theme["font_faces"]] == [
        ("Open Sans", "400", "woff2"),
        ("Open Sans", "700", "woff2"),
    ]
    css = APIClient().get("/api/theme.css").content.decode()
    assert css.count("@font-face") == 2 and f'url("{theme["font_faces"][0]["src"]}") format("woff2")' in css
    font = APIClient().get(theme["font_faces"][0]["src"])
    assert font.status_code == 200 and font["Content-Type"] == "font/woff2" and font.content[:4] == b"wOF2"


def test_the_management_command_proposes_and_applies(host: Host) -> None:
    out = io.StringIO()
    with override_settings(GUICHET_THEME_IMPORT_ALLOW_PRIVATE=True):
        call_command("import_theme", address(host, "/wordpress/"), stdout=out)
    text = out.getvalue()
    assert "name: Ville de Marval" in text and "colour primary: #c2185b" in text
    assert "link (privacy): Politique de confidentialité" in text
    assert not ThemeEvent.objects.filter(kind="theme.applied").exists()
    out = io.StringIO()
    with override_settings(GUICHET_THEME_IMPORT_ALLOW_PRIVATE=True):
        call_command("import_theme", address(host, "/wordpress/"), "--apply", "--json", stdout=out)
    assert json.loads(out.getvalue().split("\nApplied")[0].rsplit("\ncorrected:", 1)[0].split("\ncorrected:")[0])
    assert "Applied: the theme is at revision 1." in out.getvalue()
    assert APIClient().get("/api/theme/").json()["colours"]["primary"] == "#c2185b"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/loop/", 422, "site-unreachable"),  # a redirect loop
        ("/huge/", 422, "site-unreachable"),  # a page larger than allowed
        ("/data.json", 422, "site-not-html"),
        ("/nowhere/", 422, "site-unreachable"),
    ],
)
def test_a_site_that_cannot_be_read_is_a_clear_problem(
    admin: APIClient, host: Host, path: str, status: int, code: str
) -> None:
    answer = admin.post("/api/theme/import/", {"url": address(host, path)}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert answer["Content-Type"] == "application/problem+json"
    assert body["type"].endswith(code) and body["field"] == "url"
    assert "site" in body["detail"] or "page" in body["detail"]
    assert not ThemeAsset.objects.exists()


def test_an_import_is_bounded_however_many_stylesheets_a_page_links(admin: APIClient, host: Host) -> None:
    before = len(host.requested)
    _import(admin, host, "/many/")
    assert len(host.requested) - before <= 1 + 16


def test_a_page_nested_too_deep_to_read_still_gives_what_can_be_read(admin: APIClient, host: Host) -> None:
    proposal = _import(admin, host, "/deep/")
    assert proposal["tokens"]["colours"]["primary"] == "#123456"  # the header's, read past the rest


def test_private_addresses_are_refused_unless_allowed(host: Host) -> None:
    admin = APIClient()
    admin.force_authenticate(User.objects.create_user("admin", is_staff=True))
    for url in (address(host, "/ville-moderne/"), "http://localhost/", "http://[::1]/", "http://10.0.0.1/"):
        answer = admin.post("/api/theme/import/", {"url": url}, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 422, url
        assert answer.json()["type"].endswith("site-not-public")
        assert "not a public site" in answer.json()["detail"]
    for url in ("file:///etc/passwd", "ftp://example.org/", "javascript:alert(1)"):
        answer = admin.post("/api/theme/import/", {"url": url}, format="json")
        assert answer.status_code == 400
        assert answer.json()["invalid_params"][0]["name"] == "url"


def test_only_administrators_import(host: Host) -> None:
    citizen = APIClient()
    citizen.force_authenticate(User.objects.create_user("anne"))
    for client in (APIClient(), citizen):
        answer = client.post("/api/theme/import/", {"url": address(host, "/legacy/")}, format="json")
        assert answer.status_code in (401, 403)
    assert "/legacy/" not in host.requested[-1:]


@pytest.mark.parametrize(
    ("body", "content_type", "text"),
    [
        # A declaration is believed before the bytes: valid UTF-8 said to be windows-1252.
        (b'<meta charset="windows-1252"><p>\xc3\xa9', "text/html", "<p>Ã©"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"><p>\xa4', "text/html", "<p>€"),
        # "iso-8859-1" is windows-1252, as in browsers (0x80 is the euro sign there).
        (b'<meta charset="ISO-8859-1"><p>\x80', "text/html", "<p>€"),
        # The server's header wins over the page's meta; a byte-order mark over both.
        (b'<meta charset="utf-8"><p>\xe9', "text/html; charset=windows-1252", "<p>é"),
        (b'\xef\xbb\xbf<meta charset="windows-1252"><p>\xc3\xa9', "text/html; charset=iso-8859-1", "<p>é"),
        # Nothing said: UTF-8 when the bytes are, else windows-1252.
        (b"<p>\xc3\xa9", "text/html", "<p>é"),
        (b"<p>\xe9", "", "<p>é"),
        # An unknown label is ignored.
        (b'<meta charset="klingon"><p>\xe9', "", "<p>é"),
    ],
)
def test_pages_are_decoded_as_browsers_decode_them(body: bytes, content_type: str, text: str) -> None:
    from api.theme.importer.fetch import decode

    assert decode(body, content_type).endswith(text)


def test_a_stylesheets_charset_rule_is_read() -> None:
    from api.theme.importer.fetch import decode

    assert decode(b'@charset "iso-8859-15";\na::before { content: "\xa4" }', "text/css", html=False).endswith('"€" }')
    assert decode('@charset "utf-8"; b { content: "é" }'.encode(), "text/css", html=False).endswith('"é" }')
