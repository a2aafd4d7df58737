"""Statistics for agents, as series a chart can draw: requests per status and per
period, processing time per procedure (median and 90th percentile), and the
backlog (requests open at the end of each period). Computed from the requests'
own dates, so they need no bookkeeping of their own."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from statistics import quantiles
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
from django.utils import timezone

from api.submissions.models import Submission

TRUNCATE = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def _periods(start: date, end: date, period: str) -> list[date]:
    """Every period's first day from ``start`` to ``end``."""
    if period == "month":
        first = start.replace(day=1)
        found = []
        while first <= end:
            found.append(first)
            first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return found
    step = 7 if period == "week" else 1
    first = start - timedelta(days=start.weekday()) if period == "week" else start
    return [first + timedelta(days=step * n) for n in range((end - first).days // step + 1)]


def _day(value: datetime | date) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def per_status(queryset: QuerySet[Submission]) -> list[dict[str, Any]]:
    rows = queryset.order_by().values("procedure__slug", "status").annotate(n=Count("id"))
    return [{"procedure": r["procedure__slug"], "status": r["status"], "count": r["n"]} for r in rows]


def per_period(queryset: QuerySet[Submission], start: date, end: date, period: str) -> list[dict[str, Any]]:
    """Requests sent and requests closed in each period."""
    truncate = TRUNCATE[period]
    sent = Counter(
        {
            _day(r["p"]): r["n"]
            for r in queryset.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
            .order_by()
            .annotate(p=truncate("submitted_at"))
            .values("p")
            .annotate(n=Count("id"))
        }
    )
    closed = Counter(
        {
            _day(r["p"]): r["n"]
            for r in queryset.filter(closed_at__date__gte=start, closed_at__date__lte=end)
            .order_by()
            .annotate(p=truncate("closed_at"))
            .values("p")
            .annotate(n=Count("id"))
        }
    )
    return [{"period": p.isoformat(), "sent": sent[p], "closed": closed[p]} for p in _periods(start, end, period)]


def backlog(queryset: QuerySet[Submission], start: date, end: date, period: str) -> list[dict[str, Any]]:
    """How many requests were open (sent, not yet at an endpoint) at the end of each period."""
    points = _periods(start, end, period)
    ends = [points[i + 1] if i + 1 < len(points) else end + timedelta(days=1) for i in range(len(points))]
    opened: Counter[date] = Counter()
    closed: Counter[date] = Counter()
    limit = ends[-1]
    rows = queryset.filter(submitted_at__date__lt=limit).values_list("submitted_at", "closed_at")
    for sent_at, closed_at in rows:
        if sent_at is None:
            continue
        opened[_day(sent_at)] += 1
        if closed_at is not None:
            closed[_day(closed_at)] += 1
    series = []
    for point, until in zip(points, ends, strict=True):
        open_then = sum(n for day, n in opened.items() if day < until) - sum(
            n for day, n in closed.items() if day < until
        )
        series.append({"period": point.isoformat(), "open": open_then})
    return series


def processing_times(queryset: QuerySet[Submission]) -> list[dict[str, Any]]:
    """Per procedure, from sending to the endpoint, in hours: median and 90th percentile."""
    hours: dict[str, list[float]] = defaultdict(list)
    rows = queryset.filter(closed_at__isnull=False).values_list("procedure__slug", "submitted_at", "closed_at")
    for slug, sent_at, closed_at in rows:
        if sent_at is None or closed_at is None:
            continue
        hours[slug].append((closed_at - sent_at).total_seconds() / 3600)
    found = []
    for slug, values in sorted(hours.items()):
        values.sort()
        if len(values) == 1:
            median = p90 = values[0]
        else:
            cuts = quantiles(values, n=10, method="inclusive")
            median, p90 = cuts[4], cuts[8]
        found.append(
            {"procedure": slug, "count": len(values), "median_hours": round(median, 2), "p90_hours": round(p90, 2)}
        )
    return found
