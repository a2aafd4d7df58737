"""What a notification says, in its recipient's language: a title, a text, a link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from api.submissions.models import Event, Submission
from api.submissions.presentation import citizen_status

from .models import Notification


@dataclass(frozen=True)
class Content:
    title: str
    body: str
    url: str
    reference: str


def link(notification: Notification, submission: Submission | None) -> str:
    if submission is None:
        return settings.PUBLIC_URL + "/"
    if notification.topic in ("new_request", "assigned", "role") or (
        notification.topic == "message" and notification.user_id != submission.owner_id
    ):
        return f"{settings.PUBLIC_URL}/agents/demandes/{submission.pk}"
    return f"{settings.PUBLIC_URL}/demandes/{submission.pk}"


def _status_label(submission: Submission, status: str) -> str:
    """The citizen's name for ``status`` (the change's own, which may be older than the
    request's current one), as the request's workflow version names it."""
    shown = Submission(workflow_version_id=submission.workflow_version_id, citizen_status=status)
    return citizen_status(shown)["status_label"] or status


def render(notification: Notification, event: Event | None, submission: Submission | None) -> Content:
    language = notification.language if notification.language in ("fr", "en") else "fr"
    with translation.override(language):
        return _render(notification, event, submission, language)


def _render(notification: Notification, event: Event | None, submission: Submission | None, language: str) -> Content:
    reference = (submission.reference or "") if submission is not None else ""
    procedure = submission.procedure.title if submission is not None else ""
    payload: dict[str, Any] = (event.payload if event is not None else {}) or {}
    kind = event.kind if event is not None else ""
    url = link(notification, submission)
    title = _("Your request %(reference)s") % {"reference": reference}
    if notification.topic == "test":
        return Content(_("Notifications are on"), _("This device will receive news of your requests."), url, "")
    if kind in ("submission.notified", "submission.role_notified"):
        body = (payload.get("message") or {}).get(language) or (payload.get("message") or {}).get("fr", "")
        if kind == "submission.role_notified":
            title = _("Request %(reference)s") % {"reference": reference}
    elif kind == "submission.sent" and notification.topic == "new_request":
        title = _("New request %(reference)s") % {"reference": reference}
        body = procedure
    elif kind == "submission.sent":
        body = _("We received your request “%(procedure)s”.") % {"procedure": procedure}
    elif kind == "submission.status_changed" and submission is not None:
        label = _status_label(submission, payload.get("status", ""))
        body = _("Its status is now: %(status)s.") % {"status": label}
        if payload.get("message"):
            body += "\n\n" + payload["message"]
    elif kind == "submission.correction_requested":
        body = _("The service needs more information to process it.")
    elif kind == "message.posted":
        title = _("New message about request %(reference)s") % {"reference": reference}
        body = _("Read it and answer on the site.")
    elif kind == "submission.assigned":
        title = _("Request %(reference)s is assigned to you") % {"reference": reference}
        body = procedure
    else:
        body = procedure
    return Content(title, body, url, reference)
