from typing import Any

import pytest

from api.catalog import actions
from api.catalog.models import Procedure
from api.workflows.actions import save_workflow

FORM = {
    "schema_version": 1,
    "pages": [
        {
            "id": "vous",
            "title": "Vous",
            "fields": [
                {"type": "text", "varname": "nom", "label": "Nom", "required": True},
                {"type": "boolean", "varname": "asso", "label": "Association ?"},
            ],
        },
        {
            "id": "asso",
            "title": "Association",
            "condition": {"var": "asso"},
            "fields": [{"type": "siren", "varname": "siren", "label": "SIREN", "required": True}],
        },
    ],
}


#: A workflow without actions, so that these tests see only what the citizen's own
#: steps record (the workflows' tests cover what actions add).
PLAIN_WORKFLOW = {
    "schema_version": 1,
    "initial": "received",
    "statuses": [
        {"id": "received", "label": {"fr": "Reçue"}},
        {"id": "done", "label": {"fr": "Traitée"}, "endpoint": True},
    ],
    "transitions": [{"id": "finish", "from": ["received"], "to": "done", "label": {"fr": "Terminer"}}],
}


@pytest.fixture
def procedure(catalog: Any) -> Procedure:
    procedure = catalog("salle", title="Réserver une salle")
    plain, _changed = save_workflow("plain", "Sans action", PLAIN_WORKFLOW)
    actions.bind_workflow(procedure, plain.workflow)
    actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    return procedure
