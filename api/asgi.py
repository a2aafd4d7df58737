"""ASGI entry point served by daphne: HTTP through Django, websockets through
channels (origins checked like CORS, the session read from its cookie)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

import gc  # noqa: E402

from django.conf import settings  # noqa: E402

if settings.GUICHET_WEB_GC:  # decision 0014: sockets' short-lived objects die young
    gc.set_threshold(*settings.GUICHET_WEB_GC)

from channels.auth import AuthMiddlewareStack  # noqa: E402 - Django must be set up first

from api.core.websocket import origin_checked, with_fallback  # noqa: E402
from api.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": origin_checked(AuthMiddlewareStack(URLRouter(with_fallback(websocket_urlpatterns)))),
    }
)
