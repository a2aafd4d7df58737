"""Notifications over the API: the web push key, a test push for the settings
screen, and applications' webhooks with their delivery log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.accounts.access import PersonAccess, person, token_of
from api.accounts.models import ClientAccess, PushSubscription
from api.catalog.models import Procedure
from api.core.idempotency import idempotent
from api.core.pagination import StrictCursorPagination
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.serializers import ProblemSerializer
from api.submissions.access import actor_of

from .. import actions
from ..models import Notification, State, Webhook
from ..sender import send_one
from .serializers import (
    CreatedWebhookSerializer,
    DeliverySerializer,
    PushKeySerializer,
    TestResultSerializer,
    WebhookSerializer,
    WebhookWriteSerializer,
)

MAX_WEBHOOKS = 20
WEBHOOK_AUTH: Any = [{"oauth2": ["webhooks"]}]
PERSON_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["profile"]}]
PUBLIC_AUTH: Any = [{}]


def _problems(*pairs: tuple[int, str]) -> dict[Any, OpenApiResponse]:
    return {
        (status, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=text) for status, text in pairs
    }


class PushKeyView(APIView):
    """The key a browser subscribes to web push with (the VAPID public key)."""

    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="push_key",
        tags=["notifications"],
        auth=PUBLIC_AUTH,
        responses={200: PushKeySerializer, **_problems((404, "push-unavailable: no VAPID key is configured."))},
    )
    def get(self, request: Request) -> Response:
        if not settings.VAPID_PUBLIC_KEY:
            raise Problem(404, "push-unavailable", _("Push notifications are not configured on this service."))
        return Response({"public_key": settings.VAPID_PUBLIC_KEY})


class PushTestView(APIView):
    """Send a test notification to one of the person's devices, now, and say how it went."""

    permission_classes = [PersonAccess]
    person_scopes = {"POST": ["profile"]}

    @extend_schema(
        operation_id="me_push_test",
        tags=["notifications"],
        auth=PERSON_AUTH,
        request=None,
        responses={200: TestResultSerializer, **_problems((404, "No such device of yours."))},
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        user = person(request)
        device = PushSubscription.objects.filter(pk=pk, user=user).first()
        if device is None:
            raise Problem(404, "not-found", _("Nothing was found at this address."))
        now = timezone.now()
        notification = actions.test_push(user, device, now)
        send_one(notification, now)
        notification.refresh_from_db()
        state = State.SENT if notification.state == State.SENT else State.FAILED
        return Response({"state": state, "error": notification.last_error})


class WebhookAccess(BasePermission):
    """An application's token with the ``webhooks`` scope; its webhooks only."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        return token is not None and bool(token.allow_scopes(["webhooks"]))


def _application(request: Request) -> Any:
    token = token_of(request)
    if token is None:  # WebhookAccess lets only tokens through
        raise Problem(401, "not-authenticated", _("Authentication is required."))
    return token.application


def _procedure(request: Request, slug: str) -> Procedure:
    """The procedure, if the application's role receives it."""
    access = ClientAccess.objects.filter(application=_application(request)).first()
    procedure = Procedure.objects.filter(slug=slug).first()
    if procedure is None or access is None or access.role_id is None or procedure.receiver_role_id != access.role_id:
        raise ValidationError({"procedure": [_("This application's role does not receive this procedure.")]})
    return procedure


class WebhooksView(APIView):
    """The application's webhooks: list, and subscribe a URL to a procedure's events."""

    permission_classes = [WebhookAccess]

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.filter(application=_application(self.request)).select_related("procedure")

    @extend_schema(
        operation_id="webhooks_list",
        tags=["webhooks"],
        auth=WEBHOOK_AUTH,
        responses={200: WebhookSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(WebhookSerializer(self.get_queryset().order_by("pk"), many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        tags=["webhooks"],
        auth=WEBHOOK_AUTH,
        request=WebhookWriteSerializer,
        responses={
            201: CreatedWebhookSerializer,
            **_problems(
                (400, "Not valid: the procedure (not received by the application's role), the URL, the kinds."),
                (409, f"webhooks-limit: at most {MAX_WEBHOOKS} webhooks per application."),
                (422, "idempotency-key-reused."),
            ),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        body = WebhookWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        given.pop("rotate_secret", None)
        given["procedure"] = _procedure(request, given["procedure"])
        if self.get_queryset().count() >= MAX_WEBHOOKS:
            raise Problem(409, "webhooks-limit", _("An application has at most %(n)d webhooks.") % {"n": MAX_WEBHOOKS})
        hook = actions.create_webhook(_application(request), actor_of(request), given)
        return Response(CreatedWebhookSerializer(hook).data, status=201)


class WebhookView(APIView):
    """One of the application's webhooks: read, change (or pause, or give a new secret), delete."""

    permission_classes = [WebhookAccess]

    def hook(self, pk: int) -> Webhook:
        found = (
            Webhook.objects.filter(pk=pk, application=_application(self.request)).select_related("procedure").first()
        )
        if found is None:
            raise Problem(404, "not-found", _("Nothing was found at this address."))
        return found

    @extend_schema(
        operation_id="webhooks_retrieve",
        tags=["webhooks"],
        auth=WEBHOOK_AUTH,
        responses={200: WebhookSerializer, **_problems((404, "No such webhook of this application."))},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookSerializer(self.hook(pk)).data)

    @extend_schema(
        operation_id="webhooks_update",
        tags=["webhooks"],
        auth=WEBHOOK_AUTH,
        request=WebhookWriteSerializer(partial=True),
        responses={
            200: OpenApiResponse(CreatedWebhookSerializer, description="The webhook (its secret only if renewed)."),
            **_problems((400, "Not valid."), (404, "No such webhook of this application."), (422, "Key reused.")),
        },
    )
    @idempotent
    def patch(self, request: Request, pk: int) -> Response:
        hook = self.hook(pk)
        body = WebhookWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        rotate = bool(given.pop("rotate_secret", False))
        if "procedure" in given:
            given["procedure"] = _procedure(request, given["procedure"])
        hook = actions.change_webhook(hook, actor_of(request), given, new_secret_wanted=rotate)
        return Response((CreatedWebhookSerializer if rotate else WebhookSerializer)(hook).data)

    @extend_schema(
        operation_id="webhooks_delete",
        tags=["webhooks"],
        auth=WEBHOOK_AUTH,
        responses={204: OpenApiResponse(description="Deleted."), **_problems((404, "No such webhook."))},
    )
    @idempotent
    def delete(self, request: Request, pk: int) -> Response:
        actions.delete_webhook(self.hook(pk), actor_of(request))
        return Response(status=204)


class DeliveryPagination(StrictCursorPagination):
    ordering = "-id"


class WebhookDeliveriesView(generics.ListAPIView[Notification]):
    """The webhook's delivery log, newest first: each event sent (or being tried), its
    attempts, the receiver's last answer."""

    permission_classes = [WebhookAccess]
    serializer_class = DeliverySerializer
    pagination_class = DeliveryPagination

    @extend_schema(operation_id="webhooks_deliveries", tags=["webhooks"], auth=WEBHOOK_AUTH)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        hook = WebhookView(request=self.request).hook(self.kwargs["pk"])
        return Notification.objects.filter(webhook=hook)
