"""Guichet's adaptations of allauth: emails signed with the service's name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


@dataclass(frozen=True)
class Site:
    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context = {**context, "current_site": Site(settings.GUICHET_SITE_NAME, urlsplit(settings.PUBLIC_URL).netloc)}
        super().send_mail(template_prefix, email, context)
