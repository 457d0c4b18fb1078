"""The per-class generated functions against the field methods they stand for.

A document class compiles ``make``, ``dump``, ``errors`` and ``build`` (``meta.compiled``)
from expressions its fields contribute. Hypothesis builds document classes over every
field type and every option that changes those expressions, fills them with arbitrary
values (valid ones and junk), and checks each public method against the field methods
called one field at a time:

* ``validate()`` raises exactly the errors of ``field.validate(value or _Empty)``, in field
  order, or passes when none fails;
* ``to_mongo()`` is ``{field.mongo_name: field.to_mongo(value)}`` over the set fields;
* ``from_mongo(stored)`` holds ``{name: field.from_mongo(stored[mongo_name])}`` over the
  mongo names present, whatever else ``stored`` holds;
* ``Cls(**kwargs)`` and ``Cls.from_data(kwargs)`` hold ``{name: field.from_data(value)}``
  plus the converted defaults of missing required fields; a synonym acts as its field;
  unknown names raise ``TypeError`` (constructor) or ``AttributeError`` (``from_data``,
  ``populate_with_data``, which then set nothing).

Any exception is part of the result: where the field methods raise, the generated code
must raise the same exception.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from bson import SON, Decimal128, ObjectId
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiomongodel.document import BaseDocument, Document, EmbeddedDocument
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
    SynonymField,
)
from aiomongodel.utils import _Empty
from tests.hostile import BrokenEq, Hostile, Liar, raise_error

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


# Values that misbehave -------------------------------------------------------------------


class HostileList(list):  # type: ignore[type-arg]
    __eq__ = __ne__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]


class HostileDict(dict):  # type: ignore[type-arg]
    __eq__ = __ne__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]


class _Boom:
    """The value user-defined fields fail on with ``ValueError`` (a user bug)."""

    def __repr__(self) -> str:
        return "BOOM"


BOOM = _Boom()


# Classes defined once, referred to by class or by dotted path -----------------------------


class Shout(Field[str]):
    """A user field: upper-cases input, stores it reversed, rejects lower case."""

    field_type = str

    def from_data(self, value: Any) -> Any:
        if value is BOOM:
            raise ValueError("boom in from_data")
        return value.upper() if type(value) is str else super().from_data(value)

    def to_mongo(self, value: Any) -> Any:
        if value is BOOM:
            raise ValueError("boom in to_mongo")
        return value[::-1] if type(value) is str else value

    def validate(self, value: Any) -> None:
        if value is BOOM:
            raise ValueError("boom in validate")
        super().validate(value)
        if type(value) is str and value != value.upper():
            raise ValidationError("value is not upper case")


class EvenInt(IntField):
    """A user subclass of a built-in field that only adds a check."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if type(value) is int and value % 2:
            raise ValidationError("value is odd")


class Point(EmbeddedDocument):
    x = IntField()
    y = IntField(required=False, mongo_name="Y")
    label = StrField(required=False, allow_none=True)
    tag = Shout(required=False)


class Checked(EmbeddedDocument):
    """Overrides ``validate``."""

    low = IntField()
    high = IntField(required=False)

    def validate(self) -> Checked:
        super().validate()
        if self.high is not None and self.high < self.low:
            raise ValidationError({"high": ValidationError("high is below low")})
        return self


class Shape(EmbeddedDocument):
    """Overrides ``from_mongo`` to load subclasses by ``kind``."""

    kind = StrField()
    size = FloatField(required=False)

    @classmethod
    def from_mongo(cls, data: Mapping[str, Any]) -> Shape:
        kind = data.get("kind")
        klass = Circle if type(kind) is str and kind == "circle" else Shape
        document: Shape = super(Shape, klass).from_mongo(data)
        return document


class Circle(Shape):
    radius = DecimalField(required=False)


class Stamped(EmbeddedDocument):
    """Overrides ``to_mongo``."""

    value = IntField(mongo_name="v")

    def to_mongo(self) -> dict[str, Any]:
        result = super().to_mongo()
        result["stamp"] = 1
        return result


