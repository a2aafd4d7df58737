"""Every UI and error string has its French translation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*/LC_MESSAGES/django.po")), ids=lambda p: p.parts[-3])
def test_catalog_is_complete(po: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext (msgfmt) is needed to compile translations"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


MSGID = re.compile(r'^msgid "(.*)"$\n((?:^".*"$\n)*)', re.MULTILINE)


def msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    ids = set()
    for match in MSGID.finditer(text):
        continuation = "".join(line[1:-1] for line in match.group(2).splitlines())
        ids.add(match.group(1) + continuation)
    return ids - {""}


def test_catalog_has_every_string_of_the_code(tmp_path: Path) -> None:
    """makemessages on a copy of the code finds no string missing from the French catalog."""
    root = LOCALE.parents[1]
    shutil.copytree(root / "api", tmp_path / "api", ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests"))
    shutil.copy(root / "manage.py", tmp_path / "manage.py")
    shutil.copytree(root / "schema", tmp_path / "schema")
    env = {**os.environ, "GUICHET_ENV": "test", "GUICHET_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-location", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = msgids(tmp_path / "api" / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    committed = msgids(LOCALE / "fr" / "LC_MESSAGES" / "django.po")
    assert fresh - committed == set(), "run manage.py makemessages -l fr and translate the new strings"
