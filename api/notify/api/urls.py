from django.urls import path

from .views import PushKeyView, PushTestView, WebhookDeliveriesView, WebhooksView, WebhookView

urlpatterns = [
    path("push/key/", PushKeyView.as_view(), name="push-key"),
    path("me/push-subscriptions/<int:pk>/test/", PushTestView.as_view(), name="me-push-test"),
    path("webhooks/", WebhooksView.as_view(), name="webhooks"),
    path("webhooks/<int:pk>/", WebhookView.as_view(), name="webhook"),
    path("webhooks/<int:pk>/deliveries/", WebhookDeliveriesView.as_view(), name="webhook-deliveries"),
]
