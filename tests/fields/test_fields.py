"""Every documented argument and behaviour of the fields, without documents.

Only ``aiomongodel-fields`` is installed where this runs: no ``aiomongodel.document`` here.
Class-level behaviour (``__set_name__``, ``s``) is exercised on plain classes.
"""

from __future__ import annotations

import datetime as dt
import math
import pathlib
import re
import uuid
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
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
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

    def test_default_property_is_given_even_if_field_is_not_required(self) -> None:
        # As in 0.2: the property always gives the default; documents apply it only to
        # required fields.
        assert StrField(required=False, default="x").default == "x"
        calls = []

        def make() -> str:
            calls.append(1)
            return "made"

        field = StrField(required=False, default=make)
        assert field.default == "made"
        assert field.default == "made"
        assert len(calls) == 2
        assert StrField(required=False).default is _Empty


class TestVerboseName:
    def test_verbose_name(self) -> None:
        assert StrField(verbose_name="Full name").verbose_name == "Full name"
        assert ListField(IntField(), verbose_name="Scores").verbose_name == "Scores"

    def test_verbose_name_defaults_to_none(self) -> None:
        assert IntField().verbose_name is None

    def test_verbose_name_changes_nothing_else(self) -> None:
        field = IntField(verbose_name="Age", gte=0)
        field.validate(3)
        assert error_of(field, -1) == "value is less than 0"
        assert field.name is None
        assert field.mongo_name is None


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
        if isinstance(choices, dict):
            assert field.choices is choices
        else:
            assert field.choices == {"red", "green"}
        field.validate("red")
        field.validate("green")
        assert error_of(field, "blue") == "value does not match any variant"

    @pytest.mark.parametrize(
        "choices", [["red", "green"], ("red", "green"), frozenset({"red", "green"})]
    )
    def test_iterable_choices_are_kept_as_a_set(self, choices: Any) -> None:
        field = StrField(choices=choices)
        assert type(field.choices) is set
        assert field.choices == {"red", "green"}
        assert field.choices is not choices

    def test_dict_choices_are_kept_as_they_are(self) -> None:
        choices = OrderedDict([("b", 1), ("a", 2)])
        field = StrField(choices=choices)
        assert field.choices is choices
        assert list(field.choices) == ["b", "a"]

    def test_any_iterable_gives_choices(self) -> None:
        field = IntField(choices=(i * i for i in range(4)))
        assert field.choices == {0, 1, 4, 9}
        field.validate(4)
        field.validate(4)  # the generator was read once, into the set
        assert error_of(field, 2) == "value does not match any variant"

    def test_choices_set_is_a_copy(self) -> None:
        choices = ["a"]
        field = StrField(choices=choices)
        choices.append("b")
        assert error_of(field, "b") == "value does not match any variant"

    def test_unhashable_choices_are_refused(self) -> None:
        with pytest.raises(TypeError):
            StrField(choices=[["a"]])

    def test_dict_choices_use_keys_not_values(self) -> None:
        field = StrField(choices={"r": "red"})
        field.validate("r")
        assert error_of(field, "red") == "value does not match any variant"

    def test_choices_override_other_constraints(self) -> None:
        StrField(max_length=2, regex=r"^\d+$", choices=["abcdef"]).validate("abcdef")
        StrField(choices=[""]).validate("")
        IntField(gt=100, choices=[1, 2]).validate(1)
        FloatField(lt=0.0, choices=[1.5]).validate(1.5)
        DecimalField(gte=10, choices=[Decimal(1)]).validate(Decimal(1))
        EmailField(choices=["not an address"]).validate("not an address")

    def test_choices_still_check_type(self) -> None:
        assert error_of(IntField(choices=[1, 2]), "1") == "invalid value type"
        assert error_of(FloatField(choices=[1.0]), 1) == "invalid value type"
        assert error_of(StrField(choices=[1]), 1) == "invalid value type"
        tuple_choice = ListField(IntField(), choices=[(1, 2, 3)])
        assert error_of(tuple_choice, (1, 2, 3)) == "invalid value type"

    def test_choices_compare_by_equality(self) -> None:
        # True is a valid IntField value, and True == 1.
        IntField(choices=[1, 2]).validate(True)
        assert error_of(IntField(choices=[1, 2]), False) == "value does not match any variant"
        FloatField(choices={1: "one"}).validate(1.0)

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

    def test_string_choices_are_a_set_of_its_characters(self) -> None:
        # As in 0.2: a string is an iterable like any other; "ab" is not one of its choices.
        field = StrField(choices="abc")
        assert field.choices == {"a", "b", "c"}
        field.validate("a")
        assert error_of(field, "ab") == "value does not match any variant"
        assert error_of(field, "abc") == "value does not match any variant"


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

    def test_from_data_converts_to_the_field_type(self) -> None:
        field: Field[Any] = Field(field_type=int)
        assert field.from_data("3") == 3
        assert type(field.from_data("3")) is int
        value = "x"
        assert field.from_data(value) is value

    def test_from_data_keeps_values_for_a_tuple_of_types(self) -> None:
        value = 3.0
        assert Field(field_type=(int, str)).from_data(value) is value

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

    @pytest.mark.parametrize("value", [1, 1.5, b"bytes", ["a"], True, object()])
    def test_invalid_type(self, value: Any) -> None:
        assert error_of(StrField(), value) == "invalid value type"

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (1, "1"),
            (1.5, "1.5"),
            (True, "True"),
            (b"bytes", "b'bytes'"),
            (["a"], "['a']"),
            (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
            (pathlib.PurePosixPath("/srv/a"), "/srv/a"),
            (Decimal("1.10"), "1.10"),
        ],
    )
    def test_from_data_converts_with_str(self, value: Any, expected: str) -> None:
        converted = StrField().from_data(value)
        assert converted == expected
        assert type(converted) is str
        StrField().validate(converted)

    def test_blank_not_allowed_by_default(self) -> None:
        assert StrField().allow_blank is False
        assert error_of(StrField(), "") == "blank value is not allowed"

    def test_allow_blank(self) -> None:
        StrField(allow_blank=True).validate("")

    def test_blank_skips_length_constraints(self) -> None:
        StrField(allow_blank=True, min_length=3).validate("")
        StrField(allow_blank=True, min_length=3, regex=r"\d*").validate("")

    def test_regex_is_checked_before_blank(self) -> None:
        # As in 0.2: a blank value must match the regex, even with allow_blank.
        field = StrField(allow_blank=True, min_length=3, regex=r"^\d+$")
        assert error_of(field, "") == r"value does not match pattern ^\d+$"
        assert error_of(StrField(regex=r"^\d+$"), "") == r"value does not match pattern ^\d+$"

    def test_blank_matching_the_regex_is_still_blank(self) -> None:
        assert error_of(StrField(regex=r"\d*"), "") == "blank value is not allowed"

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

    def test_regex_is_checked_before_lengths(self) -> None:
        field = StrField(min_length=2, max_length=4, regex=r"^a")
        assert error_of(field, "b") == "value does not match pattern ^a"
        assert error_of(field, "bcdef") == "value does not match pattern ^a"

    def test_str_subclass_becomes_str(self) -> None:
        class Name(str):
            pass

        value = StrField().from_data(Name("ann"))
        assert value == "ann"
        assert type(value) is str

    def test_values_str_cannot_convert_are_kept_for_validate_to_reject(self) -> None:
        class Unprintable:
            def __str__(self) -> str:
                raise TypeError("no text")

        value = Unprintable()
        assert StrField().from_data(value) is value
        assert error_of(StrField(), StrField().from_data(value)) == "invalid value type"


