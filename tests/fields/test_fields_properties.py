"""Property-based tests: arbitrary values through every field.

For any value ``v`` and any field:

* ``from_data(v)`` never raises, and ``from_data(None) is None``;
* ``validate`` passes or raises :class:`ValidationError`, nothing else, even for objects whose
  ``__eq__``, ``__hash__``, ``__len__`` or ``__bool__`` raise;
* ``from_data(v)`` is ``field_type(v)`` as aiomongodel 0.2 computes it (with the documented
  exceptions), or ``v`` itself when that conversion raises (an independent oracle predicts it);
* ``validate(v)`` and ``validate(from_data(v))`` pass exactly when the value is an instance of
  the field's type and meets its constraints (the oracle decides), and when they fail the
  message is the one of the first broken check, in the order the fields check them (list item
  errors under exactly the bad indices);
* a valid converted value is a fixed point of ``from_data`` (up to identity for
  ``ObjectId``, tested in test_fields.py), survives ``from_mongo(to_mongo(x))``, and
  its ``to_mongo`` form survives a BSON encode/decode (MongoDB keeps milliseconds only).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import bson
import pytest
from bson import Decimal128, Int64, ObjectId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

TYPE = "invalid value type"
NONE = "none value is not allowed"
CHOICES = "value does not match any variant"
BLANK = "blank value is not allowed"
EMAIL = "value is not a valid email address"
REQUIRED = "field is required"
ITEMS = object()  # marker: the list has invalid items, reported as {index: error}

TEMPLATES = frozenset(
    {
        REQUIRED,
        NONE,
        BLANK,
        TYPE,
        CHOICES,
        "value does not match pattern {constraint}",
        "length is less than {constraint}",
        "length is greater than {constraint}",
        "value is less than {constraint}",
        "value is greater than {constraint}",
        "value should be greater than {constraint}",
        "value should be less than {constraint}",
        "list length is less than {constraint}",
        "list length is greater than {constraint}",
        EMAIL,
    }
)

#: The bounds in the order they are checked, each with the comparison that breaks it.
BOUNDS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "gte": (operator.lt, "value is less than {}"),
    "lte": (operator.gt, "value is greater than {}"),
    "gt": (operator.le, "value should be greater than {}"),
    "lt": (operator.ge, "value should be less than {}"),
}
FALSE_WORDS = frozenset({"false", "0", "no", "off"})

PROPERTY_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
#: Fewer examples per configuration of the all-fields test, which runs for 16 of them.
PER_FIELD_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=50)


# Values that misbehave ---------------------------------------------------------------


def _raise(*args: Any) -> Any:
    raise RuntimeError("hostile value")


class Hostile:
    """An object whose comparisons, hash, length, truth value and iteration all raise."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _raise  # type: ignore[assignment]
    __hash__ = __len__ = __bool__ = __iter__ = __index__ = __float__ = _raise  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "Hostile()"


class HostileStr(str):
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _raise  # type: ignore[assignment]
    __hash__ = __len__ = __bool__ = _raise  # type: ignore[assignment]


class HostileInt(int):
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _raise  # type: ignore[assignment]
    __hash__ = __bool__ = __index__ = __float__ = _raise  # type: ignore[assignment]


class HostileList(list):  # type: ignore[type-arg]
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _raise  # type: ignore[assignment]
    __len__ = __bool__ = __iter__ = __getitem__ = _raise  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "HostileList()"


class HostileClass:
    """``isinstance`` itself raises for this object (its ``__class__`` lookup fails)."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile __class__")

    def __repr__(self) -> str:
        return "HostileClass()"


HOSTILE_TYPES = (Hostile, HostileStr, HostileInt, HostileList, HostileClass)


def is_hostile(value: Any) -> bool:
    if type(value) in HOSTILE_TYPES:
        return True
    if type(value) in (list, tuple, set, frozenset):
        return any(is_hostile(item) for item in value)
    if type(value) is dict:
        return any(is_hostile(item) for item in value.values())
    return False


hostile = st.one_of(
    st.builds(Hostile),
    st.text(max_size=5).map(HostileStr),
    st.integers(-5, 5).map(HostileInt),
    st.builds(HostileList),
    st.builds(HostileClass),
)


# Strategies ----------------------------------------------------------------------------

TIMEZONES = st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=5, minutes=30))])


def mix(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Draw from one of ``strategies`` chosen uniformly.

    ``st.one_of`` flattens nested ``one_of`` and weighs every leaf alike, which would make
    a rare kind of value out of any group with few leaves.
    """
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


