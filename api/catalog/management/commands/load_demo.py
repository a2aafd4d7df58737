"""Load the demo catalog. Idempotent: a second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from api.accounts import actions as accounts
from api.catalog import actions
from api.catalog.demo import CATEGORIES, PROCEDURES, RECEIVERS, ROLES, WORKFLOWS
from api.catalog.demo_forms import FORMS
from api.catalog.models import ProcedureState
from api.workflows import actions as workflows
from api.workflows.library import SHIPPED, shipped


class Command(BaseCommand):
    help = "Create or update the demo categories and procedures (Bellerive-sur-Orge)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = 0
        roles = {}
        for role_data in ROLES:
            role, did_change = accounts.upsert_role(role_data["slug"], role_data["name"])
            roles[role.slug] = role
            changed += did_change
        circuits = {}
        for slug, title in SHIPPED.items():
            version, did_change = workflows.save_workflow(slug, title, shipped(slug), comment="demo")
            circuits[slug] = version.workflow
            changed += did_change
        categories = {}
        for data in CATEGORIES:
            category, did_change = actions.upsert_category(data["slug"], {k: v for k, v in data.items() if k != "slug"})
            categories[category.slug] = category
            changed += did_change
        for data in PROCEDURES:
            fields: dict[str, Any] = {k: v for k, v in data.items() if k != "slug"}
            fields["category"] = categories[data["category"]]
            fields["receiver_role"] = roles[RECEIVERS[data["slug"]]]
            fields["workflow"] = circuits[WORKFLOWS[data["slug"]]]
            fields.setdefault("state", ProcedureState.PUBLISHED)
            fields.setdefault("opens_at", None)
            fields.setdefault("closes_at", None)
            procedure, did_change = actions.upsert_procedure(data["slug"], fields)
            changed += did_change
            _version, did_change = actions.save_definition(procedure, FORMS[procedure.slug], comment="demo")
            changed += did_change
        self.stdout.write(
            f"Demo: {len(ROLES)} roles, {len(SHIPPED)} workflows, {len(CATEGORIES)} categories, "
            f"{len(PROCEDURES)} procedures, {changed} changed."
        )
