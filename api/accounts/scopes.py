"""Which scopes an application may be granted: its own allow-list (ClientAccess.scopes),
never more; without one, only reading the catalog. A request for more is granted
the intersection (RFC 6749 §3.3: the token response says which scopes were given),
and refused only when nothing of it is allowed."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import SettingsScopes

from .models import ClientAccess, least_scopes


def allowed_scopes(application: Any) -> list[str]:
    if application is None:
        return []
    access = ClientAccess.objects.filter(application_id=application.pk).first()
    granted = access.scopes if access is not None else least_scopes()
    known = set(SettingsScopes().get_all_scopes())
    return [scope for scope in granted if scope in known]


class ApplicationScopes(SettingsScopes):
    def get_available_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> Any:
        return allowed_scopes(application)

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> Any:
        available = set(allowed_scopes(application))
        return [scope for scope in super().get_default_scopes(application, request) if scope in available]
