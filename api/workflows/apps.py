from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "api.workflows"
    label = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from . import events  # noqa: F401 - declares the workflows' event kinds
