"""WSGI entry point, for tools that speak WSGI (the schema fuzzer); production uses ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")

application = get_wsgi_application()
