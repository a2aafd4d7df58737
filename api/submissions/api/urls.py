from django.urls import path

from .sync import EventSyncView
from .views import (
    DraftCheckView,
    DraftCreateView,
    HistoryView,
    MySubmissionsView,
    SubmissionView,
    SubmitView,
    TrackingView,
)

urlpatterns = [
    path("procedures/<slug:slug>/submissions/", DraftCreateView.as_view(), name="submission-create"),
    path("submissions/<uuid:pk>/", SubmissionView.as_view(), name="submission"),
    path("submissions/<uuid:pk>/submit/", SubmitView.as_view(), name="submission-submit"),
    path("submissions/<uuid:pk>/check/", DraftCheckView.as_view(), name="submission-check"),
    path("submissions/<uuid:pk>/history/", HistoryView.as_view(), name="submission-history"),
    path("me/submissions/", MySubmissionsView.as_view(), name="my-submissions"),
    path("tracking/", TrackingView.as_view(), name="tracking"),
    path("events/", EventSyncView.as_view(), name="events"),
]
