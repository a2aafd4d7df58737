"""What the browser tests need done on the server's side, as a citizen or an agent
would do it through the API, in a process of its own (the server under test is
another): ``send`` prints a new anonymous request's id and tracking code as JSON;
``act ID ACTION`` has the demo agent take a workflow action on it; ``ask ID FIELD...``
has the agent send a document and ask the citizen to correct those fields; ``attach ID NAME``
has the agent write with a file (an image if NAME ends in .png, else a PDF); ``grant ROLE``
gives the demo agent another of the demo's roles; ``citizen
EMAIL PASSWORD COUNT`` makes a verified account that sent COUNT requests; ``count SLUG`` prints
how many of a procedure's requests were sent and how many drafts it has, with each sent
request's answers; ``agent EMAIL PASSWORD`` gives the demo agent an address and a password
to sign in with; ``many COUNT`` sends COUNT requests.

Run with the test server's environment (the harness's ``guichet.manage``-like env)."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
django.setup()

from django.test import Client  # noqa: E402

from api.accounts import actions as accounts  # noqa: E402
from api.accounts.models import Role, User  # noqa: E402
from api.catalog import actions as catalog  # noqa: E402
from api.catalog.models import ProcedureState  # noqa: E402

SLUG = "suivi-navigateur"
FORM = {
    "schema_version": 1,
    "pages": [{"id": "p", "title": "Vous", "fields": [{"type": "text", "varname": "nom", "label": "Nom"}]}],
}


def agent() -> User:
    role, _ = Role.objects.get_or_create(slug="etat-civil", defaults={"name": "État civil"})
    user = User.objects.filter(username="agent-navigateur").first()
    if user is None:
        user = User.objects.create_user("agent-navigateur", email="agent-navigateur@mairie.example")
        accounts.grant_role(user, role)
    return user


def send() -> dict[str, str]:
    agent()
    role = Role.objects.get(slug="etat-civil")
    category, _ = catalog.upsert_category("general", {"title": "Général"})
    fields = {"title": "Suivi", "summary": "Suivi", "category": category, "receiver_role": role}
    procedure, _ = catalog.upsert_procedure(SLUG, {**fields, "state": ProcedureState.PUBLISHED})
    catalog.save_definition(procedure, FORM)
    client = Client()
    draft = client.post(
        f"/api/procedures/{SLUG}/submissions/", {"data": {"nom": "Anne"}}, content_type="application/json"
    )
    assert draft.status_code == 201, draft.content
    sent = client.post(
        f"/api/submissions/{draft.json()['id']}/submit/",
        content_type="application/json",
        HTTP_X_RESUME_TOKEN=draft.json()["resume_token"],
    )
    assert sent.status_code == 200, sent.content
    return {"id": sent.json()["id"], "tracking_code": sent.json()["tracking_code"]}


def act(request_id: str, action: str) -> dict[str, str]:
    client = Client()
    client.force_login(agent())
    now = client.get(f"/api/agent/requests/{request_id}/").json()["status"]["id"]
    done = client.post(
        f"/api/agent/requests/{request_id}/actions/", {"action": action, "status": now}, content_type="application/json"
    )
    assert done.status_code == 200, done.content
    return {"status": done.json()["status"]["id"]}


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def ask(request_id: str, *fields: str) -> dict[str, object]:
    client = Client()
    client.force_login(agent())
    document = client.post(
        f"/api/submissions/{request_id}/attachments/",
        PDF,
        content_type="application/octet-stream",
        HTTP_CONTENT_DISPOSITION='attachment; filename="pieces-a-fournir.pdf"',
    )
    assert document.status_code == 201, document.content
    body = "Merci de préciser la date et les noms des parents. Voici la liste des pièces."
    message = client.post(
        f"/api/submissions/{request_id}/messages/",
        {"body": body, "attachments": [document.json()["id"]], "request_fields": list(fields)},
        content_type="application/json",
    )
    assert message.status_code == 201, message.content
    return {"message": message.json()["id"], "document": document.json()["id"]}


def png() -> bytes:
    """A small red square, as a PNG."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    """A two-page PDF: a red page, then a blue one (A5-like, 420×595 points)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    red, blue = Image.new("RGB", (420, 595), "red"), Image.new("RGB", (420, 595), "blue")
    red.save(buffer, format="PDF", save_all=True, append_images=[blue], resolution=72)
    return buffer.getvalue()


def attach(request_id: str, name: str) -> dict[str, object]:
    """The agent writes to the citizen with a file: ``name`` ending in .png is an image,
    "vide.pdf" a PDF without pages, else a two-page PDF."""
    client = Client()
    client.force_login(agent())
    document = client.post(
        f"/api/submissions/{request_id}/attachments/",
        png() if name.endswith(".png") else PDF if name == "vide.pdf" else pdf(),
        content_type="application/octet-stream",
        HTTP_CONTENT_DISPOSITION=f'attachment; filename="{name}"',
    )
    assert document.status_code == 201, document.content
    message = client.post(
        f"/api/submissions/{request_id}/messages/",
        {"body": "Voici le document.", "attachments": [document.json()["id"]]},
        content_type="application/json",
    )
    assert message.status_code == 201, message.content
    return {"document": document.json()["id"]}


def grant(slug: str) -> dict[str, object]:
    """Gives the demo agent one more role (one of the demo's)."""
    accounts.grant_role(agent(), Role.objects.get(slug=slug))
    return {"roles": sorted(agent().memberships.values_list("role__slug", flat=True))}


def citizen(email: str, password: str, count: str) -> dict[str, object]:
    from allauth.account.models import EmailAddress

    send()  # the procedure and its agent
    user = User.objects.create_user(email.split("@")[0], email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client = Client()
    client.force_login(user)
    for number in range(int(count)):
        draft = client.post(
            f"/api/procedures/{SLUG}/submissions/", {"data": {"nom": f"Anne {number}"}}, content_type="application/json"
        )
        assert draft.status_code == 201, draft.content
        sent = client.post(f"/api/submissions/{draft.json()['id']}/submit/", content_type="application/json")
        assert sent.status_code == 200, sent.content
    return {"user": user.pk, "sent": int(count)}


def agent_account(email: str, password: str) -> dict[str, object]:
    """The demo agent (role etat-civil) with an address and a password, to sign in with."""
    from allauth.account.models import EmailAddress

    user = agent()
    user.email = email
    user.first_name, user.last_name = "Agnès", "Martin"
    user.set_password(password)
    user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return {"user": user.pk}


def many(count: str) -> dict[str, object]:
    """COUNT new anonymous requests to the agent's procedure, oldest first."""
    return {"sent": [send()["id"] for _ in range(int(count))]}


def count(slug: str) -> dict[str, object]:
    from api.submissions.models import State, Submission

    mine = Submission.objects.filter(procedure__slug=slug)
    sent = mine.exclude(state=State.DRAFT).order_by("submitted_at")
    return {
        "sent": sent.count(),
        "drafts": mine.filter(state=State.DRAFT).count(),
        "answers": [s.data for s in sent],
        "references": [s.reference for s in sent],
    }


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    commands = {
        "send": send,
        "act": act,
        "ask": ask,
        "attach": attach,
        "grant": grant,
        "citizen": citizen,
        "count": count,
        "agent": agent_account,
        "many": many,
    }
    print(json.dumps(commands[command](*args)))
