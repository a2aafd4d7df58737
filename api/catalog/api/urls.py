from django.urls import path

from .views import CategoryListView, ProcedureDetailView, ProcedureListView

urlpatterns = [
    path("procedures/", ProcedureListView.as_view(), name="procedure-list"),
    path("procedures/<slug:slug>/", ProcedureDetailView.as_view(), name="procedure-detail"),
    path("categories/", CategoryListView.as_view(), name="category-list"),
]
