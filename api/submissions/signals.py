"""Submissions follow what happens to accounts."""

from typing import Any

from django.dispatch import receiver

from api.accounts.actions import account_deleted, personal_data

from . import actions
from .models import Submission


@receiver(account_deleted)
def on_account_deleted(sender: Any, user_id: int, **kwargs: Any) -> None:
    actions.anonymise_owner(user_id)


@receiver(personal_data)
def requests_of(sender: Any, user: Any, **kwargs: Any) -> dict[str, Any]:
    """The person's requests for their data export: answers, messages, the list of files."""
    requests = Submission.objects.filter(owner=user).select_related("procedure", "version")
    return {
        "requests": [
            {
                "id": str(s.pk),
                "procedure": {"slug": s.procedure.slug, "title": s.procedure.title},
                "form_version": s.version.number,
                "state": s.state,
                "status": s.status,
                "reference": s.reference,
                "tracking_code": s.tracking_code,
                "created_at": s.created_at.isoformat(),
                "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
                "answers": s.data,
                "messages": [
                    {
                        "from_agent": m.from_agent,
                        "body": m.body,
                        "requested_fields": m.requested_fields,
                        "at": m.created_at.isoformat(),
                        "files": [str(a.pk) for a in m.attachments.all()],
                    }
                    for m in s.messages.prefetch_related("attachments").order_by("created_at")
                ],
                "files": [
                    {
                        "id": str(a.pk),
                        "field": a.field,
                        "name": a.name,
                        "content_type": a.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "uploaded_at": a.created_at.isoformat(),
                        "download": f"/api/attachments/{a.pk}/",
                    }
                    for a in s.attachments.order_by("created_at")
                ],
            }
            for s in requests.order_by("created_at")
        ]
    }
