"""Models inheritance: fields come from bases and mixins; Meta options do not."""

from __future__ import annotations

from typing import Any

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.fields import FloatField, IntField, StrField


class Mixin:
    value = IntField()


class Parent(Document):
    name = StrField()


class Child(Mixin, Parent):
    rate = FloatField()


class OtherChild(Child):
    value = FloatField()  # replaces the Mixin's IntField


class SubDoc(Mixin, EmbeddedDocument):
    pass


async def main(db: Any = None) -> None:
    """Show each class's fields (no database needed)."""
    for cls in (Parent, Child, OtherChild, SubDoc):
        fields = {name: type(field).__name__ for name, field in cls.meta.fields.items()}
        print(f"  {cls.__name__}: {fields}")
    assert list(Child.meta.fields) == ["name", "_id", "value", "rate"]
    assert isinstance(OtherChild.meta.fields["value"], FloatField)
    assert list(SubDoc.meta.fields) == ["value"]
    assert Child.meta.collection_name == "child"  # Meta options are not inherited


if __name__ == "__main__":
    from examples.connect import run

    run(main)
