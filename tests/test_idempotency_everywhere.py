"""Every write of the API accepts an Idempotency-Key (the sign-in flows, allauth's, aside)."""

from drf_spectacular.generators import SchemaGenerator

#: POSTs that change nothing: checks and look-ups.
READS = {
    ("POST", "/api/procedures/{slug}/validate/"),
    ("POST", "/api/submissions/{id}/check/"),
    ("POST", "/api/tracking/"),
    # A websocket ticket is signed, not stored: asking again gives another, equally good.
    ("POST", "/api/realtime/tickets/"),
    ("POST", "/api/attachments/{id}/link/"),
    # An export changes nothing: asked twice, it gives the file twice (a large one, two jobs).
    ("POST", "/api/agent/exports/"),
    # Safe to retry by construction: Upload-Offset says where the bytes go, and a
    # replay of sent bytes is answered 409 with the offset to resume from.
    ("PATCH", "/api/uploads/{id}/"),
}


def test_every_write_documents_and_accepts_an_idempotency_key() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for path, item in schema["paths"].items():
        if path.startswith("/api/auth/"):
            continue
        for method, operation in item.items():
            if method.upper() not in {"POST", "PUT", "PATCH", "DELETE"} or (method.upper(), path) in READS:
                continue
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            if "Idempotency-Key" not in names:
                missing.append(f"{method.upper()} {path}")
    assert missing == []
