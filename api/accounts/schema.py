"""OpenAPI: the Bearer scheme is django-oauth-toolkit's OAuth2 one; the session is the cookie scheme."""

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class BearerScheme(DjangoOAuthToolkitScheme):  # type: ignore[no-untyped-call]
    target_class = "api.accounts.authentication.BearerAuthentication"


class CsrfSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """The app's session cookie (writes send the CSRF token in X-CSRFToken)."""

    target_class = "api.accounts.authentication.CsrfSessionAuthentication"
