"""Settings come from the environment; production refuses development secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
STRONG = "k" * 20 + "Zq8#mP2!vX9@rT4$wL7%nB1^cF6&hJ3*"


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "SECRET_KEY", "VAPID_", "DEBUG"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "api.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "secret",
    ["", "django-insecure-" + "x" * 60, "short-but-not-a-dev-key"],
    ids=["missing", "dev-secret", "too-short"],
)
def test_production_refuses_missing_or_dev_secret(secret: str) -> None:
    result = load_settings(GUICHET_ENV="production", SECRET_KEY=secret, VAPID_PUBLIC_KEY="p", VAPID_PRIVATE_KEY="k")
    assert result.returncode != 0
    assert "Production needs SECRET_KEY" in result.stderr


def test_production_refuses_debug_and_missing_vapid_keys() -> None:
    debug = load_settings(
        GUICHET_ENV="production", SECRET_KEY=STRONG, DEBUG="true", VAPID_PUBLIC_KEY="p", VAPID_PRIVATE_KEY="k"
    )
    assert "DEBUG must stay off in production" in debug.stderr
    no_vapid = load_settings(GUICHET_ENV="production", SECRET_KEY=STRONG)
    assert "VAPID_PUBLIC_KEY" in no_vapid.stderr


def test_production_starts_with_a_real_secret_and_secure_cookies() -> None:
    result = load_settings(GUICHET_ENV="production", SECRET_KEY=STRONG, VAPID_PUBLIC_KEY="p", VAPID_PRIVATE_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    check = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SECURE_HSTS_SECONDS, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], s.GUICHET_AGENT_MFA_REQUIRED)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GUICHET_", "SECRET_KEY", "VAPID_", "DEBUG"))}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "api.settings", "GUICHET_ENV": "production", "SECRET_KEY": STRONG,
           "VAPID_PUBLIC_KEY": "p", "VAPID_PRIVATE_KEY": "k"}  # fmt: skip
    out = subprocess.run([sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "Lax", "31536000", "Argon2PasswordHasher", "True"]


def test_development_needs_the_generated_env_file() -> None:
    result = load_settings(GUICHET_ENV="development")
    assert result.returncode != 0
    assert "var/dev.env" in result.stderr


def test_devenv_generates_once(tmp_path: Path) -> None:
    target = tmp_path / "dev.env"
    subprocess.run([sys.executable, "-m", "api.devenv", str(target)], cwd=ROOT, check=True, capture_output=True)
    first = target.read_text()
    subprocess.run([sys.executable, "-m", "api.devenv", str(target)], cwd=ROOT, check=True, capture_output=True)
    assert target.read_text() == first
    values = dict(line.split("=", 1) for line in first.splitlines() if "=" in line and not line.startswith("#"))
    assert values["GUICHET_ENV"] == "development"
    assert values["SECRET_KEY"].startswith("django-insecure-") and len(values["SECRET_KEY"]) > 60
    assert len(values["VAPID_PUBLIC_KEY"]) == 87  # 65-byte uncompressed P-256 point, base64url
    dev = load_settings(**values)
    assert dev.returncode == 0, dev.stderr
    assert dev.stdout.strip() == "True"
