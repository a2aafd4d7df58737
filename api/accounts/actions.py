"""The only code that writes accounts, profiles and roles; each action records an AccountEvent."""

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

from .models import AccountEvent, Membership, Profile, Role, User

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


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(kind: str, user: Any = None, request: HttpRequest | None = None, **data: Any) -> AccountEvent:
    if user is not None and not getattr(user, "pk", None):
        user = None
    return AccountEvent.objects.create(kind=kind, user=user, ip=client_ip(request), data=data)


def ensure_profile(user: User) -> Profile:
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
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if changed:
        user.save(update_fields=[n for n in changed if n in USER_FIELDS] or None)
        profile.save()
        record(AccountEvent.Kind.PROFILE_UPDATED, user, request, fields=sorted(changed))
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
    record(AccountEvent.Kind.IDENTITY_VERIFIED, user, request, provider=provider, fields=sorted(kept))
    return profile


def login_failed(credentials: Mapping[str, Any], request: HttpRequest | None) -> None:
    """Record a failed login without storing the address tried: only its hash."""
    login = str(credentials.get("email") or credentials.get("username") or "").strip().lower()
    digest = hashlib.sha256(login.encode()).hexdigest()[:16] if login else ""
    record(AccountEvent.Kind.LOGIN_FAILED, None, request, login_sha256=digest)


def export_data(user: User, *, request: HttpRequest | None = None) -> dict[str, Any]:
    """Everything Guichet holds about this person, as one JSON document (GDPR right of access)."""
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount

    profile = ensure_profile(user)
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
            {"kind": e.kind, "at": e.created_at.isoformat(), "ip": e.ip, "data": e.data}
            for e in AccountEvent.objects.filter(user=user)
        ],
    }
    for _receiver, sections in personal_data.send(sender=User, user=user):
        if isinstance(sections, dict):
            document.update(sections)
    record(AccountEvent.Kind.DATA_EXPORTED, user, request)
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
    AccountEvent.objects.filter(user=user).update(ip=None, data={})
    forget_idempotency_keys(f"user:{user_id}")
    user.username = f"deleted-{user_id}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    record(AccountEvent.Kind.DELETED, user, None)
    transaction.on_commit(lambda: account_deleted.send(sender=User, user_id=user_id))


@transaction.atomic
def upsert_role(slug: str, name: str, description: str = "") -> tuple[Role, bool]:
    """Create or rename the role ``slug``; return it and whether anything changed."""
    role, created = Role.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})
    if not created and (role.name, role.description) != (name, description):
        role.name, role.description = name, description
        role.save()
        return role, True
    return role, created


@transaction.atomic
def grant_role(user: User, role: Role, *, actor: AbstractBaseUser | AnonymousUser | None = None) -> bool:
    _membership, created = Membership.objects.get_or_create(user=user, role=role)
    if created:
        record(AccountEvent.Kind.ROLE_GRANTED, user, None, role=role.slug, by=getattr(actor, "pk", None))
    return created


@transaction.atomic
def revoke_role(user: User, role: Role, *, actor: AbstractBaseUser | AnonymousUser | None = None) -> bool:
    deleted, _ = Membership.objects.filter(user=user, role=role).delete()
    if deleted:
        record(AccountEvent.Kind.ROLE_REVOKED, user, None, role=role.slug, by=getattr(actor, "pk", None))
    return bool(deleted)


def profile_values(user: User) -> dict[str, Any]:
    """What forms may prefill from, by profile key."""
    profile = ensure_profile(user)
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": profile.phone,
        "address": profile.address or None,
        "birthdate": profile.birthdate.isoformat() if profile.birthdate else None,
        "language": profile.language,
    }


def prefill(user: Any, definition: Any, query: Mapping[str, str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Initial answers for a form: from the signed-in person's profile and from the
    query string, as each field's ``prefill`` says. Returns (values, locked varnames):
    a field is locked when it asks to be, or when an identity provider vouched for it."""
    values: dict[str, Any] = {}
    locked: list[str] = []
    known = profile_values(user) if getattr(user, "is_authenticated", False) else {}
    verified = ensure_profile(user).verified if known else {}
    for _page, field in definition.fields():
        source = field.get("prefill")
        if not source:
            continue
        key = source["key"]
        if source["source"] == "profile" and known:
            value: Any = known
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value not in (None, "", {}):
                values[field.varname] = value
                if source.get("locked") or key.split(".")[0] in verified:
                    locked.append(field.varname)
        elif source["source"] == "query" and query and key in query:
            values[field.varname] = query[key][:1000]
    return values, locked
