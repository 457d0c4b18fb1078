"""Every documented argument and behaviour of the fields, without documents.

Only ``aiomongodel-fields`` is installed where this runs: no ``aiomongodel.document`` here.
Class-level behaviour (``__set_name__``, ``s``) is exercised on plain classes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128, ObjectId

from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    StrField,
)
from aiomongodel.utils import _Empty

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


def error_of(field: Field[Any], value: Any) -> Any:
    """The rendered error of ``field.validate(value)``; fails the test if it passes."""
    with pytest.raises(ValidationError) as info:
        field.validate(value)
    return info.value.as_dict()


def check(field: Field[Any], value: Any) -> Any:
    """Run ``from_data`` then ``validate``, as a document does; return the value."""
    converted = field.from_data(value)
    field.validate(converted)
    return converted


# Field: required, default, names, allow_none, choices -------------------------------


class TestRequired:
    def test_required_by_default(self) -> None:
        assert Field().required is True
        assert error_of(Field(), _Empty) == "field is required"

    def test_not_required_accepts_missing_value(self) -> None:
        field = StrField(required=False)
        assert field.required is False
        field.validate(_Empty)

    def test_not_required_still_validates_given_values(self) -> None:
        assert error_of(StrField(required=False), 1) == "invalid value type"
        assert error_of(StrField(required=False), None) == "none value is not allowed"


class TestDefault:
    def test_no_default(self) -> None:
        assert Field().default is _Empty

    def test_value_default(self) -> None:
        assert IntField(default=5).default == 5

    def test_falsy_defaults_are_defaults(self) -> None:
        assert IntField(default=0).default == 0
        assert StrField(default="", allow_blank=True).default == ""
        assert BoolField(default=False).default is False

    def test_callable_default_is_called_on_every_use(self) -> None:
        calls = []

        def make() -> list[int]:
            calls.append(1)
            return []

        field = ListField(IntField(), default=make)
        first, second = field.default, field.default
        assert first == []
        assert second == []
        assert first is not second
        assert len(calls) == 2

    def test_class_as_callable_default(self) -> None:
        field = ObjectIdField(default=ObjectId)
        first, second = field.default, field.default
        assert isinstance(first, ObjectId)
        assert first != second

    def test_default_ignored_if_field_is_not_required(self) -> None:
        assert StrField(required=False, default="x").default is _Empty

        def make() -> str:
            raise AssertionError("default of a field that is not required was called")

        assert StrField(required=False, default=make).default is _Empty


class TestNames:
    def test_mongo_name_defaults_to_name(self) -> None:
        field = StrField(name="title")
        assert field.name == "title"
        assert field.mongo_name == "title"
        assert field.s == "title"

    def test_explicit_mongo_name(self) -> None:
        field = StrField(name="title", mongo_name="t")
        assert field.name == "title"
        assert field.mongo_name == "t"
        assert field.s == "t"

    def test_name_is_set_from_the_class_attribute(self) -> None:
        class Holder:
            title = StrField()
            author = StrField(mongo_name="user")

        assert Holder.title.name == "title"
        assert Holder.title.mongo_name == "title"
        assert Holder.title.s == "title"
        assert Holder.author.name == "author"
        assert Holder.author.s == "user"

    def test_class_attribute_is_the_field_itself(self) -> None:
        field = IntField()

        class Holder:
            value = field

        assert Holder.value is field

    def test_list_field_name(self) -> None:
        class Holder:
            tags = ListField(StrField(), mongo_name="t")

        assert Holder.tags.name == "tags"
        assert Holder.tags.s == "t"


class TestAllowNone:
    @pytest.mark.parametrize(
        "field_class",
        [
            Field,
            AnyField,
            StrField,
            EmailField,
            IntField,
            FloatField,
            DecimalField,
            BoolField,
            DateTimeField,
            ObjectIdField,
        ],
    )
    def test_none_rejected_by_default(self, field_class: type[Field[Any]]) -> None:
        field = field_class()
        assert field.allow_none is False
        assert error_of(field, None) == "none value is not allowed"

    def test_allow_none(self) -> None:
        for field in (StrField(allow_none=True), IntField(allow_none=True, gt=5)):
            field.validate(None)

    def test_list_allow_none(self) -> None:
        ListField(IntField(), allow_none=True).validate(None)
        assert error_of(ListField(IntField()), None) == "none value is not allowed"

    def test_from_data_of_none_is_none(self) -> None:
        for field in (
            Field(),
            AnyField(),
            StrField(),
            IntField(),
            FloatField(),
            DecimalField(),
            BoolField(),
            DateTimeField(),
            ObjectIdField(),
            ListField(IntField()),
        ):
            assert field.from_data(None) is None


class TestChoices:
    @pytest.mark.parametrize(
        "choices",
        [
            {"red", "green"},
            ["red", "green"],
            ("red", "green"),
            frozenset({"red", "green"}),
            {"red": "Red colour", "green": "Green colour"},
            OrderedDict([("red", 1), ("green", 2)]),
        ],
    )
    def test_choices(self, choices: Any) -> None:
        field = StrField(choices=choices)
        assert field.choices is choices
        field.validate("red")
        field.validate("green")
        assert error_of(field, "blue") == "value does not match any variant"

    def test_dict_choices_use_keys_not_values(self) -> None:
        field = StrField(choices={"r": "red"})
        field.validate("r")
        assert error_of(field, "red") == "value does not match any variant"

    def test_choices_override_other_constraints(self) -> None:
        StrField(max_length=2, regex=r"^\d+$", choices=["abcdef"]).validate("abcdef")
        StrField(choices=[""]).validate("")
        IntField(gt=100, choices=[1, 2]).validate(1)
        ListField(IntField(), max_length=1, choices=[(1, 2, 3)]).validate((1, 2, 3))

    def test_choices_still_check_type(self) -> None:
        assert error_of(IntField(choices=[1, 2]), "1") == "invalid value type"
        assert error_of(IntField(choices=[1, 2]), True) == "invalid value type"

    def test_none_with_choices(self) -> None:
        StrField(choices=["a"], allow_none=True).validate(None)
        assert error_of(StrField(choices=["a"]), None) == "none value is not allowed"

    def test_unhashable_value_with_set_choices(self) -> None:
        assert error_of(AnyField(choices={1, 2}), [1]) == "value does not match any variant"

    def test_choices_of_plain_field(self) -> None:
        field = Field(choices={1, "a"})
        field.validate(1)
        field.validate("a")
        assert error_of(field, 2) == "value does not match any variant"

    def test_string_choices_are_rejected(self) -> None:
        # A string is not a set of choices: "a" in "abc" would silently be true.
        with pytest.raises(TypeError):
            StrField(choices="abc")


class TestBaseField:
    def test_field_type(self) -> None:
        field = Field(field_type=int)
        field.validate(3)
        assert error_of(field, "3") == "invalid value type"

    def test_field_type_tuple(self) -> None:
        field = Field(field_type=(int, str))
        field.validate(3)
        field.validate("3")
        assert error_of(field, 3.0) == "invalid value type"

    def test_without_field_type_any_value_is_valid(self) -> None:
        for value in (1, "x", [1], {"a": 1}, object()):
            Field().validate(value)

    def test_conversions_keep_the_value(self) -> None:
        value = {"a": [1, 2]}
        field = Field()
        assert field.from_data(value) is value
        assert field.to_mongo(value) is value
        assert field.from_mongo(value) is value

    def test_s_is_the_mongo_name(self) -> None:
        class Holder:
            is_admin = BoolField(mongo_name="isadm")

        assert Holder.is_admin.s == "isadm"
        assert {Holder.is_admin.s: True} == {"isadm": True}


# Concrete fields -------------------------------------------------------------------------


class TestAnyField:
    @pytest.mark.parametrize("value", [1, "x", 1.5, [1, "a"], {"a": {"b": 1}}, b"\x00", True])
    def test_stores_any_value_as_is(self, value: Any) -> None:
        field = AnyField()
        assert field.from_data(value) is value
        assert field.to_mongo(value) is value
        assert field.from_mongo(value) is value
        field.validate(value)

    def test_required_and_none(self) -> None:
        assert error_of(AnyField(), _Empty) == "field is required"
        assert error_of(AnyField(), None) == "none value is not allowed"


class TestStrField:
    def test_valid(self) -> None:
        assert check(StrField(), "hello") == "hello"

    @pytest.mark.parametrize("value", [1, 1.5, b"bytes", ["a"], True])
    def test_invalid_type(self, value: Any) -> None:
        assert error_of(StrField(), StrField().from_data(value)) == "invalid value type"

    def test_blank_not_allowed_by_default(self) -> None:
        assert StrField().allow_blank is False
        assert error_of(StrField(), "") == "blank value is not allowed"

    def test_allow_blank(self) -> None:
        StrField(allow_blank=True).validate("")

    def test_blank_skips_other_constraints(self) -> None:
        StrField(allow_blank=True, min_length=3, regex=r"^\d+$").validate("")

    def test_whitespace_is_not_blank(self) -> None:
        StrField().validate(" ")

    def test_min_length(self) -> None:
        field = StrField(min_length=3)
        field.validate("abc")
        field.validate("abcd")
        assert error_of(field, "ab") == "length is less than 3"

    def test_max_length(self) -> None:
        field = StrField(max_length=3)
        field.validate("abc")
        field.validate("a")
        assert error_of(field, "abcd") == "length is greater than 3"

    def test_length_counts_characters(self) -> None:
        StrField(max_length=2).validate("żé")

    def test_regex_string(self) -> None:
        field = StrField(regex=r"^[a-z]+$")
        field.validate("abc")
        assert error_of(field, "Abc") == "value does not match pattern ^[a-z]+$"

    def test_regex_compiled(self) -> None:
        field = StrField(regex=re.compile(r"^[a-z]+$", re.IGNORECASE))
        field.validate("Abc")
        assert error_of(field, "a1") == "value does not match pattern ^[a-z]+$"

    def test_regex_matches_from_the_start(self) -> None:
        field = StrField(regex=r"\d+")
        field.validate("123abc")
        assert error_of(field, "abc123") == r"value does not match pattern \d+"

    def test_spec_model_regex(self) -> None:
        field = StrField(regex=r"^[a-zA-Z]{6,20}$")
        field.validate("Alexandro")
        assert error_of(field, "Alex") == "value does not match pattern ^[a-zA-Z]{6,20}$"

    def test_constraints_combined(self) -> None:
        field = StrField(min_length=2, max_length=4, regex=r"^a")
        field.validate("ab")
        assert error_of(field, "a") == "length is less than 2"
        assert error_of(field, "abcde") == "length is greater than 4"
        assert error_of(field, "bc") == "value does not match pattern ^a"

    def test_str_subclass_becomes_str(self) -> None:
        class Name(str):
            pass

        value = StrField().from_data(Name("ann"))
        assert value == "ann"
        assert type(value) is str

    def test_non_strings_are_kept_for_validate_to_reject(self) -> None:
        value = [1]
        assert StrField().from_data(value) is value


class TestEmailField:
    @pytest.mark.parametrize(
        "value", ["user@example.com", "first.last+tag@mail-server.co.uk", "a_b@c.io"]
    )
    def test_valid(self, value: str) -> None:
        EmailField().validate(value)

    @pytest.mark.parametrize(
        "value",
        [
            "user",
            "user@",
            "@example.com",
            "user@example",
            "us er@example.com",
            "user@exa_mple.com",
            "user@@example.com",
            "user@example.com\n",
        ],
    )
    def test_invalid(self, value: str) -> None:
        assert error_of(EmailField(), value) == "value is not a valid email address"

    def test_custom_regex(self) -> None:
        field = EmailField(regex=r"^[a-z]+@corp\.example$")
        field.validate("ann@corp.example")
        assert error_of(field, "ann@example.com") == "value is not a valid email address"

    def test_custom_compiled_regex(self) -> None:
        field = EmailField(regex=re.compile(r"^[a-z]+@corp\.example$"))
        assert error_of(field, "ann@example.com") == "value is not a valid email address"

    def test_string_field_arguments(self) -> None:
        assert error_of(EmailField(), "") == "blank value is not allowed"
        assert error_of(EmailField(max_length=5), "a@b.cd") == "length is greater than 5"
        assert error_of(EmailField(), 1) == "invalid value type"
        EmailField(allow_blank=True).validate("")


class TestIntField:
    def test_valid(self) -> None:
        assert check(IntField(), 42) == 42
        assert check(IntField(), -7) == -7
        assert check(IntField(), 0) == 0

    def test_package_readme_example(self) -> None:
        age = IntField(gte=0)
        age.validate(age.from_data("42"))
        assert age.from_data("42") == 42
        assert error_of(age, -1) == "value is less than 0"

    def test_from_data_converts_numeric_strings_and_integral_numbers(self) -> None:
        assert IntField().from_data("-12") == -12
        assert IntField().from_data(3.0) == 3
        assert IntField().from_data(Decimal("7")) == 7
        assert type(IntField().from_data(3.0)) is int

    @pytest.mark.parametrize("value", ["abc", "1.5", 1.5, Decimal("2.5"), [1], b"1"])
    def test_unconvertible_values_stay_invalid(self, value: Any) -> None:
        assert error_of(IntField(), IntField().from_data(value)) == "invalid value type"

    @pytest.mark.parametrize("value", [True, False, "true"])
    def test_bools_are_not_integers(self, value: Any) -> None:
        assert error_of(IntField(), IntField().from_data(value)) == "invalid value type"

    def test_int64_limits(self) -> None:
        IntField().validate(INT64_MAX)
        IntField().validate(INT64_MIN)
        assert error_of(IntField(), INT64_MAX + 1) == f"value is greater than {INT64_MAX}"
        assert error_of(IntField(), INT64_MIN - 1) == f"value is less than {INT64_MIN}"

    def test_huge_float_is_outside_int64(self) -> None:
        assert error_of(IntField(), IntField().from_data(1e20)) == (
            f"value is greater than {INT64_MAX}"
        )

    def test_decimal_with_a_huge_exponent_is_not_expanded(self) -> None:
        # int() of it would build a billion-digit number: user data must not hang the app.
        value = Decimal("1E+999999999")
        assert IntField().from_data(value) is value
        assert error_of(IntField(), IntField().from_data(value)) == "invalid value type"

    def test_float_value_is_invalid(self) -> None:
        assert error_of(IntField(), 1.0) == "invalid value type"


NUMBER_CASES = [
    (IntField, 5, 4, 6),
    (FloatField, 5.5, 5.25, 5.75),
    (DecimalField, Decimal("5.5"), Decimal("5.25"), Decimal("5.75")),
]


class TestNumberBounds:
    @pytest.mark.parametrize(("field_class", "bound", "below", "above"), NUMBER_CASES)
    def test_gt(self, field_class: Any, bound: Any, below: Any, above: Any) -> None:
        field = field_class(gt=bound)
        field.validate(above)
        assert error_of(field, bound) == f"value should be greater than {bound}"
        assert error_of(field, below) == f"value should be greater than {bound}"

    @pytest.mark.parametrize(("field_class", "bound", "below", "above"), NUMBER_CASES)
    def test_gte(self, field_class: Any, bound: Any, below: Any, above: Any) -> None:
        field = field_class(gte=bound)
        field.validate(above)
        field.validate(bound)
        assert error_of(field, below) == f"value is less than {bound}"

    @pytest.mark.parametrize(("field_class", "bound", "below", "above"), NUMBER_CASES)
    def test_lt(self, field_class: Any, bound: Any, below: Any, above: Any) -> None:
        field = field_class(lt=bound)
        field.validate(below)
        assert error_of(field, bound) == f"value should be less than {bound}"
        assert error_of(field, above) == f"value should be less than {bound}"

    @pytest.mark.parametrize(("field_class", "bound", "below", "above"), NUMBER_CASES)
    def test_lte(self, field_class: Any, bound: Any, below: Any, above: Any) -> None:
        field = field_class(lte=bound)
        field.validate(below)
        field.validate(bound)
        assert error_of(field, above) == f"value is greater than {bound}"

    def test_readme_bounds(self) -> None:
        field = IntField(gt=5, lte=13)
        field.validate(10)
        field.validate(13)
        assert error_of(field, 0) == "value should be greater than 5"
        assert error_of(field, 5) == "value should be greater than 5"
        assert error_of(field, 14) == "value is greater than 13"

    def test_zero_bound_is_a_bound(self) -> None:
        assert error_of(IntField(gt=0), 0) == "value should be greater than 0"
        assert error_of(FloatField(lt=0), 0.0) == "value should be less than 0"

    @pytest.mark.parametrize("key", ["gt", "gte", "lt", "lte"])
    def test_nan_fails_every_bound(self, key: str) -> None:
        assert error_of(FloatField(**{key: 0.0}), float("nan")) == (
            FloatField.error_messages[key].format(constraint=0.0)
        )
        assert error_of(DecimalField(**{key: Decimal(0)}), Decimal("NaN")) == (
            DecimalField.error_messages[key].format(constraint=Decimal(0))
        )

    def test_nan_without_bounds_is_a_float(self) -> None:
        FloatField().validate(float("nan"))
        FloatField().validate(float("inf"))


class TestFloatField:
    def test_valid(self) -> None:
        assert check(FloatField(), 1.6) == 1.6

    def test_from_data_converts_numbers_and_numeric_strings(self) -> None:
        for value, expected in [(3, 3.0), ("2.5", 2.5), (Decimal("0.5"), 0.5), ("-1e3", -1000.0)]:
            converted = FloatField().from_data(value)
            assert converted == expected
            assert type(converted) is float

    def test_integers_are_accepted(self) -> None:
        FloatField().validate(3)

    def test_integers_must_fit_int64(self) -> None:
        # An int that MongoDB cannot store is not a valid value of a number field.
        assert error_of(FloatField(), FloatField().from_data(10**400)) == "invalid value type"

    @pytest.mark.parametrize("value", ["abc", [1.0], True, Decimal("1"), b"1"])
    def test_invalid_type(self, value: Any) -> None:
        assert error_of(FloatField(), value) == "invalid value type"

    def test_bool_is_not_converted(self) -> None:
        assert FloatField().from_data(True) is True


class TestDecimalField:
    def test_valid(self) -> None:
        assert check(DecimalField(), Decimal("1.10")) == Decimal("1.10")

    def test_to_mongo_gives_decimal128(self) -> None:
        stored = DecimalField().to_mongo(Decimal("1.10"))
        assert isinstance(stored, Decimal128)
        assert stored == Decimal128("1.10")

    def test_from_mongo_gives_decimal(self) -> None:
        loaded = DecimalField().from_mongo(Decimal128("-3.25"))
        assert isinstance(loaded, Decimal)
        assert loaded == Decimal("-3.25")

    @pytest.mark.parametrize("text", ["0", "1.10", "-0.001", "1E+100", "Infinity"])
    def test_round_trip_keeps_the_exact_decimal(self, text: str) -> None:
        field = DecimalField()
        value = Decimal(text)
        loaded = field.from_mongo(field.to_mongo(value))
        assert loaded == value
        assert str(loaded) == str(value)

    def test_from_data_conversions(self) -> None:
        field = DecimalField()
        assert field.from_data("1.10") == Decimal("1.10")
        assert field.from_data(3) == Decimal(3)
        assert field.from_data(0.1) == Decimal("0.1")
        assert field.from_data(Decimal128("2.5")) == Decimal("2.5")
        assert isinstance(field.from_data(Decimal128("2.5")), Decimal)

    @pytest.mark.parametrize("value", ["abc", True, 1.5j, [Decimal(1)]])
    def test_invalid_type(self, value: Any) -> None:
        field = DecimalField()
        assert error_of(field, field.from_data(value)) == "invalid value type"

    def test_float_is_not_a_decimal(self) -> None:
        assert error_of(DecimalField(), 1.5) == "invalid value type"

    def test_value_decimal128_cannot_hold_is_invalid(self) -> None:
        too_precise = Decimal("1." + "1" * 40)
        with pytest.raises(ValidationError):
            DecimalField().validate(too_precise)


class TestBoolField:
    def test_valid(self) -> None:
        assert check(BoolField(), True) is True
        assert check(BoolField(), False) is False

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(1, True), (0, False), ("true", True), ("False", False), ("1", True), ("0", False)],
    )
    def test_from_data_conversions(self, value: Any, expected: bool) -> None:
        assert BoolField().from_data(value) is expected

    @pytest.mark.parametrize("value", [2, "maybe", 1.0, [True], b"1"])
    def test_invalid(self, value: Any) -> None:
        assert error_of(BoolField(), BoolField().from_data(value)) == "invalid value type"

    def test_choices_true_only(self) -> None:
        field = BoolField(default=True, choices=[True])
        assert field.default is True
        field.validate(True)
        assert error_of(field, False) == "value does not match any variant"


class TestDateTimeField:
    def test_valid(self) -> None:
        now = dt.datetime(2024, 5, 17, 12, 30, 15, 123000)
        assert check(DateTimeField(), now) == now

    def test_timezone_aware(self) -> None:
        value = dt.datetime(2024, 5, 17, 12, 30, tzinfo=dt.timezone.utc)
        assert check(DateTimeField(), value) == value

    def test_from_data_parses_iso_strings(self) -> None:
        field = DateTimeField()
        assert field.from_data("2024-05-17T12:30:15") == dt.datetime(2024, 5, 17, 12, 30, 15)
        assert field.from_data("2024-05-17 12:30:15.5") == dt.datetime(
            2024, 5, 17, 12, 30, 15, 500000
        )
        assert field.from_data("2024-05-17T12:30:15+02:00") == dt.datetime(
            2024, 5, 17, 10, 30, 15, tzinfo=dt.timezone.utc
        )

    def test_callable_default(self) -> None:
        field = DateTimeField(default=lambda: dt.datetime.now(dt.timezone.utc))
        assert isinstance(field.default, dt.datetime)

    @pytest.mark.parametrize(
        "value", ["yesterday", "2024-13-01", dt.date(2024, 5, 17), 1715948415, dt.time(12)]
    )
    def test_invalid(self, value: Any) -> None:
        field = DateTimeField()
        assert error_of(field, field.from_data(value)) == "invalid value type"


class TestObjectIdField:
    def test_valid(self) -> None:
        oid = ObjectId()
        assert check(ObjectIdField(), oid) is oid

    def test_from_data_converts_24_hex_strings(self) -> None:
        oid = ObjectId()
        assert ObjectIdField().from_data(str(oid)) == oid
        assert ObjectIdField().from_data(str(oid).upper()) == oid

    @pytest.mark.parametrize(
        "value", ["abc", "z" * 24, "0" * 23, "0" * 25, 12, b"123456789012", ["0" * 24]]
    )
    def test_other_values_are_kept_and_invalid(self, value: Any) -> None:
        field = ObjectIdField()
        assert field.from_data(value) is value
        assert error_of(field, value) == "invalid value type"

    def test_stored_as_is(self) -> None:
        oid = ObjectId()
        assert ObjectIdField().to_mongo(oid) is oid
        assert ObjectIdField().from_mongo(oid) is oid


class TestListField:
    @pytest.mark.parametrize("item_field", [int, StrField, "StrField", None, [StrField()]])
    def test_item_field_must_be_a_field_instance(self, item_field: Any) -> None:
        with pytest.raises(TypeError):
            ListField(item_field)

    def test_valid(self) -> None:
        assert check(ListField(IntField()), [1, 2, 3]) == [1, 2, 3]
        assert check(ListField(IntField()), []) == []

    def test_from_data_converts_items(self) -> None:
        assert ListField(IntField()).from_data(["1", 2, "3"]) == [1, 2, 3]

    def test_from_data_converts_a_tuple_to_a_list(self) -> None:
        assert ListField(IntField()).from_data((1, "2")) == [1, 2]

    @pytest.mark.parametrize("value", ["abc", 1, {"a": 1}, {1, 2}])
    def test_invalid_type(self, value: Any) -> None:
        field = ListField(IntField())
        assert error_of(field, field.from_data(value)) == "invalid value type"

    def test_min_length(self) -> None:
        field = ListField(IntField(), min_length=2)
        field.validate([1, 2])
        assert error_of(field, [1]) == "list length is less than 2"

    def test_max_length(self) -> None:
        field = ListField(IntField(), max_length=2)
        field.validate([1, 2])
        field.validate([])
        assert error_of(field, [1, 2, 3]) == "list length is greater than 2"

    def test_errors_keyed_by_item_index(self) -> None:
        field = ListField(IntField(lt=10))
        assert error_of(field, [1, "x", 3, 50, None]) == {
            1: "invalid value type",
            3: "value should be less than 10",
            4: "none value is not allowed",
        }

    def test_item_error_is_a_nested_validation_error(self) -> None:
        with pytest.raises(ValidationError) as info:
            ListField(StrField()).validate(["a", ""])
        assert isinstance(info.value.error, dict)
        assert list(info.value.error) == [1]
        assert isinstance(info.value.error[1], ValidationError)

    def test_nested_lists(self) -> None:
        field = ListField(ListField(IntField(gte=0)))
        field.validate([[1], [], [2, 3]])
        assert error_of(field, [[1], [2, -1], "x"]) == {
            1: {1: "value is less than 0"},
            2: "invalid value type",
        }

    def test_items_allow_none(self) -> None:
        ListField(IntField(allow_none=True)).validate([1, None])

    def test_to_mongo_and_from_mongo_convert_items(self) -> None:
        field = ListField(DecimalField())
        stored = field.to_mongo([Decimal("1.5"), Decimal("2")])
        assert stored == [Decimal128("1.5"), Decimal128("2")]
        assert field.from_mongo(stored) == [Decimal("1.5"), Decimal("2")]

    def test_plain_items_are_stored_as_is(self) -> None:
        field = ListField(StrField())
        assert field.to_mongo(["a", "b"]) == ["a", "b"]
        assert field.from_mongo(["a", "b"]) == ["a", "b"]

    def test_readme_list_of_strings_default(self) -> None:
        field = ListField(StrField(), default=lambda: list())
        first = field.default
        assert first == []
        assert first is not field.default
