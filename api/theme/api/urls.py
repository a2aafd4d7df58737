from django.urls import path

from .views import ThemeCssView, ThemeView

urlpatterns = [
    path("theme/", ThemeView.as_view(), name="theme"),
    path("theme.css", ThemeCssView.as_view(), name="theme-css"),
]
