"""Serving the app and static files (WhiteNoise's finding and serving), on either side
of Django's handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

from .middleware import SyncAndAsyncMiddleware


class StaticFilesMiddleware(SyncAndAsyncMiddleware):
    """WhiteNoise's serving of the app and static files, on either side of Django's
    handler (WhiteNoise's own middleware is sync only, which made every request under
    daphne cross to a thread and back before reaching the rest of the chain). Finding
    a file is a dictionary look-up (a stat in development); the file is streamed by
    Django's handler."""

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        super().__init__(get_response)
        self.files = WhiteNoiseMiddleware(get_response)

    def before(self, request: HttpRequest) -> HttpResponse | None:
        files = self.files
        found = files.find_file(request.path_info) if files.autorefresh else files.files.get(request.path_info)
        return files.serve(found, request) if found is not None else None
