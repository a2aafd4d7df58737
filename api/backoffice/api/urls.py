from django.urls import path

from .views import AgentRequestView, AssignmentView, InboxView, TakeView

urlpatterns = [
    path("agent/requests/", InboxView.as_view(), name="agent-requests"),
    path("agent/requests/<uuid:pk>/", AgentRequestView.as_view(), name="agent-request"),
    path("agent/requests/<uuid:pk>/actions/", TakeView.as_view(), name="agent-request-act"),
    path("agent/requests/<uuid:pk>/assignment/", AssignmentView.as_view(), name="agent-request-assign"),
]
