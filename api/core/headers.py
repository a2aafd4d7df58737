"""Security headers on every response: a Content-Security-Policy per area, a
Permissions-Policy, and no framing.

The app (the PWA served at the root) has no inline script or style, so its policy
allows only its own origin (and, for images, the map tiles' server when one is set;
for forms, the sign-in providers', to which signing in with them redirects):
no 'unsafe-inline', no nonce to carry. API responses
are data and get the tightest policy. The API documentation and the admin are
third-party pages with inline code of their own; they get a policy that allows
it, and nothing else from elsewhere. The institutional sites that embed Guichet
(GUICHET_EMBED_ORIGINS) may frame the app: its frame-ancestors names them, and no
X-Frame-Options then forbids it; without them, nothing may frame anything.

Written here rather than with django-csp: three fixed policies chosen by path
need no templates, nonces or per-view decorators (docs/decisions/0011)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from .middleware import SyncAndAsyncMiddleware
from .static import is_widget_code


def _tiles_origin() -> str:
    """The map tiles' origin (GUICHET_MAP_TILES), which the app's images may come from."""
    if not settings.GUICHET_MAP_TILES:
        return ""
    parts = urlsplit(settings.GUICHET_MAP_TILES)
    return f" {parts.scheme}://{parts.netloc}"


def _provider_origins() -> str:
    """The sign-in providers' origins (OIDC_PROVIDERS): a provider's sign-in form posts
    to Guichet, which redirects to the provider, and form-action governs redirects too."""
    providers: dict[str, Any] = settings.SOCIALACCOUNT_PROVIDERS
    apps: list[dict[str, Any]] = providers.get("openid_connect", {}).get("APPS", [])
    origins = []
    for app in apps:
        parts = urlsplit(app.get("settings", {}).get("server_url", ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return "".join(f" {origin}" for origin in dict.fromkeys(origins))


def app_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:" + _tiles_origin(),
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'" + _provider_origins(),
            "frame-ancestors " + _embedders(),
        ]
    )


def _embedders() -> str:
    origins: list[str] = settings.GUICHET_EMBED_ORIGINS
    return " ".join(["'self'", *origins]) if origins else "'none'"


API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI, Redoc and the admin carry inline scripts and styles of their own.
TOOLS_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
TOOLS_PREFIXES = ("/api/docs/", "/api/redoc/", "/admin/", "/o/authorize/")
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "geolocation=(self)",  # a map point can be taken from the device
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
    ]
)


def policy_for(path: str) -> str:
    if path.startswith(TOOLS_PREFIXES):
        return TOOLS_POLICY
    if path.startswith(("/api/", "/o/", "/accounts/")):
        return API_POLICY
    return app_policy()


def _decorate(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if "Content-Security-Policy" not in response:  # a download sets its own sandbox
        response["Content-Security-Policy"] = policy_for(request.path)
    if is_widget_code(request.path):
        # The widgets' module and chunks, for the sites that embed Guichet only (module
        # scripts are fetched in CORS mode): the rest of the web cannot load them.
        origin = request.headers.get("Origin", "")
        if origin and origin in settings.GUICHET_EMBED_ORIGINS:
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ["Origin"])
    response["Permissions-Policy"] = PERMISSIONS_POLICY
    if "frame-ancestors 'self'" in response["Content-Security-Policy"]:
        # The app, when sites embed it: frame-ancestors says who may; X-Frame-Options
        # (Django's middleware) cannot name them, and would forbid them all.
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
    else:
        response.setdefault("X-Frame-Options", "DENY")
    response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


class SecurityHeadersMiddleware(SyncAndAsyncMiddleware):
    """Sits above whitenoise so that the app's files get the headers too."""

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return _decorate(request, response)
