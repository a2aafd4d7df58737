from django.urls import path

from .agent import AgentProcedureListView
from .form_views import (
    ExportView,
    ImportView,
    ProcedureFormView,
    ProcedureValidateView,
    VersionDetailView,
    VersionDiffView,
    VersionListView,
)
from .views import CategoryListView, ProcedureDetailView, ProcedureListView

urlpatterns = [
    path("agent/procedures/", AgentProcedureListView.as_view(), name="agent-procedures"),
    path("procedures/", ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<slug:slug>/", ProcedureDetailView.as_view(), name="procedure-detail"),
    path("procedures/<slug:slug>/form/", ProcedureFormView.as_view(), name="procedure-form"),
    path("procedures/<slug:slug>/validate/", ProcedureValidateView.as_view(), name="procedure-validate"),
    path("procedures/<slug:slug>/versions/", VersionListView.as_view(), name="procedure-versions"),
    path("procedures/<slug:slug>/versions/<int:number>/", VersionDetailView.as_view(), name="procedure-version"),
    path(
        "procedures/<slug:slug>/versions/<int:base>/diff/<int:target>/",
        VersionDiffView.as_view(),
        name="procedure-version-diff",
    ),
    path("procedures/<slug:slug>/export/", ExportView.as_view(), name="procedure-export"),
    path("procedure-imports/", ImportView.as_view(), name="procedure-import"),
    path("categories/", CategoryListView.as_view(), name="category-list"),
]
