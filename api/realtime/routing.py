"""The websocket routes (served by daphne through channels; see api/asgi.py)."""

from django.urls import path

from .consumers import StreamConsumer

websocket_urlpatterns = [path("ws/", StreamConsumer.as_asgi())]  # type: ignore[arg-type]
