"""The only code that writes accounts, profiles, roles and applications' access;
each action records its event (``events.py``)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

from api.core.actions import forget_idempotency_keys

from . import events, preferences
from .models import AccountEvent, ClientAccess, Membership, Profile, PushSubscription, Role, User
from .profiles import profile_of

#: Sent after an account is deleted (its personal data erased), with ``user_id``:
#: other domains anonymise what they hold about that person.
account_deleted = Signal()
#: Sent by export_data; each receiver returns {section name: JSON data} about the person
#: (other apps add what they hold, e.g. the person's requests).
personal_data = Signal()

#: OpenID Connect claims Guichet keeps, and the profile field each one fills.
CLAIM_FIELDS = {"given_name": "first_name", "family_name": "last_name", "birthdate": "birthdate", "email": "email"}
PROFILE_FIELDS = {"phone", "address", "language", "notifications", "birthdate"}
USER_FIELDS = {"first_name", "last_name"}


@transaction.atomic
def signed_up(user: User, request: HttpRequest | None, *, provider: str) -> None:
    """A new account: its profile starts empty, and the sign-up is recorded."""
    ensure_profile(user)
    events.signed_up(user, request, provider=provider)


@transaction.atomic
def logged_in(user: User, request: HttpRequest | None) -> None:
    events.logged_in(user, request)


@transaction.atomic
def logged_out(user: User, request: HttpRequest | None) -> None:
    events.logged_out(user, request)


@transaction.atomic
def second_factor_added(user: User, request: HttpRequest | None, authenticator: Any) -> None:
    """An authenticator app set up: recorded, and this session counts as signed in with
    it (the person has just proven they hold it with one of its codes), so an agent
    who sets it up when the back office asks goes on without signing in again."""
    from allauth.account.internal.flows.login import record_authentication

    events.second_factor_added(user, request, kind=str(authenticator.type))
    # Recovery codes are handed out, not proven: only an app's code counts as signing in with it.
    if authenticator.type == "totp" and request is not None and hasattr(request, "session"):
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)


def ensure_profile(user: User) -> Profile:
    """The person's stored profile, created empty if needed (for writers only: reads
    use ``profiles.profile_of``, which writes nothing)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(user: User, fields: Mapping[str, Any], *, request: HttpRequest | None = None) -> Profile:
    """Change the given profile fields (name, phone, address, language, notifications).
    A field vouched for by an identity provider keeps its verified value."""
    profile = Profile.objects.select_for_update().get(pk=ensure_profile(user).pk)
    changed = []
    for name, value in fields.items():
        if name in profile.verified:
            continue
        target: Any = user if name in USER_FIELDS else profile
        if name not in USER_FIELDS | PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        if name == "notifications":  # keys given replace, the others stay
            value = preferences.merged(profile.notifications, value)
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=[n for n in changed if n in USER_FIELDS] or None)
        profile.save()
        events.profile_updated(user, request, changed)
    return profile


@transaction.atomic
def record_verified_identity(
    user: User, provider: str, claims: Mapping[str, Any], vouched: list[str], *, request: HttpRequest | None = None
) -> Profile:
    """Fill the profile from claims an identity provider vouches for, and remember which."""
    profile = Profile.objects.select_for_update().get(pk=ensure_profile(user).pk)
    at = timezone.now().isoformat()
    kept = []
    for claim in vouched:
        field, value = CLAIM_FIELDS.get(claim), claims.get(claim)
        if field is None or value in (None, ""):
            continue
        if field == "birthdate":
            try:
                profile.birthdate = date.fromisoformat(str(value))
            except ValueError:
                continue
        elif field == "email":
            user.email = str(value)
        else:
            setattr(user, field, str(value)[:150])
        profile.verified[field] = {"provider": provider, "at": at}
        kept.append(field)
    user.save()
    profile.save()
    events.identity_verified(user, request, provider=provider, fields=kept)
    return profile


def login_failed(credentials: Mapping[str, Any], request: HttpRequest | None) -> None:
    """Record a failed login without storing the address tried: only its hash."""
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    digest = hashlib.sha256(login.encode()).hexdigest()[:16] if login else ""
    with transaction.atomic():
        events.login_failed(request, login_sha256=digest)


