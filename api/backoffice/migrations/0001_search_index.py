"""On PostgreSQL, the GIN index full-text search uses (see ``search.py``)."""

from typing import Any

from django.db import migrations

INDEX = "submission_search_gin"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON submissions_submission "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("submissions", "0008_processing")]
    operations = [migrations.RunPython(create, drop)]
