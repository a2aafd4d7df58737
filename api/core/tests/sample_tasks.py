"""A task used by the worker test (the worker imports it by its dotted path)."""

from django_tasks import task


@task()
def add(a: int, b: int) -> int:
    return a + b
