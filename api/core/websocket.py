"""Websocket origins are checked like HTTP ones: the site's own hosts (ALLOWED_HOSTS)
and the origins allowed to call the API (CORS_ALLOWED_ORIGINS); nothing else."""

from __future__ import annotations

from typing import Any

from channels.security.websocket import OriginValidator
from django.conf import settings


def allowed_origins() -> list[str]:
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    return [*hosts, *settings.CORS_ALLOWED_ORIGINS]


def origin_checked(application: Any) -> OriginValidator:
    return OriginValidator(application, allowed_origins())
