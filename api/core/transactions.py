"""One transaction per use case, without savepoints it does not need.

A write sent with an Idempotency-Key runs its action inside the transaction that
records the key (``run_once``). The action's own ``atomic`` would then be a
savepoint: two more round trips for nothing, since an error in the action rolls
back the whole transaction anyway. ``action_transaction`` opens the action's
block without a savepoint when it is the first thing inside such a transaction,
and with one everywhere else (so a caller that catches an action's error inside
its own transaction keeps a usable transaction).

The events the use case wrote are numbered at its end, in its transaction
(``sequence.number_before_commit``), not in one of their own after it; the
outbox's deliveries of those events are written there too, in one insert."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

#: True inside a transaction opened for one action only (by ``use_case``), until
#: that action opens its block.
_reserved: ContextVar[bool] = ContextVar("guichet_reserved_transaction", default=False)
#: True for the whole of a use case's transaction.
_use_case: ContextVar[bool] = ContextVar("guichet_use_case", default=False)


def in_use_case() -> bool:
    """Whether the current transaction is a use case's, which ends with ``use_case``'s
    own last statements (so work can be held until then)."""
    return _use_case.get() and transaction.get_connection().in_atomic_block


@contextmanager
def use_case() -> Iterator[None]:
    """A transaction for exactly one action and the bookkeeping around it: at its end,
    the outbox's deliveries it held are written in one insert and its events numbered."""
    from . import outbox, sequence

    with transaction.atomic():
        token, whole = _reserved.set(True), _use_case.set(True)
        try:
            yield
            outbox.write_held()
            sequence.number_before_commit()
        finally:
            _reserved.reset(token)
            _use_case.reset(whole)


def action_transaction(func: Callable[P, R]) -> Callable[P, R]:
    """Like ``transaction.atomic``, without the savepoint inside ``use_case``."""

    @wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=not _reserved.get()):
            token = _reserved.set(False)
            try:
                return func(*args, **kwargs)
            finally:
                _reserved.reset(token)

    return inner
