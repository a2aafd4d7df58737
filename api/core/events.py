"""The event spine: what happened, in one vocabulary, published after commit.

Every domain keeps its own log table (a request's history, the catalog's, the
accounts'), each a concrete ``EventRecord``: one shape (kind, audience, actor,
application, subject, payload, commit-ordered position), one vocabulary of kinds
named ``domain.verb`` and declared here by the domains, each with a JSON Schema
of its payload in ``schema/events/<kind>.json``.

``record`` is the only way an event is written. It is called by a domain's
actions (through the small typed builder each domain has per kind, in its
``events.py``), inside the action's transaction, and it registers what happens
after commit, so no action ever does:

- positions are given in commit order (``sequence.py``);
- in-memory subscribers (``subscribe``) are called once per committed event,
  never for a rolled-back one; a subscriber that fails is logged and never fails
  the write or the other subscribers;
- durable subscribers (``subscribe(..., durable=True)``: push, email, webhooks —
  what must not be lost) get a ``Delivery`` row written in the same transaction
  as the event, which the worker hands to them (``outbox.py``).

See docs/decisions/0012-event-spine.md."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from django.conf import settings
from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

log = logging.getLogger(__name__)


class Audience(models.TextChoices):
    """Who may read an event: the requester (and the agents), the agents only, or
    nobody outside the audit trail (draft life, sign-ins, catalog edits)."""

    CITIZEN = "citizen", _("The requester and the agents")
    AGENTS = "agents", _("Agents only")
    INTERNAL = "internal", _("Internal (audit trail)")


class EventRecord(models.Model):
    """The columns every event log shares; each domain's log adds its subject."""

    id = models.BigAutoField(primary_key=True)
    # Not indexed: no query selects events by kind alone (each read goes through its
    # subject or its position), and every index is written again when an event is numbered.
    kind = models.CharField(max_length=48)
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.INTERNAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        oauth2_settings.APPLICATION_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True, help_text="Declared per kind: schema/events/<kind>.json.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Given after commit, in the order events become visible (``sequence.py``): a reader
    # that has seen position N has seen every event that will ever get a lower one.
    position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)

    #: What the events of this log are about ("submission", "catalog", "account"), and
    #: the column that identifies it.
    subject_type: ClassVar[str] = ""
    subject_field: ClassVar[str] = ""

    class Meta:
        abstract = True
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(position__isnull=True), name="%(app_label)s_%(class)s_unseq")
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}"

    @property
    def subject_id(self) -> str:
        """The identifier of what the event is about, as text."""
        value = getattr(self, self.subject_field)
        return "" if value is None else str(value)

    @classmethod
    def source(cls) -> str:
        """The log's name in deliveries: ``app_label.model``."""
        return str(cls._meta.label_lower)


@dataclass(frozen=True)
class Kind:
    """One kind of event: its name (``domain.verb``), its log, its audience. What it
    means and its payload are said once, in ``schema/events/<name>.json``."""

    name: str
    model: type[EventRecord]
    audience: str


KINDS: dict[str, Kind] = {}


