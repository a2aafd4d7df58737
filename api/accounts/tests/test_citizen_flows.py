"""A citizen's account, end to end through the headless API the PWA calls:
signup, email verification, login, logout, one-time codes, password reset,
email change, profile, personal data and account deletion."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from api.accounts.models import AccountEvent, User

pytestmark = pytest.mark.django_db
AUTH = "/api/auth/browser/v1"
PASSWORD = "correct horse battery staple"


def post(client: Client, path: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(AUTH + path, body, content_type="application/json", **headers)


def last_code() -> str:
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$", mail.outbox[-1].body, re.MULTILINE)
    assert match, mail.outbox[-1].body
    return match.group(1)


def sign_up(client: Client, email: str = "anne@example.org") -> None:
    pending = post(client, "/auth/signup", {"email": email, "password": PASSWORD})
    assert pending.status_code == 401
    assert pending["Content-Type"] == "application/problem+json"
    assert pending.json()["code"] == "verify-email-pending", pending.content
    verified = post(client, "/auth/email/verify", {"key": last_code()})
    assert verified.status_code == 200, verified.content


def test_signup_verify_login_profile_logout() -> None:
    client = Client()
    sign_up(client)
    assert mail.outbox[0].subject.startswith("[Guichet]")
    assert "Guichet" in mail.outbox[0].body
    # The code confirms the address: it is called what it is (not a sign-in code).
    assert "code de vérification" in mail.outbox[0].body and "code de connexion" not in mail.outbox[0].body

    profile = client.get("/api/me/")
    assert profile.status_code == 200
    assert profile.json()["email"] == "anne@example.org"

    changed = client.patch(
        "/api/me/",
        {
            "first_name": "Anne",
            "phone": "06 12 34 56 78",
            "address": {"street": "1 rue Haute", "postcode": "91100", "city": "Bellerive"},
        },
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["phone"] == "+33612345678"

    assert client.delete(AUTH + "/auth/session").status_code == 401
    assert client.get("/api/me/").status_code == 401

    again = Client()
    logged = post(again, "/auth/login", {"email": "anne@example.org", "password": PASSWORD})
    assert logged.status_code == 200
    assert again.get("/api/me/").json()["first_name"] == "Anne"
    kinds = list(AccountEvent.objects.values_list("kind", flat=True))
    assert kinds[:2] == ["account.signed_up", "account.logged_in"]
    assert "account.profile_updated" in kinds and kinds[-1] == "account.logged_in"


def test_login_with_a_one_time_code() -> None:
    sign_up(Client())
    client = Client()
    requested = post(client, "/auth/code/request", {"email": "anne@example.org"})
    assert requested.status_code == 401
    assert requested.json()["code"] == "login-by-code-pending"
    confirmed = post(client, "/auth/code/confirm", {"code": last_code()})
    assert confirmed.status_code == 200
    assert client.get("/api/me/").status_code == 200


def test_password_reset_by_code() -> None:
    sign_up(Client())
    client = Client()
    assert post(client, "/auth/password/request", {"email": "anne@example.org"}).status_code == 401
    code = last_code()
    reset = post(client, "/auth/password/reset", {"key": code, "password": "another long passphrase"})
    assert reset.status_code in (200, 401), reset.content
    assert (
        post(Client(), "/auth/login", {"email": "anne@example.org", "password": "another long passphrase"}).status_code
        == 200
    )


def test_change_email_with_verification() -> None:
    client = Client()
    sign_up(client)
    added = client.post(AUTH + "/account/email", {"email": "anne.new@example.org"}, content_type="application/json")
    assert added.status_code in (200, 401), added.content
    assert mail.outbox[-1].to == ["anne.new@example.org"]
    verified = post(client, "/auth/email/verify", {"key": last_code()})
    assert verified.status_code == 200, verified.content
    assert client.get("/api/me/").json()["email"] == "anne.new@example.org"
    addresses = client.get(AUTH + "/account/email").json()["data"]
    assert [(a["email"], a["primary"], a["verified"]) for a in addresses] == [("anne.new@example.org", True, True)]


def test_responses_do_not_reveal_whether_an_email_has_an_account(clear_cache: Any) -> None:
    sign_up(Client())
    mail.outbox.clear()
    known = post(Client(), "/auth/password/request", {"email": "anne@example.org"})
    unknown = post(Client(), "/auth/password/request", {"email": "nobody@example.org"})
    assert (known.status_code, known.json()["code"]) == (unknown.status_code, unknown.json()["code"])
    clear_cache()  # as if the per-address cooldown had passed
    signup_again = post(Client(), "/auth/signup", {"email": "anne@example.org", "password": PASSWORD})
    signup_new = post(Client(), "/auth/signup", {"email": "bob@example.org", "password": PASSWORD})
    assert signup_again.status_code == signup_new.status_code == 401


def test_bad_credentials_are_problems_and_failed_logins_are_recorded_and_limited() -> None:
    sign_up(Client())
    client = Client()
    wrong = post(client, "/auth/login", {"email": "anne@example.org", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400
    body = wrong.json()
    assert body["type"] == "urn:guichet:problem:email-password-mismatch"
    assert body["invalid_params"][0]["pointer"] == "/password"
    assert body["errors"][0]["code"] == "email_password_mismatch"  # allauth's own members stay
    assert AccountEvent.objects.filter(kind="account.login_failed").count() == 1
    assert "anne" not in str(AccountEvent.objects.filter(kind="account.login_failed").first().payload)

    # Five failures on one account in five minutes, then even the right password is refused,
    # as throttling: 429 with how long to wait.
    codes = [
        post(client, "/auth/login", {"email": "anne@example.org", "password": "wrong"}).json()["code"] for _ in range(5)
    ]
    assert codes[-1] == "too-many-login-attempts"
    blocked = post(client, "/auth/login", {"email": "anne@example.org", "password": PASSWORD})
    assert (blocked.status_code, blocked.json()["code"]) == (429, "too-many-login-attempts")
    assert blocked["Retry-After"] == "300"
    assert AccountEvent.objects.filter(kind="account.login_failed").count() >= 5


def test_logins_are_rate_limited_per_ip() -> None:
    client = Client()
    answers = [post(client, "/auth/login", {"email": f"u{i}@example.org", "password": "wrong"}) for i in range(32)]
    codes = [answer.json()["code"] for answer in answers]
    # Thirty wrong passwords from one address in ten minutes (on any accounts), then refused.
    assert codes[:30] == ["email-password-mismatch"] * 30
    assert set(codes[30:]) == {"too-many-login-attempts-from-address"}
    assert {a.status_code for a in answers[30:]} == {429} and answers[-1]["Retry-After"] == "600"
    # Sixty attempts a minute at most, whatever they are.
    more = [post(client, "/auth/login", {"email": "x@example.org", "password": "wrong"}) for _ in range(30)]
    limited = post(client, "/auth/login", {"email": "x@example.org", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert more[-1].status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert (limited.status_code, limited.json()["code"]) == (429, "throttled")
    assert limited["Retry-After"]


def test_a_locked_account_does_not_lock_out_the_others_behind_its_address() -> None:
    sign_up(Client())
    sign_up(Client(), email="bruno@example.org")
    attacker = Client()
    answers = [post(attacker, "/auth/login", {"email": "anne@example.org", "password": "wrong"}) for _ in range(30)]
    assert answers[-1].status_code == 429 and answers[-1].json()["code"] == "too-many-login-attempts"
    # Same address, another account, right password: signed in.
    signed_in = post(Client(), "/auth/login", {"email": "bruno@example.org", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.json()


def test_csrf_is_enforced_for_the_browser_client() -> None:
    client = Client(enforce_csrf_checks=True)
    refused = post(client, "/auth/login", {"email": "anne@example.org", "password": PASSWORD})
    assert refused.status_code == 403
    client.get(AUTH + "/config")
    token = client.cookies["csrftoken"].value
    accepted = post(client, "/auth/login", {"email": "anne@example.org", "password": PASSWORD}, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 400  # reaches the login (unknown account), past CSRF


def test_a_form_sent_to_the_sign_in_api_is_a_clear_400_not_a_server_error() -> None:
    """The CSRF check reads a POSTed form, and the sign-in library then reads the raw
    body as JSON: a multipart body used to crash it (500), signed in or not."""
    client = Client(enforce_csrf_checks=True)
    client.get(AUTH + "/config")
    token = client.cookies["csrftoken"].value
    for path in ("/auth/login", "/account/authenticators/recovery-codes"):
        answer = client.post(AUTH + path, {"email": "x@example.org"}, HTTP_X_CSRFTOKEN=token)  # multipart
        assert answer.status_code in (400, 401), (path, answer.status_code, answer.content[:300])
    signed_in = Client()
    sign_up(signed_in)
    signed_in.handler.enforce_csrf_checks = True
    signed_in.get(AUTH + "/config")
    token = signed_in.cookies["csrftoken"].value
    answer = signed_in.post(AUTH + "/account/authenticators/recovery-codes", {"a": "b"}, HTTP_X_CSRFTOKEN=token)
    assert answer.status_code in (400, 401), answer.content[:300]


def test_my_data_and_account_deletion() -> None:
    client = Client()
    sign_up(client)
    document = client.get("/api/me/data/")
    assert document.status_code == 200
    data = document.json()
    assert data["format"] == "guichet.personal-data"
    assert data["account"]["email"] == "anne@example.org"
    assert data["email_addresses"] == [{"email": "anne@example.org", "verified": True, "primary": True}]
    assert {event["kind"] for event in data["history"]} >= {"account.signed_up"}

    refused = client.delete("/api/me/")
    assert (refused.status_code, refused.json()["code"]) == (403, "reauthentication-required")
    assert post(client, "/auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    deleted = client.delete("/api/me/")
    assert deleted.status_code == 204
    user = User.objects.get()
    assert (user.email, user.is_active, user.has_usable_password()) == ("", False, False)
    assert user.username.startswith("deleted-")
    assert post(Client(), "/auth/login", {"email": "anne@example.org", "password": PASSWORD}).status_code == 400


def test_the_new_email_becomes_the_address_once_verified() -> None:
    client = Client()
    sign_up(client)
    assert post(client, "/auth/reauthenticate", {"password": PASSWORD}).status_code == 200
    client.post(AUTH + "/account/email", {"email": "anne.new@example.org"}, content_type="application/json")
    confirmed = post(client, "/auth/email/verify", {"key": last_code()})
    assert confirmed.status_code == 200, confirmed.content
    emails = client.get(AUTH + "/account/email").json()["data"]
    assert {(e["email"], e["verified"]) for e in emails} >= {("anne.new@example.org", True)}
    assert client.get("/api/me/").json()["email"] == "anne.new@example.org"


def test_a_date_of_birth_cannot_be_in_the_future() -> None:
    client = Client()
    sign_up(client)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.patch("/api/me/", {"birthdate": tomorrow}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["pointer"] == "/birthdate"
    today = timezone.localdate().isoformat()
    assert client.patch("/api/me/", {"birthdate": today}, content_type="application/json").status_code == 200


def test_problems_speak_the_language_of_the_request() -> None:
    for language, title in (
        ("fr", "Rien n'a été trouvé à cette adresse."),
        ("en", "Nothing was found at this address."),
    ):
        answer = Client().get("/api/nothing/", HTTP_ACCEPT_LANGUAGE=language)
        assert answer.json()["title"] == title
    # A sign-in problem: title and detail in French, like the rest.
    wrong = post(Client(), "/auth/login", {"email": "x@example.org", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert wrong.json()["title"] == "La requête n'est pas valide."
