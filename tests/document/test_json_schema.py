"""The ``$jsonSchema`` a document class gives (``Model.meta.json_schema()``), in memory.

These run where only the fields and document distributions are installed: the schema
needs no driver. What the server makes of the schemas is in tests/queryset.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128

from aiomongodel.constraints import Constraint
from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import (
    AnyField,
    DecimalField,
    EmailField,
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    RefField,
    StrField,
)
from aiomongodel.json_schema import (
    JsonSchemaError,
    SchemaBuilder,
    field_schema,
    regex_pattern,
    validator_options,
)


def bound(field: Field[Any], name: str = "value") -> Field[Any]:
    field.__set_name__(object, name)
    return field


class Address(EmbeddedDocument):
    city = StrField()


class Person(Document):
    name = StrField(mongo_name="n", max_length=20)
    nickname = StrField(required=False, allow_none=True)
    address = EmbDocField(Address, required=False)

    class Meta:
        collection = "people"


class TestDocument:
    def test_object_with_required_fields_by_mongo_name(self) -> None:
        assert Person.meta.json_schema() == {
            "title": "Person",
            "bsonType": "object",
            "required": ["n", "_id"],
            "properties": {
                "n": {"bsonType": "string", "minLength": 1, "maxLength": 20},
                "nickname": {"bsonType": ["string", "null"], "minLength": 1},
                "address": {
                    "bsonType": "object",
                    "required": ["city"],
                    "properties": {"city": {"bsonType": "string", "minLength": 1}},
                },
                "_id": {"bsonType": "objectId"},
            },
        }

    def test_unknown_keys_are_allowed_unless_refused(self) -> None:
        assert "additionalProperties" not in Person.meta.json_schema()
        schema = Person.meta.json_schema(additional_properties=False)
        assert schema["additionalProperties"] is False
        assert schema["properties"]["address"]["additionalProperties"] is False

    def test_embedded_document_class_schema(self) -> None:
        assert Address.meta.json_schema()["required"] == ["city"]

    def test_the_version_field_is_an_integer(self) -> None:
        class Locked(Document):
            class Meta:
                collection = "locked"
                version_field = "v"

        assert Locked.meta.json_schema()["properties"]["v"] == {"bsonType": ["int", "long"]}

    def test_embedded_subclasses_are_valid_by_their_own_rules(self) -> None:
        class Base(EmbeddedDocument):
            kind = StrField()

        class Loose(Base):
            kind = StrField(required=False)

        class Holder(Document):
            item = EmbDocField(Base)

        item = Holder.meta.json_schema()["properties"]["item"]
        assert item == {
            "bsonType": "object",
            "anyOf": [
                {
                    "bsonType": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"bsonType": "string", "minLength": 1}},
                },
                {
                    "bsonType": "object",
                    "properties": {"kind": {"bsonType": "string", "minLength": 1}},
                },
            ],
        }

    def test_a_recursive_embedded_document_stops_at_the_repetition(self) -> None:
        children = Node.meta.json_schema()["properties"]["children"]
        assert children == {"bsonType": "array", "items": {"bsonType": "object"}}

        class Tree(Document):
            root = EmbDocField(Node)

        root = Tree.meta.json_schema()["properties"]["root"]
        assert root["required"] == ["children"]
        assert root["properties"]["children"] == children

    def test_a_class_path_that_cannot_be_imported_is_named(self) -> None:
        class Broken(Document):
            other = RefField("tests.document.nowhere.Other")

        with pytest.raises(JsonSchemaError, match=r"^Broken\.other: "):
            Broken.meta.json_schema()


class Node(EmbeddedDocument):
    children = ListField(EmbDocField("tests.document.test_json_schema.Node"), default=list)


class TestTypes:
    @pytest.mark.parametrize(
        ("field", "bson_type"),
        [
            (StrField(allow_blank=True), "string"),
            (IntField(), ["int", "long"]),
            (FloatField(), "double"),
            (DecimalField(), "decimal"),
            (Field(field_type=bytes), "binData"),
            (Field(field_type=(str, int)), ["string", "int", "long"]),
        ],
    )
    def test_stored_types(self, field: Field[Any], bson_type: Any) -> None:
        assert field_schema(bound(field)) == {"bsonType": bson_type}

    def test_a_type_without_bson_type_checks_only_null(self) -> None:
        assert field_schema(bound(Field(field_type=complex))) == {"not": {"bsonType": "null"}}

    def test_any_field(self) -> None:
        assert field_schema(bound(AnyField())) == {"not": {"bsonType": "null"}}
        assert field_schema(bound(AnyField(allow_none=True))) == {}

    def test_reference_is_the_referenced_id(self) -> None:
        class Tag(Document):
            _id = StrField(max_length=8)

        field = bound(RefField(Tag, allow_none=True))
        assert field_schema(field) == {
            "bsonType": ["string", "null"],
            "minLength": 1,
            "maxLength": 8,
        }


class TestRules:
    def test_choices_as_stored(self) -> None:
        field = bound(DecimalField(choices=[Decimal("2"), Decimal("1.5")], allow_none=True))
        assert field_schema(field) == {
            "bsonType": ["decimal", "null"],
            "enum": [Decimal128("1.5"), Decimal128("2"), None],
        }

    def test_choices_mongodb_cannot_hold_are_left_out(self) -> None:
        field = bound(Field(choices=["a", object()]))
        assert field_schema(field) == {"enum": ["a"]}

    def test_no_storable_choice_refuses_every_value(self) -> None:
        assert field_schema(bound(Field(choices=[object()]))) == {"not": {}}

    def test_allowed_blank_skips_the_lengths(self) -> None:
        field = bound(StrField(allow_blank=True, min_length=3))
        assert field_schema(field) == {
            "bsonType": "string",
            "anyOf": [{"enum": [""]}, {"minLength": 3}],
        }

    def test_lengths_that_are_always_or_never_met(self) -> None:
        assert field_schema(bound(ListField(IntField(), min_length=-1))) == {
            "bsonType": "array",
            "items": {"bsonType": ["int", "long"]},
        }
        assert field_schema(bound(ListField(IntField(), max_length=-1))) == {
            "bsonType": "array",
            "not": {},
        }

    def test_list_lengths_and_items(self) -> None:
        field = bound(ListField(IntField(allow_none=True), min_length=1, max_length=3))
        assert field_schema(field) == {
            "bsonType": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {"bsonType": ["int", "long", "null"]},
        }

    def test_bounds(self) -> None:
        field = bound(IntField(gt=0, lte=10))
        assert field_schema(field) == {
            "bsonType": ["int", "long"],
            "maximum": 10,
            "minimum": 0,
            "exclusiveMinimum": True,
        }

    def test_float_nan_passes_the_bounds(self) -> None:
        schema = field_schema(bound(FloatField(gte=0, lt=1)))
        nan, bounds = schema["anyOf"]
        assert math.isnan(nan["enum"][0])
        assert bounds == {"minimum": 0, "maximum": 1, "exclusiveMaximum": True}

    def test_bounds_beyond_64_bits(self) -> None:
        assert field_schema(bound(FloatField(lte=2**70)))["anyOf"][1] == {"maximum": 2.0**70}
        # No double equals it: the bound is left out (the schema is laxer).
        assert field_schema(bound(IntField(lte=2**70 + 1))) == {"bsonType": ["int", "long"]}

    def test_decimal_bounds(self) -> None:
        field = bound(DecimalField(gte=Decimal("0.5")))
        assert field_schema(field) == {"bsonType": "decimal", "minimum": Decimal128("0.5")}

    def test_a_bound_on_another_object_is_left_out(self) -> None:
        class Limit:
            def __gt__(self, other: Any) -> bool:
                return False

            def __lt__(self, other: Any) -> bool:
                return False

        assert field_schema(bound(IntField(gte=Limit()))) == {"bsonType": ["int", "long"]}

    def test_email(self) -> None:
        schema = field_schema(bound(EmailField()))
        assert schema["pattern"] == regex_pattern(EmailField.EMAIL_REGEX)


class TestPatterns:
    def test_anchored_at_the_start_with_unicode_classes(self) -> None:
        assert regex_pattern(re.compile(r"\d+")) == r"(*UCP)\A(?:\d+)"

    def test_flags(self) -> None:
        assert regex_pattern(re.compile("a", re.I | re.S | re.A)) == r"(?is)\A(?:a)"
        assert regex_pattern(re.compile("a # letter", re.X)) == "(*UCP)(?x)\\A(?:a # letter\n)"

    def test_global_inline_flags_become_flags(self) -> None:
        assert regex_pattern(re.compile(r"(?a)(?i)\w")) == r"(?i)\A(?:\w)"

    def test_python_escapes_of_code_points(self) -> None:
        pattern = re.compile(r"\u00e9\U0001F600\N{EM DASH}\\u")
        assert regex_pattern(pattern) == r"(*UCP)\A(?:\x{00e9}\x{0001F600}\x{2014}\\u)"

    def test_python_end_of_string(self) -> None:
        assert regex_pattern(re.compile(r"a\Z")) == r"(*UCP)\A(?:a\z)"
        assert regex_pattern(re.compile(r"a\\Z")) == r"(*UCP)\A(?:a\\Z)"


class Checked(Constraint):
    """A rule the server knows nothing of."""

    def check(self, field: Field[Any], value: Any) -> None:
        if value == "forbidden":
            field.fail("type")


class Custom(StrField):
    def _value_constraints(self) -> Iterator[Constraint]:
        yield Checked()
        yield from super()._value_constraints()


class OwnValidate(StrField):
    def validate(self, value: Any) -> None:
        pass


class TestWhatTheServerCannotCheck:
    def test_a_custom_constraint_ends_the_schema(self) -> None:
        # Its checks may stop validation: the rules after it are left out too.
        assert field_schema(bound(Custom(max_length=3))) == {"bsonType": "string"}

    def test_a_custom_constraint_can_give_its_schema(self) -> None:
        class Known(Checked):
            def json_schema(self, field: Any, builder: Any, rest: Any) -> dict[str, Any]:
                return {"not": {"enum": ["forbidden"]}, **rest}

        class WithKnown(StrField):
            def _value_constraints(self) -> Iterator[Constraint]:
                yield Known()

        assert field_schema(bound(WithKnown())) == {
            "bsonType": "string",
            "not": {"enum": ["forbidden"]},
        }

    def test_a_field_with_its_own_validate_is_anything_and_optional(self) -> None:
        class Free(Document):
            name = OwnValidate()

        schema = Free.meta.json_schema()
        assert schema["properties"]["name"] == {}
        assert schema["required"] == ["_id"]


class TestStrict:
    def test_what_is_left_out_is_named(self) -> None:
        class Loose(Document):
            code = Custom(max_length=3)
            free = OwnValidate(required=False)
            tree = EmbDocField(Node, required=False)
            tags = ListField(Field(field_type=complex))

        builder = SchemaBuilder()
        builder.class_schema(Loose)
        assert builder.left_out == [
            "Loose.code: the server cannot check Checked()",
            "Loose.free: OwnValidate has its own validate()",
            "Node.children: Node within itself is only checked to be an object",
            "Loose.tags: the server cannot check TypeCheck(types=<class 'complex'>)",
        ]
        with pytest.raises(JsonSchemaError) as info:
            Loose.meta.json_schema(strict=True)
        message = str(info.value)
        assert message.startswith("Loose: the server cannot check every rule: Loose.code: ")
        assert "Loose.free: OwnValidate has its own validate()" in message

    def test_nothing_left_out(self) -> None:
        assert Person.meta.json_schema(strict=True) == Person.meta.json_schema()


class TestValidatorOptions:
    def test_options(self) -> None:
        assert validator_options({"bsonType": "object"}, "moderate", "warn") == {
            "validator": {"$jsonSchema": {"bsonType": "object"}},
            "validationLevel": "moderate",
            "validationAction": "warn",
        }
        assert validator_options(None, "off") == {"validationLevel": "off"}

    def test_a_schema_is_a_mapping(self) -> None:
        with pytest.raises(TypeError, match="mapping"):
            validator_options("yes")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("level", "action"), [("lax", None), (None, "ignore"), ("Strict", None)]
    )
    def test_unknown_values(self, level: Any, action: Any) -> None:
        with pytest.raises(ValueError, match="must be one of"):
            validator_options({}, level, action)
