"""ASGI entry point served by daphne: HTTP through Django, websockets through
channels (origins checked like CORS; routes arrive with the realtime capability)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from api.core.websocket import origin_checked, with_fallback  # noqa: E402 - Django must be set up first

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": origin_checked(URLRouter(with_fallback([]))),
    }
)