big_integers = mix(
    st.integers(),
    st.integers(INT64_MAX - 2, INT64_MAX + 2),
    st.integers(INT64_MIN - 2, INT64_MIN + 2),
    st.integers(2**53 - 2, 2**53 + 2),
    st.integers(2**64, 2**1100),
    st.integers(-(2**1100), -(2**64)),
)

exact_decimals = st.builds(
    lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=40),
    st.one_of(st.integers(-40, 40), st.integers(-7000, 7000)),
)

decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    exact_decimals,
    st.sampled_from([Decimal("sNaN"), Decimal("-NaN"), Decimal("-0"), Decimal("-Infinity")]),
)

decimal128s = st.one_of(
    st.integers(-(10**33), 10**33).map(lambda i: Decimal128(str(i))),
    st.builds(lambda i, e: Decimal128(f"{i}E{e}"), st.integers(-999, 999), st.integers(-50, 50)),
    st.sampled_from([Decimal128("NaN"), Decimal128("-Infinity"), Decimal128("-0")]),
)

datetimes = st.datetimes(
    min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=TIMEZONES
)

object_ids = st.binary(min_size=12, max_size=12).map(ObjectId)

numeric_strings = st.one_of(
    st.integers().map(str),
    st.integers(INT64_MAX - 2, INT64_MAX + 2).map(str),
    st.floats().map(repr),
    decimals.map(str),
    st.integers(-1000, 1000).map(lambda i: f" {i}\n"),
)

special_strings = st.one_of(
    numeric_strings,
    object_ids.map(str),
    object_ids.map(lambda oid: str(oid).upper()),
    st.text(alphabet="0123456789abcdefxyz", min_size=23, max_size=25),
    datetimes.map(lambda d: d.isoformat()),
    datetimes.map(lambda d: d.isoformat(sep=" ")),
    st.sampled_from(["true", "False", " yes ", "OFF", "1", "0", "on", "no", "maybe", ""]),
    st.emails(),
)

hashable_scalars = st.one_of(
    st.none(),
    st.booleans(),
    big_integers,
    st.floats(),
    st.text(),
    st.binary(),
    object_ids,
    datetimes,
)

scalars = mix(
    hashable_scalars,
    st.integers(INT64_MIN, INT64_MAX).map(Int64),
    decimals,
    decimal128s,
    special_strings,
    st.one_of(st.dates(), st.times(), st.timedeltas(), st.complex_numbers()),
    hostile,
)

anything = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.sets(hashable_scalars, max_size=3),
        st.frozensets(hashable_scalars, max_size=3),
    ),
    max_leaves=8,
)


# Oracles: what each field documents as valid, written independently of fields.py -------


def stored_choices(choices: Any) -> Any:
    """What the field keeps of ``choices``: a dict as it is, any other iterable as a set."""
    return choices if isinstance(choices, dict) else set(choices)


def member(value: Any, choices: Any) -> bool:
    try:
        return value in stored_choices(choices)
    except Exception:  # unhashable value and set/dict choices; Decimal sNaN hash
        return False


def bound_error(value: Any, kwargs: dict[str, Any]) -> str | None:
    """The message of the first bound ``value`` breaks, in the order gte, lte, gt, lt.

    A bound is broken only by a value comparing beyond it: float NaN breaks none; a
    comparison that raises (Decimal NaN refuses to be ordered) breaks it.
    """
    for key, (breaks, message) in BOUNDS.items():
        constraint = kwargs.get(key)
        if constraint is None:
            continue
        try:
            broken = breaks(value, constraint)
        except ArithmeticError:
            broken = True
        if broken:
            return message.format(constraint)
    return None


def converted_or_kept(convert: Callable[[Any], Any], value: Any) -> Any:
    """``convert(value)``, or ``value`` itself when that raises."""
    try:
        return convert(value)
    except Exception:
        return value


