"""Read-side queries of the catalog."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from .models import CatalogEvent, Category, Procedure, visible_q
from .search import query_terms


def public_procedures(now: datetime | None = None) -> QuerySet[Procedure]:
    return Procedure.objects.visible(now).select_related("category")


def search(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """Keep procedures whose title, summary, keywords or category contain every word of ``query``."""
    for term in query_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def categories_with_counts(now: datetime | None = None) -> QuerySet[Category]:
    now = now or timezone.now()
    counts = Count("procedures", filter=visible_q(now, "procedures__"))
    return Category.objects.annotate(procedure_count=counts).order_by("position", "title")


def last_modified(now: datetime | None = None) -> datetime | None:
    """When the public catalog last changed: the latest catalog event, or the
    latest opening or closing date already passed (which changes what is visible)."""
    now = now or timezone.now()
    latest_event = CatalogEvent.objects.aggregate(at=Max("created_at"))["at"]
    boundaries = Procedure.objects.aggregate(
        opened=Max("opens_at", filter=Q(opens_at__lte=now)),
        closed=Max("closes_at", filter=Q(closes_at__lte=now)),
    )
    candidates = [at for at in (latest_event, boundaries["opened"], boundaries["closed"]) if at is not None]
    return max(candidates) if candidates else None
