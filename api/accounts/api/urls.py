from django.urls import path

from .views import MeView, MyDataView, PushSubscriptionsView, PushSubscriptionView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/data/", MyDataView.as_view(), name="me-data"),
    path("me/push-subscriptions/", PushSubscriptionsView.as_view(), name="me-push-subscriptions"),
    path("me/push-subscriptions/<int:pk>/", PushSubscriptionView.as_view(), name="me-push-subscription"),
]
