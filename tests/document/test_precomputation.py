"""Per-class tables built once by the metaclass: ``plain_names``, ``load_steps``, ``dump_steps``.

A field is "plain" when its value is stored as it is under its own name; every other
field has a load step and a dump step. Whatever the tables say, ``to_mongo`` and
``from_mongo`` must give the same result as converting every field one by one.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128, ObjectId

from aiomongodel.document import BaseDocument, Document, EmbeddedDocument
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
    SynonymField,
)
from tests.documents import assert_same_document


class Inner(EmbeddedDocument):
    value = IntField()


class Target(Document):
    pass


class Mixed(Document):
    text = StrField()
    email = EmailField()
    number = IntField()
    ratio = FloatField()
    flag = BoolField()
    at = DateTimeField()
    oid = ObjectIdField()
    anything = AnyField()
    ints = ListField(IntField())
    price = DecimalField()
    prices = ListField(DecimalField())
    nested_prices = ListField(ListField(DecimalField()))
    inner = EmbDocField(Inner)
    inners = ListField(EmbDocField(Inner))
    ref = RefField(Target)
    refs = ListField(RefField(Target))
    renamed = StrField(mongo_name="rn")
    renamed_list = ListField(IntField(), mongo_name="rl")
    alias = SynonymField(text)


PLAIN = {"_id", "text", "email", "number", "ratio", "flag", "at", "oid", "anything", "ints"}
CONVERTED = {"price", "prices", "nested_prices", "inner", "inners", "ref", "refs"}
RENAMED = {"renamed": "rn", "renamed_list": "rl"}


def reference_to_mongo(document: BaseDocument) -> dict[str, Any]:
    """``to_mongo`` computed field by field, without the tables."""
    fields = document.meta.fields
    return {
        fields[name].mongo_name: fields[name].to_mongo(value)
        for name, value in document.to_data().items()
    }


def reference_from_mongo(cls: type[BaseDocument], data: dict[str, Any]) -> dict[str, Any]:
    """The data ``from_mongo`` should give, computed field by field."""
    return {
        name: field.from_mongo(data[field.mongo_name])
        for name, field in cls.meta.fields.items()
        if field.mongo_name in data
    }


class TestTables:
    def test_plain_names_are_the_unconverted_unrenamed_fields(self) -> None:
        assert Mixed.meta.plain_names == PLAIN

    @pytest.mark.parametrize("name", sorted(CONVERTED))
    def test_converting_fields_are_never_plain(self, name: str) -> None:
        meta = Mixed.meta
        assert name not in meta.plain_names
        mongo_name, to_mongo = meta.dump_steps[name]
        assert mongo_name == name
        assert to_mongo is not None
        load = {field_name: (key, convert) for key, field_name, convert in meta.load_steps}
        assert load[name][0] == name
        assert load[name][1] is not None

    @pytest.mark.parametrize(("name", "mongo_name"), sorted(RENAMED.items()))
    def test_renamed_fields_are_not_plain_but_need_no_conversion(
        self, name: str, mongo_name: str
    ) -> None:
        meta = Mixed.meta
        assert name not in meta.plain_names
        assert meta.dump_steps[name] == (mongo_name, None)
        assert (mongo_name, name, None) in meta.load_steps

    def test_every_field_is_plain_or_has_steps(self) -> None:
        meta = Mixed.meta
        stepped = {name for _, name, _ in meta.load_steps}
        assert stepped == set(meta.dump_steps)
        assert stepped.isdisjoint(meta.plain_names)
        assert stepped | meta.plain_names == set(meta.fields)

    def test_load_steps_follow_the_field_order(self) -> None:
        order = list(Mixed.meta.fields)
        stepped = [name for _, name, _ in Mixed.meta.load_steps]
        assert stepped == sorted(stepped, key=order.index)

    def test_synonyms_are_not_in_the_tables(self) -> None:
        meta = Mixed.meta
        assert "alias" not in meta.plain_names
        assert "alias" not in meta.dump_steps

    def test_a_class_of_plain_fields_has_no_steps(self) -> None:
        class Simple(Document):
            name = StrField()
            tags = ListField(StrField())

        assert Simple.meta.plain_names == {"_id", "name", "tags"}
        assert Simple.meta.load_steps == ()
        assert Simple.meta.dump_steps == {}

    def test_tables_are_per_class(self) -> None:
        class Base(EmbeddedDocument):
            amount = IntField()
            label = StrField()

        class Derived(Base):
            amount = DecimalField()  # type: ignore[assignment]

        class Renaming(Base):
            label = StrField(mongo_name="l")

        assert Base.meta.plain_names == {"amount", "label"}
        assert Derived.meta.plain_names == {"label"}
        assert "amount" in Derived.meta.dump_steps
        assert Renaming.meta.plain_names == {"amount"}
        assert Renaming.meta.dump_steps == {"label": ("l", None)}
        assert Base.meta.dump_steps == {}

    def test_a_custom_field_that_converts_is_not_plain(self) -> None:
        class Upper(EmbeddedDocument):
            code = UpperCaseField()
            codes = ListField(UpperCaseField())

        assert Upper.meta.plain_names == set()
        document = Upper(code="abc", codes=["x", "y"])
        assert document.to_mongo() == {"code": "ABC", "codes": ["X", "Y"]}
        loaded = Upper.from_mongo({"code": "ABC", "codes": ["X"]})
        assert loaded.to_data() == {"code": "abc", "codes": ["x"]}


class UpperCaseField(StrField):
    """A field of the application's own, stored in upper case."""

    def to_mongo(self, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    def from_mongo(self, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value


def full_mixed() -> Mixed:
    return Mixed(
        text="t",
        email="a@b.cd",
        number=1,
        ratio=0.5,
        flag=True,
        at=datetime(2020, 1, 2, 3, 4, 5),
        oid=ObjectId(),
        anything={"k": "v"},
        ints=[1, 2],
        price="1.5",
        prices=["2.5", "3"],
        nested_prices=[["4"], []],
        inner={"value": 1},
        inners=[{"value": 2}],
        ref=ObjectId(),
        refs=[ObjectId()],
        renamed="r",
        renamed_list=[7],
    )


class TestTablesAgreeWithTheFields:
    def test_to_mongo_equals_field_by_field_conversion(self) -> None:
        document = full_mixed()
        assert document.validate() is document
        mongo = document.to_mongo()
        assert mongo == reference_to_mongo(document)
        assert mongo["price"] == Decimal128("1.5")
        assert mongo["nested_prices"] == [[Decimal128("4")], []]
        assert mongo["rn"] == "r"
        assert mongo["rl"] == [7]

    def test_to_mongo_of_partial_documents(self) -> None:
        for name in Mixed.meta.fields:
            document = Mixed(_empty=True)
            setattr(document, name, getattr(full_mixed(), name))
            assert document.to_mongo() == reference_to_mongo(document)

    def test_from_mongo_equals_field_by_field_conversion(self) -> None:
        mongo = full_mixed().to_mongo()
        loaded = Mixed.from_mongo(mongo)
        assert_same_document(loaded.to_data(), reference_from_mongo(Mixed, mongo))
        assert loaded.price == Decimal("1.5")
        assert loaded.renamed == "r"
        assert_same_document(loaded.inners, [Inner(value=2)])

    def test_from_mongo_of_partial_data(self) -> None:
        mongo = full_mixed().to_mongo()
        for key in mongo:
            partial = {key: mongo[key], "unknown": 1}
            assert_same_document(
                Mixed.from_mongo(partial).to_data(), reference_from_mongo(Mixed, partial)
            )

    def test_field_name_of_a_renamed_field_is_not_read_from_mongo(self) -> None:
        loaded = Mixed.from_mongo({"renamed": "wrong key", "renamed_list": [1]})
        assert loaded.to_data() == {}

    def test_plain_class_fast_path_ignores_unknown_keys(self) -> None:
        class Simple(EmbeddedDocument):
            a = IntField()
            b = StrField()

        assert Simple.from_mongo({"a": 1, "zzz": 2}).to_data() == {"a": 1}
        assert Simple.from_mongo({"a": 1, "b": "x"}).to_data() == {"a": 1, "b": "x"}

    def test_swapped_mongo_names(self) -> None:
        class Swapped(EmbeddedDocument):
            a = IntField(mongo_name="b")
            b = IntField(mongo_name="a")

        document = Swapped(a=1, b=2)
        assert document.to_mongo() == {"b": 1, "a": 2}
        assert_same_document(Swapped.from_mongo({"b": 1, "a": 2}), document)
