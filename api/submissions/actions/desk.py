"""Requests entered by an agent for a citizen, at the desk or on the phone (Publik's
"agent d'accueil"): created and sent in one go on the citizen's behalf, linked to
their account when they have one, and attributed to the agent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.accounts.models import User
from api.catalog.models import Procedure

from .. import events
from ..models import Submission
from .common import Actor, SubmissionProblem
from .drafts import _clean_partial, draft_lifespan, submit

CHANNELS = ("desk", "phone", "mail", "email")


@transaction.atomic
def enter_for_citizen(
    procedure: Procedure, data: Mapping[str, Any], actor: Actor, *, citizen: User | None, channel: str
) -> Submission:
    """Create and send a request as the agent typed it; nothing is kept if the answers
    are refused (the whole entry is one transaction)."""
    now = timezone.now()
    if procedure.current_version is None:
        raise SubmissionProblem(409, "procedure-without-form", _("This procedure has no form yet."))
    draft = Submission.objects.create(
        procedure=procedure,
        version=procedure.current_version,
        owner=citizen,
        application=actor.application,
        entered_by=actor.user_or_none,
        data=_clean_partial(data),
        expires_at=now + draft_lifespan(),
    )
    events.created(draft, actor)
    sent = submit(draft, actor, now=now)
    events.entered(sent, actor, channel=channel, linked=citizen is not None)
    return sent
