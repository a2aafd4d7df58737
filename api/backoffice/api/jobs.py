"""Work on many requests: bulk actions and exports as background jobs whose progress
is read by polling, exports of small listings answered at once, statistics, and
requests entered by an agent for a citizen."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.models import User
from api.catalog.models import Procedure
from api.core.idempotency import idempotent
from api.core.problems import Problem, QueryValidationError, answers_problem
from api.submissions import actions as submissions
from api.submissions.access import PROCESS_SCOPES, actor_of

from .. import actions, exports, stats
from ..models import Job
from ..queries import InboxFilter
from ..sorting import EXPORT_ORDER, in_order
from .serializers import (
    AgentRequestSerializer,
    BulkSerializer,
    DeskEntrySerializer,
    ExportSerializer,
    JobSerializer,
    StatisticsQuerySerializer,
    StatisticsSerializer,
    empty_parameters,
)
from .views import (
    AUTH,
    PROBLEMS,
    PROCESS_AUTH,
    READ_SCOPES,
    WRITE_PROBLEMS,
    RoleAccess,
    agent_of,
    detail,
    inbox_filter,
    refreshed,
    roles_or_403,
    selected,
)

#: Exports up to this many requests are answered at once; larger ones become a job.


def own_job(request: Request, pk: Any) -> Job:
    """A job of the caller's (a person's own, or the application's own), else 404."""
    token_application = getattr(request.auth, "application_id", None)
    jobs = Job.objects.all()
    if token_application is not None and getattr(request.auth, "user_id", None) is None:
        jobs = jobs.filter(application_id=token_application, created_by__isnull=True)
    else:
        jobs = jobs.filter(created_by=agent_of(request))
    return get_object_or_404(jobs, pk=pk)


class BulkView(APIView):
    """Apply a transition, a global action or an assignment to many requests (a filter,
    or ids), as a job: each request goes through the same checks as one agent's click;
    the job's report lists those that failed and why."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_bulk_create", tags=["agents"], auth=PROCESS_AUTH, request=BulkSerializer,
                   responses={202: JobSerializer, **WRITE_PROBLEMS})  # fmt: skip
    @idempotent
    def post(self, request: Request) -> Response:
        held = roles_or_403(request, PROCESS_SCOPES)
        roles = list(held.values_list("slug", flat=True))
        body = BulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        params: dict[str, Any] = {"do": given["do"]}
        if given.get("ids"):
            params["ids"] = [str(pk) for pk in given["ids"]]
        else:
            wanted, _params = inbox_filter(given.get("filter", {}), "filter.")
            selected(request, held, wanted, prefix="filter.")  # refused now rather than in the worker
            params["filter"] = wanted.to_json()
        job = actions.start_job(Job.Kind.BULK, actor_of(request), roles, params)
        return Response(JobSerializer(job).data, status=202, headers={"Location": f"/api/agent/jobs/{job.pk}/"})


class ExportView(APIView):
    """Export a filtered listing with the chosen columns as CSV, XLSX or ODS: the file
    itself for up to 1,000 requests, else a job to follow and a link when it is ready."""

    permission_classes = [RoleAccess]
    agent_scopes = READ_SCOPES  # a POST that changes nothing: reading is enough

    @extend_schema(
        operation_id="agent_exports_create", tags=["agents"], auth=AUTH, request=ExportSerializer,
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The file (CSV, XLSX or ODS)."),
            (200, exports.FORMATS["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY),
            (200, exports.FORMATS["ods"]): OpenApiResponse(OpenApiTypes.BINARY),
            202: JobSerializer,
            **PROBLEMS,
        },
    )  # fmt: skip
    def post(self, request: Request) -> Any:
        roles = roles_or_403(request, READ_SCOPES)
        body = ExportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        wanted, params = inbox_filter(given.get("filter", {}), "filter.")
        # The rows in the inbox's order when the filter names one (the agent's list, as they see it).
        ordering = params["ordering"] if "ordering" in given.get("filter", {}) else EXPORT_ORDER
        queryset = selected(request, roles, wanted, prefix="filter.")
        if queryset.count() > settings.GUICHET_EXPORT_INLINE_MAX:
            job_params = {"filter": wanted.to_json(), "columns": given["columns"], "format": given["format"]}
            slugs = list(roles.values_list("slug", flat=True))
            job = actions.start_job(Job.Kind.EXPORT, actor_of(request), slugs, {**job_params, "ordering": ordering})
            return Response(JobSerializer(job).data, status=202, headers={"Location": f"/api/agent/jobs/{job.pk}/"})
        return export_response(queryset, given["columns"], given["format"], ordering)


def export_response(queryset: Any, names: list[str], fmt: str, ordering: str) -> Any:
    columns = [col for name in names if (col := exports.column(name)) is not None]
    header = [col.title for col in columns]
    listing = in_order(queryset.select_related("procedure", "role", "assignee", "owner"), ordering)
    body = exports.rows(listing.iterator(chunk_size=2000), columns)
    filename = f"demandes-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(header, body), content_type=exports.FORMATS["csv"])
    else:
        folder = Path(tempfile.mkdtemp(prefix="guichet-export-"))
        path = folder / filename
        exports.WRITERS[fmt](path, header, body, lambda _n: None)
        handle = path.open("rb")
        path.unlink()  # the open handle keeps the bytes until the response is sent
        folder.rmdir()
        response = FileResponse(handle, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class JobView(APIView):
    """A job the caller started: its state, progress, report and, for an export, the
    link to its file once ready."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_jobs_retrieve", tags=["agents"], auth=AUTH,
                   responses={200: JobSerializer, **PROBLEMS})  # fmt: skip
    def get(self, request: Request, pk: Any) -> Response:
        return Response(JobSerializer(own_job(request, pk)).data, headers={"Cache-Control": "no-store"})


