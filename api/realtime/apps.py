from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "api.realtime"
    label = "realtime"
    verbose_name = _("Realtime")

    def ready(self) -> None:
        from api.core.events import KINDS, Audience, subscribe

        from .publish import on_event
        from .streams import LOGS

        # Every kind of the requests' and jobs' logs that someone besides the audit trail reads.
        kinds = [
            name for name, kind in KINDS.items() if kind.model in LOGS.values() and kind.audience != Audience.INTERNAL
        ]
        subscribe("realtime", on_event, kinds=kinds)