class TestEmailField:
    @pytest.mark.parametrize(
        "value", ["user@example.com", "first.last+tag@mail-server.co.uk", "a_b@c.io"]
    )
    def test_valid(self, value: str) -> None:
        EmailField().validate(value)

    def test_regex_matches_with_re_match(self) -> None:
        # As in 0.2: ``match``, whose ``$`` also matches before a final newline.
        EmailField().validate("user@example.com\n")
        assert error_of(EmailField(), "user@example.com\n\n") == (
            "value is not a valid email address"
        )
        EmailField(regex=r"[a-z]+@corp\.example").validate("ann@corp.example.org")

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
            "\nuser@example.com",
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
        assert error_of(EmailField(max_length=5), "a@b.cd") == "length is greater than 5"
        assert error_of(EmailField(), 1) == "invalid value type"
        assert EmailField().from_data(1) == "1"

    def test_blank_is_not_an_address(self) -> None:
        # The address regex is checked before blank: "" is never a valid address.
        assert error_of(EmailField(), "") == "value is not a valid email address"
        assert error_of(EmailField(allow_blank=True), "") == "value is not a valid email address"

    def test_blank_with_a_regex_matching_it(self) -> None:
        EmailField(regex=r"(\w+@\w+\.\w+)?$", allow_blank=True).validate("")
        assert error_of(EmailField(regex=r"(\w+@\w+\.\w+)?$"), "") == "blank value is not allowed"


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

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("-12", -12),
            (" 12\n", 12),
            (3.0, 3),
            (1.3, 1),
            (-1.7, -1),
            (Decimal("7"), 7),
            (Decimal("2.5"), 2),
            (True, 1),
            (False, 0),
            (b"1", 1),
        ],
    )
    def test_from_data_converts_with_int(self, value: Any, expected: int) -> None:
        converted = IntField().from_data(value)
        assert converted == expected
        assert type(converted) is int

    @pytest.mark.parametrize(
        "value", ["abc", "1.5", "true", [1], b"x", float("nan"), float("inf"), Decimal("NaN")]
    )
    def test_unconvertible_values_are_kept_and_invalid(self, value: Any) -> None:
        converted = IntField().from_data(value)
        assert converted is value
        assert error_of(IntField(), converted) == "invalid value type"

    @pytest.mark.parametrize("value", [True, False])
    def test_bools_are_valid_integers(self, value: bool) -> None:
        # isinstance(True, int), as in 0.2.
        IntField().validate(value)
        assert error_of(IntField(gt=0), False) == "value should be greater than 0"
        assert error_of(IntField(lt=1), True) == "value should be less than 1"

    def test_int64_limits(self) -> None:
        IntField().validate(INT64_MAX)
        IntField().validate(INT64_MIN)
        assert error_of(IntField(), INT64_MAX + 1) == f"value is greater than {INT64_MAX}"
        assert error_of(IntField(), INT64_MIN - 1) == f"value is less than {INT64_MIN}"

    def test_huge_float_is_outside_int64(self) -> None:
        assert error_of(IntField(), IntField().from_data(1e20)) == (
            f"value is greater than {INT64_MAX}"
        )

    @pytest.mark.parametrize(
        "value", [Decimal("1E+999999999"), Decimal("-1E+999999999"), Decimal(INT64_MAX + 1)]
    )
    def test_decimal_outside_int64_is_kept(self, value: Decimal) -> None:
        # int() of 1E+999999999 would build a billion-digit number: user data must not
        # hang the app.
        assert IntField().from_data(value) is value
        assert error_of(IntField(), IntField().from_data(value)) == "invalid value type"

    def test_decimal_at_the_int64_limits_converts(self) -> None:
        assert IntField().from_data(Decimal(INT64_MAX)) == INT64_MAX
        assert IntField().from_data(Decimal(INT64_MIN)) == INT64_MIN

    def test_int64_limits_are_checked_before_bounds(self) -> None:
        assert error_of(IntField(lt=0), INT64_MAX + 1) == f"value is greater than {INT64_MAX}"
        assert error_of(IntField(gt=0), INT64_MIN - 1) == f"value is less than {INT64_MIN}"

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
    def test_float_nan_passes_every_bound(self, key: str) -> None:
        # As in 0.2: a bound fails only on a value comparing beyond it, and NaN compares
        # false to everything.
        FloatField(**{key: 0.0}).validate(float("nan"))
        FloatField(gt=1.0, gte=1.0, lt=0.0, lte=0.0).validate(float("nan"))

    @pytest.mark.parametrize("key", ["gt", "gte", "lt", "lte"])
    @pytest.mark.parametrize("nan", ["NaN", "-NaN", "sNaN"])
    def test_decimal_nan_fails_every_bound(self, key: str, nan: str) -> None:
        # Decimal NaN refuses to be ordered (0.2 let the InvalidOperation escape).
        assert error_of(DecimalField(**{key: Decimal(0)}), Decimal(nan)) == (
            DecimalField.error_messages[key].format(constraint=Decimal(0))
        )

    def test_bounds_are_checked_in_order_gte_lte_gt_lt(self) -> None:
        field = IntField(gt=5, gte=3, lt=1, lte=2)
        assert error_of(field, 0) == "value is less than 3"  # breaks gte, gt; not lt, lte
        assert error_of(field, 4) == "value is greater than 2"  # breaks lte, gt, lt
        assert error_of(field, 10) == "value is greater than 2"  # breaks lte, lt
        assert error_of(IntField(gt=5, lt=1), 3) == "value should be greater than 5"
        assert error_of(IntField(gt=5, lt=1), 7) == "value should be less than 1"
        assert error_of(IntField(lt=1, gte=3), 5) == "value should be less than 1"
        assert error_of(IntField(lt=1, gte=3), 0) == "value is less than 3"

    def test_bound_order_for_floats_and_decimals(self) -> None:
        assert error_of(FloatField(gt=5.0, lte=2.0), 4.0) == "value is greater than 2.0"
        assert error_of(DecimalField(lt=Decimal(1), gte=Decimal(3)), Decimal(0)) == (
            "value is less than 3"
        )

    def test_nan_without_bounds_is_valid(self) -> None:
        FloatField().validate(float("nan"))
        FloatField().validate(float("inf"))
        DecimalField().validate(Decimal("NaN"))


