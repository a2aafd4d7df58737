"""A citizen's view for the desk agent answering a call: every request of one
person's account that the agent's roles hold, and of nobody else; with the dates
of sending as bounds, in the inbox and in a bulk action's or export's filter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from api.submissions.models import Submission

from .conftest import client_for


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_one_citizens_requests_and_nobody_elses(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    anne = demo["citizen"]
    paul = get_user_model().objects.create_user("paul", email="paul@example.org")
    annes = {send("acte-etat-civil")["id"], send("acte-etat-civil")["id"]}
    pauls = send("acte-etat-civil", client=client_for(paul))["id"]
    elsewhere = send("signalement-voirie")["id"]  # Anne's too, but another role's
    agent = client_for(demo["agents"]["etat-civil"])

    detail = agent.get(f"/api/agent/requests/{next(iter(annes))}/").json()
    assert detail["citizen_account"]["id"] == anne.pk
    assert ids(agent.get(f"/api/agent/requests/?citizen={anne.pk}")) == annes
    assert ids(agent.get(f"/api/agent/requests/?citizen={paul.pk}")) == {pauls}
    assert elsewhere not in ids(agent.get(f"/api/agent/requests/?citizen={anne.pk}"))
    counted = agent.get(f"/api/agent/requests/?citizen={anne.pk}&counts=true").json()["counts"]
    assert sum(c["count"] for c in counted) == 2
    assert ids(agent.get("/api/agent/requests/?citizen=999999")) == set()


def test_the_dates_of_sending_bound_the_list(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    old, new = send("acte-etat-civil")["id"], send("acte-etat-civil")["id"]
    long_ago = timezone.now() - timedelta(days=40)
    Submission.objects.filter(pk=old).update(submitted_at=long_ago)
    agent = client_for(demo["agents"]["etat-civil"])
    cut = (timezone.now() - timedelta(days=10)).isoformat()
    assert ids(agent.get("/api/agent/requests/", {"submitted_after": cut})) == {new}
    assert ids(agent.get("/api/agent/requests/", {"submitted_before": cut})) == {old}


def test_a_job_keeps_the_citizen_in_its_filter(demo: dict[str, Any], send: Callable[..., dict[str, Any]]) -> None:
    from api.backoffice.queries import InboxFilter

    anne = demo["citizen"]
    wanted = InboxFilter(citizen=anne.pk, statuses=["received"])
    assert InboxFilter.from_json(wanted.to_json()) == wanted
    send("acte-etat-civil")
    paul = get_user_model().objects.create_user("paul", email="paul@example.org")
    send("acte-etat-civil", client=client_for(paul))
    agent = client_for(demo["agents"]["etat-civil"])
    exported = agent.post(
        "/api/agent/exports/",
        {"format": "csv", "columns": ["reference"], "filter": {"citizen": anne.pk}},
        content_type="application/json",
        HTTP_ACCEPT="*/*",
    )
    assert exported.status_code == 200, exported.content
    rows = b"".join(exported.streaming_content).decode().strip().splitlines()
    assert len(rows) == 2, rows  # the header and Anne's one request


def test_an_agent_with_two_roles_works_as_one_of_them(
    demo: dict[str, Any], send: Callable[..., dict[str, Any]]
) -> None:
    from api.accounts import actions as accounts
    from api.accounts.models import Role

    both = get_user_model().objects.create_user("both", email="both@mairie.example")
    accounts.grant_role(both, Role.objects.get(slug="etat-civil"))
    accounts.grant_role(both, Role.objects.get(slug="voirie"))
    civil, roads = send("acte-etat-civil")["id"], send("signalement-voirie")["id"]
    agent = client_for(both)
    assert ids(agent.get("/api/agent/requests/")) == {civil, roads}
    assert ids(agent.get("/api/agent/requests/?role=etat-civil")) == {civil}
    assert ids(agent.get("/api/agent/requests/?role=voirie")) == {roads}
    # A role the agent does not hold gives nothing, not another role's requests.
    assert ids(agent.get("/api/agent/requests/?role=enfance")) == set()
    assert ids(client_for(demo["agents"]["etat-civil"]).get("/api/agent/requests/?role=voirie")) == set()
    refused = agent.get("/api/agent/requests/?role=" + "x" * 81)
    assert (refused.status_code, refused.json()["invalid_params"][0]["name"]) == (400, "role")
