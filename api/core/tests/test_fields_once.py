"""Serializers that build their fields once per class: each use still gets fields of
its own, bound to it (its context, its nested serializers), and prints the same."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from api.core.serializers import FieldsOnce


class Inner(FieldsOnce, serializers.Serializer[Any]):
    code = serializers.CharField()
    seen_by = serializers.SerializerMethodField()

    def get_seen_by(self, obj: Any) -> str:
        return str(self.context.get("reader", ""))


class Outer(FieldsOnce, serializers.Serializer[Any]):
    name = serializers.CharField(max_length=5)
    inner = Inner()
    tags = serializers.ListField(child=serializers.CharField(max_length=3))
    reader = serializers.SerializerMethodField()

    def get_reader(self, obj: Any) -> str:
        return str(self.context.get("reader", ""))


ROW = {"name": "abc", "inner": {"code": "x"}, "tags": ["a", "b"]}


def test_fields_are_built_once_per_class(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    original = serializers.Serializer.get_fields

    def counting(self: Any) -> Any:
        built.append(type(self).__name__)
        return original(self)

    monkeypatch.setattr(serializers.Serializer, "get_fields", counting)
    monkeypatch.delattr(Outer, "_fields_built", raising=False)
    monkeypatch.delattr(Inner, "_fields_built", raising=False)
    for _ in range(3):
        assert Outer(ROW).data["name"] == "abc"
    assert built == ["Outer", "Inner"]


def test_each_use_gets_fields_of_its_own_bound_to_it() -> None:
    first, second = Outer(ROW, context={"reader": "anne"}), Outer(ROW, context={"reader": "bob"})
    assert first.fields["name"] is not second.fields["name"]
    assert first.fields["inner"] is not second.fields["inner"]
    assert first.fields["tags"].child is not second.fields["tags"].child
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    # printed after both exist: each reads its own context, nested fields included
    assert (first.data["reader"], first.data["inner"]["seen_by"]) == ("anne", "anne")
    assert (second.data["reader"], second.data["inner"]["seen_by"]) == ("bob", "bob")


def test_validation_is_unchanged() -> None:
    class Plain(serializers.Serializer[Any]):
        name = serializers.CharField(max_length=5)
        tags = serializers.ListField(child=serializers.CharField(max_length=3))

    class Once(FieldsOnce, Plain):
        pass

    cases = [
        {"name": "abc", "tags": ["a"]},
        {"name": "abcdefg", "tags": ["abcd", 1]},
        {"tags": "nope"},
        {"name": None, "tags": [None]},
    ]
    for case in cases * 2:
        plain, once = Plain(data=case), Once(data=case)
        assert plain.is_valid() == once.is_valid()
        assert plain.errors == once.errors
        assert plain.validated_data == once.validated_data


@pytest.mark.django_db
def test_the_catalog_prints_as_before(catalog: Any) -> None:
    from api.catalog.api.serializers import ProcedureSerializer
    from api.catalog.models import Procedure

    for n in range(3):
        catalog(f"demarche-{n}", category=f"cat-{n % 2}", keywords=["un", "deux"][: n + 1])

    class Before(ProcedureSerializer):
        def get_fields(self) -> dict[str, Any]:
            return serializers.ModelSerializer.get_fields(self)

    procedures = list(Procedure.objects.select_related("category"))
    assert procedures
    assert ProcedureSerializer(procedures, many=True).data == Before(procedures, many=True).data
