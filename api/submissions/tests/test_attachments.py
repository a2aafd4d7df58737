"""Attachments: checked from their bytes, stripped of metadata, scanned, private,
and hostile uploads refused with nothing left on disk."""

from __future__ import annotations

import io
import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from api.catalog import actions as catalog_actions
from api.catalog.models import Procedure
from api.submissions.models import Attachment

pytestmark = pytest.mark.django_db
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
FORM = {
    "schema_version": 1,
    "pages": [
        {
            "id": "p",
            "title": "P",
            "fields": [
                {"type": "text", "varname": "nom", "label": "Nom"},
                {
                    "type": "file",
                    "varname": "photo",
                    "label": "Photo",
                    "accept": ["image/jpeg", "image/png"],
                    "max_size": 200_000,
                    "max_files": 2,
                },
                {"type": "file", "varname": "piece", "label": "Pièce", "accept": ["application/pdf", "text/plain"]},
            ],
        }
    ],
}


@pytest.fixture
def procedure(catalog: Any) -> Procedure:
    procedure = catalog("voirie")
    catalog_actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    return procedure


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(procedure: Procedure) -> dict[str, Any]:
    return Client().post("/api/procedures/voirie/submissions/", {"data": {}}, content_type="application/json").json()


def upload(draft: dict[str, Any], content: bytes, name: str = "photo.jpg", field: str = "photo", **headers: Any) -> Any:
    return Client().post(
        f"/api/submissions/{draft['id']}/attachments/?field={field}",
        content,
        content_type="application/octet-stream",
        HTTP_CONTENT_DISPOSITION=f'attachment; filename="{name}"',
        HTTP_X_RESUME_TOKEN=draft["resume_token"],
        **headers,
    )


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (48.0, 39.0, 59.0), 4: (2.0, 22.0, 0.0)}  # GPS position
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def leftovers(media: Path) -> list[str]:
    stored = [str(p) for p in media.rglob("*") if p.is_file()] if media.exists() else []
    temporary = [p.name for p in Path(tempfile.gettempdir()).glob("guichet-upload-*")]
    return stored + temporary


def test_a_photo_is_stored_privately_without_its_location(draft: dict[str, Any], media: Path) -> None:
    original = jpeg_with_location()
    assert Image.open(io.BytesIO(original)).getexif()
    response = upload(draft, original, name="../../etc/Trou\u202e gpj.exe.jpg")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "image/jpeg"
    assert body["name"] == "Trou gpj.exe.jpg"  # no path, no right-to-left override
    stored = Attachment.objects.get()
    assert ".." not in stored.file.name and stored.file.name.endswith(str(stored.pk))
    with stored.file.open("rb") as handle:
        cleaned = Image.open(io.BytesIO(handle.read()))
        assert cleaned.size == (64, 48)
        assert not cleaned.getexif()

    owner = Client().get(f"/api/attachments/{stored.pk}/", HTTP_X_RESUME_TOKEN=draft["resume_token"])
    assert owner.status_code == 200
    assert owner["Content-Type"] == "image/jpeg"
    assert owner["Content-Disposition"].startswith("attachment;")
    assert owner["Content-Security-Policy"] == "sandbox"
    assert Client().get(f"/api/attachments/{stored.pk}/").status_code == 404
    detail = Client().get(f"/api/submissions/{draft['id']}/", HTTP_X_RESUME_TOKEN=draft["resume_token"]).json()
    assert [(a["id"], a["field"], a["name"]) for a in detail["attachments"]] == [(str(stored.pk), "photo", stored.name)]

    link = Client().post(f"/api/attachments/{stored.pk}/link/", HTTP_X_RESUME_TOKEN=draft["resume_token"]).json()
    assert Client().get(link["url"]).status_code == 200
    assert Client().get(link["url"].replace("token=", "token=x")).status_code == 403


@pytest.mark.parametrize(
    ("content", "name", "field", "status", "code"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "photo.jpg", "photo", 415, "file-type"),  # an executable named .jpg
        (b"<html><script>alert(1)</script></html>", "photo.png", "photo", 415, "file-type"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 300_000, "big.jpg", "photo", 413, "file-too-large"),
        (b"\xff\xd8\xff\xe0broken jpeg", "broken.jpg", "photo", 422, "corrupt-image"),
        (b"", "empty.pdf", "piece", 400, "empty-file"),
        (b"%PDF-1.4 x", "a.pdf", "nope", 400, "unknown-field"),
    ],
)
def test_hostile_uploads_are_refused_and_leave_nothing(
    draft: dict[str, Any], media: Path, content: bytes, name: str, field: str, status: int, code: str
) -> None:
    response = upload(draft, content, name=name, field=field, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Attachment.objects.exists()
    assert leftovers(media) == []


def test_a_decompression_bomb_is_refused(draft: dict[str, Any], media: Path, settings: Any) -> None:
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, format="PNG")  # 144 megapixels, a few kB
    assert len(buffer.getvalue()) < 200_000
    response = upload(draft, buffer.getvalue(), name="bomb.png")
    assert (response.status_code, response.json()["code"]) == (422, "image-too-large")
    assert leftovers(media) == []


