"""Read-side queries of the catalog."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
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
    return catalog_state(now)[1]


def catalog_state(now: datetime | None = None) -> tuple[int | None, datetime | None]:
    """The catalog's latest event and when it last changed (``last_modified``), in
    one statement: every catalog read asks it (pages.py)."""
    now = now or timezone.now()
    events, procedures = (connection.ops.quote_name(m._meta.db_table) for m in (CatalogEvent, Procedure))
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {events}), (SELECT MAX(created_at) FROM {events}), "  # noqa: S608 - table names
            f"(SELECT MAX(opens_at) FROM {procedures} WHERE opens_at <= %s), "
            f"(SELECT MAX(closes_at) FROM {procedures} WHERE closes_at <= %s)",
            [at, at],
        )
        latest, *dates = cursor.fetchone()
    candidates = [_stored_datetime(value) for value in dates if value is not None]
    return latest, max(candidates) if candidates else None


def _stored_datetime(value: datetime | str) -> datetime:
    """A datetime as a raw read returns it (SQLite: text in UTC)."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a stored datetime: {value!r}")
        value = parsed
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def public_procedure(slug: str) -> Procedure:
    """The procedure if the public may use it now; otherwise a problem saying why."""
    procedure: Procedure = get_object_or_404(
        # The version's document is read through its compiled, cached form (definitions.py):
        # not with every request that names the procedure.
        Procedure.objects.select_related("category", "current_version", "receiver_role").defer(
            "current_version__definition"
        ),
        slug=slug,
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
