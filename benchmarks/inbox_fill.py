"""Adds COUNT requests to the browser tests' procedure (tests/browser/town.py's
"Suivi"), copies of its last sent request, half "received" and half "in progress",
one a minute back from now, from 1,000 citizens' accounts in turn (and every tenth
without one): the inbox benchmark's load (benchmarks/inbox_browser.mjs).
Run with the test server's environment: python benchmarks/inbox_fill.py COUNT."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "api.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from api.accounts.models import User, sort_name_of  # noqa: E402
from api.submissions.models import State, Submission  # noqa: E402

CITIZENS = 1000


def fill(count: int) -> int:
    model = (
        Submission.objects.filter(procedure__slug="suivi-navigateur").exclude(state=State.DRAFT).latest("submitted_at")
    )
    start = timezone.now() - timedelta(minutes=count + 1)
    first = Submission.objects.count()
    names = [(f"Prénom{n % 97}", f"Nom{n:04d}", f"usager{n}@example.org") for n in range(min(CITIZENS, count))]
    citizens = User.objects.bulk_create(
        User(username=f"usager-{first}-{n}", email=email, first_name=given, last_name=family,
             sort_name=sort_name_of(given, family, email, ""))
        for n, (given, family, email) in enumerate(names)
    )  # fmt: skip
    batch: list[Submission] = []
    for n in range(count):
        status = "received" if n % 2 else "in_progress"
        batch.append(
            Submission(
                procedure_id=model.procedure_id, version_id=model.version_id,
                workflow_version_id=model.workflow_version_id, role_id=model.role_id, state=State.SUBMITTED,
                status=status, citizen_status=status, data={"nom": f"Usager {n}"},
                reference=f"2025-{first + n:07d}", submitted_at=start + timedelta(minutes=n),
                owner=None if n % 10 == 0 else citizens[n % len(citizens)],
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    return Submission.objects.filter(procedure_id=model.procedure_id).exclude(state=State.DRAFT).count()


if __name__ == "__main__":
    print(json.dumps({"sent": fill(int(sys.argv[1]))}))