def export_data(user: User, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything Guichet holds about this person, as one JSON document (GDPR right of access)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    profile = profile_of(user)
    document: dict[str, Any] = {
        "format": "guichet.personal-data",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "profile": {
            "phone": profile.phone,
            "address": profile.address,
            "birthdate": profile.birthdate.isoformat() if profile.birthdate else None,
            "language": profile.language,
            "notifications": profile.notifications,
            "verified": profile.verified,
        },
        "identity_providers": [
            {"provider": a.provider, "uid": a.uid, "since": a.date_joined.isoformat()}
            for a in SocialAccount.objects.filter(user=user)
        ],
        "roles": [{"slug": r.slug, "name": r.name} for r in user.roles.all()],
        "history": [
            {"kind": e.kind, "at": e.created_at.isoformat(), "ip": e.ip, "payload": e.payload}
            for e in AccountEvent.objects.filter(user=user)
        ],
    }
    for _receiver, sections in personal_data.send(sender=User, user=user):
        if isinstance(sections, dict):
            document.update(sections)
    return document


@transaction.atomic
def delete_account(user: User, *, request: HttpRequest | None = None) -> None:
    """Erase a person's data and close the account. The user row stays, anonymous,
    so that what they submitted stays with the municipality, attributed to nobody."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from oauth2_provider.models import get_access_token_model, get_grant_model, get_refresh_token_model

    user_id = user.pk
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for model in (get_access_token_model(), get_refresh_token_model(), get_grant_model()):
        model.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    AccountEvent.objects.filter(user=user).update(ip=None, payload={})
    forget_idempotency_keys(f"user:{user_id}")
    user.username = f"deleted-{user_id}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    events.deleted(user)
    transaction.on_commit(lambda: account_deleted.send(sender=User, user_id=user_id))


@transaction.atomic
def upsert_role(slug: str, name: str, description: str = "", *, actor: Any = None) -> tuple[Role, bool]:
    """Create or rename the role ``slug``; return it and whether anything changed."""
    role, created = Role.objects.select_for_update().get_or_create(
        slug=slug, defaults={"name": name, "description": description}
    )
    changed = [f for f, v in (("name", name), ("description", description)) if getattr(role, f) != v]
    if changed and not created:
        role.name, role.description = name, description
        role.save()
    if created or changed:
        events.role_saved(slug, actor, fields=["name", "description"] if created else changed, created=created)
    return role, bool(created or changed)


@transaction.atomic
def delete_role(role: Role, *, actor: Any = None) -> None:
    """Delete a role (its members lose it; applications acting for it act for none)."""
    slug = role.slug
    for membership in Membership.objects.filter(role=role).select_related("user"):
        events.role_revoked(membership.user, slug, actor)
    role.delete()
    events.role_deleted(slug, actor)


@transaction.atomic
def grant_role(user: User, role: Role, *, actor: AbstractBaseUser | AnonymousUser | None = None) -> bool:
    _membership, created = Membership.objects.get_or_create(user=user, role=role)
    if created:
        events.role_granted(user, role.slug, actor)
    return created


@transaction.atomic
def revoke_role(user: User, role: Role, *, actor: AbstractBaseUser | AnonymousUser | None = None) -> bool:
    deleted, _ = Membership.objects.filter(user=user, role=role).delete()
    if deleted:
        events.role_revoked(user, role.slug, actor)
    return bool(deleted)


# --- Administration (the admin site calls these; nothing there saves directly) -----------


@transaction.atomic
def save_by_admin(instance: Any, changed: list[str], *, actor: Any, created: bool) -> None:
    """Save a user or a profile as an administrator edited it, and record who did."""
    instance.save()
    user = instance if isinstance(instance, User) else instance.user
    events.changed_by_admin(user, actor, model=type(instance).__name__.lower(), fields=changed, created=created)


@transaction.atomic
def save_role_by_admin(role: Role, changed: list[str], *, actor: Any, created: bool) -> None:
    role.save()
    if created or changed:
        events.role_saved(role.slug, actor, fields=changed, created=created)


@transaction.atomic
def save_client_access(access: ClientAccess, changed: list[str], *, actor: Any, created: bool) -> None:
    """Set what an application may do (its scopes, the role it acts for)."""
    access.save()
    events.client_access_saved(str(access.application.client_id), actor, fields=changed, created=created)


@transaction.atomic
def delete_client_access(access: ClientAccess, *, actor: Any) -> None:
    """Remove an application's access settings: it may then only read the catalog."""
    client_id = str(access.application.client_id)
    access.delete()
    events.client_access_deleted(client_id, actor)


@transaction.atomic
def subscribe_push(
    user: User, *, endpoint: str, p256dh: str, auth: str, device: str = ""
) -> tuple[PushSubscription, bool]:
    """Subscribe a device to web push, or update it (one row per endpoint: a device
    subscribed again, even by another person, is updated, never duplicated)."""
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    created = subscription is None
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint)
    subscription.user, subscription.p256dh, subscription.auth = user, p256dh, auth
    subscription.device = device or subscription.device
    subscription.save()
    events.push_subscribed(user, subscription.pk, created=created)
    return subscription, created


@transaction.atomic
def unsubscribe_push(subscription: PushSubscription) -> None:
    events.push_unsubscribed(subscription.user, subscription.pk)
    subscription.delete()


@transaction.atomic
def expire_push(subscription_id: int, *, status: int) -> bool:
    """The push service said this subscription is gone: remove it (once)."""
    subscription = PushSubscription.objects.select_for_update().filter(pk=subscription_id).first()
    if subscription is None:
        return False
    events.push_expired(subscription.user, subscription_id, status=status)
    subscription.delete()
    return True


def push_delivered(*subscription_ids: int) -> None:
    """Remember when devices last received a push (bookkeeping of the sender, no event)."""
    if subscription_ids:
        PushSubscription.objects.filter(pk__in=subscription_ids).update(last_success_at=timezone.now())
