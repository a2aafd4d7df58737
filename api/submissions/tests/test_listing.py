""" "My requests" prints plain rows (listing.py): exactly what SubmissionSerializer
prints for the same requests, compared on generated requests in both languages."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.accounts.models import User
from api.catalog.models import Procedure
from api.submissions import actions
from api.submissions.api.serializers import SubmissionSerializer
from api.submissions.models import Submission

# Text the API accepts (api.core.jsonbody refuses NUL and lone surrogates; PostgreSQL
# cannot store NUL in JSON), so only requests that can exist are generated.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=20)
answers = st.dictionaries(
    st.sampled_from(["nom", "asso", "siren", "autre", "é"]),
    st.one_of(text, st.booleans(), st.integers(-(10**12), 10**12), st.none(), st.lists(text, max_size=3)),
    max_size=4,
)
request = st.fixed_dictionaries(
    {
        "data": answers,
        "sent": st.sampled_from(["draft", "sent", "done"]),
        "requested": st.lists(st.sampled_from(["nom", "siren"]), max_size=2, unique=True),
        "tracking": st.booleans(),
        "minutes": st.integers(0, 10**6),
    }
)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    requests=st.lists(request, min_size=1, max_size=5),
    language=st.sampled_from(["fr", "en", "de"]),
    # The site's time zone, UTC (printed "Z"), and offsets in quarter and half hours.
    zone=st.sampled_from(["Europe/Paris", "UTC", "Asia/Kathmandu", "America/St_Johns"]),
)
def test_the_list_prints_what_the_serializer_prints(
    procedure: Procedure, requests: list[dict[str, Any]], language: str, zone: str
) -> None:
    with override_settings(TIME_ZONE=zone):
        compare(procedure, requests, language)


def compare(procedure: Procedure, requests: list[dict[str, Any]], language: str) -> None:
    user, _ = User.objects.get_or_create(username="liste", defaults={"email": "liste@example.org"})
    Submission.objects.filter(owner=user).delete()
    Procedure.objects.filter(pk=procedure.pk).update(tracking_codes=True)
    procedure.refresh_from_db()
    actor = actions.Actor(user=user)
    for wanted in requests:
        draft, _token = actions.create_draft(procedure, actor, {"nom": "Anne"})
        if wanted["sent"] != "draft":
            draft = actions.submit(draft, actor)
        if wanted["sent"] == "done":
            Submission.objects.filter(pk=draft.pk).update(citizen_status="done", status="done")
        changes: dict[str, Any] = {
            "data": wanted["data"],
            "requested_fields": wanted["requested"],
            "updated_at": timezone.now() - timedelta(minutes=wanted["minutes"]),
        }
        if not wanted["tracking"]:
            changes["tracking_code"] = None
        Submission.objects.filter(pk=draft.pk).update(**changes)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    listed = client.get("/api/me/submissions/?page_size=100")
    assert listed.status_code == 200
    from django.utils import translation

    with translation.override(language):
        expected = SubmissionSerializer(
            Submission.objects.filter(owner=user).select_related("procedure", "version").order_by("-updated_at"),
            many=True,
        ).data
    assert listed.json()["results"] == json.loads(json.dumps(expected))
