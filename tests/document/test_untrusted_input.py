"""Every public entry point given arbitrary Python values.

Whatever a caller passes (huge ints, NaN, signalling decimals, ``$``-prefixed, dotted or
NUL-containing keys, non-str keys, bytes, nested containers, objects whose ``__eq__``,
``__hash__``, ``__len__``, ``__iter__`` or ``__class__`` raise or lie), each entry point
returns its documented result or raises a clear error:

* field ``from_data`` and ``from_mongo`` never raise; ``validate`` raises only
  ``ValidationError``;
* the document constructor raises only ``TypeError``, ``from_data`` and
  ``populate_with_data`` only ``TypeError`` (not a mapping) or ``AttributeError`` (a name
  that is not a field), ``from_mongo`` only ``TypeError`` (not a mapping), ``validate``
  only ``ValidationError`` keyed by field names; messages name the class;
* no call sets anything but field values: a refused call leaves the instance as it was,
  and ``meta`` and the methods stay in place;
* class creation refuses mongo names MongoDB cannot store, and field names that would
  shadow document attributes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from bson import Decimal128, ObjectId
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

#: Examples per test (per parameter for the parametrized field tests).
FIELD_EXAMPLES = 100
DOCUMENT_EXAMPLES = 300
CLASS_EXAMPLES = 200


def examples(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Objects that misbehave -------------------------------------------------------------------


class HostileKey:
    """Hashable (by identity), but ``__class__`` raises: ``isinstance`` on it raises."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile __class__")

    def __repr__(self) -> str:
        return "HostileKey()"


class HostileStr(str):
    __eq__ = __ne__ = __hash__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]


class HostileInt(int):
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = raise_error  # type: ignore[assignment]


class HostileList(list):  # type: ignore[type-arg]
    __eq__ = __ne__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile __class__")


class HostileDict(dict):  # type: ignore[type-arg]
    __eq__ = __ne__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile __class__")


# Document classes ----------------------------------------------------------------------------


class Inner(EmbeddedDocument):
    name = StrField(max_length=10)
    count = IntField(required=False, gte=0)


class Tree(EmbeddedDocument):
    label = StrField(required=False)
    children = ListField(EmbDocField(f"{__name__}.Tree"), required=False)


class Target(Document):
    name = StrField(required=False)


class Everything(Document):
    text = StrField(min_length=1, max_length=20, regex=r"^\w+$")
    blank = StrField(allow_blank=True, required=False)
    email = EmailField(required=False)
    count = IntField(gt=0, lte=1000, required=False)
    ratio = FloatField(gte=0.0, lt=1.0, required=False)
    price = DecimalField(gte=Decimal(0), required=False)
    flag = BoolField(default=False)
    when = DateTimeField(required=False, allow_none=True)
    oid = ObjectIdField(required=False)
    anything = AnyField(required=False)
    plain = Field(field_type=(int, str), required=False)
    kind = StrField(choices={"a", "b"}, required=False)
    level = IntField(choices=[1, 2, 3], required=False)
    inner = EmbDocField(Inner, required=False)
    inner_by_path = EmbDocField(f"{__name__}.Inner", required=False)
    tree = EmbDocField(Tree, required=False)
    ints = ListField(IntField(), required=False, max_length=5)
    inners = ListField(EmbDocField(Inner), required=False)
    matrix = ListField(ListField(FloatField()), required=False)
    ref = RefField(Target, required=False)
    ref_by_path = RefField(f"{__name__}.Target", required=False)
    renamed = IntField(mongo_name="r", required=False)
    tags = ListField(StrField(), default=list)
    created = DateTimeField(default=lambda: dt.datetime(2020, 1, 1))
    alias = SynonymField(text)


CLASSES: tuple[type[BaseDocument], ...] = (Everything, Inner, Tree, Target)
FIELDS = {
    f"{cls.__name__}.{name}": field
    for cls in (Everything, Inner, Tree)
    for name, field in cls.meta.fields.items()
}

