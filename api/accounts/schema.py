"""OpenAPI: Guichet's Bearer authentication is django-oauth-toolkit's OAuth2 scheme."""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme


class BearerScheme(DjangoOAuthToolkitScheme):  # type: ignore[no-untyped-call]
    target_class = "api.accounts.authentication.BearerAuthentication"
