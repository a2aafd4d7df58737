"""Sign-in endpoints answer errors as problem details, like the rest of the API.

allauth's headless API answers ``{"status", "errors": [{message, code, param}]}``
for invalid input and ``{"status": 401, "data": {"flows": …}, "meta": …}`` when
a flow needs another step. Those members are kept (a client written for
allauth reads them unchanged) and the problem members are added: ``type``,
``title``, ``detail``, ``code`` and ``invalid_params``.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from api.core.middleware import SyncAndAsyncMiddleware
from api.core.problems import PROBLEM_CONTENT_TYPE, problem_title, problem_type

AUTH_PREFIX = "/api/auth/"
#: Sign-in refusals that are throttling, answered 429 with how long to wait (seconds):
#: one account locked after wrong passwords, or one address after many.
THROTTLES = {"too_many_login_attempts": 300, "too_many_login_attempts_from_address": 600}


def _problem(status: int, body: dict[str, Any]) -> dict[str, Any]:
    raw_errors = body.get("errors")
    errors: list[Any] = [e for e in raw_errors if isinstance(e, dict)] if isinstance(raw_errors, list) else []
    flows = body.get("data", {}).get("flows", []) if isinstance(body.get("data"), dict) else []
    pending = next((flow["id"] for flow in flows if isinstance(flow, dict) and flow.get("is_pending")), None)
    if errors:
        code = str(errors[0].get("code") or "invalid")
        detail = " ".join(str(error.get("message", "")) for error in errors).strip()
    elif status == 401:
        code = f"{pending.replace('_', '-')}-pending" if pending else "not-authenticated"
        detail = (
            _("Another step is needed: %(step)s.") % {"step": pending} if pending else _("Authentication is required.")
        )
    elif status == 429:
        code, detail = "throttled", _("Too many attempts; please wait a moment before trying again.")
    else:
        code, detail = "error", HTTPStatus(status).phrase
    params = [
        {
            "name": str(error.get("param")),
            "in": "body",
            "pointer": "/" + str(error.get("param")),
            "reason": str(error.get("message", "")),
            "code": str(error.get("code") or "invalid"),
        }
        for error in errors
        if error.get("param")
    ]
    problem = {
        **body,
        "type": problem_type(code.replace("_", "-")),
        "title": problem_title(status),
        "status": status,
        "detail": detail or HTTPStatus(status).phrase,
        "code": code.replace("_", "-"),
    }
    if params:
        problem["invalid_params"] = params
    return problem


class AuthProblemsMiddleware(SyncAndAsyncMiddleware):
    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            request.path.startswith(AUTH_PREFIX)
            and response.status_code >= 400
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("application/json")
        ):
            try:
                body = json.loads(response.content or b"{}")
            except ValueError:
                return response
            if isinstance(body, dict):
                status = response.status_code
                codes = [e.get("code") for e in body.get("errors", []) if isinstance(e, dict)]
                wait = next((THROTTLES[c] for c in codes if c in THROTTLES), None)
                if status == 429 or wait is not None:
                    status, wait = 429, wait or 60
                    response.status_code = 429
                    response["Retry-After"] = str(wait)
                response.content = json.dumps(_problem(status, {**body, "status": status}), ensure_ascii=False).encode()
                response["Content-Type"] = PROBLEM_CONTENT_TYPE
                response["Content-Length"] = str(len(response.content))
        return response
