"""Who follows what, and what they may read: the streams of the websocket.

A ``Viewer`` is one open socket's reader: a citizen (their own requests), an agent
(the requests their roles hold, and the jobs they started), or a follower of one
request (an anonymous requester, with a ticket obtained by its tracking code or
resume token). What a viewer reads is decided by a query run when an event is
delivered, not when the socket opened: a request handed to another role, a role
taken away, a signed-out session or a revoked token stop the flow at the next
event (``still_allowed``).

Positions are the logs' commit-ordered positions (``api.core.sequence``): once
position N is visible, every lower one is, so "everything visible after N" read
at any moment misses nothing and repeats nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.db.models import Exists, Max, QuerySet
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from oauth2_provider.models import get_access_token_model

from api.accounts.models import ClientAccess, Membership, Role, User
from api.backoffice.models import JobEvent
from api.core.events import Audience
from api.submissions.events import SHARED_AUDIENCES
from api.submissions.models import Event, State, Submission

#: The logs a socket follows, by the name messages and cursors use.
LOGS: dict[str, Any] = {"submission": Event, "job": JobEvent}

CITIZEN, AGENT, REQUEST = "citizen", "agent", "request"
DATABASE_SESSIONS = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def credential_hash(secret: str) -> str:
    """What a follower's ticket keeps of the code or token that opened it (a change of
    the request's tracking code or resume token ends the follow)."""
    return hashlib.sha256(f"guichet-follow:{secret}".encode()).hexdigest()[:32]


@dataclass
class Viewer:
    """The reader behind one socket."""

    stream: str
    user_id: int | None = None
    application_id: int | None = None
    token_id: int | None = None
    session_key: str | None = None
    request_id: str | None = None
    credential: str = ""
    language: str = "fr"
    groups: set[str] = field(default_factory=set)
    #: A signed-in person's password (its hash) when the socket opened: changing it ends
    #: their other sessions' rights, as Django's session hash does for requests.
    password: str = ""

    # --- groups: where wake-ups for this viewer are sent (see publish.py) ---------

    def wanted_groups(self) -> set[str]:
        if self.stream == REQUEST:
            return {request_group(self.request_id or "")}
        if self.stream == CITIZEN:
            return {user_group(self.user_id)}
        groups = {role_group(pk) for pk in self.role_ids()}
        groups.add(user_group(self.user_id) if self.user_id else application_group(self.application_id))
        return groups

    # --- authorisation, at every delivery ------------------------------------------

    def role_ids(self) -> list[int]:
        """The roles an agent's stream acts for now (an application's role, a person's roles)."""
        if self.stream != AGENT:
            return []
        if self.user_id is None:
            access = ClientAccess.objects.filter(application_id=self.application_id or 0).first()
            return [access.role_id] if access and access.role_id else []
        user = User.objects.filter(pk=self.user_id, is_active=True).first()
        if user is None:
            return []
        if user.is_superuser:
            return list(Role.objects.values_list("pk", flat=True))
        return list(Membership.objects.filter(user_id=self.user_id).values_list("role_id", flat=True))

    def standing_in_read(self) -> bool:
        """Whether ``events`` itself requires what ``still_allowed`` checks: for a
        signed-in person on a database-backed session (a session that ends, by sign-out
        or expiry, loses its row; a new sign-in gets a new key), with no token and no
        single request to follow; the account active with the password it had)."""
        return (
            self.session_key is not None
            and self.user_id is not None
            and self.token_id is None
            and self.stream != REQUEST
            and settings.SESSION_ENGINE in DATABASE_SESSIONS
        )

    def _standing(self, events: QuerySet[Any]) -> QuerySet[Any]:
        if not self.standing_in_read() or self.user_id is None:
            return events
        session = Session.objects.filter(session_key=self.session_key, expire_date__gt=timezone.now())
        person = User.objects.filter(pk=self.user_id, is_active=True, password=self.password)
        return events.filter(Exists(session), Exists(person))

    def still_allowed(self) -> bool:
        """Whether what opened the socket still holds: the session (and the password it
        was signed in with, or changed to in it), the token, the request."""
        user = User.objects.filter(pk=self.user_id, is_active=True).first() if self.user_id is not None else None
        if self.user_id is not None and user is None:
            return False
        if self.session_key is not None:
            engine = __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
            store: SessionBase = engine.SessionStore(session_key=self.session_key)
            if store.get(SESSION_KEY) != str(self.user_id) or user is None:
                return False
            held = store.get(HASH_SESSION_KEY, "")
            hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
            if not any(constant_time_compare(held, expected) for expected in hashes):
                return False  # the password changed since this session signed in
            self.password = user.password  # changed in this very session: it still holds
        if self.token_id is not None:
            token = get_access_token_model().objects.filter(pk=self.token_id).first()
            if token is None or token.expires <= timezone.now():
                return False
        if self.stream == REQUEST:
            submission = Submission.objects.filter(pk=self.request_id or "", state=State.SUBMITTED).first()
            return submission is not None and self.credential in follow_credentials(submission)
        return True

    # --- what it reads -------------------------------------------------------------

    def events(self, log: str) -> QuerySet[Any]:
        """What the viewer may read in ``log`` now (with ``standing_in_read``, only while
        the session and the person still hold)."""
        return self._standing(self._events(log))

    def _events(self, log: str) -> QuerySet[Any]:
        if log == "job":
            if self.stream != AGENT:
                return JobEvent.objects.none()
            if self.user_id is not None:
                return JobEvent.objects.filter(job__created_by_id=self.user_id)
            return JobEvent.objects.filter(job__application_id=self.application_id or 0, job__created_by__isnull=True)
        if self.stream == REQUEST:
            return Event.objects.filter(submission_id=self.request_id or "", audience=Audience.CITIZEN)
        if self.stream == CITIZEN:
            return Event.objects.filter(submission__owner_id=self.user_id, audience=Audience.CITIZEN)
        return Event.objects.filter(
            submission__role_id__in=self.role_ids(),
            submission__state=State.SUBMITTED,
            audience__in=SHARED_AUDIENCES,
        )

    def logs(self) -> list[str]:
        return ["submission", "job"] if self.stream == AGENT else ["submission"]


