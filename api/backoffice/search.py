"""Full-text search over requests, the same results on PostgreSQL and SQLite.

Each request stores ``search_text``: its answers, reference, tracking code and the
citizen's name as lower-case ASCII words (accents removed in Python, so no
``unaccent`` extension is needed). A query is reduced the same way; every word must
begin a word of the text. PostgreSQL answers with its full-text index
(``to_tsvector('simple', search_text) @@ 'word:*' & …``, a GIN index); SQLite, with
``LIKE`` on word starts. See docs/decisions/0013-workflows-and-back-office.md."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from api.catalog.search import query_terms

#: The expression the GIN index is built on (migration 0001 of this app); a query
#: must repeat it exactly for PostgreSQL to use the index.
TSVECTOR = 'to_tsvector(\'simple\'::regconfig, "submissions_submission"."search_text")'


def matching(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        # Constant SQL; the words (letters and digits only) are a parameter.
        sql = f"{TSVECTOR} @@ to_tsquery('simple'::regconfig, %s)"
        found = RawSQL(sql, (tsquery,), output_field=BooleanField())  # noqa: S611
        matched: QuerySet[Any] = queryset.alias(found=found).filter(found=True)
        return matched
    condition = Q()
    for term in terms:
        condition &= Q(search_text__startswith=term) | Q(search_text__contains=f" {term}")
    return queryset.filter(condition)
