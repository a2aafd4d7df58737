from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "api.submissions"
    label = "submissions"
    verbose_name = _("Submissions")

    def ready(self) -> None:
        from . import events, signals  # noqa: F401 - declares event kinds, connects the receivers
