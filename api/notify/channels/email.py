"""Email through Django's backends (``EMAIL_URL``): text and HTML, in the
municipality's name, with a Message-ID fixed per notification (a retry after a
lost answer is recognisable as the same message)."""

from __future__ import annotations

import contextlib
import smtplib
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from ..content import Content
from ..models import Notification
from . import Outcome

TIMEOUT_SECONDS = 15


def message_id(notification: Notification) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "guichet.invalid"
    return f"<guichet.notification.{notification.pk}@{domain}>"


def build(
    notification: Notification, address: str, subject: str, context: dict[str, object], theme: dict[str, Any]
) -> EmailMultiAlternatives:
    """The message, in the municipality's name and look (``theme``: ``api.theme.mail``)."""
    with translation.override(notification.language):
        context = {"site_name": theme["name"], "site_url": settings.PUBLIC_URL, "theme": theme, **context}
        text = render_to_string("notify/email/notification.txt", context)
        html = render_to_string("notify/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{theme['name']}] {subject}",
        body=text,
        from_email=formataddr((theme["name"], settings.DEFAULT_FROM_EMAIL)),
        to=[address],
        headers={"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def connection() -> Any:
    """A connection of the configured backend, to send several messages through."""
    return get_connection(timeout=TIMEOUT_SECONDS)


def close(through: Any) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection may fail: it is closed anyway
        through.close()


def send(message: EmailMultiAlternatives, through: Any = None) -> Outcome:
    """Send one message, through ``through`` (an open connection, kept open for the next
    message; closed after a failure, so that the next one starts afresh) or a
    connection of its own."""
    try:
        if through is None:
            with connection() as own:
                own.send_messages([message])
        else:
            try:
                through.open()  # no-op when open already
                through.send_messages([message])
            except Exception:
                close(through)
                raise
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        temporary = any(400 <= code < 500 for code in codes)
        return Outcome(False, status=codes[0] if codes else None, error="recipient refused", retry=temporary)
    except smtplib.SMTPResponseException as error:
        return Outcome(False, status=error.smtp_code, error=f"SMTP {error.smtp_code}", retry=error.smtp_code < 500)
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        return Outcome(False, error=type(error).__name__, retry=True)
    return Outcome(True, status=250)


def notification_email(
    notification: Notification, address: str, content: Content, theme: dict[str, Any]
) -> EmailMultiAlternatives:
    return build(
        notification,
        address,
        content.title,
        {"title": content.title, "body": content.body, "url": content.url},
        theme,
    )


def digest_email(
    notification: Notification, address: str, items: list[Content], theme: dict[str, Any]
) -> EmailMultiAlternatives:
    with translation.override(notification.language):
        subject = ngettext("%(count)d new request", "%(count)d new requests", len(items)) % {"count": len(items)}
    return build(
        notification,
        address,
        subject,
        {"title": subject, "items": items, "url": settings.PUBLIC_URL + "/agents/"},
        theme,
    )
