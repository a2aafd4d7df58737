"""ASGI entry point served by daphne: HTTP through Django, websockets through
channels (origins checked like CORS, the session read from its cookie)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

import django
from channels.routing import ProtocolTypeRouter, URLRouter

django.setup(set_prefix=False)

from api.core.handler import OneHopASGIHandler  # noqa: E402

# HTTP: the middleware chain and the view in one trip to a thread (decision 0022).
django_asgi_app = OneHopASGIHandler()

import gc  # noqa: E402

from django.conf import settings  # noqa: E402

if settings.GUICHET_WEB_GC:  # decision 0014: sockets' short-lived objects die young
    gc.set_threshold(*settings.GUICHET_WEB_GC)

from twisted.web import http as twisted_http  # noqa: E402 - daphne's HTTP server

# Twisted answers a bare, empty 400 to a request whose line and headers pass 16 KiB.
# The contract admits longer addresses (the agent inbox's field filters alone: 10
# values of 300 characters, up to 12 bytes each once percent-encoded), so the limit
# is what the contract can reach: such a request gets the app's own answer.
twisted_http.HTTPChannel.totalHeadersSize = settings.GUICHET_REQUEST_HEAD_LIMIT
twisted_http.HTTPChannel.MAX_LENGTH = settings.GUICHET_REQUEST_HEAD_LIMIT

from channels.auth import AuthMiddlewareStack  # noqa: E402 - Django must be set up first

from api.core.websocket import origin_checked, with_fallback  # noqa: E402
from api.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": origin_checked(AuthMiddlewareStack(URLRouter(with_fallback(websocket_urlpatterns)))),
    }
)
