from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "api.core"
    label = "core"
    verbose_name = "Core"
