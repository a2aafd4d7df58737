"""Fixtures shared by the cross-cutting tests."""

from tests.test_permission_matrix import world  # noqa: F401 - the permission and scope matrices share one world
