"""The same fuzzing against real daphne servers in the other two settings profiles:
development (DEBUG on, as `make run` starts it) and production (strict settings,
generated secrets). Development mode must not leak Django's HTML debug pages, and
production must answer like the test profile does: no server error, nothing
outside the schema. Each profile gets its own migrated database with the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.devenv import rsa_private_key, vapid_keys
from conftest import ROOT, free_port, wait_for_port

EXAMPLES = 5


def profile_environment(profile: str, directory: Path, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "GUICHET_ENV": profile,
        "DATABASE_URL": f"sqlite:///{directory / 'guichet.sqlite3'}",
        "GUICHET_VAR_DIR": str(directory),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "fuzz-" + "k" * 60 if profile == "production" else "django-insecure-" + "d" * 50,
        "OIDC_RSA_PRIVATE_KEY": rsa_private_key(),
    }
    public, private = vapid_keys()
    env |= {"VAPID_PUBLIC_KEY": public, "VAPID_PRIVATE_KEY": private}
    for name in ("GUICHET_TEST_SQLITE", "REDIS_URL"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module", params=["development", "production"])
def profile_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp(request.param)
    port = free_port()
    env = profile_environment(request.param, directory, port)
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    log = directory / "daphne.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "api.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


# The committed contract, which is what every profile serves (tests/test_server.py checks it).
schema = schemathesis.openapi.from_path(ROOT / "schema" / "openapi.yaml")


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="configuration: its servers use databases of their own (SQLite); the embedded pass runs it",
)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_in_development_and_production(case: Any, profile_server: str) -> None:
    headers = {"Accept-Language": "fr"}
    if case.path.startswith("/api/auth/"):
        case.call_and_validate(base_url=profile_server, headers=headers, checks=[not_a_server_error])
        return
    case.call_and_validate(base_url=profile_server, headers=headers, excluded_checks=[positive_data_acceptance])
