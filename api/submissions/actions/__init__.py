"""The only code that writes submissions, by topic: drafts, files, messages. Every
action runs in a transaction and writes its event (``events.py``); background
work is enqueued after commit."""

from .common import Actor, InvalidAnswers, StaleRevision, SubmissionProblem, hash_token
from .drafts import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    anonymise_owner,
    create_draft,
    delete_draft,
    draft_lifespan,
    enforce_draft_cap,
    expire_drafts,
    save_draft,
    submit,
)
from .files import (
    OPEN_UPLOADS_PER_SUBMISSION,
    add_attachment,
    append_to_upload,
    close_upload,
    complete_upload,
    expire_uploads,
    open_upload,
    remove_attachment,
    upload_limit,
)
from .messages import correct, post_message

__all__ = [
    "OPEN_UPLOADS_PER_SUBMISSION",
    "TRACKING_ALPHABET",
    "TRACKING_LENGTH",
    "Actor",
    "InvalidAnswers",
    "StaleRevision",
    "SubmissionProblem",
    "add_attachment",
    "anonymise_owner",
    "append_to_upload",
    "close_upload",
    "complete_upload",
    "correct",
    "create_draft",
    "delete_draft",
    "draft_lifespan",
    "enforce_draft_cap",
    "expire_drafts",
    "expire_uploads",
    "hash_token",
    "open_upload",
    "post_message",
    "remove_attachment",
    "save_draft",
    "submit",
    "upload_limit",
]
