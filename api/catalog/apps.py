from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "api.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from . import events  # noqa: F401 - declares the catalog's event kinds
