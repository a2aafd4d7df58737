"""Every problem code Guichet answers, with what it means: listed in the OpenAPI
schema (the ``code`` member of a problem) so that clients can branch on them.
A test walks the code for every problem raised and fails on one missing here.
The sign-in API (``/api/auth/``) adds django-allauth's own codes, in the same
form (``email-password-mismatch``, ``verify-email-pending``…)."""

CODES = {
    # Any request
    "bad-request": "The request could not be read.",
    "malformed-request": "The body is not valid JSON.",
    "json-too-deep": "The JSON body is nested deeper than allowed (see `limit`).",
    "invalid-text": "Text holds a lone surrogate or a NUL character (see `invalid_params`).",
    "request-too-large": "The body is larger than allowed (see `limit`).",
    "validation-error": "Some values of the body are not valid (see `invalid_params`).",
    "invalid-query": "Some query parameters are not valid (see `invalid_params`).",
    "not-acceptable": "The Accept header asks for a format the API cannot produce.",
    "unsupported-media-type": "The body's content type is not accepted here.",
    "method-not-allowed": "This method is not allowed on this address.",
    "not-found": "Nothing at this address (or nothing this caller may see).",
    "throttled": "Too many attempts: wait as Retry-After says.",
    "server-error": "Something went wrong on Guichet's side.",
    "not-ready": "A dependency (database, channel layer, tasks) is not reachable.",
    "error": "Any other error.",
    # Who is calling
    "not-authenticated": "A session or a Bearer token is needed.",
    "authentication-failed": "The Bearer token is unknown, expired or revoked.",
    "permission-denied": "This caller may not do this.",
    "csrf-failed": "The session's CSRF token is missing or wrong (send X-CSRFToken).",
    "mfa-required": "Agents must have signed in with a second factor.",
    "reauthentication-required": "Confirm the password (or a code) again first.",
    "account-required": "Only a signed-in person may do this here.",
    "person-required": "An application's own token may not do this: a person's token is needed.",
    "application-without-role": "The application acts for no role yet: an administrator attaches it to one.",
    "too-many-login-attempts": "This account is locked for a while after wrong passwords.",
    "too-many-login-attempts-from-address": "Sign-ins from this address are paused after many wrong passwords.",
    # Writing safely
    "invalid-idempotency-key": "The Idempotency-Key header is not 1 to 255 printable characters.",
    "idempotency-key-reused": "This Idempotency-Key was already used for another request.",
    "idempotency-key-needs-secret": "Without an account, an Idempotency-Key needs the draft's X-Resume-Token.",
    "invalid-resume-token": "X-Resume-Token is not 32 to 128 letters, digits, '-' or '_'.",
    "if-match-required": "Send the draft's ETag in If-Match.",
    "draft-changed": "The draft changed since it was read (its current state is in `current`).",
    "draft-changing": "The draft kept changing while it was being sent (checked three times): send it again.",
    "request-changing": "The request kept changing while a correction was checked: send the correction again.",
    # Processing (agents)
    "unknown-action": "The request's workflow has no transition or global action of this name.",
    "action-not-allowed": "This action is not offered for the request now (its status, the agent's roles, "
    "or its condition).",
    "request-changed": "Another agent changed the request since it was read (its status now is in `detail`): "
    "reload it and decide again.",
    "not-a-member": "The agent chosen is not a member of the request's role.",
    "invalid-agent-form": "Some fields of the action's form are not valid (see `invalid_params`).",
    # Catalog and forms
    "procedure-closed": "The procedure is closed.",
    "procedure-not-yet-open": "The procedure is not open yet.",
    "procedure-without-form": "The procedure has no form yet.",
    "invalid-definition": "The form definition is not valid (see `invalid_params`).",
    "invalid-answers": "Some answers are not valid (see `invalid_params`, one per field).",
    # Requests
    "already-submitted": "The request was already sent: it can no longer change this way.",
    "not-submitted": "Only a sent request accepts this.",
    "no-correction-requested": "No correction was asked for this request.",
    "field-not-requested": "Only the fields asked for may be corrected.",
    "unknown-field": "The form has no such field.",
    "not-a-file-field": "This field does not take files.",
    "unknown-attachment": "No such file on this request.",
    "unknown-tracking-code": "No request has this tracking code.",
    "push-unavailable": "Web push is not configured on this service (no VAPID key).",
    "webhooks-limit": "The application has as many webhooks as allowed.",
    "follow-needs-a-code": "Following one request needs its tracking code, or its id and X-Resume-Token.",
    # Files
    "empty-file": "The file is empty.",
    "file-too-large": "The file is larger than allowed.",
    "file-type": "This type of file is not accepted here (read from its bytes).",
    "too-many-files": "The field already holds as many files as it accepts.",
    "too-many-uploads": "The request holds too many unfinished uploads.",
    "image-too-large": "The image has more pixels than allowed.",
    "corrupt-image": "The image cannot be read.",
    "infected": "The file holds a virus.",
    "site-not-public": "The site's address is not a public one (the theme's import).",
    "site-unreachable": "The site could not be read: no answer, an error status, too large (the theme's import).",
    "site-not-html": "The address is not an HTML page (the theme's import).",
    "site-too-many-requests": "The site needed more requests than an import may make.",
    "scan-unavailable": "Files cannot be checked for viruses right now: try again later.",
    "link-expired": "The signed link is invalid or expired.",
    "upload-offset-required": "Send the offset of these bytes in Upload-Offset.",
    "upload-offset-mismatch": "The upload is elsewhere: resume from `offset`.",
}


def described() -> str:
    return "A stable machine code for the kind of problem. Guichet's codes:\n\n" + "\n".join(
        f"- `{code}`: {meaning}" for code, meaning in CODES.items()
    )
