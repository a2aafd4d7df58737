"""Three views: a submission stored in one INSERT, a person's 20 latest requests and the
catalog, each read by one SELECT on Guichet's own tables."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.urls import path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from benchmarks.cost_form import FIELDS

KINDS: dict[str, Any] = {
    "text": lambda f: serializers.CharField(required=f.get("required", False), max_length=255),
    "textarea": lambda f: serializers.CharField(required=False, max_length=10000),
    "number": lambda f: serializers.IntegerField(required=False),
    "email": lambda f: serializers.EmailField(required=False),
    "date": lambda f: serializers.DateField(required=False),
    "boolean": lambda f: serializers.BooleanField(required=False),
}


class Answers(serializers.Serializer):  # type: ignore[type-arg]
    locals().update({f["varname"]: KINDS[f["type"]](f) for f in FIELDS})


class Body(serializers.Serializer):  # type: ignore[type-arg]
    data = Answers()


class Row(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    reference = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    updated_at = serializers.DateTimeField()
    procedure = serializers.CharField()


class Submit(APIView):
    def post(self, request: Request) -> Response:
        body = Body(data=request.data)
        body.is_valid(raise_exception=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare_submission (data, created_at) VALUES (%s, now()) RETURNING id",
                [json.dumps(request.data["data"])],
            )
            (pk,) = cursor.fetchone()
        return Response({"id": pk, "data": body.validated_data["data"]}, status=201)


class Mine(APIView):
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.reference, s.status, s.updated_at, p.title FROM submissions_submission s "
                "JOIN catalog_procedure p ON p.id = s.procedure_id WHERE s.owner_id = %s "
                "ORDER BY s.updated_at DESC LIMIT 20",
                [int(request.query_params["owner"])],
            )
            rows = [dict(zip(("id", "reference", "status", "updated_at", "procedure"), r, strict=True)) for r in cursor]
        return Response({"results": Row(rows, many=True).data})


class Catalog(APIView):
    def get(self, request: Request) -> Response:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.slug, p.title, p.summary, c.slug FROM catalog_procedure p "
                "JOIN catalog_category c ON c.id = p.category_id WHERE p.state = 'published' ORDER BY p.title"
            )
            rows = [{"slug": s, "title": t, "summary": m, "category": c} for s, t, m, c in cursor]
        return Response({"results": rows})


urlpatterns = [path("submit/", Submit.as_view()), path("mine/", Mine.as_view()), path("catalog/", Catalog.as_view())]
