from typing import Any

import pytest

from api.catalog import actions
from api.catalog.models import Procedure

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


@pytest.fixture
def procedure(catalog: Any) -> Procedure:
    procedure = catalog("salle", title="Réserver une salle")
    actions.save_definition(procedure, FORM)
    procedure.refresh_from_db()
    return procedure
