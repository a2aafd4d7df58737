"""The strict filter backend: a filter set generated from a view's fields is built
once, a request naming none of its filters is not filtered, one naming a filter is
filtered or refused as before."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.accounts.models import User
from api.core.filters import StrictFilterBackend
from api.core.problems import QueryValidationError
from api.submissions.api.views import MySubmissionsView
from api.submissions.models import Submission


def test_a_generated_filter_set_is_built_once_per_view() -> None:
    backend, view = StrictFilterBackend(), MySubmissionsView()
    first = backend.get_filterset_class(view, Submission.objects.all())
    assert first is not None and "state" in first.base_filters
    assert backend.get_filterset_class(MySubmissionsView(), Submission.objects.none()) is first


@pytest.mark.django_db
def test_only_a_request_naming_a_filter_goes_through_the_filter_set(monkeypatch: pytest.MonkeyPatch) -> None:
    backend, view = StrictFilterBackend(), MySubmissionsView()
    queryset = Submission.objects.filter(owner=User.objects.create_user("filtre"))
    built: list[object] = []
    original = backend.get_filterset_kwargs

    def recorded(*args: Any) -> Any:
        built.append(args)
        return original(*args)

    monkeypatch.setattr(backend, "get_filterset_kwargs", recorded)
    factory = APIRequestFactory()
    plain = Request(factory.get("/api/me/submissions/?page_size=5&cursor=abc"))
    assert backend.filter_queryset(plain, queryset, view) is queryset
    assert built == []
    named = Request(factory.get("/api/me/submissions/?state=submitted"))
    filtered = backend.filter_queryset(named, queryset, view)
    assert len(built) == 1 and filtered is not queryset
    assert "state" in str(filtered.query)
    refused = Request(factory.get("/api/me/submissions/?state=nope"))
    with pytest.raises(QueryValidationError):
        backend.filter_queryset(refused, queryset, view)
