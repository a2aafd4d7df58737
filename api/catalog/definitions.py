"""Compiled form definitions of procedure versions, cached: versions never change."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from api.forms.definition import Definition, parse

from .models import ProcedureVersion


@lru_cache(maxsize=256)
def _compiled(version_pk: int, created_at: Any) -> Definition:
    return parse(ProcedureVersion.objects.values_list("definition", flat=True).get(pk=version_pk))


def compiled(version: ProcedureVersion) -> Definition:
    return _compiled(version.pk, version.created_at)
