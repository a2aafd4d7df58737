"""Resumable uploads: bytes in several requests, resumed from the offset the server has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from api.submissions import actions
from api.submissions.models import Attachment, UploadSession

from .test_attachments import FORM, jpeg_with_location

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(catalog: Any) -> Any:
    from api.catalog import actions as catalog_actions

    procedure = catalog("voirie")
    catalog_actions.save_definition(procedure, FORM)
    return procedure


@pytest.fixture
def draft(procedure: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return Client().post("/api/procedures/voirie/submissions/", {"data": {}}, content_type="application/json").json()


def start(draft: dict[str, Any], size: int, field: str = "photo") -> Any:
    return Client().post(
        f"/api/submissions/{draft['id']}/uploads/", {"name": "trou.jpg", "size": size, "field": field},
        content_type="application/json", HTTP_X_RESUME_TOKEN=draft["resume_token"],
    )  # fmt: skip


def send(draft: dict[str, Any], upload_id: str, offset: int, chunk: bytes) -> Any:
    return Client().patch(
        f"/api/uploads/{upload_id}/", chunk, content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset), HTTP_X_RESUME_TOKEN=draft["resume_token"], HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip


def test_an_upload_interrupted_is_resumed_from_the_servers_offset(draft: dict[str, Any], tmp_path: Path) -> None:
    photo = jpeg_with_location()
    half = len(photo) // 2
    created = start(draft, len(photo))
    assert created.status_code == 201 and created["Upload-Offset"] == "0"
    upload_id = created.json()["id"]

    first = send(draft, upload_id, 0, photo[:half])
    assert (first.status_code, first["Upload-Offset"]) == (200, str(half))
    # The client lost the answer and retries from 0: told where to resume.
    stale = send(draft, upload_id, 0, photo[:half])
    assert (stale.status_code, stale.json()["code"], stale.json()["offset"]) == (409, "upload-offset-mismatch", half)
    status = Client().get(f"/api/uploads/{upload_id}/", HTTP_X_RESUME_TOKEN=draft["resume_token"])
    assert status["Upload-Offset"] == str(half)

    done = send(draft, upload_id, half, photo[half:])
    assert done.status_code == 201, done.content
    attachment = Attachment.objects.get(pk=done.json()["id"])
    assert attachment.content_type == "image/jpeg" and attachment.field == "photo"
    assert not UploadSession.objects.exists()
    assert list((tmp_path / "var" / "uploads").glob("*")) == []


def test_more_bytes_than_announced_or_allowed_are_refused(draft: dict[str, Any]) -> None:
    assert start(draft, 10_000_000).status_code == 413  # the photo field takes 200 kB at most
    upload_id = start(draft, 10).json()["id"]
    over = send(draft, upload_id, 0, b"x" * 11)
    assert (over.status_code, over.json()["code"]) == (413, "file-too-large")
    assert UploadSession.objects.get().offset == 0
    assert send(draft, upload_id, 0, b"x" * 5).json()["offset"] == 5


def test_a_finished_upload_is_checked_like_any_file(draft: dict[str, Any]) -> None:
    upload_id = start(draft, 6).json()["id"]
    refused = send(draft, upload_id, 0, b"MZ\x90\x00\x00\x00")
    assert (refused.status_code, refused.json()["code"]) == (415, "file-type")
    assert not Attachment.objects.exists() and not UploadSession.objects.exists()


def test_strangers_cannot_see_or_feed_an_upload(draft: dict[str, Any]) -> None:
    upload_id = start(draft, 10).json()["id"]
    assert Client().get(f"/api/uploads/{upload_id}/").status_code == 404
    assert (
        Client()
        .patch(
            f"/api/uploads/{upload_id}/", b"x", content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0"
        )
        .status_code
        == 404
    )


def test_unfinished_uploads_are_forgotten_after_a_day(draft: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    upload_id = start(draft, 10).json()["id"]
    part = Path(settings_var(draft)) / "uploads" / f"{upload_id}.part"
    assert part.exists()
    assert actions.expire_uploads() == 0
    assert actions.expire_uploads(now=timezone.now() + timedelta(days=2)) == 1
    assert not UploadSession.objects.exists()
    assert not part.exists()


def settings_var(draft: dict[str, Any]) -> str:
    from django.conf import settings

    return str(settings.VAR_DIR)
