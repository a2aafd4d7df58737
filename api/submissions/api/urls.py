from django.urls import path

from .attachments import AttachmentLinkView, AttachmentUploadView, AttachmentView, SignedDownloadView
from .messages import CorrectionView, MessagesView
from .sync import EventSyncView
from .uploads import UploadCreateView, UploadView
from .views import (
    DraftCheckView,
    DraftCreateView,
    HistoryView,
    MySubmissionsView,
    SubmissionFormView,
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
    path("submissions/<uuid:pk>/form/", SubmissionFormView.as_view(), name="submission-form"),
    path("me/submissions/", MySubmissionsView.as_view(), name="my-submissions"),
    path("tracking/", TrackingView.as_view(), name="tracking"),
    path("events/", EventSyncView.as_view(), name="events"),
    path("submissions/<uuid:pk>/messages/", MessagesView.as_view(), name="messages"),
    path("submissions/<uuid:pk>/corrections/", CorrectionView.as_view(), name="corrections"),
    path("submissions/<uuid:pk>/attachments/", AttachmentUploadView.as_view(), name="attachment-upload"),
    path("attachments/<uuid:pk>/", AttachmentView.as_view(), name="attachment"),
    path("submissions/<uuid:pk>/uploads/", UploadCreateView.as_view(), name="upload-create"),
    path("uploads/<uuid:pk>/", UploadView.as_view(), name="upload"),
    path("attachments/<uuid:pk>/link/", AttachmentLinkView.as_view(), name="attachment-link"),
    path("attachments/<uuid:pk>/signed/", SignedDownloadView.as_view(), name="attachment-signed"),
]
