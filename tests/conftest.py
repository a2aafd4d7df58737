"""Fixtures shared by the cross-cutting tests."""

from api.realtime.tests.conftest import town  # noqa: F401 - the realtime tests' small town, served live here
from tests.test_permission_matrix import world  # noqa: F401 - the permission and scope matrices share one world