def read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the stream early")
        data += chunk
    return data


def instream(conn: socket.socket) -> bytes:
    """Read one INSTREAM request as clamd does: the command up to its NUL, then chunks each
    preceded by their length (4 bytes, big-endian), until a zero length. A framing error
    (a wrong length, a missing terminator) raises instead of guessing."""
    command = b""
    while not command.endswith(b"\0"):
        command += read_exactly(conn, 1)
    if command != b"zINSTREAM\0":
        raise ValueError(f"unexpected command {command!r}")
    body = b""
    while size := struct.unpack(">I", read_exactly(conn, 4))[0]:
        body += read_exactly(conn, size)
    return body


@pytest.fixture
def clamd(settings: Any) -> Iterator[list[bytes]]:
    """A stand-in clamd speaking INSTREAM (length-prefixed chunks, zero terminator), that
    flags the EICAR test string; it records the file bodies it reassembled."""
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    body = instream(conn)
                except (ValueError, ConnectionError, TimeoutError) as error:
                    conn.sendall(f"INSTREAM size limit exceeded or framing error: {error}\0".encode())
                    continue
                received.append(body)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in body else b"stream: OK\0"
                conn.sendall(verdict)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.GUICHET_CLAMD = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    yield received
    stop.set()
    thread.join()
    server.close()


def test_files_are_scanned_and_eicar_is_refused(draft: dict[str, Any], media: Path, clamd: list[bytes]) -> None:
    infected = upload(draft, EICAR, name="note.txt", field="piece", HTTP_ACCEPT_LANGUAGE="en")
    assert (infected.status_code, infected.json()["code"]) == (422, "infected")
    clean = upload(draft, b"Bonjour, voici ma piece.", name="note.txt", field="piece")
    assert clean.status_code == 201
    # The scanner reassembled exactly the bytes sent, from well-formed frames.
    assert clamd == [EICAR, b"Bonjour, voici ma piece."]
    assert Attachment.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1


def test_an_unreachable_scanner_refuses_rather_than_accepts(draft: dict[str, Any], settings: Any) -> None:
    settings.GUICHET_CLAMD = "tcp://127.0.0.1:1"
    response = upload(draft, b"text", name="a.txt", field="piece")
    assert (response.status_code, response.json()["code"]) == (503, "scan-unavailable")


def test_file_fields_bind_to_this_drafts_attachments_on_send(procedure: Procedure, draft: dict[str, Any]) -> None:
    photo = upload(draft, jpeg_with_location()).json()
    other = Client().post("/api/procedures/voirie/submissions/", {"data": {}}, content_type="application/json").json()
    stolen = upload(other, jpeg_with_location()).json()
    headers = {"HTTP_X_RESUME_TOKEN": draft["resume_token"]}
    etag = Client().get(f"/api/submissions/{draft['id']}/", **headers)["ETag"]
    Client().patch(
        f"/api/submissions/{draft['id']}/",
        {"data": {"photo": [{"id": photo["id"], "size": 1, "content_type": "image/png"}, {"id": stolen["id"]}]}},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
        **headers,
    )
    refused = Client().post(f"/api/submissions/{draft['id']}/submit/", content_type="application/json", **headers)
    assert [(p["pointer"], p["code"]) for p in refused.json()["invalid_params"]] == [("/data/photo", "invalid_file")]

    etag = Client().get(f"/api/submissions/{draft['id']}/", **headers)["ETag"]
    Client().patch(
        f"/api/submissions/{draft['id']}/", {"data": {"photo": [{"id": photo["id"]}]}},
        content_type="application/json", HTTP_IF_MATCH=etag, **headers,
    )  # fmt: skip
    sent = Client().post(f"/api/submissions/{draft['id']}/submit/", content_type="application/json", **headers)
    assert sent.status_code == 200, sent.content
    assert sent.json()["data"]["photo"] == [
        {"id": photo["id"], "name": "photo.jpg", "content_type": "image/jpeg", "size": photo["size"]}
    ]
    assert upload(draft, jpeg_with_location()).status_code == 409


def test_deleting_a_draft_deletes_its_files(
    procedure: Procedure, draft: dict[str, Any], media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    upload(draft, jpeg_with_location())
    assert len(leftovers(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        Client().delete(f"/api/submissions/{draft['id']}/", HTTP_X_RESUME_TOKEN=draft["resume_token"])
    assert leftovers(media) == []


def test_an_upload_replayed_with_its_key_stores_one_file(draft: dict[str, Any], media: Path) -> None:
    photo = jpeg_with_location()
    first = upload(draft, photo, HTTP_IDEMPOTENCY_KEY="upload-1")
    again = upload(draft, photo, HTTP_IDEMPOTENCY_KEY="upload-1")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Attachment.objects.count() == 1
    other = upload(draft, photo + b"\x00", HTTP_IDEMPOTENCY_KEY="upload-1")
    assert (other.status_code, other.json()["code"]) == (422, "idempotency-key-reused")
    assert leftovers(media) == [str(p) for p in media.rglob("*") if p.is_file()]