def follow_credentials(submission: Submission) -> set[str]:
    """The hashes a follower's ticket may hold for this request now."""
    held = set()
    if submission.tracking_code:
        held.add(credential_hash(submission.tracking_code))
    if submission.resume_token_hash:
        held.add(credential_hash(submission.resume_token_hash))
    return held


def request_group(request_id: str) -> str:
    return f"guichet.request.{str(request_id).replace('-', '')}"


def user_group(user_id: int | None) -> str:
    return f"guichet.user.{user_id}"


def role_group(role_id: int | None) -> str:
    return f"guichet.role.{role_id}"


def application_group(application_id: int | None) -> str:
    return f"guichet.application.{application_id}"


def heads() -> dict[str, int]:
    """The last position of each log now (where a new follower starts). Events committed
    but not yet numbered will get higher positions, and wake the follower then."""
    return {name: model.objects.aggregate(top=Max("position"))["top"] or 0 for name, model in LOGS.items()}


#: The columns of a request's event, and of its request, that a message shows (messages.py).
SHOWN = (
    *("id", "kind", "audience", "payload", "created_at", "position", "submission_uuid", "procedure__slug"),
    *("submission__reference", "submission__status", "submission__citizen_status", "submission__role_id"),
    *("submission__assignee_id", "submission__workflow_version_id"),
)


@dataclass
class Batch:
    """What a viewer missed in one log: the events, the position it now stands at, and
    whether there were too many to send (then the client refetches)."""

    events: list[Any]
    position: int
    too_many: bool = False


def catch_up(viewer: Viewer, log: str, after: int, *, woken_at: int = 0, limit: int = 500) -> Batch:
    """Everything in ``log`` the viewer may read after position ``after``, in order."""
    model = LOGS[log]
    events = viewer.events(log).filter(position__gt=after)
    if log == "submission":  # only what a message shows (a request's answers can be large)
        events = events.select_related("procedure", "submission").only(*SHOWN)
    else:
        events = events.select_related("job")
    page = list(events.order_by("position")[: limit + 1])
    if len(page) > limit:
        top = model.objects.aggregate(top=Max("position"))["top"] or after
        return Batch([], max(top, woken_at), too_many=True)
    position = max([after, woken_at, *(event.position for event in page)])
    return Batch(page, position)


def with_language(viewer: Viewer) -> Any:
    return translation.override(viewer.language)
