"""Who may read or change a submission."""

from __future__ import annotations

import hmac

from django.utils.translation import gettext as _
from rest_framework.request import Request

from api.accounts.access import agent_roles, require_mfa, token_of
from api.core.problems import Problem

from .actions import Actor, hash_token
from .models import State, Submission

RESUME_HEADER = "X-Resume-Token"


def actor_of(request: Request) -> Actor:
    token = token_of(request)
    return Actor(user=request.user, application=token.application if token is not None else None)


def _token_allows(request: Request, scope: str) -> bool:
    token = token_of(request)
    return token is None or bool(token.allow_scopes([scope]))


def holds_resume_token(request: Request, submission: Submission) -> bool:
    given = request.headers.get(RESUME_HEADER, "")
    return bool(given and submission.resume_token_hash) and hmac.compare_digest(
        hash_token(given), submission.resume_token_hash
    )


def is_owner(request: Request, submission: Submission) -> bool:
    user = request.user
    if submission.owner_id is not None and getattr(user, "is_authenticated", False) and user.pk == submission.owner_id:
        return _token_allows(request, "submissions:write")
    return holds_resume_token(request, submission)


#: Reading a request: agents, and applications of the role with a read-only scope.
READ_SCOPES = ("agent", "submissions:read", "requests:read", "requests:process")
#: Processing it: agents, and applications of the role allowed to process.
PROCESS_SCOPES = ("agent", "requests:process")


def is_processing_agent(request: Request, submission: Submission, scopes: tuple[str, ...] = ("agent",)) -> bool:
    """Whether the caller acts for the role that holds the request (the procedure's
    receiver until the request is assigned to another role)."""
    if submission.state != State.SUBMITTED or submission.role_id is None:
        return False
    return agent_roles(request, scopes).filter(pk=submission.role_id).exists()


def readable(request: Request, submission: Submission, *, reading: bool = False) -> str:
    """``owner`` or ``agent``, or a 404 problem (a request one may not see does not exist for them).
    ``reading``: the caller only reads, which an application's ``submissions:read`` allows too."""
    if is_owner(request, submission):
        return "owner"
    if is_processing_agent(request, submission, READ_SCOPES if reading else PROCESS_SCOPES):
        require_mfa(request)
        return "agent"
    raise Problem(404, "not-found", _("Nothing was found at this address."))


def writable(request: Request, submission: Submission) -> None:
    if not is_owner(request, submission):
        readable(request, submission)  # 404 to strangers
        raise Problem(403, "permission-denied", _("Only the person filling in this request can change it."))
