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
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from api.catalog.search import query_terms

#: The expression the GIN index is built on (migration 0001 of this app); a query
#: must repeat it exactly for PostgreSQL to use the index.
TSVECTOR = 'to_tsvector(\'simple\'::regconfig, "submissions_submission"."search_text")'


#: Up to this many matches, the matching ids are written into the query.
FEW = 2000


def _postgresql(queryset: QuerySet[Any], tsquery: str) -> QuerySet[Any]:
    """The planner cannot tell how many requests a prefix query matches. When few do
    (a reference, a rare name), the ids are taken from the GIN index first and named
    in the query; when many do (common words), the query tests each request of the
    role in date order, which finds a page of them quickly. Constant SQL; the words
    (letters and digits only) are a parameter."""
    sql = f"SELECT id FROM submissions_submission WHERE {TSVECTOR} @@ to_tsquery('simple'::regconfig, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT %s", (tsquery, FEW + 1))
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) <= FEW:
        return queryset.filter(pk__in=ids)
    matched: QuerySet[Any] = queryset.filter(pk__in=RawSQL(sql, (tsquery,)))  # noqa: S611
    return matched


def matching(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "postgresql":
        return _postgresql(queryset, " & ".join(f"{term}:*" for term in terms))
    condition = Q()
    for term in terms:
        condition &= Q(search_text__startswith=term) | Q(search_text__contains=f" {term}")
    return queryset.filter(condition)
