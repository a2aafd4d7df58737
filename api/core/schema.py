"""OpenAPI generation: every operation documents the problems it can answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny

from .problems import PROBLEM_CONTENT_TYPE
from .serializers import ProblemSerializer

_DESCRIPTIONS = {
    "401": "Not signed in (a session or a Bearer token is needed).",
    "403": "Not allowed to do this.",
    "400": "Invalid parameters or body (problem details with invalid_params).",
    "404": "Nothing at this address.",
    "406": "The Accept header asks for a format the API cannot produce.",
    "415": "The request body's content type is not supported.",
}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique key per intended write: a replay returns the first response (Idempotent-Replayed: true).",
)


class GuichetAutoSchema(AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        writes = self.method in {"POST", "PUT", "PATCH", "DELETE"}
        idempotent = getattr(getattr(self.view, self.method.lower(), None), "idempotent", False)
        if writes and idempotent:
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _problem_codes(self) -> list[str]:
        codes = ["406"]
        has_query = bool(
            self._get_filter_parameters()  # type: ignore[no-untyped-call]
            or self._get_pagination_parameters()  # type: ignore[no-untyped-call]
            or self.get_override_parameters()
        )
        if has_query or self.method in {"POST", "PUT", "PATCH"}:
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        if any(not isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes += ["401", "403"]
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.append("415")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._problem_codes():
            if code in responses:
                continue
            response = self._get_response_for_code(  # type: ignore[no-untyped-call]
                ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction
            )
            response["description"] = _DESCRIPTIONS[code]
            responses[code] = response
        return responses
