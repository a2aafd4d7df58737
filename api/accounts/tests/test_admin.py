"""Administrators manage roles and memberships in the Django admin; grants are recorded."""

import pytest
from django.test import Client

from api.accounts.models import AccountEvent, Membership, Role, User

pytestmark = pytest.mark.django_db


def test_admin_adds_and_removes_a_member() -> None:
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", "root@mairie.example", "pw"))
    claire = User.objects.create_user("claire")
    form = {
        "name": "État civil",
        "slug": "etat-civil",
        "description": "",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": str(claire.pk),
    }
    created = admin.post("/admin/accounts/role/add/", form)
    assert created.status_code == 302, created.content.decode()[:1500]
    role = Role.objects.get(slug="etat-civil")
    membership = Membership.objects.get(role=role, user=claire)
    assert AccountEvent.objects.filter(kind="role.granted", user=claire).exists()

    removed = admin.post(
        f"/admin/accounts/role/{role.pk}/change/",
        {
            **form,
            "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": str(membership.pk),
            "memberships-0-role": str(role.pk),
            "memberships-0-DELETE": "on",
        },
    )
    assert removed.status_code == 302, removed.content.decode()[:1500]
    assert not Membership.objects.filter(role=role).exists()
    assert AccountEvent.objects.filter(kind="role.revoked", user=claire).exists()