def fits_decimal128(value: Decimal) -> bool:
    """Whether ``value`` is exactly c * 10**e with |c| < 10**34 and -6176 <= e <= 6111."""
    if not value.is_finite():
        return True
    _, digits, exponent = value.as_tuple()
    coefficient = int("".join(map(str, digits)))
    assert isinstance(exponent, int)
    if coefficient == 0:
        return True
    while coefficient % 10 == 0:
        coefficient //= 10
        exponent += 1
    if exponent < -6176:
        return False
    padding = exponent - min(exponent, 6111)
    return len(str(coefficient)) + padding <= 34


def same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to NaN (of the same kind) and compares lists deeply.

    An object is the same as itself, whatever its ``==`` says (``complex('nanj')``).
    """
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float) and (math.isnan(a) or math.isnan(b)):
        return math.isnan(a) and math.isnan(b)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        if a.is_nan() or b.is_nan():
            return a.is_snan() == b.is_snan() and a.is_qnan() == b.is_qnan()
        if a.is_zero() and b.is_zero():
            # Decimal128 clamps the exponent of a zero (0E+6112 reads back as 0E+6111).
            return a.is_signed() == b.is_signed()
        return a.as_tuple() == b.as_tuple()  # the same digits and exponent, not just ==
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def object_id_of(value: Any) -> Any:
    """What ``ObjectIdField.from_data`` gives: an ``ObjectId`` for an ``ObjectId``, a
    24-character hex string or 12 bytes; anything else itself."""
    if isinstance(value, ObjectId):
        return ObjectId(value.binary)  # equal; whether it is ``value`` itself is tested apart
    if isinstance(value, str) and len(value) == 24:
        try:
            binary = bytes.fromhex(value)
        except ValueError:
            return value
        return ObjectId(value) if len(binary) == 12 else value
    if isinstance(value, bytes) and len(value) == 12:
        return ObjectId(value)
    return value


class Oracle:
    """Builds a field from keyword arguments and predicts its verdict on any value."""

    field_class: type[Field[Any]] = Field

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs

    def __repr__(self) -> str:
        return f"{type(self).__name__}(**{self.kwargs!r})"

    def field(self) -> Field[Any]:
        return self.field_class(**self.kwargs)

    def values(self) -> st.SearchStrategy[Any]:
        """Values worth trying besides ``anything``."""
        return anything

    def convert(self, value: Any) -> Any:
        """What ``from_data(value)`` gives for a value that is not ``None``: ``value``
        itself when it is kept."""
        raise NotImplementedError

    def type_ok(self, value: Any) -> bool:
        raise NotImplementedError

    def constraint_error(self, value: Any) -> Any:
        """The first constraint (besides type and choices) ``value`` breaks, or ``None``."""
        return None

    def error(self, value: Any) -> Any:
        """The message ``validate(value)`` raises (``ITEMS`` for item errors), or ``None``
        when it must pass."""
        if value is _Empty:
            return REQUIRED if self.kwargs.get("required", True) else None
        if value is None:
            return None if self.kwargs.get("allow_none", False) else NONE
        if not self.type_ok(value):
            return TYPE
        if self.kwargs.get("choices") is not None:
            return None if member(value, self.kwargs["choices"]) else CHOICES
        return self.constraint_error(value)

    def stored(self, value: Any) -> Any:
        """What a valid value reads back as after a trip through BSON and ``from_mongo``."""
        return value


class AnyOracle(Oracle):
    field_class = AnyField

    def convert(self, value: Any) -> Any:
        return value

    def type_ok(self, value: Any) -> bool:
        return True


class StrOracle(Oracle):
    field_class = StrField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(st.text(alphabet="aAb1 \n_", max_size=7), st.text(max_size=3), st.just(""))

    def convert(self, value: Any) -> Any:
        return converted_or_kept(str, value)

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, str)

    def pattern_error(self, value: str) -> str | None:
        regex = self.kwargs.get("regex")
        if regex is None:
            return None
        pattern = re.compile(regex)
        if pattern.match(value):
            return None
        return f"value does not match pattern {pattern.pattern}"

    def constraint_error(self, value: Any) -> Any:
        # The regex first, blank values included; then blank, which ends the checks
        # when allowed; then the lengths.
        pattern_error = self.pattern_error(value)
        if pattern_error is not None:
            return pattern_error
        if value == "":
            return None if self.kwargs.get("allow_blank", False) else BLANK
        min_length = self.kwargs.get("min_length")
        max_length = self.kwargs.get("max_length")
        if min_length is not None and len(value) < min_length:
            return f"length is less than {min_length}"
        if max_length is not None and len(value) > max_length:
            return f"length is greater than {max_length}"
        return None


class EmailOracle(StrOracle):
    field_class = EmailField
    ADDRESS = re.compile(r"[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9.-]+")

    def values(self) -> st.SearchStrategy[Any]:
        return mix(
            st.emails(),
            st.emails().map(lambda e: e + "\n"),
            st.text(alphabet="ab.@-+_ \n", max_size=9),
        )

    def pattern_error(self, value: str) -> str | None:
        # ``re.match`` of a ``^...$`` pattern: ``$`` also matches before a final newline.
        address = value[:-1] if value.endswith("\n") else value
        return None if self.ADDRESS.fullmatch(address) else EMAIL


class NumberOracle(Oracle):
    def constraint_error(self, value: Any) -> Any:
        return bound_error(value, self.kwargs)


class IntOracle(NumberOracle):
    field_class = IntField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(
            big_integers,
            st.integers(-20, 20),
            st.integers(-20, 20).map(float),
            st.booleans(),
            numeric_strings,
        )

    def convert(self, value: Any) -> Any:
        if isinstance(value, Decimal) and not (
            value.is_finite() and INT64_MIN <= value <= INT64_MAX
        ):
            return value  # never expanded: int(Decimal("1E+999999999")) would take ages
        return converted_or_kept(int, value)

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, int)  # bools included

    def constraint_error(self, value: Any) -> Any:
        if value < INT64_MIN:
            return f"value is less than {INT64_MIN}"
        if value > INT64_MAX:
            return f"value is greater than {INT64_MAX}"
        return super().constraint_error(value)


class FloatOracle(NumberOracle):
    field_class = FloatField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(st.floats(), big_integers, numeric_strings, decimals)

    def convert(self, value: Any) -> Any:
        return converted_or_kept(float, value)

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, float)  # ints are not floats


class DecimalOracle(NumberOracle):
    field_class = DecimalField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(decimals, decimal128s, big_integers, st.floats(), numeric_strings)

    def convert(self, value: Any) -> Any:
        return converted_or_kept(Decimal, value)  # a float gives its exact binary value

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, Decimal)

    def constraint_error(self, value: Any) -> Any:
        if not fits_decimal128(value):
            return TYPE
        return super().constraint_error(value)


class BoolOracle(Oracle):
    field_class = BoolField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(st.booleans(), st.integers(-1, 2), special_strings)

    def convert(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
            return False
        return converted_or_kept(bool, value)

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, bool)


class DateTimeOracle(Oracle):
    field_class = DateTimeField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(
            datetimes,
            datetimes.map(lambda d: d.isoformat()),
            st.dates(),
            st.dates().map(lambda d: d.isoformat()),
        )

    def convert(self, value: Any) -> Any:
        return value  # no ISO parsing

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, dt.datetime)

    def stored(self, value: Any) -> Any:
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.replace(microsecond=value.microsecond // 1000 * 1000)


class ObjectIdOracle(Oracle):
    field_class = ObjectIdField

    def values(self) -> st.SearchStrategy[Any]:
        return mix(object_ids, special_strings, st.binary(min_size=12, max_size=12))

    def convert(self, value: Any) -> Any:
        return object_id_of(value)

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, ObjectId)


class ListOracle(Oracle):
    field_class = ListField

    def __init__(self, item: Oracle, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item

    def __repr__(self) -> str:
        return f"ListOracle({self.item!r}, **{self.kwargs!r})"

    def field(self) -> Field[Any]:
        return ListField(self.item.field(), **self.kwargs)

    def values(self) -> st.SearchStrategy[Any]:
        items = mix(self.item.values(), anything)
        return mix(st.lists(items, max_size=5), st.lists(items, max_size=5).map(tuple))

    def convert(self, value: Any) -> Any:
        if not isinstance(value, list):
            return value  # a tuple too
        return [None if item is None else self.item.convert(item) for item in value]

    def type_ok(self, value: Any) -> bool:
        return isinstance(value, list)  # not a tuple

    def constraint_error(self, value: Any) -> Any:
        min_length = self.kwargs.get("min_length")
        max_length = self.kwargs.get("max_length")
        if min_length is not None and len(value) < min_length:
            return f"list length is less than {min_length}"
        if max_length is not None and len(value) > max_length:
            return f"list length is greater than {max_length}"
        if any(self.item.error(item) is not None for item in value):
            return ITEMS
        return None

    def stored(self, value: Any) -> Any:
        return [None if item is None else self.item.stored(item) for item in value]


# Field configurations --------------------------------------------------------------------


def common(choices: st.SearchStrategy[Any] | None = None) -> dict[str, st.SearchStrategy[Any]]:
    options: dict[str, st.SearchStrategy[Any]] = {
        "required": st.booleans(),
        "allow_none": st.booleans(),
    }
    if choices is not None:
        # Choices switch the other constraints off: give them a small share of the examples.
        options["choices"] = mix(
            st.none(),
            st.none(),
            st.none(),
            st.one_of(
                st.lists(choices, max_size=4),
                st.lists(choices, max_size=4).map(tuple),
                st.frozensets(choices, max_size=4),
                st.dictionaries(choices, st.text(max_size=3), max_size=4),
            ),
        )
    return options


def oracles(cls: type[Oracle], choices: Any = None, **options: Any) -> st.SearchStrategy[Oracle]:
    return st.fixed_dictionaries({}, optional={**common(choices), **options}).map(
        lambda kwargs: cls(**kwargs)
    )


lengths = st.integers(0, 6)
int_bounds = st.integers(-20, 20)
float_bounds = st.one_of(st.floats(-20, 20), st.integers(-20, 20))
decimal_bounds = st.one_of(
    st.decimals(-20, 20, allow_nan=False, allow_infinity=False), st.integers(-20, 20)
)

STR_FIELDS = oracles(
    StrOracle,
    choices=st.text(alphabet="ab", max_size=3),
    allow_blank=st.booleans(),
    min_length=lengths,
    max_length=lengths,
    regex=st.sampled_from([r"^[a-z]+$", r"\d", "a|A", re.compile("^a", re.IGNORECASE)]),
)
EMAIL_FIELDS = oracles(EmailOracle, allow_blank=st.booleans(), max_length=st.integers(3, 30))
INT_FIELDS = oracles(
    IntOracle,
    choices=st.integers(-5, 5),
    gt=int_bounds,
    gte=int_bounds,
    lt=int_bounds,
    lte=int_bounds,
)
FLOAT_FIELDS = oracles(
    FloatOracle,
    choices=st.floats(-5, 5),
    gt=float_bounds,
    gte=float_bounds,
    lt=float_bounds,
    lte=float_bounds,
)
DECIMAL_FIELDS = oracles(
    DecimalOracle,
    choices=decimal_bounds.map(Decimal),
    gt=decimal_bounds,
    gte=decimal_bounds,
    lt=decimal_bounds,
    lte=decimal_bounds,
)
BOOL_FIELDS = oracles(BoolOracle, choices=st.booleans())
DATETIME_FIELDS = oracles(DateTimeOracle, choices=datetimes)
OBJECT_ID_FIELDS = oracles(ObjectIdOracle, choices=object_ids)
ANY_FIELDS = oracles(AnyOracle, choices=hashable_scalars)
SCALARS = {
    "AnyField": ANY_FIELDS,
    "StrField": STR_FIELDS,
    "EmailField": EMAIL_FIELDS,
    "IntField": INT_FIELDS,
    "FloatField": FLOAT_FIELDS,
    "DecimalField": DECIMAL_FIELDS,
    "BoolField": BOOL_FIELDS,
    "DateTimeField": DATETIME_FIELDS,
    "ObjectIdField": OBJECT_ID_FIELDS,
}


def lists_of(items: st.SearchStrategy[Oracle]) -> st.SearchStrategy[Oracle]:
    return st.builds(
        lambda item, kwargs: ListOracle(item, **kwargs),
        items,
        st.fixed_dictionaries(
            {}, optional={**common(), "min_length": lengths, "max_length": lengths}
        ),
    )


CONFIGURATIONS = {
    **SCALARS,
    "ListField(IntField)": lists_of(INT_FIELDS),
    "ListField(StrField)": lists_of(STR_FIELDS),
    "ListField(DecimalField)": lists_of(DECIMAL_FIELDS),
    "ListField(DateTimeField)": lists_of(DATETIME_FIELDS),
    "ListField(ObjectIdField)": lists_of(OBJECT_ID_FIELDS),
    "ListField(BoolField|FloatField)": lists_of(st.one_of(BOOL_FIELDS, FLOAT_FIELDS)),
    "ListField(ListField(IntField))": lists_of(lists_of(INT_FIELDS)),
}


# Checks ----------------------------------------------------------------------------------


def assert_error_expected(oracle: Oracle, error: ValidationError, value: Any) -> None:
    expected = oracle.error(value)
    assert expected is not None, f"{value!r} was rejected with {error.as_dict()!r}"
    if isinstance(error.error, dict):
        assert isinstance(oracle, ListOracle), error.as_dict()
        assert expected is ITEMS, f"item errors {error.as_dict()!r}, expected {expected!r}"
        bad = {index for index, item in enumerate(value) if oracle.item.error(item) is not None}
        assert set(error.error) == bad
        for index, item_error in error.error.items():
            assert_error_expected(oracle.item, item_error, value[index])
    else:
        assert error.as_dict() == expected, f"{value!r}: {error.as_dict()!r}, not {expected!r}"


def assert_validate_as_predicted(oracle: Oracle, field: Field[Any], value: Any) -> bool:
    """Validate ``value`` and compare with the oracle; return whether it was valid."""
    try:
        field.validate(value)
    except ValidationError as error:
        assert_error_expected(oracle, error, value)
        return False
    assert oracle.error(value) is None, f"{value!r} passed, expected {oracle.error(value)!r}"
    return True


def assert_well_formed(error: ValidationError) -> None:
    if isinstance(error.error, dict):
        assert error.error
        for key, nested in error.error.items():
            assert isinstance(key, int)
            assert isinstance(nested, ValidationError)
            assert_well_formed(nested)
    else:
        assert error.error in TEMPLATES
        assert isinstance(error.as_dict(), str)


def validate_robustly(field: Field[Any], value: Any) -> bool:
    """``validate`` may pass or raise a well-formed ValidationError, nothing else."""
    try:
        field.validate(value)
    except ValidationError as error:
        assert_well_formed(error)
        return False
    return True


def assert_converted_as_predicted(oracle: Oracle, value: Any, converted: Any) -> None:
    expected = oracle.convert(value)
    if expected is value:
        assert converted is value, f"from_data({value!r}) == {converted!r}, expected it kept"
    else:
        assert same(converted, expected), f"from_data({value!r}) == {converted!r}, not {expected!r}"
        assert type(converted) is type(expected)
        if isinstance(expected, list):
            assert all(
                type(got) is type(want) for got, want in zip(converted, expected, strict=True)
            )


def assert_valid_value_round_trips(oracle: Oracle, field: Field[Any], value: Any) -> None:
    if isinstance(oracle, AnyOracle):
        assert field.from_data(value) is value
        assert field.to_mongo(value) is value
        assert field.from_mongo(value) is value
        return
    again = field.from_data(value)
    assert same(again, value), f"from_data({value!r}) == {again!r}"
    assert type(again) is type(value)
    assert same(field.from_mongo(field.to_mongo(value)), value)
    if value is None:
        return
    document = bson.decode(bson.encode({"v": field.to_mongo(value)}))
    assert same(field.from_mongo(document["v"]), oracle.stored(value))


# Properties ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
@PER_FIELD_SETTINGS
@given(data=st.data())
def test_any_value(name: str, data: st.DataObject) -> None:
    oracle = data.draw(CONFIGURATIONS[name], label="oracle")
    value = data.draw(mix(oracle.values(), anything), label="value")
    field = oracle.field()

    assert field.from_data(None) is None
    converted = field.from_data(value)

    if is_hostile(value):
        validate_robustly(field, value)
        validate_robustly(field, converted)
        return

    if value is not None:
        assert_converted_as_predicted(oracle, value, converted)
    assert_validate_as_predicted(oracle, field, value)
    if assert_validate_as_predicted(oracle, field, converted):
        assert_valid_value_round_trips(oracle, field, converted)


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_required(name: str, data: st.DataObject) -> None:
    oracle = data.draw(CONFIGURATIONS[name], label="oracle")
    field = oracle.field()
    if oracle.kwargs.get("required", True):
        with pytest.raises(ValidationError) as info:
            field.validate(_Empty)
        assert info.value.as_dict() == REQUIRED
    else:
        field.validate(_Empty)


@PROPERTY_SETTINGS
@given(value=st.one_of(big_integers, st.booleans(), st.booleans().map(str)))
def test_int_field_accepts_exactly_int64_and_bools(value: Any) -> None:
    field = IntField()
    in_range = isinstance(value, int) and INT64_MIN <= value <= INT64_MAX
    assert validate_robustly(field, value) == in_range
    assert validate_robustly(field, field.from_data(value)) == in_range


@PROPERTY_SETTINGS
@given(value=st.booleans())
def test_int_field_converts_bools_to_ints(value: bool) -> None:
    converted = IntField().from_data(value)
    assert type(converted) is int
    assert converted == int(value)


@PROPERTY_SETTINGS
@given(value=mix(big_integers, st.booleans()))
def test_float_field_rejects_integers_and_converts_those_a_float_holds(value: int) -> None:
    field = FloatField()
    assert not validate_robustly(field, value)
    try:
        as_float = float(value)
    except OverflowError:
        assert field.from_data(value) is value
    else:
        converted = field.from_data(value)
        assert type(converted) is float
        assert converted == as_float
        assert validate_robustly(field, converted)


# Documented conversions ------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(value=st.integers(-(10**100), 10**100))
def test_int_field_converts_integer_strings(value: int) -> None:
    assert IntField().from_data(str(value)) == value


@PROPERTY_SETTINGS
@given(value=st.floats(allow_nan=False, allow_infinity=False))
def test_float_field_converts_its_repr(value: float) -> None:
    assert FloatField().from_data(repr(value)) == value


@PROPERTY_SETTINGS
@given(value=st.floats(allow_nan=False))
def test_decimal_field_converts_a_float_to_its_exact_binary_value(value: float) -> None:
    converted = DecimalField().from_data(value)
    assert type(converted) is Decimal
    assert same(converted, Decimal(value))
    assert float(converted) == value
    if math.isfinite(value):
        assert converted.as_integer_ratio() == value.as_integer_ratio()


@PROPERTY_SETTINGS
@given(value=st.integers(-(2**1000), 2**1000))
def test_float_field_converts_integers(value: int) -> None:
    converted = FloatField().from_data(value)
    assert type(converted) is float
    assert converted == float(value)


@PROPERTY_SETTINGS
@given(value=decimals)
def test_decimal_field_converts_strings_and_keeps_decimal128(value: Decimal) -> None:
    field = DecimalField()
    assert same(field.from_data(str(value)), value)
    if fits_decimal128(value):
        stored = Decimal128(value)
        assert field.from_data(stored) is stored
        assert not validate_robustly(field, field.from_data(stored))
        assert same(field.from_mongo(stored), value)


@PROPERTY_SETTINGS
@given(value=decimals)
def test_decimal_field_validity_is_decimal128_range(value: Decimal) -> None:
    field = DecimalField()
    valid = validate_robustly(field, value)
    assert valid == fits_decimal128(value)
    if valid:
        stored = field.to_mongo(value)
        assert isinstance(stored, Decimal128)
        assert same(field.from_mongo(stored), value)


@PROPERTY_SETTINGS
@given(value=datetimes)
def test_datetime_field_keeps_isoformat_strings(value: dt.datetime) -> None:
    field = DateTimeField()
    for text in (value.isoformat(), value.isoformat(sep=" ")):
        assert field.from_data(text) is text
        assert not validate_robustly(field, field.from_data(text))
    assert field.from_data(value) is value


@PROPERTY_SETTINGS
@given(oid=object_ids)
def test_object_id_field_converts_hex_strings(oid: ObjectId) -> None:
    assert ObjectIdField().from_data(str(oid)) == oid
    assert ObjectIdField().from_data(str(oid).upper()) == oid


@PROPERTY_SETTINGS
@given(binary=st.binary(min_size=12, max_size=12))
def test_object_id_field_converts_12_bytes(binary: bytes) -> None:
    converted = ObjectIdField().from_data(binary)
    assert type(converted) is ObjectId
    assert converted.binary == binary


@PROPERTY_SETTINGS
@given(value=mix(anything, st.binary(min_size=11, max_size=13), special_strings))
def test_object_id_field_keeps_what_it_cannot_convert(value: Any) -> None:
    converted = ObjectIdField().from_data(value)
    if is_hostile(value):
        return
    hex_string = isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{24}", value)
    if hex_string or (isinstance(value, bytes) and len(value) == 12):
        assert converted == ObjectId(value)
    elif value is not None:
        assert converted is value


@PROPERTY_SETTINGS
@given(value=st.booleans())
def test_bool_field_converts_ints_and_words(value: bool) -> None:
    field = BoolField()
    assert field.from_data(value) is value
    assert field.from_data(int(value)) is value
    assert field.from_data(str(value)) is value
    assert field.from_data(str(value).lower()) is value


@PROPERTY_SETTINGS
@given(
    word=st.sampled_from(sorted(FALSE_WORDS)),
    case=st.sampled_from([str.lower, str.upper, str.title, str.swapcase]),
    left=st.sampled_from(["", " ", "\t", "\n "]),
    right=st.sampled_from(["", " ", "\r\n"]),
)
def test_bool_field_reads_false_words_as_false(
    word: str, case: Callable[[str], str], left: str, right: str
) -> None:
    assert BoolField().from_data(left + case(word) + right) is False


@PROPERTY_SETTINGS
@given(value=mix(anything, special_strings))
def test_bool_field_converts_with_bool(value: Any) -> None:
    converted = BoolField().from_data(value)
    if is_hostile(value) or value is None:
        return
    if isinstance(value, str) and value.strip().lower() in FALSE_WORDS:
        assert converted is False
    else:
        assert converted is bool(value)


@PROPERTY_SETTINGS
@given(value=anything)
def test_str_field_converts_with_str(value: Any) -> None:
    converted = StrField().from_data(value)
    if is_hostile(value) or value is None:
        return
    assert type(converted) is str
    assert converted == str(value)


@PROPERTY_SETTINGS
@given(value=st.lists(anything, max_size=5))
def test_list_field_converts_lists_and_keeps_tuples(value: list[Any]) -> None:
    field = ListField(IntField())
    from_list = field.from_data(value)
    assert type(from_list) is list
    assert len(from_list) == len(value)
    as_tuple = tuple(value)
    assert field.from_data(as_tuple) is as_tuple
    assert not validate_robustly(field, field.from_data(as_tuple))


CHOICE_ITERABLES: dict[str, Callable[[list[Any]], Any]] = {
    "list": list,
    "tuple": tuple,
    "frozenset": frozenset,
    "iterator": iter,
    "generator": lambda items: (item for item in items),
    "str": lambda items: "".join(map(str, items)),  # the set of its characters
}


@PROPERTY_SETTINGS
@given(
    items=st.lists(st.integers(0, 9), max_size=4),
    kind=st.sampled_from(sorted(CHOICE_ITERABLES)),
    value=st.integers(-1, 10),
)
def test_iterable_choices_are_kept_as_a_set(items: list[int], kind: str, value: int) -> None:
    choices = CHOICE_ITERABLES[kind](items)
    field: Field[Any]
    expected: set[Any]
    checked: Any
    if kind == "str":
        field, expected, checked = StrField(choices=choices), set(map(str, items)), str(value)
    else:
        field, expected, checked = IntField(choices=choices), set(items), value
    assert type(field.choices) is set
    assert field.choices == expected
    assert validate_robustly(field, checked) == (checked in expected)
    assert validate_robustly(field, checked) == (checked in expected)  # not a used-up iterator


@PROPERTY_SETTINGS
@given(
    choices=st.dictionaries(st.integers(-5, 5), st.text(max_size=2), max_size=4),
    value=st.integers(-6, 6),
)
def test_dict_choices_are_kept_as_they_are(choices: dict[int, str], value: int) -> None:
    field = IntField(choices=choices)
    assert field.choices is choices
    assert validate_robustly(field, value) == (value in choices)
