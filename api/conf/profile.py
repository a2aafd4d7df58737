"""Where Guichet runs: the environment it reads, its folders, and its profile
(GUICHET_ENV). Shared by api/settings.py and the settings modules of api/conf/."""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(env.str("GUICHET_VAR_DIR", default=str(BASE_DIR / "var")))
PWA_DIST_DIR = Path(env.str("GUICHET_PWA_DIST", default=str(BASE_DIR / "pwa" / "dist")))

GUICHET_ENV = env.str("GUICHET_ENV", default="production")
if GUICHET_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"GUICHET_ENV must be production, development or test, not {GUICHET_ENV!r}.")
PRODUCTION = GUICHET_ENV == "production"