class Tree(EmbeddedDocument):
    """Refers to itself by dotted path."""

    label = StrField(required=False)
    weight = DecimalField(required=False, mongo_name="w")
    children = ListField(EmbDocField(f"{__name__}.Tree"), required=False)
    left = EmbDocField(f"{__name__}.Tree", required=False, allow_none=True)


class Target(Document):
    name = StrField(required=False)


class IntTarget(Document):
    _id = IntField()


class DecimalTarget(Document):
    _id = DecimalField(default=Decimal("1.5"))


class LoudEmbedded(EmbeddedDocument):
    """A base class: generated classes inherit its fields."""

    shout = Shout(required=False)
    shouts = ListField(Shout(), required=False, mongo_name="s")


class LoudDocument(Document):
    shout = Shout(required=False, default="HEY")


EMBEDDED = (Point, Checked, Shape, Circle, Stamped, Tree)
BASES = (EmbeddedDocument, Document, LoudEmbedded, LoudDocument)
TARGETS = (Target, IntTarget, DecimalTarget)


# Value strategies ------------------------------------------------------------------------


def mix(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """One of ``strategies``, each chosen equally often (``one_of`` weighs leaves)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


integers = mix(
    st.integers(),
    st.integers(INT64_MIN - 2, INT64_MIN + 2),
    st.integers(INT64_MAX - 2, INT64_MAX + 2),
    # Past 4300 digits, ``repr`` and ``str`` of an int raise ValueError.
    st.sampled_from([64, 5000]).flatmap(lambda e: st.sampled_from([10**e, -(10**e)])),
)
decimals = mix(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("-NaN"), Decimal("1E+999999"), Decimal("-0")]),
    st.integers(-(10**40), 10**40).map(Decimal),
)
decimal128s = st.one_of(
    st.integers(-(10**33), 10**33).map(lambda i: Decimal128(str(i))),
    st.sampled_from([Decimal128("NaN"), Decimal128("-Infinity"), Decimal128("1.50")]),
)
object_ids = st.binary(min_size=12, max_size=12).map(ObjectId)
datetimes = st.datetimes(
    min_value=dt.datetime(2, 1, 1),
    timezones=st.sampled_from([None, dt.timezone.utc, dt.timezone(dt.timedelta(hours=3))]),
)
texts = mix(
    st.text(max_size=8),
    st.sampled_from(["", "$x", "a.b", "\0", "true", "OFF", "7", "1.5", "NaN", "Abc"]),
)
#: Classes a ``Liar`` claims to be an instance of.
CLAIMED = (str, int, float, bool, Decimal, Decimal128, dt.datetime, ObjectId, dict, list, tuple)
CLAIMED += (Point, Tree, Shape, Target)

# Built by ``st.builds``: Hypothesis describes ``sampled_from`` by its elements, which
# these objects would not survive.
hostile = st.one_of(
    st.builds(BrokenEq),
    st.builds(Hostile),
    st.builds(HostileList, st.lists(st.integers(), max_size=2)),
    st.builds(HostileDict, st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)),
    st.builds(
        Liar,
        st.sampled_from(CLAIMED),
    ),
    st.just(BOOM),
)
scalars = mix(
    st.none(),
    st.booleans(),
    integers,
    st.floats(),
    decimals,
    decimal128s,
    texts,
    st.binary(max_size=4),
    datetimes,
    st.dates(),
    object_ids,
    hostile,
)
junk = st.recursive(
    scalars,
    lambda children: mix(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.dictionaries(st.one_of(st.integers(), object_ids, st.none()), children, max_size=2),
    ),
    max_leaves=6,
)


def ordinary_values(field: Field[Any], depth: int) -> st.SearchStrategy[Any]:
    """Values a user of ``field`` would plausibly pass (valid ones and near misses)."""
    if isinstance(field, EmailField):
        return mix(st.emails(), st.from_regex(EmailField.EMAIL_REGEX, fullmatch=True), texts)
    if isinstance(field, StrField):
        regex = field.regex
        pattern = st.from_regex(regex) if regex is not None else st.nothing()
        return mix(texts, pattern, st.text(min_size=3, max_size=12))
    if isinstance(field, IntField):
        return mix(integers, st.integers(-3, 12), st.floats(), decimals, st.integers().map(str))
    if isinstance(field, FloatField):
        return mix(st.floats(), integers, decimals, st.floats().map(repr))
    if isinstance(field, DecimalField):
        return mix(decimals, decimal128s, st.floats(), integers, st.decimals().map(str))
    if isinstance(field, BoolField):
        return mix(st.booleans(), st.integers(-1, 2), texts)
    if isinstance(field, DateTimeField):
        return mix(datetimes, datetimes.map(dt.datetime.isoformat), st.dates(), texts)
    if isinstance(field, ObjectIdField):
        return mix(object_ids, object_ids.map(str), st.text("0123456789abcdefg", min_size=24))
    if isinstance(field, Shout):
        return mix(texts, st.just(BOOM))
    if isinstance(field, EmbDocField):
        return documents_of(field.document_class, depth)
    if isinstance(field, ListField):
        items = st.lists(values_for(field.item_field, depth + 1), max_size=3)
        return mix(items, items.map(tuple))
    if isinstance(field, RefField):
        target = field.document_class
        id_values = values_for(target.meta.fields["_id"], depth + 1)
        return mix(id_values, instances_of(target, depth))
    return junk


def values_for(field: Field[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Ordinary values, choices, junk, hostile objects."""
    strategies = [ordinary_values(field, depth), junk, hostile]
    if field.choices is not None:
        choices = list(field.choices)
        strategies.append(st.integers(0, len(choices) - 1).map(lambda i: choices[i]))
    return mix(*strategies)


def some_of(strategies: dict[Any, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[Any, Any]]:
    """A dict of values drawn from ``strategies``, each key present three times in four."""
    present = st.sampled_from([True, True, True, False])
    return st.fixed_dictionaries(
        {key: st.tuples(present, strategy) for key, strategy in strategies.items()}
    ).map(lambda drawn: {key: value for key, (keep, value) in drawn.items() if keep})


def raw_data(cls: type[BaseDocument], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    """``{field name: value}`` for some of the fields of ``cls``, values unconverted."""
    if depth > 2:
        return st.just({})
    fields = cls.meta.fields
    return some_of({name: values_for(field, depth + 1) for name, field in fields.items()})


def cached(
    build: Callable[[type[BaseDocument], int], st.SearchStrategy[Any]],
) -> Callable[[type[BaseDocument], int], st.SearchStrategy[Any]]:
    """Build the strategies of this module's classes once (generated ones change)."""
    cache: dict[tuple[type[BaseDocument], int], st.SearchStrategy[Any]] = {}

    def strategy(cls: type[BaseDocument], depth: int = 0) -> st.SearchStrategy[Any]:
        if cls not in (*EMBEDDED, *TARGETS):
            return build(cls, depth)
        if (cls, depth) not in cache:
            cache[cls, depth] = build(cls, depth)
        return cache[cls, depth]

    return strategy


@cached
def instances_of(cls: type[BaseDocument], depth: int) -> st.SearchStrategy[Any]:
    """Instances of ``cls`` holding arbitrary (unconverted) values."""

    def instance(values: dict[str, Any]) -> Any:
        document = cls(_empty=True)
        document._data = values
        return document

    return raw_data(cls, depth).map(instance)


@cached
def documents_of(cls: type[BaseDocument], depth: int) -> st.SearchStrategy[Any]:
    """What an embedded document field may be given: instances, dicts, other documents."""
    unknown = st.dictionaries(st.sampled_from(["nope", "$set", "a.b"]), junk, max_size=1)
    dicts = st.builds(lambda data, extra: {**data, **extra}, raw_data(cls, depth), unknown)
    others = st.sampled_from(EMBEDDED).flatmap(lambda other: instances_of(other, depth + 1))
    return mix(instances_of(cls, depth), dicts, others)


def stored_values(field: Field[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values as MongoDB could hold them for ``field``, and junk."""
    if isinstance(field, DecimalField):
        ordinary = mix(decimal128s, decimals)
    elif isinstance(field, EmbDocField):
        ordinary = stored_documents(field.document_class, depth + 1)
    elif isinstance(field, ListField):
        ordinary = st.lists(stored_values(field.item_field, depth + 1), max_size=3)
    elif isinstance(field, RefField):
        ordinary = stored_values(field.document_class.meta.fields["_id"], depth + 1)
    else:
        ordinary = ordinary_values(field, depth)
    return mix(ordinary, junk)


@cached
def stored_documents(cls: type[BaseDocument], depth: int = 0) -> st.SearchStrategy[Any]:
    """Stored dicts of ``cls``: some mongo names, plus unknown keys of any type."""
    if depth > 2:
        return st.just({})
    known = some_of(
        {
            str(field.mongo_name): stored_values(field, depth + 1)
            for field in cls.meta.fields.values()
        }
    )
    unknown = st.dictionaries(
        st.one_of(st.text(max_size=4), st.integers(), st.none(), object_ids), junk, max_size=2
    )
    kind = st.fixed_dictionaries({}, optional={"kind": st.sampled_from(["circle", "square"])})

    def merge(known: dict[Any, Any], unknown: dict[Any, Any], kind: dict[Any, Any]) -> Any:
        return {**unknown, **kind, **known}

    return st.builds(merge, known, unknown, kind)


# Document classes ------------------------------------------------------------------------

RESERVED = Document._reserved_names | EmbeddedDocument._reserved_names  # type: ignore[attr-defined]


def valid_mongo_name(name: str) -> bool:
    return not name.startswith("$") and "." not in name and "\0" not in name and name != "_id"


ODD_NAMES = ["class", "0", "a b", "__v", "__self", "self", "len", "type", "v", "kwargs"]
ODD_NAMES += ["\ufb01le", "file"]
# Names a class body cannot declare (digits, keywords, "a b", "__x") are fields too when
# the class is built with ``type()``.
field_names = mix(
    st.sampled_from(["a", "b", "c", "name", "value", "x", "y", "_private", "Y", "w"]),
    st.sampled_from(ODD_NAMES),
    st.text(min_size=1, max_size=6),
).filter(lambda name: name not in RESERVED and name != "Meta" and valid_mongo_name(name))
mongo_texts = st.text(min_size=1, max_size=6).filter(valid_mongo_name)
odd_bounds = st.sampled_from(
    [
        math.nan,
        math.inf,
        -math.inf,
        10**30,
        -(10**30),
        2.5,
        -0.5,
        Decimal("2.5"),
        Decimal("NaN"),
        Decimal("sNaN"),
        True,
        "3",
    ]
)
bounds = mix(st.integers(-5, 10), st.floats(-5, 10), st.decimals(-5, 10), odd_bounds)
REGEXES = [r"^[a-z]+$", r"[A-Z]", r"\d*", re.compile(r"x|y"), r"(?i)abc"]


SCALAR_FIELDS = (StrField, EmailField, IntField, FloatField, DecimalField, BoolField)
SCALAR_FIELDS += (DateTimeField, ObjectIdField, AnyField, Shout, Shout, EvenInt)


@st.composite
def scalar_fields(draw: st.DrawFn) -> tuple[type[Field[Any]], dict[str, Any]]:
    """A scalar field class and its own options."""
    kind = draw(st.sampled_from(SCALAR_FIELDS))
    options: dict[str, Any] = {}
    if kind is StrField:
        options = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "min_length": st.integers(0, 4),
                    "max_length": st.integers(0, 10),
                    "regex": st.sampled_from(REGEXES),
                    "allow_blank": st.booleans(),
                },
            )
        )
    elif kind is EmailField:
        options = draw(st.fixed_dictionaries({}, optional={"allow_blank": st.booleans()}))
    elif kind in (IntField, FloatField, DecimalField, EvenInt):
        options = draw(
            st.fixed_dictionaries({}, optional={key: bounds for key in ("gt", "gte", "lt", "lte")})
        )
    return kind, options


def _hashable(value: Any) -> bool:
    """Whether ``value`` can be a choice: fields keep choices as a set, as 0.2 does."""
    try:
        hash(value)
    except Exception:
        return False
    return True


@st.composite
def fields(draw: st.DrawFn, depth: int) -> Field[Any]:
    """A new field of any type, with any combination of the options."""
    kinds = ["scalar", "scalar", "scalar", "embedded", "ref"]
    if depth < 2:
        kinds.append("list")
    if depth < 1:
        kinds.append("new embedded")
    kind = draw(st.sampled_from(kinds))
    make: Callable[..., Field[Any]]
    if kind == "scalar":
        field_class, options = draw(scalar_fields())
        make = lambda **common: field_class(**options, **common)  # noqa: E731
    elif kind in ("embedded", "new embedded"):
        if kind == "embedded":
            cls: Any = draw(st.sampled_from(EMBEDDED))
            reference = draw(st.sampled_from([cls, f"{__name__}.{cls.__name__}"]))
        else:
            reference = draw(document_classes(EmbeddedDocument, depth + 1))
        make = lambda **common: EmbDocField(reference, **common)  # noqa: E731
    elif kind == "list":
        item = draw(fields(depth + 1))
        lengths = draw(
            st.fixed_dictionaries(
                {}, optional={"min_length": st.integers(0, 2), "max_length": st.integers(0, 3)}
            )
        )
        make = lambda **common: ListField(item, **lengths, **common)  # noqa: E731
    else:
        target = draw(st.sampled_from(TARGETS))
        reference = draw(st.sampled_from([target, f"{__name__}.{target.__name__}"]))
        make = lambda **common: RefField(reference, **common)  # noqa: E731

    probe = make()
    common: dict[str, Any] = draw(
        st.fixed_dictionaries({}, optional={"required": st.booleans(), "allow_none": st.booleans()})
    )
    # Choices and defaults: ordinary values or flat junk (cheaper to draw than values_for).
    settable = mix(ordinary_values(probe, depth + 1), scalars)
    if kind == "scalar" and draw(st.booleans()):
        choices = draw(st.lists(settable.filter(_hashable), min_size=1, max_size=3))
        common["choices"] = draw(st.sampled_from([list, tuple, set, dict.fromkeys]))(choices)
    default_kind = draw(st.sampled_from(["none", "value", "callable"]))
    if default_kind != "none":
        value = draw(settable.filter(lambda v: v is not BOOM))
        common["default"] = value if default_kind == "value" else lambda: value
    return make(**common)


@st.composite
def document_classes(
    draw: st.DrawFn, base: type[BaseDocument] | None = None, depth: int = 0
) -> type[BaseDocument]:
    """A new document class with arbitrary fields, mongo names and synonyms."""
    if base is None:
        base = draw(st.sampled_from(BASES))
    inherited = base.meta.fields.values()
    taken = {name for field in inherited for name in (field.name, field.mongo_name)}
    names = draw(
        st.lists(
            field_names.filter(lambda name: name not in taken),
            max_size=4 if depth == 0 else 2,
            unique=True,
        )
    )
    declared = {name: draw(fields(depth)) for name in names}
    if names and draw(st.booleans()):  # renames: a permutation of names and new ones
        mongo_names = draw(
            st.lists(
                mix(st.sampled_from(names), mongo_texts.filter(lambda name: name not in taken)),
                min_size=len(names),
                max_size=len(names),
                unique=True,
            )
        )
        for (name, field), mongo_name in zip(declared.items(), mongo_names, strict=True):
            if mongo_name != name:
                field.mongo_name = mongo_name
    namespace: dict[str, Any] = dict(declared)
    if issubclass(base, Document):
        id_field = draw(
            st.sampled_from(
                [
                    None,
                    lambda: ObjectIdField(default=ObjectId("5" * 24)),
                    lambda: IntField(),
                    lambda: DecimalField(default=lambda: Decimal("2")),
                    lambda: Shout(default="ID"),
                ]
            )
        )
        if id_field is not None:
            namespace["_id"] = id_field()
    for name in names:
        if draw(st.integers(0, 3)) == 0:
            synonym = f"{name}_syn"
            if synonym not in RESERVED and synonym not in namespace:
                target: Any = declared[name] if draw(st.booleans()) else name
                namespace[synonym] = SynonymField(target)
    return type(f"Generated{depth}", (base,), namespace)


# The reference: one field at a time --------------------------------------------------------


def outcome(function: Callable[[], Any]) -> tuple[Any, ...]:
    """``('ok', result)``, or what was raised, comparable with :func:`same`."""
    try:
        return ("ok", function())
    except ValidationError as exc:
        return ("raised", ValidationError, as_ordered(exc.as_dict()))
    except Exception as exc:
        return ("raised", type(exc), str(exc))


def as_ordered(rendered: Any) -> Any:
    """Error dicts as lists of pairs, so that comparisons see the order."""
    if isinstance(rendered, dict):
        return [(key, as_ordered(value)) for key, value in rendered.items()]
    return rendered


def same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as NaN and compares documents by their values."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    if isinstance(a, Decimal128):
        return a.bid == b.bid
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, BaseDocument):  # by their values, embedded documents built
        return same(a.to_data(), b.to_data())
    if isinstance(a, (BrokenEq, Hostile, HostileList, HostileDict, Liar, _Boom)):
        return False
    try:
        return bool(a == b)
    except Exception:
        return False


def assert_same(actual: Any, expected: Any) -> None:
    assert same(actual, expected), f"generated code gave {actual!r}, fields give {expected!r}"


def reference_validate(cls: type[BaseDocument], values: dict[str, Any]) -> None:
    errors = {}
    for name, field in cls.meta.fields.items():
        try:
            field.validate(values.get(name, _Empty))
        except ValidationError as exc:
            errors[name] = exc
    if errors:
        raise ValidationError(errors)


def reference_to_mongo(cls: type[BaseDocument], values: dict[str, Any]) -> dict[str, Any]:
    fields = cls.meta.fields
    return {
        fields[name].mongo_name: fields[name].to_mongo(values[name])
        for name in fields
        if name in values
    }


def reference_from_mongo(cls: type[BaseDocument], stored: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        name: field.from_mongo(stored[field.mongo_name])
        for name, field in cls.meta.fields.items()
        if field.mongo_name in stored
    }


def reference_build(cls: type[BaseDocument], given: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for name, field in cls.meta.fields.items():
        if name in given:
            values[name] = field.from_data(given[name])
        elif field.required and field._default is not _Empty:
            values[name] = field.from_data(field.default)
    return values


def has_random_id(cls: type[BaseDocument]) -> bool:
    """Whether ``_id`` is the automatic one, whose default is a new ``ObjectId``."""
    id_field = cls.meta.fields.get("_id")
    return id_field is not None and id_field._default is ObjectId


def data_of(cls: type[BaseDocument], given: dict[str, Any], document: BaseDocument) -> Any:
    """``document._data``, with an automatic ``_id`` the caller did not give taken out."""
    values = dict(document._data)
    if has_random_id(cls) and "_id" not in given:
        assert type(values.pop("_id")) is ObjectId
    return values


def expected_build(cls: type[BaseDocument], given: dict[str, Any]) -> tuple[Any, ...]:
    result = outcome(lambda: reference_build(cls, given))
    if result[0] == "ok" and has_random_id(cls) and "_id" not in given:
        result[1].pop("_id")
    return result


# Properties --------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_validate_and_to_mongo_match_the_fields(data: st.DataObject) -> None:
    cls = data.draw(document_classes(), label="class")
    values = data.draw(raw_data(cls, 0), label="values")
    document = cls(_empty=True)
    document._data = values

    expected = outcome(lambda: reference_validate(cls, values))
    actual = outcome(document.validate)
    if expected[0] == "ok":
        assert actual == ("ok", document)
    else:
        assert actual == expected
    # ``validate_document`` (what an embedded document field calls) runs the same check.
    assert outcome(lambda: cls.validate_document(document))[1:] == expected[1:]

    assert_same(outcome(document.to_mongo), outcome(lambda: reference_to_mongo(cls, values)))


@SETTINGS
@given(st.data())
def test_embedded_validation_matches_field_validate(data: st.DataObject) -> None:
    """The inlined check of embedded documents and lists against ``field.validate``."""
    cls = data.draw(document_classes(EmbeddedDocument), label="class")
    holder = type(
        "Holder",
        (EmbeddedDocument,),
        {"one": EmbDocField(cls), "many": ListField(EmbDocField(cls), required=False)},
    )
    one = data.draw(values_for(holder.meta.fields["one"]), label="one")
    many = data.draw(values_for(holder.meta.fields["many"]), label="many")
    document = holder(_empty=True)
    document._data = {"one": one, "many": many}
    expected = outcome(lambda: reference_validate(holder, document._data))
    actual = outcome(document.validate)
    if expected[0] == "ok":
        assert actual == ("ok", document)
    else:
        assert actual == expected


@SETTINGS
@given(st.data())
def test_from_mongo_matches_field_from_mongo(data: st.DataObject) -> None:
    cls = data.draw(document_classes(), label="class")
    stored = data.draw(stored_documents(cls), label="stored")
    wrap = data.draw(st.sampled_from([dict, SON, MappingProxyType]), label="mapping")

    expected = outcome(lambda: reference_from_mongo(cls, stored))
    document = outcome(lambda: cls.from_mongo(wrap(stored)))
    if document[0] == "ok":
        assert type(document[1]) is cls
        document = ("ok", document[1]._data)
    assert_same(document, expected)


def as_decoded(value: Any) -> Any:
    """A copy of ``value`` with new dicts and lists, as the driver decodes a document."""
    if type(value) is dict:
        return {key: as_decoded(item) for key, item in value.items()}
    if type(value) is list:
        return [as_decoded(item) for item in value]
    return value


@SETTINGS
@given(st.data())
def test_documents_loaded_by_queries_match_from_mongo(data: st.DataObject) -> None:
    """``meta.compiled.adopt``, which queries use to keep the driver's dicts, builds what
    ``from_mongo`` builds, while ``from_mongo`` leaves what it is given unchanged."""
    cls = data.draw(document_classes(), label="class")
    stored = data.draw(stored_documents(cls), label="stored")
    untouched = as_decoded(stored)

    loaded = outcome(lambda: cls.from_mongo(stored))
    adopted = outcome(lambda: cls.meta.compiled.adopt(as_decoded(stored)))
    assert_same(adopted, loaded)
    assert_same(stored, untouched)


#: What an application may do first with a document a query loaded, by the name of a
#: field it touches: whatever it is, the document must behave as one built eagerly.
FIRST_STEPS: dict[str, Callable[[BaseDocument, str], Any]] = {
    "read": lambda document, name: getattr(document, name),
    "set again": lambda document, name: setattr(document, name, getattr(document, name)),
    "delete": lambda document, name: delattr(document, name),
    "to_mongo": lambda document, name: document.to_mongo(),
    "to_data": lambda document, name: document.to_data(),
    "validate": lambda document, name: document.validate(),
    "populate": lambda document, name: document.populate_with_data({}),
    "copy": lambda document, name: copy.copy(document).to_mongo(),
}


@settings(SETTINGS, max_examples=300)  # about one class in ten has embedded documents
@given(st.data())
def test_documents_loaded_by_queries_behave_as_built_eagerly(data: st.DataObject) -> None:
    """A document ``adopt`` loads may keep its embedded documents as stored until they
    are read: whatever is done with it first, and after that, it gives what a document
    built eagerly by ``from_mongo`` gives."""
    cls = data.draw(document_classes(base=Document), label="class")
    stored = data.draw(stored_documents(cls), label="stored")
    eager = cls.from_mongo(stored)
    adopted = cls.meta.compiled.adopt(as_decoded(stored))
    name = data.draw(st.sampled_from(sorted(cls.meta.fields)), label="field")
    step = data.draw(st.sampled_from(sorted(FIRST_STEPS)), label="step")
    assert_same(
        outcome(lambda: FIRST_STEPS[step](adopted, name)),
        outcome(lambda: FIRST_STEPS[step](eager, name)),
    )
    for field_name in cls.meta.fields:
        assert_same(
            outcome(lambda: getattr(adopted, field_name)),  # noqa: B023
            outcome(lambda: getattr(eager, field_name)),  # noqa: B023
        )
    assert_same(outcome(adopted.to_mongo), outcome(eager.to_mongo))
    assert_same(outcome(adopted.validate), outcome(eager.validate))


@SETTINGS
@given(st.data())
def test_constructor_and_from_data_match_field_from_data(data: st.DataObject) -> None:
    cls = data.draw(document_classes(), label="class")
    given_values = data.draw(raw_data(cls, 0), label="kwargs")
    expected = expected_build(cls, given_values)

    for make in (lambda: cls(**given_values), lambda: cls.from_data(given_values)):
        built = outcome(make)
        if built[0] == "ok":
            built = ("ok", data_of(cls, given_values, built[1]))
        assert_same(built, expected)

    # The same values under synonyms.
    synonyms = {field: synonym for synonym, field in cls.meta.synonyms.items()}
    renamed = {synonyms.get(name, name): value for name, value in given_values.items()}
    for make in (lambda: cls(**renamed), lambda: cls.from_data(renamed)):
        built = outcome(make)
        if built[0] == "ok":
            built = ("ok", data_of(cls, given_values, built[1]))
        assert_same(built, expected)

    # ``populate_with_data`` converts exactly the given values.
    document = cls(_empty=True)
    populated = outcome(lambda: document.populate_with_data(renamed))
    converted = outcome(
        lambda: {
            name: cls.meta.fields[name].from_data(value) for name, value in given_values.items()
        }
    )
    if populated[0] == "ok":
        assert populated[1] is document
        populated = ("ok", document._data)
    assert_same(populated, converted)

    # What ``to_mongo`` stores loads back like ``field.from_mongo`` loads it.
    if expected[0] == "ok":
        stored = outcome(cls(**given_values).to_mongo)
        if stored[0] == "ok":
            loaded = outcome(lambda: cls.from_mongo(stored[1])._data)
            assert_same(loaded, outcome(lambda: reference_from_mongo(cls, stored[1])))


@SETTINGS
@given(st.data())
def test_unknown_names_are_ignored_except_by_populate_with_data(data: st.DataObject) -> None:
    cls = data.draw(document_classes(), label="class")
    given_values = data.draw(raw_data(cls, 0), label="kwargs")
    known = set(cls.meta.fields) | set(cls.meta.synonyms) | {"_empty"}
    unknown = data.draw(
        st.dictionaries(st.text(max_size=6).filter(lambda n: n not in known), junk, min_size=1),
        label="unknown",
    )
    id_names = {"_id"} | {syn for syn, target in cls.meta.synonyms.items() if target == "_id"}
    if "_id" in cls.meta.fields and not id_names & given_values.keys():
        given_values["_id"] = ObjectId()  # the same in both calls, not a new default
    kwargs = {**given_values, **unknown}
    name = next(iter(unknown))

    expected = outcome(lambda: cls(**given_values)._data)
    for make in (lambda: cls(**kwargs), lambda: cls.from_data(kwargs)):
        made = outcome(make)
        if made[0] == "ok":
            assert vars(made[1]).keys() == {"_data"}
            made = ("ok", made[1]._data)
        assert_same(made, expected)

    document = cls.from_mongo({})
    before = document._data
    populated = outcome(lambda: document.populate_with_data(kwargs))
    assert populated[:2] == ("raised", AttributeError)
    assert cls.__name__ in populated[2]
    assert repr(name) in populated[2]
    assert document._data is before
    assert before == {}
    assert vars(document).keys() == {"_data"}


def test_field_names_that_are_not_parameter_names() -> None:
    """Keywords, non-identifiers, generated-code names, names NFKC changes ("\ufb01le")."""
    cls = type("Odd", (EmbeddedDocument,), {name: IntField(required=False) for name in ODD_NAMES})
    values = {name: index for index, name in enumerate(ODD_NAMES)}
    for document in (cls(**values), cls.from_data(values), cls.from_mongo(values)):
        assert document._data == values
        assert document.validate().to_mongo() == values
    assert cls(file=1)._data == {"file": 1}
    assert cls(**{"file": 1, "nope": 2})._data == {"file": 1}
