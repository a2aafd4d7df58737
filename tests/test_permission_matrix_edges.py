"""Who can reach what outside the OpenAPI schema: the OAuth2/OpenID Connect endpoints
under /o/, the identity-provider callbacks under /accounts/, and websockets.

Every route under /o/ and /accounts/ must have a row here (a route added without
one fails), and what the OAuth2 library offers but Guichet does not serve (its
application-management pages, the device flow, dynamic client registration)
must stay unreachable."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from django.test import Client
from django.urls import URLResolver, get_resolver
from websockets.exceptions import ConnectionClosed, InvalidStatus

from api.accounts.models import User

# (method, path) → status for: anonymous, citizen, administrator.
ROUTES: dict[tuple[str, str], tuple[int, int, int]] = {
    ("GET", "/o/.well-known/oauth-authorization-server"): (200, 200, 200),
    ("GET", "/o/.well-known/oauth-protected-resource"): (200, 200, 200),
    ("GET", "/o/.well-known/openid-configuration"): (200, 200, 200),
    ("GET", "/o/.well-known/jwks.json"): (200, 200, 200),
    # Without a client: the person is sent to sign in, or told the request is invalid.
    ("GET", "/o/authorize/"): (302, 400, 400),
    ("POST", "/o/token/"): (400, 400, 400),
    ("POST", "/o/revoke_token/"): (400, 400, 400),
    ("POST", "/o/introspect/"): (403, 403, 403),
    ("GET", "/o/userinfo/"): (401, 401, 401),
    # An identity provider's callback without a provider configured: nothing there.
    ("GET", "/accounts/oidc/nowhere/login/"): (404, 404, 404),
    ("GET", "/accounts/oidc/nowhere/login/callback/"): (404, 404, 404),
}
# What the OAuth2 library ships and Guichet does not serve, for anyone.
NOT_SERVED = [
    ("GET", "/o/applications/"),
    ("GET", "/o/applications/register/"),
    ("POST", "/o/applications/register/"),
    ("GET", "/o/authorized_tokens/"),
    ("GET", "/o/device/"),
    ("POST", "/o/device-authorization/"),
    ("POST", "/o/register/"),
    ("GET", "/o/logout/"),
    ("GET", "/accounts/login/"),
    ("GET", "/accounts/signup/"),
]


def routes_under(*prefixes: str) -> set[str]:
    def walk(patterns: list[Any], prefix: str) -> Any:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return {route for route in walk(get_resolver().url_patterns, "") if route.startswith(prefixes)}


def test_every_route_under_o_and_accounts_has_a_row() -> None:
    served = routes_under("o/", "accounts/")
    rows = {
        "o/.well-known/oauth-authorization-server", "o/.well-known/oauth-authorization-server/<path:issuer_path>",
        "o/.well-known/oauth-protected-resource", "o/.well-known/oauth-protected-resource/<path:resource_path>",
        r"o/^\.well-known/openid-configuration/?$", "o/.well-known/jwks.json", "o/authorize/", "o/token/",
        "o/revoke_token/", "o/introspect/", "o/userinfo/",
        "accounts/oidc/^(?P<provider_id>[^/]+)/login/", "accounts/oidc/^(?P<provider_id>[^/]+)/login/callback/",
    }  # fmt: skip
    assert served == rows


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), sorted(ROUTES))
def test_o_and_accounts_answer_each_kind_of_caller(method: str, path: str) -> None:
    callers = [Client(), Client(), Client()]
    callers[1].force_login(User.objects.create_user("anne"))
    callers[2].force_login(User.objects.create_user("root", is_staff=True, is_superuser=True))
    got = tuple((client.get(path) if method == "GET" else client.post(path, {})).status_code for client in callers)
    assert got == ROUTES[(method, path)]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), NOT_SERVED)
def test_what_guichet_does_not_serve_is_unreachable_even_signed_in(method: str, path: str) -> None:
    client = Client()
    client.force_login(User.objects.create_user("root", is_staff=True, is_superuser=True))
    answer = client.get(path) if method == "GET" else client.post(path, {"name": "x"})
    assert answer.status_code == 404


@pytest.mark.asyncio
async def test_websockets_answer_only_allowed_origins_and_known_paths(daphne_server: Any) -> None:
    server = daphne_server(CORS_ALLOWED_ORIGINS="https://www.bellerive.example")
    base = server.url.replace("http://", "ws://")
    for path in ("/ws/", "/api/ws/", "/ws/submissions/x/"):
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(base + path, origin="https://evil.example"):  # type: ignore[arg-type]
                pass
        assert refused.value.response.status_code == 403
        async with websockets.connect(base + path, origin=server.url) as socket:  # type: ignore[arg-type]
            if path == "/ws/":  # the stream: nobody signed in and no ticket, so told why and closed
                said = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                assert said["code"] == "refused" and said["detail"] == "sign in, or open the socket with a ticket"
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == (4401 if path == "/ws/" else 4404)
