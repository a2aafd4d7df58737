"""Idempotency records are forgotten after their lifetime and with their owner's account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from api.accounts import actions as accounts
from api.accounts.models import User
from api.core.actions import forget_idempotency_keys, purge_idempotency_keys
from api.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db


def record(owner: str, key: str, age: timedelta = timedelta(0)) -> IdempotencyRecord:
    saved = IdempotencyRecord.objects.create(owner=owner, key=key, request_hash="h", status_code=200, response={})
    IdempotencyRecord.objects.filter(pk=saved.pk).update(created_at=timezone.now() - age)
    return saved


def test_records_older_than_their_lifetime_are_purged(settings: Any) -> None:
    settings.GUICHET_IDEMPOTENCY_TTL_HOURS = 24
    record("user:1", "old", timedelta(hours=25))
    record("user:1", "recent", timedelta(hours=23))
    assert purge_idempotency_keys() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]


def test_a_deleted_account_takes_its_records_along() -> None:
    anne = User.objects.create_user("anne")
    record(f"user:{anne.pk}", "k1")
    record("user:999", "k2")
    accounts.delete_account(anne)
    assert list(IdempotencyRecord.objects.values_list("owner", flat=True)) == ["user:999"]
    assert forget_idempotency_keys("user:999") == 1
