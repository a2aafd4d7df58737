from django.urls import path

from .agent import AgentProcedureListView
from .views import MeView, MyDataView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/data/", MyDataView.as_view(), name="me-data"),
    path("agent/procedures/", AgentProcedureListView.as_view(), name="agent-procedures"),
]
