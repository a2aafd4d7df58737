"""A person's sort name (what lists sort people by) follows their names through every
way they change: creation, a profile update of some fields, deletion; and the
migration that added it filled it in for everyone."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps

from api.accounts import actions
from api.accounts.models import User, sort_name_of


def fresh(user: User) -> str:
    return User.objects.get(pk=user.pk).sort_name


def test_the_sort_name_follows_the_names(db: Any) -> None:
    emile = User.objects.create_user("emile", email="Emile.Z@example.org", first_name="Émile", last_name="Zola")
    assert fresh(emile) == "emile zola"
    nameless = User.objects.create_user("x", email="Zoé@example.org")
    assert fresh(nameless) == "zoe example org"
    assert sort_name_of("", "", "", "Œdipe_Roi") == "oedipe roi"

    # A profile update saves only the fields it changed: the sort name goes with them.
    actions.update_profile(emile, {"first_name": "Ælia"})
    assert fresh(emile) == "aelia zola"
    actions.update_profile(emile, {"language": "en"})  # a profile field only: the user row is not saved
    assert fresh(emile) == "aelia zola"

    actions.delete_account(emile)
    assert fresh(emile) == f"deleted {emile.pk}"


def test_the_migration_fills_in_everyones_sort_name(db: Any) -> None:
    people = [User.objects.create_user(f"p{n}", email=f"p{n}@example.org", first_name=f"Ève {n}") for n in range(3)]
    User.objects.update(sort_name="")
    migration = importlib.import_module("api.accounts.migrations.0007_user_sort_name")
    migration.fill_sort_names(apps, None)
    assert [fresh(person) for person in people] == ["eve 0", "eve 1", "eve 2"]
