from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "api.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from api.core.events import subscribe

        from .fanout import KINDS, fan_out

        # Durable: written with the event, handed over by the worker, never lost.
        subscribe("notify", fan_out, kinds=KINDS, durable=True)
