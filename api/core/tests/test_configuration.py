"""The scaled configuration is chosen by environment variables alone."""

import os

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection


@pytest.mark.skipif(not os.environ.get("GUICHET_EXPECT_SCALED"), reason="configuration: CI's PostgreSQL+Redis pass")
def test_ci_second_pass_really_runs_on_postgresql_and_redis() -> None:
    assert connection.vendor == "postgresql"
    assert type(get_channel_layer()).__module__ == "channels_redis.core"
    assert settings.CACHES["default"]["BACKEND"] == "api.core.cache.SharedRedisCache"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="configuration: runs on the embedded default")
def test_embedded_default_is_sqlite_and_in_memory_layer() -> None:
    assert connection.vendor == "sqlite"
    assert type(get_channel_layer()).__name__ == "InMemoryChannelLayer"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