class JobFileView(APIView):
    """The file an export job wrote."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_jobs_file", tags=["agents"], auth=AUTH,
                   responses={(200, "application/octet-stream"): OpenApiResponse(description="The file."),
                              **PROBLEMS})  # fmt: skip
    def get(self, request: Request, pk: Any) -> FileResponse:
        job = own_job(request, pk)
        if not job.file:
            raise Problem(404, "not-found", _("This job has no file (yet)."))
        fmt = Path(job.file.name).suffix.lstrip(".")
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name,
                                content_type=exports.FORMATS.get(fmt, "application/octet-stream"))  # fmt: skip
        response["Cache-Control"] = "private, no-store"
        return response


class StatisticsView(APIView):
    """Series for charts, over the requests the agent's roles hold: counts per status,
    requests sent and closed per period, the backlog at the end of each period, and
    processing time (median, 90th percentile) per procedure."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_statistics", tags=["agents"], auth=AUTH,
                   parameters=[StatisticsQuerySerializer], responses={200: StatisticsSerializer})  # fmt: skip
    def get(self, request: Request) -> Response:
        roles = roles_or_403(request, READ_SCOPES)
        query = StatisticsQuerySerializer(data=request.query_params)
        if empty := empty_parameters(query, request.query_params):
            raise QueryValidationError(empty)
        if not query.is_valid():
            raise QueryValidationError(query.errors)
        params = query.validated_data
        end = params.get("to") or timezone.localdate()
        start = params.get("from") or end - timedelta(days=90)
        if start > end or (end - start).days > 3 * 366:
            raise QueryValidationError({"from": [_("Give a period of at most three years, from before to.")]})
        # The inbox's own filter: a role only narrows to what the caller's roles hold.
        wanted = InboxFilter(procedures=params.get("procedure", []), role=params.get("role", ""))
        queryset = selected(request, roles, wanted)
        period = params["period"]
        return Response(
            {
                "period": period,
                "from": start,
                "to": end,
                "per_status": stats.per_status(queryset),
                "per_period": stats.per_period(queryset, start, end, period),
                "backlog": stats.backlog(queryset, start, end, period),
                "processing_time": stats.processing_times(queryset.filter(closed_at__date__gte=start)),
            }
        )


class DeskEntryView(APIView):
    """Enter a request for a citizen, at the desk or on the phone: sent at once, linked
    to the citizen's account when they have one (by email), attributed to the agent.
    Without an account, the answer's tracking code is for the citizen."""

    permission_classes = [RoleAccess]

    @extend_schema(operation_id="agent_requests_enter", tags=["agents"], auth=PROCESS_AUTH,
                   request=DeskEntrySerializer, responses={201: AgentRequestSerializer, **WRITE_PROBLEMS})  # fmt: skip
    @idempotent
    def post(self, request: Request, slug: str) -> Response:
        roles = roles_or_403(request, PROCESS_SCOPES)
        procedure = get_object_or_404(Procedure, slug=slug, receiver_role__in=roles)
        body = DeskEntrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        citizen = None
        if given.get("citizen_email"):
            matches = list(User.objects.filter(email__iexact=given["citizen_email"])[:2])
            citizen = matches[0] if len(matches) == 1 else None
        try:
            sent = submissions.enter_for_citizen(
                procedure, given["data"], actor_of(request), citizen=citizen, channel=given["channel"]
            )
        except submissions.InvalidAnswers as invalid:
            raise answers_problem(invalid.errors) from None
        slugs = list(roles.values_list("slug", flat=True))
        return Response(detail(request, refreshed(sent), slugs), status=201,
                        headers={"Location": f"/api/agent/requests/{sent.pk}/"})  # fmt: skip
