from django.urls import path

from .views import MeView, MyDataView

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("me/data/", MyDataView.as_view(), name="me-data"),
]
