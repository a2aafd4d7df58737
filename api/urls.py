"""Guichet's URLs: the API under /api/, sign-in under /api/auth/ (allauth headless),
OAuth2/OpenID Connect for third-party apps under /o/, the admin, and the PWA at the
root (served by whitenoise from pwa/dist)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from oauth2_provider import urls as oauth2_urls

from api.core import problems
from api.core.views import APP_ROUTES, HealthView, ReadyView, app_shell, schema_file
from api.theme.api.manifest import manifest

OAUTH_PATTERNS: list[URLPattern | URLResolver] = [
    *oauth2_urls.metadata_urlpatterns,
    *[p for p in oauth2_urls.base_urlpatterns if p.name in {"authorize", "token", "revoke-token", "introspect"}],
    *[p for p in oauth2_urls.oidc_urlpatterns if p.name != "rp-initiated-logout"],
]

api_patterns: list[URLPattern | URLResolver] = [
    path("health/", HealthView.as_view(), name="health"),
    path("ready/", ReadyView.as_view(), name="ready"),
    path("schema/", schema_file, name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # Sign-in by phone is not offered: allauth's phone endpoints are closed (and one
    # of them failed on unexpected methods).
    re_path(r"^auth/browser/v1/(account|auth)/phone(/.*)?$", problems.handler404),
    path("auth/", include("allauth.headless.urls")),
    path("", include("api.accounts.api.urls")),
    path("", include("api.catalog.api.urls")),
    path("", include("api.submissions.api.urls")),
    path("", include("api.backoffice.api.urls")),
    path("", include("api.realtime.api.urls")),
    path("", include("api.notify.api.urls")),
    path("", include("api.theme.api.urls")),
    # Anything else under /api/ (unknown paths, malformed ids) is a problem, in every mode:
    # without this, development mode would answer with Django's HTML debug page.
    re_path(r"^[\s\S]*$", csrf_exempt(problems.handler404)),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    # Identity providers call back here (the account pages themselves are off: HEADLESS_ONLY).
    path("accounts/", include("allauth.urls")),
    # OAuth2 and OpenID Connect for third-party applications: the authorization-code and
    # client-credentials endpoints, discovery and userinfo. Not served: the library's
    # application-management pages (any signed-in person could register an application
    # there), its device flow and dynamic client registration; administrators register
    # applications in the admin, with their allowed scopes and role.
    path("o/", include((OAUTH_PATTERNS, "oauth2_provider"), namespace="oauth2_provider")),
    path("admin/", admin.site.urls),
    # The app's manifest: the municipality's name, colours and icons (api/theme/).
    path("manifest.webmanifest", manifest),
    # The app's own pages (a shared link, a draft's resume link, an email's verification
    # link): the app's shell answers and the app routes them.
    re_path(APP_ROUTES, app_shell),
]

handler400 = "api.core.problems.handler400"
handler403 = "api.core.problems.handler403"
handler404 = "api.core.problems.handler404"
handler500 = "api.core.problems.handler500"
