"""People and their access: users (citizens and agents), profiles, roles."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from api.core.events import EventRecord
from api.core.text import normalise

#: The fields a person's sort name is made of.
NAME_FIELDS = frozenset({"first_name", "last_name", "email", "username"})


def sort_name_of(first_name: str, last_name: str, email: str, username: str) -> str:
    """A person's name as lists sort it: their names, else their address, else their
    username, reduced to lower-case ASCII words ("Émile Zola" -> "emile zola"), so that
    "Émile" sorts among the e's on every database whatever its collation."""
    return (normalise(f"{first_name} {last_name}") or normalise(email) or normalise(username))[:300]


class User(AbstractUser):
    """A person with an account. Citizens sign in by email; agents are users with roles."""

    sort_name = models.CharField(
        max_length=300, editable=False, default="", help_text="The name lists sort by (kept by save())."
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = sort_name_of(self.first_name, self.last_name, self.email, self.username)
        fields = kwargs.get("update_fields")
        if fields is not None and NAME_FIELDS & set(fields):
            kwargs["update_fields"] = {*fields, "sort_name"}
        super().save(*args, **kwargs)


class Language(models.TextChoices):
    FR = "fr", "Français"
    EN = "en", "English"


def default_notifications() -> dict[str, bool]:
    return {"email": True, "push": True}


class Profile(models.Model):
    """What a citizen tells Guichet about themselves, used to prefill forms."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +33612345678."))
    address = models.JSONField(_("postal address"), default=dict, blank=True)
    birthdate = models.DateField(_("birth date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FR)
    notifications = models.JSONField(_("notification preferences"), default=default_notifications, blank=True)
    # Which identity provider vouched for which field: {field: {"provider": id, "at": iso date-time}}.
    verified = models.JSONField(_("verified fields"), default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"


class PushSubscription(models.Model):
    """A browser or phone a person subscribed to web push (one row per push endpoint:
    subscribing again from the same device updates it, even for another person)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(_("push endpoint"), max_length=2000, unique=True)
    p256dh = models.CharField(max_length=100, help_text="The device's P-256 public key (base64url).")
    auth = models.CharField(max_length=50, help_text="The device's authentication secret (base64url).")
    device = models.CharField(_("device"), max_length=120, blank=True, help_text=_("A name to recognise it."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"push {self.pk} of {self.user_id}"


class Role(models.Model):
    """A service of the municipality ("État civil", "Voirie") that receives procedures."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL, through="Membership", related_name="roles", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.role_id}"


def least_scopes() -> list[str]:
    return ["catalog:read"]


class ClientAccess(models.Model):
    """What a third-party application may do: the scopes it may be granted (an
    application asking for more gets only these), and the role it acts for with
    the ``agent`` or ``submissions:read`` scope."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.CASCADE, related_name="access"
    )
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    scopes = models.JSONField(
        _("scopes it may be granted"),
        default=least_scopes,
        blank=True,
        help_text=_("An application without access settings may only read the catalog."),
    )

    class Meta:
        verbose_name = _("application access")
        verbose_name_plural = _("application accesses")

    def __str__(self) -> str:
        return f"access of {self.application_id}"


class AccountEvent(EventRecord):
    """The accounts' log: what happens to accounts, roles and applications' access
    (failed sign-ins included). Kinds and payloads: ``events.py``."""

    subject_type = "account"
    subject_field = "user_id"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="account_events"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta(EventRecord.Meta):
        pass
