"""The signed-in person's own account: profile, personal data, deletion, devices for web push."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.idempotency import idempotent
from api.core.problems import PROBLEM_CONTENT_TYPE, Problem
from api.core.serializers import ProblemSerializer

from .. import actions
from ..access import PersonAccess, person, recently_authenticated, token_of
from ..models import PushSubscription
from ..profiles import profile_of
from .serializers import (
    ProfileSerializer,
    PushSubscribeSerializer,
    PushSubscriptionSerializer,
    profile_data,
)

PERSON_AUTH: Any = [{"cookieAuth": []}, {"oauth2": ["profile"]}]
SESSION_AUTH: Any = [{"cookieAuth": []}]


class MeView(APIView):
    """The signed-in citizen's or agent's profile."""

    permission_classes = [PersonAccess]
    person_scopes = {"GET": ["profile"], "PATCH": ["profile"], "DELETE": ["__never__"]}

    @extend_schema(operation_id="me_retrieve", tags=["accounts"], auth=PERSON_AUTH, responses={200: ProfileSerializer})
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(profile_data(profile_of(person(request)))).data)

    @extend_schema(
        operation_id="me_update",
        tags=["accounts"],
        auth=PERSON_AUTH,
        request=ProfileSerializer,
        responses={200: ProfileSerializer},
    )
    @idempotent
    def patch(self, request: Request) -> Response:
        profile = profile_of(person(request))
        serializer = ProfileSerializer(data=request.data, partial=True, context={"profile": profile})
        serializer.is_valid(raise_exception=True)
        profile = actions.update_profile(person(request), serializer.validated_data, request=request._request)
        return Response(ProfileSerializer(profile_data(profile)).data)

    @extend_schema(
        operation_id="me_delete",
        tags=["accounts"],
        auth=SESSION_AUTH,
        responses={204: OpenApiResponse(description="The account is closed and its personal data erased.")},
    )
    @idempotent
    def delete(self, request: Request) -> Response:
        if token_of(request) is not None:
            raise Problem(403, "permission-denied", _("Only the citizen can close their account."))
        if not recently_authenticated(request):
            raise Problem(
                403,
                "reauthentication-required",
                _("Confirm who you are (password or code) before closing your account."),
                title=_("Please confirm it is you."),
                reauthenticate="/api/auth/browser/v1/auth/reauthenticate",
            )
        actions.delete_account(person(request), request=request._request)
        logout(request._request)
        return Response(status=204)


class MyDataView(APIView):
    """Everything Guichet holds about the signed-in person, as one JSON document."""

    permission_classes = [PersonAccess]
    person_scopes = {"GET": ["__never__"]}

    @extend_schema(
        operation_id="me_data",
        tags=["accounts"],
        auth=SESSION_AUTH,
        responses={200: OpenApiResponse(description="The personal-data document (format guichet.personal-data).")},
    )
    def get(self, request: Request) -> Response:
        document: dict[str, Any] = actions.export_data(person(request), request=request._request)
        headers = {
            "Content-Disposition": 'attachment; filename="guichet-mes-donnees.json"',
            "Cache-Control": "no-store",
        }
        return Response(document, headers=headers)


class PushSubscriptionsView(APIView):
    """The devices the signed-in person subscribed to web push."""

    permission_classes = [PersonAccess]
    person_scopes = {"GET": ["profile"], "POST": ["profile"]}

    @extend_schema(
        operation_id="me_push_subscriptions_list",
        tags=["accounts"],
        auth=PERSON_AUTH,
        responses={200: PushSubscriptionSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        devices = person(request).push_subscriptions.order_by("created_at", "pk")
        return Response(PushSubscriptionSerializer(devices, many=True).data)

    @extend_schema(
        operation_id="me_push_subscribe",
        tags=["accounts"],
        auth=PERSON_AUTH,
        request=PushSubscribeSerializer,
        responses={
            201: PushSubscriptionSerializer,
            200: OpenApiResponse(PushSubscriptionSerializer, description="The device was subscribed already: updated."),
            (400, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="Not a push subscription."),
            (422, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="idempotency-key-reused."),
        },
    )
    @idempotent
    def post(self, request: Request) -> Response:
        body = PushSubscribeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        subscription, created = actions.subscribe_push(
            person(request),
            endpoint=given["endpoint"],
            p256dh=given["keys"]["p256dh"],
            auth=given["keys"]["auth"],
            device=given.get("device", ""),
        )
        return Response(PushSubscriptionSerializer(subscription).data, status=201 if created else 200)


class PushSubscriptionView(APIView):
    """One of the person's devices: unsubscribing it."""

    permission_classes = [PersonAccess]
    person_scopes = {"DELETE": ["profile"]}

    @extend_schema(
        operation_id="me_push_unsubscribe",
        tags=["accounts"],
        auth=PERSON_AUTH,
        responses={
            204: OpenApiResponse(description="The device receives no more push notifications."),
            (404, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description="No such device of yours."),
        },
    )
    @idempotent
    def delete(self, request: Request, pk: int) -> Response:
        subscription = PushSubscription.objects.filter(pk=pk, user=person(request)).first()
        if subscription is None:
            raise Problem(404, "not-found", _("Nothing was found at this address."))
        actions.unsubscribe_push(subscription)
        return Response(status=204)