#: Names that must never reach anything but a field: methods, attributes, dunders.
DANGEROUS = sorted(
    set(dir(Document))
    | {"_data", "_empty", "meta", "__class__", "__dict__", "__init__", "__setattr__"}
    | {"__getattr__", "__getattribute__", "__slots__", "__weakref__", "__module__"}
)


# Strategies -----------------------------------------------------------------------------------


def mix(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """One of ``strategies``, each chosen equally often (``one_of`` weighs leaves)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


integers = mix(
    st.integers(),
    st.integers(-(2**63) - 2, -(2**63) + 2),
    st.integers(2**63 - 2, 2**63 + 2),
    # Past 4300 digits, ``repr`` and ``str`` of an int raise ValueError.
    st.sampled_from([64, 5000]).flatmap(lambda e: st.sampled_from([10**e, -(10**e)])),
)
floats = mix(st.floats(), st.sampled_from([math.nan, -math.nan, math.inf, -math.inf, -0.0]))
decimals = mix(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["sNaN", "-sNaN", "NaN", "1E+999999", "-1E-999999", "1" * 40]).map(Decimal),
)
decimal128s = mix(
    st.integers(-(10**33), 10**33).map(lambda i: Decimal128(str(i))),
    st.sampled_from(["NaN", "-Infinity", "1.50", "-0"]).map(Decimal128),
)
texts = mix(
    st.text(max_size=10),
    st.sampled_from(["", "$set", "$where", "a.b", ".", "$", "\0", "a\0b", "_id", "__class__"]),
    st.sampled_from(DANGEROUS),
    st.sampled_from([*sorted(Everything.meta.fields), "alias"]),
    st.from_regex(r"\A[a-z]{1,5}@[a-z]{1,5}\.[a-z]{2,3}\Z"),
    st.sampled_from(["true", "0", "2020-01-01T00:00:00", "5f" * 12, "1e3", "NaN"]),
)
object_ids = st.binary(min_size=12, max_size=12).map(ObjectId)
datetimes = st.datetimes(timezones=st.sampled_from([None, dt.timezone.utc]))
hashable_hostile = mix(
    st.builds(BrokenEq),
    st.builds(
        Liar,
        st.sampled_from([str, int, float, bool, dict, list, Decimal128, Inner, Target, Mapping]),
    ),
)
hostile = mix(
    hashable_hostile,
    st.builds(Hostile),
    st.text(max_size=3).map(HostileStr),
    st.integers(-3, 3).map(HostileInt),
    st.lists(st.integers(), max_size=2).map(HostileList),
    st.dictionaries(st.sampled_from(["name", "count", "x"]), st.integers(), max_size=2).map(
        HostileDict
    ),
)
hashable_scalars = mix(
    st.none(),
    st.booleans(),
    integers,
    floats,
    texts,
    st.binary(max_size=6),
    datetimes,
    st.dates(),
    object_ids,
)
keys = mix(
    texts,
    hashable_scalars,
    hashable_hostile,
    st.tuples(hashable_scalars, hashable_scalars),
    st.frozensets(hashable_scalars, max_size=2),
)


def with_hostile_key(data: dict[Any, Any]) -> dict[Any, Any]:
    return {**data, HostileKey(): None}


untrusted = st.recursive(
    mix(hashable_scalars, decimals, decimal128s, hostile),
    lambda children: mix(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.sets(hashable_scalars, max_size=3),
        st.dictionaries(keys, children, max_size=4),
        st.dictionaries(texts, children, max_size=4),
        # Hypothesis itself cannot hold a key whose __class__ raises: added afterwards.
        st.dictionaries(texts, children, max_size=3).map(with_hostile_key),
    ),
    max_leaves=10,
)


def field_data(cls: type[BaseDocument]) -> st.SearchStrategy[dict[Any, Any]]:
    """Dicts keyed mostly by the class's field and synonym names, with untrusted values."""
    names = sorted(cls.meta.fields) + sorted(cls.meta.synonyms)
    data = st.dictionaries(mix(st.sampled_from(names), st.sampled_from(names), keys), untrusted)
    return mix(data, data, data.map(with_hostile_key))


def mappings(cls: type[BaseDocument]) -> st.SearchStrategy[Any]:
    """What callers may pass where a mapping belongs: mappings of all kinds, and anything."""
    data = field_data(cls)
    return mix(
        data,
        data,
        data.map(MappingProxyType),
        data.map(HostileDict),
        untrusted,
        hostile,
    )


# Helpers ----------------------------------------------------------------------------------------


def call(function: Callable[[], Any], allowed: tuple[type[Exception], ...]) -> Any:
    """``function()``; an exception is returned if ``allowed``, else the test fails."""
    try:
        return function()
    except allowed as exc:
        return exc
    except Exception as exc:
        pytest.fail(f"unexpected {type(exc).__name__}: {exc!r}")


def assert_names(exc: Exception, cls: type[Any]) -> None:
    assert cls.__name__ in str(exc), f"{exc!r} does not name {cls.__name__}"


def assert_rendered(exc: ValidationError) -> None:
    """The error renders without raising, as a message or a dict of messages."""
    rendered = exc.as_dict()
    assert isinstance(rendered, (str, dict)), rendered
    str(exc)
    repr(exc)


def assert_field_values_only(document: BaseDocument) -> None:
    """The instance holds its field values in ``_data`` and nothing else (but the flag that
    values were added after it was built)."""
    assert vars(document).keys() <= {"_data", "_reordered"}
    assert type(vars(document).get("_reordered", False)) is bool
    assert type(document._data) is dict
    assert document._data.keys() <= document.meta.fields.keys()


class Snapshot:
    """What a refused call must leave untouched: the instance and its class."""

    def __init__(self, cls: type[BaseDocument], document: BaseDocument | None = None) -> None:
        self.cls = cls
        self.meta = cls.meta
        self.class_attributes = {
            name: value for klass in cls.__mro__ for name, value in vars(klass).items()
        }
        self.document = document
        if document is not None:
            self.vars = dict(vars(document))
            self.data = document._data
            self.values = dict(document._data)

    def assert_unchanged(self) -> None:
        cls = self.cls
        assert cls.meta is self.meta
        after = {name: value for klass in cls.__mro__ for name, value in vars(klass).items()}
        assert after.keys() == self.class_attributes.keys()
        for name, value in after.items():
            if name != "__init__":  # replaced by the generated one on first use
                assert value is self.class_attributes[name], name
        document = self.document
        if document is not None:
            assert type(document) is cls
            assert vars(document) == self.vars
            assert document._data is self.data
            assert document._data.keys() == self.values.keys()
            assert all(document._data[key] is value for key, value in self.values.items())
            for method in ("validate", "to_mongo", "to_data", "populate_with_data"):
                assert callable(getattr(document, method))
            document.to_data()
            call(document.validate, (ValidationError,))


# Fields ---------------------------------------------------------------------------------------

field_ids = pytest.mark.parametrize("field", list(FIELDS.values()), ids=list(FIELDS))


def converted_as_documented(field: Field[Any], value: Any, result: Any) -> bool:
    """``from_data``: the value unchanged, or converted to what the field holds."""
    if result is value:
        return True
    if isinstance(field, (StrField, EmailField)):
        return type(result) is str
    if isinstance(field, IntField):
        return type(result) is int
    if isinstance(field, FloatField):
        return type(result) is float
    if isinstance(field, DecimalField):
        return type(result) is Decimal
    if isinstance(field, BoolField):
        return type(result) is bool
    if isinstance(field, DateTimeField):
        return type(result) is dt.datetime
    if isinstance(field, ObjectIdField):
        return type(result) is ObjectId
    if isinstance(field, EmbDocField):
        return type(result) is field.document_class
    if isinstance(field, ListField):
        return type(result) is list
    if isinstance(field, RefField):
        return type(result) is ObjectId
    return False


@field_ids
@examples(FIELD_EXAMPLES)
@given(value=untrusted)
def test_field_from_data(field: Field[Any], value: Any) -> None:
    result = call(lambda: field.from_data(value), ())
    assert converted_as_documented(field, value, result), result
    assert field.from_data(None) is None


def loaded_as_documented(field: Field[Any], value: Any, result: Any) -> bool:
    """``from_mongo``: the value unchanged, or loaded into what the field holds."""
    if result is value:
        return True
    if isinstance(field, DecimalField):  # a Decimal128, or anything whose str is a number
        return type(result) is Decimal
    if isinstance(field, EmbDocField):
        return issubclass(type(value), Mapping) and type(result) is field.document_class
    if isinstance(field, ListField):
        return type(value) is list and type(result) is list and len(result) == len(value)
    if isinstance(field, RefField):
        return loaded_as_documented(field.document_class.meta.fields["_id"], value, result)
    return False


@field_ids
@examples(FIELD_EXAMPLES)
@given(value=untrusted)
def test_field_from_mongo(field: Field[Any], value: Any) -> None:
    result = call(lambda: field.from_mongo(value), ())
    assert loaded_as_documented(field, value, result), result


@field_ids
@examples(FIELD_EXAMPLES)
@given(value=untrusted)
def test_field_validate(field: Field[Any], value: Any) -> None:
    for candidate in (value, call(lambda: field.from_data(value), ())):
        error = call(lambda c=candidate: field.validate(c), (ValidationError,))
        if error is not None:
            assert_rendered(error)
    error = call(lambda: field.validate(_Empty), (ValidationError,))
    assert (error is None) == (not field.required)


# Documents --------------------------------------------------------------------------------


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_constructor(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    names = sorted(cls.meta.fields) + sorted(cls.meta.synonyms)
    kwargs = data.draw(
        st.dictionaries(
            mix(st.sampled_from(names), st.sampled_from(names), texts).filter(
                lambda key: key != "_empty"
            ),
            untrusted,
        ),
        label="kwargs",
    )
    snapshot = Snapshot(cls)
    document = call(lambda: cls(**kwargs), ())  # names that are not fields are ignored
    assert_field_values_only(document)
    snapshot.assert_unchanged()


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_from_data(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    value = data.draw(mappings(cls), label="data")
    snapshot = Snapshot(cls)
    document = call(lambda: cls.from_data(value), (TypeError,))
    if isinstance(document, Exception):
        assert_names(document, cls)
        assert not issubclass(type(value), Mapping)
    else:
        assert_field_values_only(document)
    snapshot.assert_unchanged()


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_from_mongo(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    stored = data.draw(
        mix(mappings(cls), st.dictionaries(keys, untrusted).map(lambda d: {**d, "r": 1})),
        label="stored",
    )
    snapshot = Snapshot(cls)
    document = call(lambda: cls.from_mongo(stored), (TypeError,))
    if isinstance(document, TypeError):
        assert_names(document, cls)
        assert not issubclass(type(stored), Mapping)
    else:
        assert issubclass(type(stored), Mapping)
        assert_field_values_only(document)
    snapshot.assert_unchanged()


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_populate_with_data(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    document = cls.from_mongo(data.draw(field_data(cls), label="stored"))
    value = data.draw(mappings(cls), label="data")
    snapshot = Snapshot(cls, document)
    result = call(lambda: document.populate_with_data(value), (TypeError, AttributeError))
    if isinstance(result, Exception):
        assert_names(result, cls)
        snapshot.assert_unchanged()
    else:
        assert result is document
        assert_field_values_only(document)


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_validate(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    how = data.draw(st.sampled_from(["from_data", "from_mongo", "raw"]), label="how")
    values = data.draw(field_data(cls), label="values")
    if how == "from_data":
        document = call(lambda: cls.from_data(values), ())
    elif how == "from_mongo":
        document = cls.from_mongo(values)
    else:
        document = cls(_empty=True)
        document._data = {key: value for key, value in values.items() if key in cls.meta.fields}
    result = call(document.validate, (ValidationError,))
    if isinstance(result, ValidationError):
        assert_rendered(result)
        rendered = result.as_dict()
        assert isinstance(rendered, dict)
        assert rendered.keys() <= cls.meta.fields.keys()
    else:
        assert result is document


# Mass assignment ----------------------------------------------------------------------------


@examples(DOCUMENT_EXAMPLES)
@given(data=st.data())
def test_no_call_sets_anything_but_fields(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(CLASSES), label="class")
    dangerous = data.draw(
        st.dictionaries(st.sampled_from(DANGEROUS), untrusted, min_size=1), label="dangerous"
    )
    fields = data.draw(field_data(cls), label="fields")
    payload = {**fields, **dangerous}
    document = cls.from_mongo({})
    snapshot = Snapshot(cls, document)

    refused = call(lambda: document.populate_with_data(payload), (AttributeError, TypeError))
    assert isinstance(refused, AttributeError), refused
    assert_names(refused, cls)
    snapshot.assert_unchanged()

    # The constructor and from_data ignore names that are not fields or synonyms.
    built = call(lambda: cls.from_data(payload), ())
    assert_field_values_only(built)
    snapshot.assert_unchanged()

    kwargs = {key: value for key, value in payload.items() if type(key) is str}
    kwargs.pop("_empty", None)
    built = call(lambda: cls(**kwargs), ())
    assert_field_values_only(built)
    snapshot.assert_unchanged()

    # Whatever the values, the methods still work afterwards.
    document.to_data()
    document.to_mongo()
    call(document.validate, (ValidationError,))


def test_empty_parameter() -> None:
    assert Everything(_empty=True)._data == {}
    assert Everything(_empty=False, text="x")._data["text"] == "x"
    assert Everything(_empty=True, text="x")._data == {}
    assert Everything.from_data({"_empty": True}).to_data().keys() == Everything().to_data().keys()
    document = Everything(text="x")
    snapshot = Snapshot(Everything, document)
    with pytest.raises(AttributeError, match="Everything"):
        document.populate_with_data({"_empty": True})
    snapshot.assert_unchanged()


# Class creation ------------------------------------------------------------------------------


def invalid_mongo_name(name: str) -> bool:
    return not name or name.startswith("$") or "." in name or "\0" in name


@examples(CLASS_EXAMPLES)
@given(
    mongo_name=mix(
        st.text(max_size=8),
        st.text(max_size=4).map(lambda text: f"${text}"),
        st.tuples(st.text(max_size=3), st.sampled_from([".", "\0"]), st.text(max_size=3)).map(
            "".join
        ),
    ),
    base=st.sampled_from([Document, EmbeddedDocument]),
)
def test_class_creation_checks_mongo_names(mongo_name: str, base: type[BaseDocument]) -> None:
    namespace = {"field": StrField(mongo_name=mongo_name)}
    cls = call(lambda: type("Checked", (base,), namespace), (ValueError,))
    if invalid_mongo_name(mongo_name) or (base is Document and mongo_name == "_id"):
        assert isinstance(cls, ValueError), f"mongo name {mongo_name!r} accepted"
        assert "field" in str(cls)
        assert "Checked" in str(cls)
    else:
        assert not isinstance(cls, Exception), cls
        assert cls.field.s == mongo_name
        assert cls(field="x").to_mongo()[mongo_name] == "x"


@pytest.mark.parametrize("base", [Document, EmbeddedDocument])
def test_class_creation_refuses_field_names_that_shadow_attributes(
    base: type[BaseDocument],
) -> None:
    for name in [*dir(base), "_data", "_empty", "_reserved_names"]:
        if name == "__slots__":
            continue  # Python itself reads it while creating the class
        refused = call(lambda n=name: type("Shadow", (base,), {n: IntField()}), (ValueError,))
        assert isinstance(refused, ValueError), f"field name {name!r} accepted"
        assert name in str(refused)
        assert "Shadow" in str(refused)
