"""Hostile probes against a real daphne server: bodies too deep, too large or holding
text that could not be read back; files that lie about their type; the app page's
security headers; paths nothing serves, in every mode."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from PIL import Image

from api.submissions.models import Submission

from .conftest import SECRET, new_draft

JSON = {"Content-Type": "application/json"}
LOGIN = "/api/auth/browser/v1/auth/login"
FACTURE = 'attachment; filename="facture.pdf"'
DEEP = b'{"data": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400


def test_json_nested_ten_thousand_deep_is_a_problem_everywhere(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    secret = {"X-Resume-Token": SECRET, "Content-Type": "application/json"}
    probes = [
        ("POST", "/api/procedures/probe/validate/", {}),
        ("POST", "/api/procedures/probe/submissions/", {}),
        ("PATCH", f"/api/submissions/{draft['id']}/", {**secret, "If-Match": f'"{draft["id"]}-1"'}),
        ("POST", "/api/tracking/", {}),
        ("POST", LOGIN, {}),
    ]
    for method, path, headers in probes:
        answer = http(method, path, raw=DEEP, headers={"Content-Type": "application/json", **headers})
        assert (answer.status, answer.code) == (400, "json-too-deep"), (path, answer.body[:300])
        assert answer.json()["limit"] == 32
        assert answer.headers["Content-Type"] == "application/problem+json"


def test_a_lone_surrogate_or_a_nul_is_refused_naming_the_field_and_nothing_is_stored(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    headers = {"X-Resume-Token": SECRET, "If-Match": f'"{draft["id"]}-{draft["revision"]}"'}
    for text, raw in (("surrogate", rb'{"data": {"nom": "\ud800"}}'), ("nul", rb'{"data": {"nom": "a\u0000b"}}')):
        answer = http(
            "PATCH",
            f"/api/submissions/{draft['id']}/",
            raw=raw,
            headers={**headers, "Content-Type": "application/json"},
        )
        assert (answer.status, answer.code) == (400, "invalid-text"), text
        assert answer.json()["invalid_params"][0]["pointer"] == "/data/nom"
    # A key is text too.
    answer = http(
        "POST",
        "/api/procedures/probe/validate/",
        raw=rb'{"data": {"\udfff": 1}}',
        headers={"Content-Type": "application/json"},
    )
    assert (answer.status, answer.code) == (400, "invalid-text")
    # Query strings as well.
    answer = http("GET", "/api/procedures/?q=%00")
    assert (answer.status, answer.code) == (400, "invalid-text")
    assert answer.json()["invalid_params"][0] == {**answer.json()["invalid_params"][0], "name": "q", "in": "query"}

    # The draft, the owner's view and the send still work: nothing unreadable was stored.
    assert Submission.objects.get(pk=draft["id"]).data == {"nom": "Anne"}
    assert http("GET", f"/api/submissions/{draft['id']}/", headers={"X-Resume-Token": SECRET}).status == 200
    sent = http("POST", f"/api/submissions/{draft['id']}/submit/", headers={"X-Resume-Token": SECRET})
    assert sent.status == 200


def test_a_body_over_the_limit_is_413_naming_it(served: Any) -> None:
    _, http = served()
    big = b'{"data": {"nom": "' + b"a" * 5_000_000 + b'"}}'
    for path in (
        "/api/procedures/probe/validate/",
        "/api/procedures/probe/submissions/",
        "/api/auth/browser/v1/auth/login",
    ):
        answer = http("POST", path, raw=big, headers={"Content-Type": "application/json"})
        assert (answer.status, answer.code) == (413, "request-too-large"), path
        assert answer.json()["limit"] == 2_621_440


def test_a_long_address_the_contract_admits_gets_the_apps_answer(served: Any) -> None:
    # 30 KB of query string: past Twisted's 16 KiB, within what the schema allows
    # (e.g. the agent inbox's field filters); the app names the wrong parameter.
    _, http = served()
    answer = http("GET", "/api/procedures/?q=" + "%F0%9F%8F%9B" * 2500)
    assert (answer.status, answer.headers.get("Content-Type")) == (400, "application/problem+json")
    assert [p["name"] for p in answer.json()["invalid_params"]] == ["q"]


def test_a_message_file_is_checked_against_an_allowlist(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    secret = {"X-Resume-Token": SECRET}
    assert http("POST", f"/api/submissions/{draft['id']}/submit/", headers=secret).status == 200
    answer = http(
        "POST",
        f"/api/submissions/{draft['id']}/attachments/",
        raw=EXE,
        headers={
            **secret,
            "Content-Type": "application/pdf",
            "Content-Disposition": 'attachment; filename="facture.pdf"',
        },
    )
    assert (answer.status, answer.code) == (415, "file-type")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    answer = http(
        "POST",
        f"/api/submissions/{draft['id']}/attachments/",
        raw=pdf,
        headers={
            **secret,
            "Content-Type": "application/pdf",
            "Content-Disposition": 'attachment; filename="facture.pdf"',
        },
    )
    assert answer.status == 201 and answer.json()["content_type"] == "application/pdf"


def test_an_image_over_the_pixel_budget_is_refused_before_decoding(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    buffer = io.BytesIO()
    Image.new("L", (6300, 6300)).save(buffer, format="PNG", optimize=True)
    whole = buffer.getvalue()
    assert len(whole) < 200_000  # 131 KB that would decode to 40 million pixels

    def send(content: bytes) -> Any:
        return http(
            "POST",
            f"/api/submissions/{draft['id']}/attachments/?field=photos",
            raw=content,
            headers={"X-Resume-Token": SECRET, "Content-Disposition": 'attachment; filename="bomb.png"'},
        )

    answer = send(whole)
    assert (answer.status, answer.code) == (422, "image-too-large")
    # The same header with its pixel data cut short: decoding it would report a corrupt
    # image, so "too large" proves the size was refused from the header, before decoding.
    answer = send(whole[:2000])
    assert (answer.status, answer.code) == (422, "image-too-large")


def test_the_app_page_has_a_strict_policy_and_no_open_cors(served: Any, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>Guichet</title>")
    (dist / "assets" / "index-B2x9k_Qe.js").write_text("console.log('guichet')")
    _, http = served(GUICHET_PWA_DIST=str(dist))
    for path in ("/", "/assets/index-B2x9k_Qe.js", "/demarches/probe/brouillon/x"):
        answer = http("GET", path, headers={"Origin": "https://evil.example"})
        assert answer.status == 200, path
        policy = answer.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in answer.headers["Permissions-Policy"]
        assert "Access-Control-Allow-Origin" not in answer.headers
    api = http("GET", "/api/procedures/", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in api.headers
    assert api.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_app_paths_open_the_app_and_unknown_api_paths_are_problems_in_every_mode(served: Any, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>Guichet app</title>")
    for mode in ({"GUICHET_ENV": "development", "SECRET_KEY": "django-insecure-" + "x" * 50}, {}):
        _, http = served(GUICHET_PWA_DIST=str(dist), **mode)
        for path in ("/demarches/probe/brouillon/0b7e4d1a", "/compte/verifier/abc-def", "/demarches"):
            answer = http("GET", path)
            assert answer.status == 200 and b"Guichet app" in answer.body, (mode, path)
        odd = ("/api/nothing-here/", "/api/submissions/not-a-uuid/", "/api/procedures/x/y/z", "/api/")
        for path in (*odd, "/api/attachments/a%0Ab/", "/api/submissions/%F0%9F%98%80/link/"):
            answer = http("GET", path)
            assert (answer.status, answer.code) == (404, "not-found"), (mode, path)
            assert answer.headers["Content-Type"] == "application/problem+json"
        assert http("GET", "/nowhere").status == 404


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_file_answers_are_bound_to_real_uploads_everywhere(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    secret = {"X-Resume-Token": SECRET}

    def upload() -> Any:
        headers = {**secret, "Content-Disposition": 'attachment; filename="p.png"'}
        return http("POST", f"/api/submissions/{draft['id']}/attachments/?field=photos", raw=png(), headers=headers)

    photos = [upload() for _ in range(3)]
    assert [a.status for a in photos] == [201] * 3
    fourth = upload()
    assert (fourth.status, fourth.code) == (409, "too-many-files")  # the field takes three

    def save(value: Any) -> None:
        current = http("GET", f"/api/submissions/{draft['id']}/", headers=secret)
        answer = http(
            "PATCH",
            f"/api/submissions/{draft['id']}/",
            {"data": {"nom": "Anne", "photos": value}},
            headers={**secret, "If-Match": current.headers["ETag"]},
        )
        assert answer.status == 200, answer.body

    invented = {"id": "7b0c8d2e-0000-4000-8000-000000000000", "name": "x.png", "content_type": "image/png", "size": 3}
    save([invented])
    check = http("POST", f"/api/submissions/{draft['id']}/check/", {}, headers=secret)
    assert (check.status, check.json()["invalid_params"][0]["code"]) == (400, "invalid_file")
    validate = http("POST", "/api/procedures/probe/validate/", {"data": {"nom": "Anne", "photos": [invented]}})
    assert validate.status == 400

    save([{"id": photos[0].json()["id"]}])  # an id alone is enough: the rest comes from the upload
    assert http("POST", f"/api/submissions/{draft['id']}/check/", {}, headers=secret).status == 200
    sent = http("POST", f"/api/submissions/{draft['id']}/submit/", headers=secret)
    assert sent.status == 200
    assert sent.json()["data"]["photos"] == [
        {"id": photos[0].json()["id"], "name": "p.png", "content_type": "image/png", "size": photos[0].json()["size"]}
    ]
    # The two photos no answer names did not go with the request.
    detail = http("GET", f"/api/submissions/{draft['id']}/", headers=secret).json()
    assert [a["id"] for a in detail["attachments"]] == [photos[0].json()["id"]]


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$")


def timestamps(document: Any) -> list[str]:
    if isinstance(document, dict):
        return [t for value in document.values() for t in timestamps(value)]
    if isinstance(document, list):
        return [t for value in document for t in timestamps(value)]
    return [document] if isinstance(document, str) and re.match(r"^\d{4}-\d\d-\d\dT", document) else []


def test_every_timestamp_has_one_format_with_its_offset(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    secret = {"X-Resume-Token": SECRET}
    headers = {**secret, "Content-Disposition": 'attachment; filename="p.png"'}
    photo = http("POST", f"/api/submissions/{draft['id']}/attachments/?field=photos", raw=png(), headers=headers)
    link = http("POST", f"/api/attachments/{photo.json()['id']}/link/", headers=secret).json()
    sent = http("POST", f"/api/submissions/{draft['id']}/submit/", headers=secret).json()
    tracked = http("POST", "/api/tracking/", {"code": sent["tracking_code"]}).json()
    found = timestamps([draft, photo.json(), link, sent, tracked])
    assert len(found) >= 8
    assert [t for t in found if not TIMESTAMP.match(t)] == []
    assert len({t[-6:] for t in found}) == 1  # one offset: the service's time zone
