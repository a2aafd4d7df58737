from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "api.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import stored_text  # noqa: F401 - registers the database check
