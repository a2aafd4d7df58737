"""The database check finds stored text that could not be read back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from api.accounts.models import Profile, User
from api.core.stored_text import unreadable_values


@pytest.mark.django_db
def test_the_check_names_a_stored_lone_surrogate() -> None:
    profile = Profile.objects.create(user=User.objects.create_user("anne"), address={"street": "1 rue Haute"})
    call_command("check", databases=["default"])  # clean to begin with
    assert list(unreadable_values()) == []
    if connection.vendor != "sqlite":
        # PostgreSQL refuses such text in JSON itself: nothing of the kind can be stored there.
        return
    # JSON is stored with \\u escapes, so SQLite takes it; reading it back is what fails later.
    Profile.objects.filter(pk=profile.pk).update(address={"street": "bad \ud800 text"})
    assert list(unreadable_values()) == [("accounts.Profile", profile.pk, "address", "/street")]
    with pytest.raises(SystemCheckError, match="cannot be read back"):
        call_command("check", databases=["default"])
