"""Submissions follow what happens to accounts."""

from typing import Any

from django.dispatch import receiver

from api.accounts.actions import account_deleted

from . import actions


@receiver(account_deleted)
def on_account_deleted(sender: Any, user_id: int, **kwargs: Any) -> None:
    actions.anonymise_owner(user_id)