class TestFloatField:
    def test_valid(self) -> None:
        assert check(FloatField(), 1.6) == 1.6

    def test_field_type_is_float(self) -> None:
        assert FloatField().field_type is float

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (3, 3.0),
            (1, 1.0),
            ("2.5", 2.5),
            (" 1.5\n", 1.5),
            (Decimal("0.5"), 0.5),
            ("-1e3", -1000.0),
            (True, 1.0),
            (False, 0.0),
            (b"1.5", 1.5),
        ],
    )
    def test_from_data_converts_with_float(self, value: Any, expected: float) -> None:
        converted = FloatField().from_data(value)
        assert converted == expected
        assert type(converted) is float
        FloatField().validate(converted)

    def test_from_data_of_nan_strings(self) -> None:
        assert math.isnan(FloatField().from_data("nan"))
        assert FloatField().from_data("-inf") == float("-inf")

    @pytest.mark.parametrize("value", [3, 0, -1, INT64_MAX, True, False])
    def test_integers_are_not_valid_floats(self, value: int) -> None:
        # field_type is float, as in 0.2: from_data converts them.
        assert error_of(FloatField(), value) == "invalid value type"
        FloatField().validate(FloatField().from_data(value))

    def test_integers_too_big_for_a_float_are_kept_and_invalid(self) -> None:
        value = 10**400
        assert FloatField().from_data(value) is value
        assert error_of(FloatField(), FloatField().from_data(value)) == "invalid value type"

    @pytest.mark.parametrize("value", ["abc", [1.0], True, Decimal("1"), b"1", 1])
    def test_invalid_type(self, value: Any) -> None:
        assert error_of(FloatField(), value) == "invalid value type"

    @pytest.mark.parametrize("value", ["abc", [1.0], Decimal128("1"), 1j])
    def test_unconvertible_values_are_kept(self, value: Any) -> None:
        assert FloatField().from_data(value) is value


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

    @pytest.mark.parametrize(
        ("value", "expected"),
        [(1.5, Decimal("1.5")), (3, Decimal(3)), ("2.50", Decimal("2.50")), (0.1, Decimal("0.1"))],
    )
    def test_from_mongo_converts_numbers_and_strings(self, value: Any, expected: Decimal) -> None:
        # Through Decimal128(str(value)), as in 0.2: a float gives its repr, not its
        # binary expansion.
        loaded = DecimalField().from_mongo(value)
        assert type(loaded) is Decimal
        assert str(loaded) == str(expected)

    def test_from_mongo_of_none_is_none(self) -> None:
        assert DecimalField().from_mongo(None) is None

    @pytest.mark.parametrize("value", ["abc", [1], "1." + "1" * 40])
    def test_from_mongo_keeps_what_is_not_a_decimal128(self, value: Any) -> None:
        assert DecimalField().from_mongo(value) is value

    @pytest.mark.parametrize("text", ["0", "1.10", "-0.001", "1E+100", "Infinity"])
    def test_round_trip_keeps_the_exact_decimal(self, text: str) -> None:
        field = DecimalField()
        value = Decimal(text)
        loaded = field.from_mongo(field.to_mongo(value))
        assert loaded == value
        assert str(loaded) == str(value)

    def test_from_data_conversions(self) -> None:
        field = DecimalField()
        assert str(field.from_data("1.10")) == "1.10"
        assert str(field.from_data(" 2.5 ")) == "2.5"
        assert field.from_data(3) == Decimal(3)
        assert field.from_data(True) == Decimal(1)
        assert type(field.from_data(True)) is Decimal

    def test_float_keeps_its_exact_binary_value(self) -> None:
        converted = DecimalField().from_data(1.1)
        assert converted == Decimal.from_float(1.1)
        assert converted != Decimal("1.1")
        assert str(converted) == "1.100000000000000088817841970012523233890533447265625"
        assert DecimalField().from_data(0.5) == Decimal("0.5")

    def test_inexact_float_expansion_is_invalid(self) -> None:
        # 52 significant digits: more than Decimal128 holds.
        assert error_of(DecimalField(), DecimalField().from_data(1.1)) == "invalid value type"
        DecimalField().validate(DecimalField().from_data(0.5))

    def test_decimal128_is_kept_and_invalid(self) -> None:
        value = Decimal128("2.5")
        assert DecimalField().from_data(value) is value
        assert error_of(DecimalField(), value) == "invalid value type"

    @pytest.mark.parametrize("value", ["abc", 1.5j, [Decimal(1)], object()])
    def test_unconvertible_values_are_kept_and_invalid(self, value: Any) -> None:
        field = DecimalField()
        assert field.from_data(value) is value
        assert error_of(field, field.from_data(value)) == "invalid value type"

    @pytest.mark.parametrize("value", [True, 1, "1"])
    def test_invalid_type(self, value: Any) -> None:
        assert error_of(DecimalField(), value) == "invalid value type"

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
        [
            (1, True),
            (0, False),
            (2, True),
            (-1, True),
            (1.0, True),
            (0.0, False),
            ("true", True),
            ("1", True),
            ("maybe", True),
            ("", False),
            (" ", True),
            ([True], True),
            ([], False),
            ({}, False),
            (b"1", True),
            (b"", False),
            (Decimal(0), False),
        ],
    )
    def test_from_data_converts_with_bool(self, value: Any, expected: bool) -> None:
        assert BoolField().from_data(value) is expected

    @pytest.mark.parametrize(
        "value", ["false", "False", "FALSE", "0", "no", "No", "off", "OFF", " off ", "\tno\n"]
    )
    def test_from_data_reads_false_words_as_false(self, value: str) -> None:
        # A documented fix over 0.2, where bool("false") is True.
        assert BoolField().from_data(value) is False

    @pytest.mark.parametrize("value", ["falsey", "n", "0.0", "none", b"false"])
    def test_other_strings_are_true(self, value: Any) -> None:
        assert BoolField().from_data(value) is True

    def test_values_bool_cannot_convert_are_kept_and_invalid(self) -> None:
        class Undecided:
            def __bool__(self) -> bool:
                raise TypeError("ambiguous")

        value = Undecided()
        assert BoolField().from_data(value) is value
        assert error_of(BoolField(), value) == "invalid value type"

    @pytest.mark.parametrize("value", [2, 1, 0, "maybe", "true", 1.0, [True], b"1"])
    def test_invalid(self, value: Any) -> None:
        assert error_of(BoolField(), value) == "invalid value type"

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

    @pytest.mark.parametrize(
        "value", ["2024-05-17T12:30:15", "2024-05-17 12:30:15.5", "2024-05-17T12:30:15+02:00"]
    )
    def test_from_data_does_not_parse_iso_strings(self, value: str) -> None:
        # As in 0.2: from_data keeps the value; the string is then invalid.
        field = DateTimeField()
        assert field.from_data(value) is value
        assert error_of(field, field.from_data(value)) == "invalid value type"

    def test_from_data_keeps_datetimes_as_they_are(self) -> None:
        value = dt.datetime(2024, 5, 17, 12, 30, 15, 123456)
        assert DateTimeField().from_data(value) is value

    def test_callable_default(self) -> None:
        field = DateTimeField(default=lambda: dt.datetime.now(dt.timezone.utc))
        assert isinstance(field.default, dt.datetime)

    @pytest.mark.parametrize(
        "value", ["yesterday", "2024-13-01", dt.date(2024, 5, 17), 1715948415, dt.time(12)]
    )
    def test_invalid(self, value: Any) -> None:
        field = DateTimeField()
        assert field.from_data(value) is value
        assert error_of(field, field.from_data(value)) == "invalid value type"


