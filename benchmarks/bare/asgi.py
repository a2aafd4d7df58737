import os

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bare.settings"

from django.core.asgi import get_asgi_application

application = get_asgi_application()