def declare(name: str, model: type[EventRecord], *, audience: str) -> Kind:
    """Declare a kind (at import of the domain's ``events.py``); its payload's schema
    is ``schema/events/<name>.json``."""
    domain, _dot, verb = name.partition(".")
    if not domain or not verb or not name.replace(".", "").replace("_", "").isalnum() or name != name.lower():
        raise ValueError(f"event kinds are named domain.verb in lower case, not {name!r}")
    existing = KINDS.get(name)
    if existing is not None and existing.model is not model:
        raise ValueError(f"event kind {name} is declared twice")
    KINDS[name] = kind = Kind(name, model, audience)
    return kind


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in person, an application, or nobody known (anonymous, the system)."""

    user: Any = None
    application: Any = None

    @property
    def user_or_none(self) -> Any:
        return self.user if getattr(self.user, "is_authenticated", False) else None


SYSTEM = Actor()


# --- Subscribers --------------------------------------------------------------------

Handler = Callable[[EventRecord], None]


@dataclass(frozen=True)
class Subscriber:
    name: str
    handler: Handler
    kinds: frozenset[str] | None
    durable: bool

    def wants(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


SUBSCRIBERS: dict[str, Subscriber] = {}


def subscribe(name: str, handler: Handler, *, kinds: Iterable[str] | None = None, durable: bool = False) -> Subscriber:
    """Register ``handler`` to receive committed events (of ``kinds``, or all), once
    each. Apps subscribe in their ``AppConfig.ready``. A durable subscriber is
    handed events by the worker from the outbox, retried until it succeeds: its
    handler must be idempotent on the event (``source()``, ``pk``)."""
    SUBSCRIBERS[name] = subscriber = Subscriber(name, handler, frozenset(kinds) if kinds else None, durable)
    return subscriber


def unsubscribe(name: str) -> None:
    SUBSCRIBERS.pop(name, None)


# --- Recording ----------------------------------------------------------------------


def record(
    kind: Kind,
    *,
    payload: dict[str, Any],
    actor: Actor = SYSTEM,
    **subject: Any,
) -> Any:
    """Write one event of ``kind`` in the current transaction (``subject`` are the
    log's own columns) and register its publication after commit."""
    if KINDS.get(kind.name) is not kind:
        raise ValueError(f"event kind {kind.name} is not declared")
    event = kind.model(
        kind=kind.name,
        audience=kind.audience,
        actor=actor.user_or_none,
        application=actor.application,
        payload=payload,
        **subject,
    )
    if _holding.get() and connection.in_atomic_block:
        _hold(event)
        return event
    event.save()
    _after_commit(event)
    return event


#: True inside ``held_events``.
_holding: ContextVar[bool] = ContextVar("guichet_holding_events", default=False)


@contextmanager
def held_events() -> Iterator[None]:
    """The events recorded inside are written when the block ends, in one insert per
    log, instead of one each (an action writing several, such as a send with its
    workflow's entry actions). Inside, an event has no id yet: for actions that do
    not read back the events they write, nor delete the subject an event names
    before the block ends. They are held on callbacks of the transaction, so those of
    a savepoint rolled back are dropped with it; an error leaves them unwritten, as
    its transaction will be rolled back."""
    token = _holding.set(True)
    try:
        yield
    finally:
        _holding.reset(token)
    write_held_events()


def _hold(event: EventRecord) -> None:
    def held() -> None:
        """Written by ``write_held_events`` before the commit: nothing left to do."""

    held.event = event  # type: ignore[attr-defined]
    transaction.on_commit(held)


def write_held_events() -> int:
    """Write the events held in the current transaction (in the order recorded: one
    insert per log) and register what follows their commit. Returns how many."""
    entries: list[Any] = connection.run_on_commit
    held = [entry[1].event for entry in entries if hasattr(entry[1], "event")]
    if not held:
        return 0
    entries[:] = [entry for entry in entries if not hasattr(entry[1], "event")]
    for model in dict.fromkeys(type(event) for event in held):
        model.objects.bulk_create([event for event in held if type(event) is model])
    for event in held:
        _after_commit(event)
    return len(held)


def on_commit_once(key: object, run: Callable[[], object]) -> Callable[[], None]:
    """Register ``run`` after the current transaction commits, unless a callback with
    the same ``key`` is registered already (one sequencer run, one worker wake-up per
    transaction, however many events it writes). Returns the registered callback."""
    for entry in getattr(connection, "run_on_commit", []):
        if getattr(entry[1], "once_key", None) == key:
            registered: Callable[[], None] = entry[1]
            return registered

    def once() -> None:
        run()

    once.once_key = key  # type: ignore[attr-defined]
    transaction.on_commit(once, robust=True)
    return once


def enqueue_with_transaction(run: Callable[[], object], *, once: object = None) -> None:
    """Enqueue background work (``run`` calls ``enqueue``) in the current transaction:
    the task is stored with the rest and the worker sees both or neither. ``once``: a
    key, to enqueue at most once per transaction. A backend that runs tasks at once
    (the immediate one) would run them before the commit: then after it instead."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks.backends.immediate import ImmediateBackend

    # (task_backends[...], not django_tasks.default_task_backend: that is a proxy, which
    # isinstance does not see through.)
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend):
        if once is None:
            transaction.on_commit(run, robust=True)
        else:
            on_commit_once(once, run)
        return
    if once is None or not connection.in_atomic_block:
        run()
        return
    if any(getattr(entry[1], "once_key", None) == once for entry in connection.run_on_commit):
        return
    run()

    def ran() -> None:
        """Marks ``once`` as done in this transaction."""

    ran.once_key = once  # type: ignore[attr-defined]
    transaction.on_commit(ran)


def _after_commit(event: EventRecord) -> None:
    from .outbox import create_deliveries
    from .sequence import sequence_events, sequencer_key

    model = type(event)
    sequencer = on_commit_once(sequencer_key(model), lambda: sequence_events(model))
    # The transaction's own events, for numbering them before its commit (by id:
    # reading "all events without a position" walks a partial index full of the
    # entries earlier numberings left behind until the table is vacuumed).
    written: list[Any] | None = getattr(sequencer, "event_ids", None)
    if written is None:
        written = sequencer.event_ids = []  # type: ignore[attr-defined]
    written.append(event.pk)
    durable = [s.name for s in SUBSCRIBERS.values() if s.durable and s.wants(event.kind)]
    if durable:
        create_deliveries(event, durable)
    if any(not s.durable and s.wants(event.kind) for s in SUBSCRIBERS.values()):
        transaction.on_commit(partial(publish, event), robust=True)


def publish(event: EventRecord) -> None:
    """Hand a committed event to each in-memory subscriber that wants it."""
    if event.position is None:
        from .sequence import position_of

        event.position = position_of(event)
    for subscriber in list(SUBSCRIBERS.values()):
        if subscriber.durable or not subscriber.wants(event.kind):
            continue
        try:
            subscriber.handler(event)
        except Exception:  # a subscriber never fails the write nor the others
            log.exception("event subscriber %s failed on %s %s", subscriber.name, event.source(), event.pk)
