"""The workflows Guichet ships (definitions/*.json: the default one and one per demo
procedure), and compiled workflow versions, cached: versions never change."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import models
from .definition import Workflow, parse
from .models import DEFAULT_WORKFLOW, WorkflowVersion

DEFINITIONS = Path(__file__).resolve().parent / "definitions"

#: slug → title of each shipped workflow.
SHIPPED = {
    DEFAULT_WORKFLOW: "Circuit par défaut",
    "etat-civil": "Actes d'état civil",
    "listes-electorales": "Inscription sur les listes électorales",
    "voirie": "Signalements sur la voie publique",
    "encombrants": "Collecte des encombrants",
    "inscription-enfance": "Inscriptions enfance",
    "domaine-public": "Occupation du domaine public",
    "salle": "Réservation de salle",
}


def shipped(slug: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DEFINITIONS / f"{slug}.json").read_text(encoding="utf-8"))
    return document


# Keyed by id: versions never change and are never deleted (PROTECT), and ids are
# never given twice (PostgreSQL sequences, SQLite AUTOINCREMENT).
@lru_cache(maxsize=256)
def _compiled(version_pk: int) -> Workflow:
    return parse(WorkflowVersion.objects.values_list("definition", flat=True).get(pk=version_pk))


def forget_compiled() -> None:
    _compiled.cache_clear()


def compiled(version: WorkflowVersion | int) -> Workflow:
    return _compiled(version if isinstance(version, int) else version.pk)


def current_version(slug: str = DEFAULT_WORKFLOW) -> WorkflowVersion:
    """The current version of a workflow (the default one is created by the migrations)."""
    version = models.Workflow.objects.select_related("current_version").get(slug=slug).current_version
    if version is None:
        raise WorkflowVersion.DoesNotExist(f"workflow {slug} has no version")
    return version
