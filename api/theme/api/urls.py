from django.urls import path, re_path

from .views import ThemeAssetUploadView, ThemeCssView, ThemeImportView, ThemeView, asset_file

urlpatterns = [
    path("theme/", ThemeView.as_view(), name="theme"),
    path("theme.css", ThemeCssView.as_view(), name="theme-css"),
    path("theme/import/", ThemeImportView.as_view(), name="theme-import"),
    path("theme/assets/", ThemeAssetUploadView.as_view(), name="theme-assets"),
    re_path(r"^theme/assets/(?P<sha256>[0-9a-f]{64})\.(?P<extension>[a-z0-9]{2,5})$", asset_file, name="theme-asset"),
]
