from django.urls import path

from .jobs import BulkView, DeskEntryView, ExportView, JobFileView, JobView, StatisticsView
from .saved import SavedViewsView, SavedViewView
from .views import AgentRequestView, AssignmentView, InboxView, TakeView

urlpatterns = [
    path("agent/requests/", InboxView.as_view(), name="agent-requests"),
    path("agent/requests/<uuid:pk>/", AgentRequestView.as_view(), name="agent-request"),
    path("agent/requests/<uuid:pk>/actions/", TakeView.as_view(), name="agent-request-act"),
    path("agent/requests/<uuid:pk>/assignment/", AssignmentView.as_view(), name="agent-request-assign"),
    path("agent/procedures/<slug:slug>/requests/", DeskEntryView.as_view(), name="agent-request-enter"),
    path("agent/bulk/", BulkView.as_view(), name="agent-bulk"),
    path("agent/exports/", ExportView.as_view(), name="agent-exports"),
    path("agent/jobs/<uuid:pk>/", JobView.as_view(), name="agent-job"),
    path("agent/jobs/<uuid:pk>/file/", JobFileView.as_view(), name="agent-job-file"),
    path("agent/statistics/", StatisticsView.as_view(), name="agent-statistics"),
    path("agent/views/", SavedViewsView.as_view(), name="agent-views"),
    path("agent/views/<uuid:pk>/", SavedViewView.as_view(), name="agent-view"),
]
