"""Guichet's URLs: the API under /api/, the admin, and the PWA at the root
(served by whitenoise from pwa/dist)."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.core.views import HealthView, ReadyView

api_patterns: list[URLPattern | URLResolver] = [
    path("health/", HealthView.as_view(), name="health"),
    path("ready/", ReadyView.as_view(), name="ready"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("", include("api.catalog.api.urls")),
]

urlpatterns = [
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]

handler400 = "api.core.problems.handler400"
handler403 = "api.core.problems.handler403"
handler404 = "api.core.problems.handler404"
handler500 = "api.core.problems.handler500"
