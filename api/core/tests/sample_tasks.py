"""A task used by the worker test (the worker imports it by its dotted path)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b


@task()
def failing_sweep() -> None:
    """A periodic task that fails (registered by the periodic tests themselves)."""
    from api.core import periodic

    try:
        raise RuntimeError("the sweep failed")
    finally:
        periodic.again(failing_sweep.module_path)
