"""A client generated from the committed schema (openapi-python-client, as an
integrator would) works against a real server without hand-written fixes: the
catalog and tracking without credentials, a whole anonymous request through the
draft's secret, every answer parsed into the schema's types."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import ROOT

from .conftest import SECRET


def generate(tmp_path: Path) -> Any:
    generator = Path(sys.executable).parent / "openapi-python-client"
    subprocess.run(
        [str(generator), "generate", "--path", str(ROOT / "schema" / "openapi.yaml"), "--output-path",
         str(tmp_path / "client"), "--meta", "none"],
        check=True, capture_output=True, cwd=tmp_path,
        env={"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
    )  # fmt: skip
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module("client")
    finally:
        sys.path.remove(str(tmp_path))


def test_a_generated_client_runs_a_whole_anonymous_request(served: Any, tmp_path: Path) -> None:
    guichet = generate(tmp_path)
    from client.api.catalog import procedures_list  # type: ignore[import-not-found]
    from client.api.submissions import (  # type: ignore[import-not-found]
        submissions_check,
        submissions_create,
        submissions_retrieve,
        submissions_save,
        submissions_submit,
        tracking,
    )
    from client.models import (  # type: ignore[import-not-found]
        CreateDraftRequest,
        PageCheckRequest,
        PatchedSaveDraftRequest,
        Problem,
        TrackingRequestRequest,
    )

    # Public operations take a client without credentials.
    for operation in (procedures_list, tracking):
        annotation = str(inspect.signature(operation.sync).parameters["client"].annotation)
        assert annotation.replace(" ", "").endswith(".Client"), annotation  # "AuthenticatedClient | Client"

    server, _ = served()
    public = guichet.Client(base_url=server.url, headers={"Accept-Language": "en"})
    catalog = procedures_list.sync(client=public)
    assert [p.slug for p in catalog.results] == ["probe"]
    unknown = tracking.sync_detailed(client=public, body=TrackingRequestRequest(code="ZZZZZZZZ"))
    assert unknown.status_code == 404 and isinstance(unknown.parsed, Problem)
    assert unknown.parsed.code == "unknown-tracking-code"

    # Without an account, the draft's secret is the credential (the resumeToken scheme).
    mine = guichet.AuthenticatedClient(base_url=server.url, token=SECRET, prefix="", auth_header_name="X-Resume-Token")
    created = submissions_create.sync_detailed(
        "probe", client=mine, body=CreateDraftRequest.from_dict({"data": {}}), idempotency_key="first-try"
    )
    assert created.status_code == 201, created.content
    draft = created.parsed
    assert draft.resume_token == SECRET and draft.status == ""
    read = submissions_retrieve.sync_detailed(draft.id, client=mine)
    assert read.status_code == 200 and read.parsed.id == draft.id
    saved = submissions_save.sync_detailed(
        draft.id,
        client=mine,
        body=PatchedSaveDraftRequest.from_dict({"data": {"nom": "Anne"}}),
        if_match=read.headers["ETag"],
    )
    assert saved.status_code == 200, saved.content
    checked = submissions_check.sync_detailed(draft.id, client=mine, body=PageCheckRequest.from_dict({}))
    assert checked.status_code == 200 and checked.parsed.valid is True
    sent = submissions_submit.sync_detailed(draft.id, client=mine)
    assert sent.status_code == 200, sent.content
    followed = tracking.sync(client=public, body=TrackingRequestRequest(code=sent.parsed.tracking_code))
    assert followed.reference == sent.parsed.reference
    # The default workflow's first status tells the citizen their request arrived.
    assert [event.kind for event in followed.history] == ["submission.sent", "submission.notified"]
    payload = followed.history[0].payload
    assert payload.to_dict() == {"reference": sent.parsed.reference, "status": "received"}, type(payload)
    told = followed.history[1].payload.to_dict()
    assert told["message"]["fr"].startswith(f"Votre demande {sent.parsed.reference}"), told