class TestObjectIdField:
    def test_valid(self) -> None:
        oid = ObjectId()
        assert check(ObjectIdField(), oid) == oid

    def test_from_data_keeps_an_object_id_itself(self) -> None:
        # As in 0.2, and as the inline code of documents does (exact_type ObjectId).
        oid = ObjectId()
        assert ObjectIdField().from_data(oid) is oid

    def test_from_data_converts_24_hex_strings(self) -> None:
        oid = ObjectId()
        assert ObjectIdField().from_data(str(oid)) == oid
        assert ObjectIdField().from_data(str(oid).upper()) == oid

    def test_from_data_converts_12_bytes(self) -> None:
        converted = ObjectIdField().from_data(b"123456789012")
        assert converted == ObjectId(b"123456789012")
        assert str(converted) == "313233343536373839303132"
        ObjectIdField().validate(converted)

    @pytest.mark.parametrize(
        "value", ["abc", "z" * 24, "0" * 23, "0" * 25, 12, b"12345678901", ["0" * 24]]
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

    def test_from_data_converts_items_with_the_item_field(self) -> None:
        converted = ListField(FloatField()).from_data([1, "2.5", True, "x", None])
        assert converted == [1.0, 2.5, 1.0, "x", None]
        assert [type(item) for item in converted[:3]] == [float, float, float]
        assert ListField(StrField()).from_data([1, "a"]) == ["1", "a"]

    def test_from_data_gives_a_new_list(self) -> None:
        value = [1, 2]
        converted = ListField(IntField()).from_data(value)
        assert converted == value
        assert converted is not value

    def test_from_data_keeps_a_tuple_and_it_is_invalid(self) -> None:
        # As in 0.2: only a list is converted.
        value = (1, "2")
        field = ListField(IntField())
        assert field.from_data(value) is value
        assert error_of(field, field.from_data(value)) == "invalid value type"
        assert error_of(field, (1, 2)) == "invalid value type"

    @pytest.mark.parametrize("value", ["abc", 1, {"a": 1}, {1, 2}, (1,), range(2)])
    def test_invalid_type(self, value: Any) -> None:
        field = ListField(IntField())
        assert field.from_data(value) is value
        assert error_of(field, field.from_data(value)) == "invalid value type"

    def test_list_subclass_is_a_list(self) -> None:
        class Items(list):  # type: ignore[type-arg]
            pass

        field = ListField(IntField())
        field.validate(Items([1]))
        converted = field.from_data(Items(["1"]))
        assert converted == [1]
        assert type(converted) is list

    def test_document_class_is_none_for_other_items(self) -> None:
        assert ListField(IntField()).document_class is None
        assert ListField(ListField(StrField())).document_class is None

    def test_lengths_are_checked_before_items(self) -> None:
        field = ListField(IntField(), min_length=2, max_length=3)
        assert error_of(field, ["x"]) == "list length is less than 2"
        assert error_of(field, ["x", 1, 2, 3]) == "list length is greater than 3"
        assert error_of(field, ["x", 1]) == {0: "invalid value type"}

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


# Fields of documents: these need aiomongodel-document, skipped where only the fields are.


@pytest.fixture
def documents() -> Any:
    document: Any = pytest.importorskip("aiomongodel.document")

    class Address(document.EmbeddedDocument):
        city = StrField()
        zip = IntField(required=False)

    class PostalAddress(Address):
        recipient = StrField()

    class Account(document.Document):
        _id = StrField()

    class Holder:
        address = EmbDocField(Address)
        addresses = ListField(EmbDocField(Address))
        account = RefField(Account)

    return Holder, Address, PostalAddress, Account


class TestEmbDocField:
    def test_document_class_is_the_embedded_class(self, documents: Any) -> None:
        holder, address, _, _ = documents
        assert holder.address.document_class is address
        assert holder.address.field_type is None  # as in 0.2 before any validate()

    def test_document_class_of_a_list_of_embedded_documents(self, documents: Any) -> None:
        holder, address, _, _ = documents
        assert holder.addresses.document_class is address

    def test_from_data_builds_the_document_from_a_mapping(self, documents: Any) -> None:
        holder, address, _, _ = documents
        built = holder.address.from_data({"city": "Oslo", "zip": "150", "unknown": 1})
        assert type(built) is address
        assert built.city == "Oslo"
        assert built.zip == 150
        holder.address.validate(built)

    def test_from_data_keeps_a_document_instance(self, documents: Any) -> None:
        holder, address, _, _ = documents
        value = address(city="Oslo")
        assert holder.address.from_data(value) is value

    @pytest.mark.parametrize("value", [1, "Oslo", [("city", "Oslo")]])
    def test_from_data_keeps_what_it_cannot_build(self, documents: Any, value: Any) -> None:
        holder, _, _, _ = documents
        assert holder.address.from_data(value) is value
        assert error_of(holder.address, value) == "invalid value type"

    def test_a_mapping_is_not_a_valid_value(self, documents: Any) -> None:
        holder, _, _, _ = documents
        assert error_of(holder.address, {"city": "Oslo"}) == "invalid value type"

    def test_value_is_validated_by_its_own_class(self, documents: Any) -> None:
        holder, _, postal_address, _ = documents
        assert error_of(holder.address, postal_address(city="Oslo")) == {
            "recipient": "field is required"
        }
        holder.address.validate(postal_address(city="Oslo", recipient="Ann"))

    def test_list_items_are_built_from_mappings(self, documents: Any) -> None:
        holder, address, _, _ = documents
        built = holder.addresses.from_data([{"city": "Oslo"}, 1])
        assert type(built[0]) is address
        assert built[1] == 1


class TestRefField:
    def test_from_data_converts_by_the_id_field(self, documents: Any) -> None:
        holder, _, _, _ = documents
        assert holder.account.from_data(5) == "5"

    def test_from_data_keeps_a_document(self, documents: Any) -> None:
        holder, _, _, account = documents
        value = account(_id="a")
        assert holder.account.from_data(value) is value
        holder.account.validate(value)

    def test_document_without_id(self, documents: Any) -> None:
        holder, _, _, account = documents
        assert error_of(holder.account, account()) == "none value is not allowed"


@pytest.mark.parametrize(
    "field", [ListField(StrField()), ListField(EmbDocField("x.Y")), EmbDocField("x.Y")]
)
def test_a_compound_field_not_bound_to_a_class_has_no_subfields(field: Field[Any]) -> None:
    assert not hasattr(field, "title")
    with pytest.raises(AttributeError, match="title"):
        field.title  # noqa: B018
