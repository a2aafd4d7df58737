from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemeConfig(AppConfig):
    name = "api.theme"
    label = "theme"
    verbose_name = _("Theme")

    def ready(self) -> None:
        from . import events  # noqa: F401 - declares the theme's event kinds
