"""ASGI entry point served by daphne: HTTP through Django, websockets through
channels (origin-checked; routes arrive with the realtime capability)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter([])),
    }
)
