"""Who can call what: every operation of the OpenAPI schema, for every kind of caller.

The operations come from the schema the app generates, so an endpoint added
without its row here makes this test fail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from oauth2_provider.models import get_access_token_model, get_application_model

from api.accounts import actions as accounts
from api.accounts.models import ClientAccess, PushSubscription, Role, User
from api.backoffice.models import Job, SavedView
from api.catalog import actions, transfer
from api.notify.models import Webhook
from api.submissions.models import Attachment, Submission, UploadSession

PERSONAS = ["anonymous", "citizen", "citizen_b", "agent_x", "agent_y", "admin", "app_scoped", "app_unscoped"]
PUBLIC = dict.fromkeys(PERSONAS, 200)


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6390f5ebfc0f00037401f4719d63e20000000049454e44ae426082"
)


def row(**statuses: int) -> dict[str, int]:
    assert set(statuses) == set(PERSONAS)
    return statuses


# fmt: off
ADMIN_ONLY = row(anonymous=401, citizen=403, citizen_b=403, agent_x=403, agent_y=403, admin=200,
                 app_scoped=200, app_unscoped=403)
PEOPLE = row(anonymous=401, citizen=200, citizen_b=200, agent_x=200, agent_y=200, admin=200,
             app_scoped=403, app_unscoped=403)
AGENTS = row(anonymous=401, citizen=403, citizen_b=403, agent_x=200, agent_y=200, admin=200,
             app_scoped=200, app_unscoped=403)
# Citizen A's sent request, received by role X: A and the agents of X (and applications acting for X).
SENT = row(anonymous=404, citizen=200, citizen_b=404, agent_x=200, agent_y=404, admin=200,
           app_scoped=200, app_unscoped=404)
# Citizen A's draft: A alone; nobody else even learns it exists.
DRAFT = row(anonymous=404, citizen=200, citizen_b=404, agent_x=404, agent_y=404, admin=404,
            app_scoped=404, app_unscoped=404)
SYNC = row(anonymous=401, citizen=403, citizen_b=403, agent_x=200, agent_y=200, admin=200,
           app_scoped=200, app_unscoped=403)
# Citizen A's sent request in the agents' API: the agents of the role holding it (and applications acting for it).
HELD = row(anonymous=401, citizen=403, citizen_b=403, agent_x=200, agent_y=404, admin=200,
           app_scoped=200, app_unscoped=403)
# The application's own job (an export): only the application (with a scope to act for its role) sees it.
JOB = row(anonymous=401, citizen=403, citizen_b=403, agent_x=404, agent_y=404, admin=404,
          app_scoped=200, app_unscoped=403)
# Citizen A's own device (web push): A alone.
DEVICE = row(anonymous=401, citizen=200, citizen_b=404, agent_x=404, agent_y=404, admin=404,
             app_scoped=403, app_unscoped=403)
# The application's webhooks: its token with the webhooks scope.
HOOKS = row(anonymous=401, citizen=403, citizen_b=403, agent_x=403, agent_y=403, admin=403,
            app_scoped=200, app_unscoped=403)
# fmt: on
FORM = {
    "schema_version": 1,
    "pages": [{"id": "p", "title": "P", "fields": [{"type": "text", "varname": "nom", "label": "Nom"}]}],
}

MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("GET", "/api/health/"): PUBLIC,
    ("GET", "/api/ready/"): PUBLIC,
    ("GET", "/api/categories/"): PUBLIC,
    ("GET", "/api/procedures/"): PUBLIC,
    ("GET", "/api/procedures/{slug}/"): PUBLIC,
    ("GET", "/api/procedures/{slug}/form/"): PUBLIC,
    ("POST", "/api/procedures/{slug}/validate/"): PUBLIC,
    ("GET", "/api/procedures/{slug}/versions/"): ADMIN_ONLY,
    ("GET", "/api/procedures/{slug}/versions/{number}/"): ADMIN_ONLY,
    ("GET", "/api/procedures/{slug}/versions/{base}/diff/{target}/"): ADMIN_ONLY,
    ("GET", "/api/procedures/{slug}/export/"): ADMIN_ONLY,
    ("POST", "/api/procedure-imports/"): {**ADMIN_ONLY, "admin": 201, "app_scoped": 201},
    ("GET", "/api/theme/"): PUBLIC,
    ("GET", "/api/theme.css"): PUBLIC,
    ("PUT", "/api/theme/"): ADMIN_ONLY,
    # Allowed callers reach the import, whose guard refuses the private address it is given.
    ("POST", "/api/theme/import/"): {**ADMIN_ONLY, "admin": 422, "app_scoped": 422},
    ("POST", "/api/theme/assets/"): {**ADMIN_ONLY, "admin": 201, "app_scoped": 201},
    ("GET", "/api/me/"): PEOPLE,
    ("PATCH", "/api/me/"): PEOPLE,
    # Closing an account needs a fresh confirmation, and never an application.
    ("DELETE", "/api/me/"): {**PEOPLE, "citizen": 403, "citizen_b": 403, "agent_x": 403, "agent_y": 403, "admin": 403},
    ("GET", "/api/me/data/"): PEOPLE,
    ("GET", "/api/agent/procedures/"): AGENTS,
    ("POST", "/api/procedures/{slug}/submissions/"): {**dict.fromkeys(PERSONAS, 201), "app_unscoped": 403},
    ("GET", "/api/submissions/{id}/"): SENT,
    ("GET", "/api/submissions/{id}/history/"): SENT,
    ("GET", "/api/submissions/{id}/form/"): SENT,
    ("PATCH", "/api/submissions/{id}/"): DRAFT,
    ("DELETE", "/api/submissions/{id}/"): {**DRAFT, "citizen": 204},
    ("POST", "/api/submissions/{id}/submit/"): DRAFT,
    ("POST", "/api/submissions/{id}/check/"): DRAFT,
    ("GET", "/api/me/submissions/"): PEOPLE,
    ("POST", "/api/tracking/"): PUBLIC,
    ("GET", "/api/events/"): SYNC,
    # Files of citizen A: on the sent request (reads) and on the draft (writes).
    # A message's file, on the sent request: its owner and the agents processing it.
    ("POST", "/api/submissions/{id}/attachments/"): {
        **SENT,
        "citizen": 201,
        "agent_x": 201,
        "admin": 201,
        "app_scoped": 201,
    },
    ("POST", "/api/submissions/{id}/uploads/"): {
        **SENT,
        "citizen": 201,
        "agent_x": 201,
        "admin": 201,
        "app_scoped": 201,
    },
    ("GET", "/api/uploads/{id}/"): SENT,
    ("PATCH", "/api/uploads/{id}/"): SENT,
    ("GET", "/api/submissions/{id}/messages/"): SENT,
    ("POST", "/api/submissions/{id}/messages/"): {
        **SENT,
        "citizen": 201,
        "agent_x": 201,
        "admin": 201,
        "app_scoped": 201,
    },
    # Corrections only by the citizen, and only when asked: nothing was asked here.
    ("POST", "/api/submissions/{id}/corrections/"): {
        **DRAFT,
        "citizen": 409,
        "agent_x": 403,
        "admin": 403,
        "app_scoped": 403,
    },
    ("GET", "/api/attachments/{id}/"): SENT,
    ("POST", "/api/attachments/{id}/link/"): SENT,
    ("DELETE", "/api/attachments/{id}/"): {**DRAFT, "citizen": 204},
    # The signed link is the authority: whoever holds a valid one gets the file.
    ("GET", "/api/attachments/{id}/signed/"): PUBLIC,
    # The agents' back office.
    ("GET", "/api/agent/requests/"): AGENTS,
    ("GET", "/api/agent/requests/{id}/"): HELD,
    ("POST", "/api/agent/requests/{id}/actions/"): HELD,
    ("POST", "/api/agent/requests/{id}/assignment/"): HELD,
    ("POST", "/api/agent/procedures/{slug}/requests/"): {**HELD, "agent_x": 201, "admin": 201, "app_scoped": 201},
    ("POST", "/api/agent/bulk/"): {**AGENTS, "agent_x": 202, "agent_y": 202, "admin": 202, "app_scoped": 202},
    ("POST", "/api/agent/exports/"): AGENTS,
    ("GET", "/api/agent/jobs/{id}/"): JOB,
    ("GET", "/api/agent/jobs/{id}/file/"): JOB,
    ("GET", "/api/agent/statistics/"): AGENTS,
    # Saved views belong to people: an application's own token has none.
    ("GET", "/api/agent/views/"): {**AGENTS, "app_scoped": 403},
    ("POST", "/api/agent/views/"): {**AGENTS, "agent_x": 201, "agent_y": 201, "admin": 201, "app_scoped": 403},
    # Agent X's view, shared with role X: X deletes it; the administrator sees it but is not its owner.
    ("DELETE", "/api/agent/views/{id}/"): {**AGENTS, "agent_x": 204, "agent_y": 404, "admin": 403, "app_scoped": 403},
    # A ticket for the caller's own stream (a citizen's, or an agent's); one request's: tests of realtime.
    # Notifications: the push key, a person's devices, an application's webhooks.
    ("GET", "/api/push/key/"): PUBLIC,
    ("GET", "/api/me/push-subscriptions/"): PEOPLE,
    ("POST", "/api/me/push-subscriptions/"): {
        **PEOPLE,
        **dict.fromkeys(["citizen", "citizen_b", "agent_x", "agent_y", "admin"], 201),
    },
    ("DELETE", "/api/me/push-subscriptions/{id}/"): {**DEVICE, "citizen": 204},
    ("POST", "/api/me/push-subscriptions/{id}/test/"): DEVICE,
    ("GET", "/api/webhooks/"): HOOKS,
    ("POST", "/api/webhooks/"): {**HOOKS, "app_scoped": 201},
    ("GET", "/api/webhooks/{id}/"): HOOKS,
    ("PATCH", "/api/webhooks/{id}/"): HOOKS,
    ("DELETE", "/api/webhooks/{id}/"): {**HOOKS, "app_scoped": 204},
    ("GET", "/api/webhooks/{id}/deliveries/"): HOOKS,
    ("POST", "/api/realtime/tickets/"): {**dict.fromkeys(PERSONAS, 201), "anonymous": 401, "app_unscoped": 403},
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    documentation = {"/api/schema/", "/api/docs/", "/api/redoc/"}
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        # The sign-in endpoints are how anyone becomes a caller: their rules are
        # allauth's flows, tested in api/accounts/tests/test_citizen_flows.py.
        if path not in documentation and not path.startswith("/api/auth/")
        for method in item
        if method != "parameters"
    }


def test_every_operation_has_a_row() -> None:
    assert schema_operations() == set(MATRIX)


@pytest.fixture
def world(db: Any, catalog: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    role_x = Role.objects.create(slug="etat-civil", name="État civil")
    role_y = Role.objects.create(slug="voirie", name="Voirie")
    procedure = catalog("salle", receiver_role=role_x)
    catalog("trottoir", receiver_role=role_y)
    actions.save_definition(procedure, FORM)
    actions.save_definition(procedure, {**FORM, "pages": [{**FORM["pages"][0], "title": "Page"}]})
    procedure.refresh_from_db()

    people = {
        "citizen": User.objects.create_user("anne"),
        "citizen_b": User.objects.create_user("bob"),
        "agent_x": User.objects.create_user("claire"),
        "agent_y": User.objects.create_user("paul"),
        "admin": User.objects.create_user("root", is_staff=True, is_superuser=True),
    }
    accounts.grant_role(people["agent_x"], role_x)
    accounts.grant_role(people["agent_y"], role_y)

    Application = get_application_model()
    app = Application.objects.create(
        name="Logiciel", client_type="confidential", authorization_grant_type="client-credentials"
    )
    ClientAccess.objects.create(application=app, role=role_x)
    Token = get_access_token_model()
    expires = timezone.now() + timedelta(hours=1)
    tokens = {
        "app_scoped": Token.objects.create(
            application=app,
            token="scoped",
            scope="catalog:read procedures:admin agent profile submissions:write webhooks",
            expires=expires,
        ),
        "app_unscoped": Token.objects.create(application=app, token="unscoped", scope="catalog:read", expires=expires),
    }
    anne = Client()
    anne.force_login(people["citizen"])
    sent = anne.post("/api/procedures/salle/submissions/", {"data": {"nom": "Anne"}}, content_type="application/json")
    anne.post(f"/api/submissions/{sent.json()['id']}/submit/", content_type="application/json")
    draft = anne.post("/api/procedures/salle/submissions/", {"data": {"nom": "Anne"}}, content_type="application/json")
    files = {}
    for submission in (Submission.objects.get(pk=sent.json()["id"]), Submission.objects.get(pk=draft.json()["id"])):
        files[submission.pk] = Attachment.objects.create(
            submission=submission, name="note.txt", content_type="text/plain", size=7, sha256="x",
            file=ContentFile(b"Bonjour", name="note.txt"),
        )  # fmt: skip
    uploads = {pk: UploadSession.objects.create(submission_id=pk, name="note.txt", size=7) for pk in files}
    job = Job.objects.create(
        kind=Job.Kind.EXPORT, application=app, roles=[role_x.slug], state=Job.State.DONE,
        file=ContentFile(b"reference\r\n", name="demandes.csv"),
    )  # fmt: skip
    settings.VAPID_PUBLIC_KEY = "BPublicKeyForTheMatrix"
    device = PushSubscription.objects.create(
        user=people["citizen"], endpoint="https://push.example/1", p256dh="p", auth="a"
    )
    hook = Webhook.objects.create(
        application=app, procedure=procedure, url="https://93.184.215.14/h", kinds=["submission.sent"], secret="whsec_x"
    )
    return {
        "device": device,
        "hook": hook,
        "job": job,
        "view": SavedView.objects.create(owner=people["agent_x"], role=role_x, name="Reçues", query="status=received"),
        "uploads": uploads,
        "files": files,
        "procedure": procedure,
        "people": people,
        "tokens": tokens,
        "sent": Submission.objects.get(pk=sent.json()["id"]),
        "draft": Submission.objects.get(pk=draft.json()["id"]),
    }


def call(world: dict[str, Any], persona: str, method: str, path: str, client_class: type[Client] = Client) -> Any:
    client = client_class()
    headers: dict[str, str] = {}
    if persona in world["people"]:
        client.force_login(world["people"][persona])
    elif persona in world["tokens"]:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][persona].token}"
    on_sent = method == "GET" or path.endswith(("/link/", "/attachments/", "/messages/", "/corrections/", "/uploads/"))
    on_sent = on_sent or path.startswith(("/api/uploads/", "/api/agent/"))
    target = world["sent"] if on_sent else world["draft"]
    attachment = world["files"][target.pk]
    object_id = attachment.pk if path.startswith("/api/attachments/") else target.pk
    if path.startswith("/api/agent/jobs/"):
        object_id = world["job"].pk
    if path.startswith("/api/agent/views/"):
        object_id = world["view"].pk
    if path.startswith("/api/uploads/"):
        object_id = world["uploads"][target.pk].pk
    if path.startswith("/api/me/push-subscriptions/"):
        object_id = world["device"].pk
    if path.startswith("/api/webhooks/"):
        object_id = world["hook"].pk
    if path == "/api/uploads/{id}/" and method == "PATCH":
        url = path.format(id=object_id)
        return client.patch(
            url, b"Bon", content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="0", **headers
        )
    url = path.format(slug="salle", number=1, base=1, target=2, id=object_id)
    if path.endswith("/signed/"):
        url += "?token=" + signing.TimestampSigner(salt="guichet.attachment").sign(str(attachment.pk))
    if path == "/api/theme/assets/":
        return client.post(url + "?kind=logo", PNG, content_type="application/octet-stream", **headers)
    if path.endswith("/attachments/"):
        headers["HTTP_CONTENT_DISPOSITION"] = 'attachment; filename="note.txt"'
        return client.post(url, b"Bonjour", content_type="application/octet-stream", **headers)
    if method == "GET":
        return client.get(url, **headers)
    if method == "DELETE":
        return client.delete(url, **headers)
    if path.startswith("/api/agent/"):
        body = {
            "/api/agent/requests/{id}/actions/": {"action": "start"},
            "/api/agent/requests/{id}/assignment/": {"agent": None},
            "/api/agent/procedures/{slug}/requests/": {"data": {"nom": "Anne"}},
            "/api/agent/bulk/": {"ids": [str(world["sent"].pk)], "do": {"type": "assign", "agent": None}},
            "/api/agent/exports/": {"format": "csv", "columns": ["reference", "status"]},
            "/api/agent/views/": {"name": "Mes demandes", "query": "status=received&assigned=me"},
        }[path]
        return client.post(url, body, content_type="application/json", **headers)
    if path == "/api/procedure-imports/":
        document = transfer.export(world["procedure"])
        document["procedure"]["slug"] = f"import-{persona}"
        body: Any = document
    elif path == "/api/theme/":
        body = {"name": "Bellerive", "colours": {"primary": "#ffcc00"}}
    elif path == "/api/theme/import/":
        body = {"url": "http://127.0.0.1:9/"}
    elif path.endswith("/validate/"):
        body = {"data": {"nom": "Anne"}}
    elif path == "/api/procedures/{slug}/submissions/":
        body = {"data": {}}
    elif path == "/api/tracking/":
        body = {"code": world["sent"].tracking_code}
    elif path == "/api/realtime/tickets/":
        body = {}
    elif path == "/api/me/push-subscriptions/":
        keys = {"p256dh": "BB" + "A" * 85, "auth": "A" * 22}
        body = {"endpoint": "https://push.example/2", "keys": keys}
    elif path.endswith("/test/"):
        body = {}
    elif path.startswith("/api/webhooks/"):
        body = {"procedure": "salle", "url": "https://93.184.215.14/hook", "kinds": ["submission.sent"]}
    elif path.endswith("/uploads/"):
        body = {"name": "note.txt", "size": 7}
    elif path.endswith("/messages/"):
        body = {"body": "Bonjour"}
    elif path.endswith("/corrections/"):
        body = {"data": {"nom": "Anne"}}
    elif path.startswith("/api/submissions/"):
        body = {"data": {"nom": "Anne-Marie"}} if method == "PATCH" else {"page": "p"}
        headers["HTTP_IF_MATCH"] = target.etag
    else:
        body = {"phone": "0612345678"}
    return getattr(client, method.lower())(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_permission_matrix(world: dict[str, Any], persona: str, method: str, path: str) -> None:
    response = call(world, persona, method, path)
    expected = MATRIX[(method, path)][persona]
    assert response.status_code == expected, response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_agents_see_only_their_roles_procedures(world: dict[str, Any]) -> None:
    def listing(persona: str) -> list[str]:
        return [p["slug"] for p in call(world, persona, "GET", "/api/agent/procedures/").json()]

    assert listing("agent_x") == ["salle"]
    assert listing("agent_y") == ["trottoir"]
    assert listing("admin") == ["salle", "trottoir"]
    assert listing("app_scoped") == ["salle"]
