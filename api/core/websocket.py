"""Websocket origins are checked like HTTP ones: the site's own hosts (ALLOWED_HOSTS)
and the origins allowed to call the API (CORS_ALLOWED_ORIGINS); nothing else."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import WebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.urls import re_path


def allowed_origins() -> list[str]:
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    return [*hosts, *settings.CORS_ALLOWED_ORIGINS]


def origin_checked(application: Any) -> OriginValidator:
    return OriginValidator(application, allowed_origins())


#: Close code for a path no websocket route serves (4000-4999 are the application's).
UNKNOWN_PATH = 4404


class UnknownPath(WebsocketConsumer):
    """A websocket upgrade to a path nothing serves: closed at once with 4404, not a
    server error. (Accepting first tells it apart from a refused origin's 403.)"""

    def connect(self) -> None:
        self.accept()
        self.close(code=UNKNOWN_PATH)


def with_fallback(routes: list[Any]) -> list[Any]:
    """The websocket routes, then a refusal for every other path."""
    return [*routes, re_path(r"", UnknownPath.as_asgi())]  # type: ignore[arg-type]
