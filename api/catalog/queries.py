"""Read-side queries of the catalog."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from api.core.problems import Problem

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


def public_procedure(slug: str) -> Procedure:
    """The procedure if the public may use it now; otherwise a problem saying why."""
    procedure: Procedure = get_object_or_404(
        Procedure.objects.select_related("category", "current_version", "receiver_role"), slug=slug
    )
    availability = procedure.availability()
    reference = {"slug": procedure.slug, "title": procedure.title}
    if availability == "draft":
        raise Problem(404, "not-found", _("Nothing was found at this address."))
    if availability == "closed":
        if procedure.closes_at is not None and procedure.closes_at <= timezone.now():
            when = formats.date_format(timezone.localtime(procedure.closes_at), "DATE_FORMAT")
            detail = _("The procedure “%(title)s” closed on %(date)s.") % {"title": procedure.title, "date": when}
        else:
            detail = _("The procedure “%(title)s” is closed.") % {"title": procedure.title}
        raise Problem(
            410,
            "procedure-closed",
            detail,
            title=_("This procedure is closed."),
            procedure=reference,
            closes_at=procedure.closes_at,
        )
    if availability == "not_yet_open" and procedure.opens_at is not None:
        when = formats.date_format(timezone.localtime(procedure.opens_at), "DATETIME_FORMAT")
        raise Problem(
            403,
            "procedure-not-yet-open",
            _("The procedure “%(title)s” opens on %(date)s.") % {"title": procedure.title, "date": when},
            title=_("This procedure is not open yet."),
            procedure=reference,
            opens_at=procedure.opens_at,
        )
    return procedure
