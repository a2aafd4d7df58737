"""Load the demo catalog. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.catalog import actions
from api.catalog.demo import CATEGORIES, PROCEDURES
from api.catalog.demo_forms import FORMS
from api.catalog.models import ProcedureState


class Command(BaseCommand):
    help = "Create or update the demo categories and procedures (Bellerive-sur-Orge)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = 0
        categories = {}
        for data in CATEGORIES:
            fields = {k: v for k, v in data.items() if k != "slug"}
            category, did_change = actions.upsert_category(data["slug"], fields)
            categories[category.slug] = category
            changed += did_change
        for data in PROCEDURES:
            fields = {k: v for k, v in data.items() if k != "slug"}
            fields["category"] = categories[data["category"]]
            fields.setdefault("state", ProcedureState.PUBLISHED)
            fields.setdefault("opens_at", None)
            fields.setdefault("closes_at", None)
            procedure, did_change = actions.upsert_procedure(data["slug"], fields)
            changed += did_change
            _version, did_change = actions.save_definition(procedure, FORMS[procedure.slug], comment="demo")
            changed += did_change
        self.stdout.write(
            f"Demo catalog: {len(CATEGORIES)} categories, {len(PROCEDURES)} procedures, {changed} changed."
        )
