"""Hostile probes against a real daphne server: Idempotency-Keys stay with the caller
who made them, forged client addresses do not escape the rate limits, anonymous
writes are limited."""

from __future__ import annotations

from typing import Any

from api.core.models import IdempotencyRecord

from .conftest import OTHER_SECRET, SECRET, new_draft


def test_a_second_anonymous_caller_with_the_same_key_gets_nothing_of_the_first(served: Any) -> None:
    _, http = served()
    first = new_draft(http, **{"Idempotency-Key": "shared-key"})
    assert first.status == 201
    assert first.json()["resume_token"] == SECRET

    # Same key and body, no secret: refused outright (nothing tells this caller apart).
    bare = http(
        "POST",
        "/api/procedures/probe/submissions/",
        {"data": {"nom": "Anne"}},
        headers={"Idempotency-Key": "shared-key"},
    )
    assert (bare.status, bare.code) == (400, "idempotency-key-needs-secret")

    # Same key and body with a secret of their own: a draft of their own.
    other = new_draft(http, OTHER_SECRET, **{"Idempotency-Key": "shared-key"})
    assert other.status == 201 and "Idempotent-Replayed" not in other.headers
    assert other.json()["id"] != first.json()["id"]
    assert other.json()["resume_token"] == OTHER_SECRET

    # The first caller's replay is theirs, secret included, and marked as a replay.
    again = new_draft(http, **{"Idempotency-Key": "shared-key"})
    assert again.status == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["resume_token"] == SECRET
    assert again.json()["resume_url"].endswith("#" + SECRET)

    # No stored response holds a secret in clear.
    for record in IdempotencyRecord.objects.all():
        assert SECRET not in str(record.response) and OTHER_SECRET not in str(record.response)
        assert record.owner.startswith("resume:")


def test_a_replayed_send_needs_the_right_to_send(served: Any) -> None:
    _, http = served()
    draft = new_draft(http).json()
    path = f"/api/submissions/{draft['id']}/submit/"
    sent = http("POST", path, headers={"X-Resume-Token": SECRET, "Idempotency-Key": "send-1"})
    assert sent.status == 200 and sent.json()["tracking_code"]

    # The victim's id and key, without the secret: the request does not exist for this caller.
    stolen = http("POST", path, headers={"Idempotency-Key": "send-1"})
    assert (stolen.status, stolen.code) == (404, "not-found")
    assert sent.json()["tracking_code"] not in stolen.body.decode()
    # …nor with another secret.
    stolen = http("POST", path, headers={"Idempotency-Key": "send-1", "X-Resume-Token": OTHER_SECRET})
    assert stolen.status == 404
    assert sent.json()["tracking_code"] not in stolen.body.decode()

    replay = http("POST", path, headers={"X-Resume-Token": SECRET, "Idempotency-Key": "send-1"})
    assert replay.status == 200 and replay.headers["Idempotent-Replayed"] == "true"


def test_a_forged_forwarded_address_does_not_escape_the_tracking_limit(served: Any) -> None:
    _, http = served(GUICHET_TRACKING_RATE="10")
    statuses = []
    for attempt in range(50):
        answer = http(
            "POST",
            "/api/tracking/",
            {"code": "ZZZZZZZZ"},
            headers={"X-Forwarded-For": f"203.0.113.{attempt}", "X-Real-IP": f"198.51.100.{attempt}"},
        )
        statuses.append(answer.status)
    assert statuses[:10] == [404] * 10
    assert set(statuses[10:]) == {429}
    assert answer.headers["Retry-After"] == "60"
    assert answer.code == "throttled"


def test_behind_a_trusted_proxy_each_client_has_its_own_budget(served: Any) -> None:
    _, http = served(GUICHET_TRACKING_RATE="3", GUICHET_TRUSTED_PROXIES="127.0.0.1")

    def track(chain: str) -> int:
        return http("POST", "/api/tracking/", {"code": "ZZZZZZZZ"}, headers={"X-Forwarded-For": chain}).status

    # The proxy appends the real client on the right; what a client wrote on the left is ignored.
    assert [track(f"10.9.9.{n}, 203.0.113.7") for n in range(4)] == [404, 404, 404, 429]
    assert track("203.0.113.8") == 404


def test_anonymous_writes_are_limited_per_address(served: Any) -> None:
    _, http = served(GUICHET_DRAFT_RATE="5", GUICHET_VALIDATE_RATE="5", GUICHET_UPLOAD_RATE="3")
    created = [http("POST", "/api/procedures/probe/submissions/", {"data": {}}) for _ in range(6)]
    assert [a.status for a in created] == [201] * 5 + [429]
    assert created[-1].code == "throttled" and created[-1].headers["Retry-After"] == "60"

    checks = [http("POST", "/api/procedures/probe/validate/", {"data": {"nom": "A"}}) for _ in range(6)]
    assert [a.status for a in checks][-1] == 429 and checks[0].status == 200

    draft = created[0].json()
    token = {"X-Resume-Token": draft["resume_token"]}
    uploads = [
        http(
            "POST",
            f"/api/submissions/{draft['id']}/uploads/",
            {"name": "a.jpg", "size": 10, "field": "photos"},
            headers=token,
        )
        for _ in range(4)
    ]
    assert [a.status for a in uploads] == [201, 201, 201, 429]


def test_sign_in_limits_hold_against_forged_addresses_and_spare_the_neighbours(served: Any) -> None:
    from allauth.account.models import EmailAddress

    from api.accounts.models import User

    for name in ("anne", "bruno"):
        user = User.objects.create_user(name, f"{name}@example.org", "correct-horse-battery-9")
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _, http = served()

    def login(email: str, password: str, forged: str) -> Any:
        config = http("GET", "/api/auth/browser/v1/config")
        cookies = "; ".join(part.split(";")[0] for part in config.headers.get("Set-Cookie", "").split(", "))
        token = next(p.split("=", 1)[1] for p in cookies.split("; ") if p.startswith("csrftoken="))
        return http(
            "POST",
            "/api/auth/browser/v1/auth/login",
            {"email": email, "password": password},
            headers={"X-Forwarded-For": forged, "Cookie": cookies, "X-CSRFToken": token},
        )

    answers = [login("anne@example.org", "wrong", f"203.0.113.{n}") for n in range(30)]
    assert answers[0].status == 400
    locked = [a for a in answers if a.status == 429]
    assert len(locked) == 25 and {a.code for a in locked} == {"too-many-login-attempts"}
    assert locked[-1].headers["Retry-After"] == "300"
    # The right password, from a "new" address: still locked (the address is not believed).
    assert login("anne@example.org", "correct-horse-battery-9", "198.51.100.1").status == 429
    # Someone else behind the same address signs in.
    assert login("bruno@example.org", "correct-horse-battery-9", "198.51.100.2").status == 200
