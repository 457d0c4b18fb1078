"""Every constraint's inline form against its check, driven by the constraint lists.

A field's options build its :attr:`~aiomongodel.fields.Field.constraints`; each
constraint's ``check`` decides, and its ``inline`` form is what compiled document code
evaluates instead, calling ``validate`` only when the form is false (or raises). So an
inline form may be stricter than its check, never looser. Hypothesis builds fields of
every public field class in ``aiomongodel.fields`` (each class its own test case) with
options drawn from the parameters of the ``__init__`` methods of its MRO, by annotation
(a new option of an ordinary type is drawn by ``st.from_type``), and values of every
kind, and shows:

* per constraint: for a value that passes the checks of the constraints before it, an
  inline form (with nothing after it, ``Rest("True", False)``) that is true means the
  check passes (or raises ``StopValidation``); the same for the fields nested in a field
  (list items);
* per field: a value the compiler's folded expression (``_Compiler.accepts``) accepts
  passes ``field.validate``;
* coverage: every concrete :class:`~aiomongodel.constraints.Constraint` subclass is built
  by some drawn field, and every one with an inline form gives one for some drawn field
  and accepts some drawn value. A new field option is a new constraint, so it is
  covered here without editing this file, and this fails until the strategies reach it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import inspect
import math
import re
import typing
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128, ObjectId
from hypothesis import HealthCheck, Phase, event, find, given, note, reject, settings
from hypothesis import strategies as st

import aiomongodel.document
import aiomongodel.fields
from aiomongodel._compiler import _Compiler, _FieldContext
from aiomongodel.constraints import INT64_MAX, INT64_MIN, Constraint, Rest
from aiomongodel.document import BaseDocument, Document, EmbeddedDocument
from aiomongodel.errors import StopValidation, ValidationError
from aiomongodel.fields import BoolField, Field, IntField, ListField, StrField, SynonymField
from aiomongodel.utils import _Empty
from tests.hostile import BrokenEq, Hostile, Liar

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The whole-field test, cheaper per example and less likely to find anything new.
WHOLE_FIELD_SETTINGS = settings(SETTINGS, max_examples=80)
#: For ``find``: stop at the first example found, without shrinking it.
FIND_SETTINGS = settings(max_examples=3000, deadline=None, phases=[Phase.generate], database=None)
#: How many values each drawn field checks, at most.
VALUES_PER_FIELD = 8
#: How deep fields nest (``ListField(ListField(...))``) and documents hold documents.
MAX_DEPTH = 2


# What is discovered ------------------------------------------------------------------


def _public_field_classes() -> tuple[type[Field[Any]], ...]:
    module = aiomongodel.fields
    return tuple(
        cls
        for name, cls in vars(module).items()
        if isinstance(cls, type)
        and issubclass(cls, Field)
        and cls.__module__ == module.__name__
        and not name.startswith("_")
        and name != SynonymField.__name__  # not a Field subclass, but said in case
    )


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _constraint_classes() -> list[type[Constraint]]:
    """The concrete constraints of the library (not ones tests may define)."""
    found = {
        cls
        for cls in _subclasses(Constraint)
        if cls.__module__.startswith("aiomongodel.")
        and not inspect.isabstract(cls)
        and cls.check is not Constraint.check
    }
    return sorted(found, key=lambda cls: cls.__name__)


def _has_inline_form(cls: type[Constraint]) -> bool:
    return cls.inline is not Constraint.inline or cls.accepts is not Constraint.accepts


FIELD_CLASSES = _public_field_classes()
CONSTRAINT_CLASSES = _constraint_classes()
INLINE_CONSTRAINT_CLASSES = [cls for cls in CONSTRAINT_CLASSES if _has_inline_form(cls)]

#: Options that cannot change validation.
IGNORED_OPTIONS = frozenset({"name", "mongo_name", "verbose_name", "default"})


def options_of(cls: type[Any]) -> dict[str, tuple[inspect.Parameter, Any]]:
    """``{name: (parameter, annotation)}`` over the ``__init__`` methods of ``cls``'s MRO,
    the most derived first."""
    found: dict[str, tuple[inspect.Parameter, Any]] = {}
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None or klass is object:
            continue
        hints = typing.get_type_hints(init)
        for parameter in list(inspect.signature(init).parameters.values())[1:]:
            name = parameter.name
            variadic = parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            if variadic or name in found or name in IGNORED_OPTIONS:
                continue
            found[name] = (parameter, hints.get(name, Any))
    return found


OPTIONS = {cls: options_of(cls) for cls in FIELD_CLASSES}


# Document classes fields refer to, and whose instances are values ----------------------


class Inner(EmbeddedDocument):
    n = IntField(gte=0, lte=10)
    s = StrField(required=False, max_length=3, regex=r"[a-z]*")


class InnerChild(Inner):
    """A subclass: an ``Inner`` value, with a rule ``Inner`` does not have."""

    extra = IntField(lt=0)


class Picky(EmbeddedDocument):
    """Overrides ``validate``, which compiled code then calls."""

    low = IntField()
    high = IntField(required=False, allow_none=True)

    def validate(self) -> Picky:
        super().validate()
        if self.high is not None and self.low is not None and self.high < self.low:
            raise ValidationError({"high": ValidationError("high is below low")})
        return self


class Target(Document):
    name = StrField(required=False)
    done = BoolField(required=False)


class IntTarget(Document):
    _id = IntField(gt=0)


DOCUMENT_CLASSES: tuple[type[BaseDocument], ...] = (Inner, InnerChild, Picky, Target, IntTarget)


# Strategies: option values --------------------------------------------------------------


def mix(*strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """One of ``strategies``, each chosen equally often (``one_of`` weighs leaves)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


SAMPLE_PATTERNS: tuple[str | re.Pattern[str], ...] = (
    r"^[a-z]+$",
    r"[A-Z]",
    r"\d*",
    re.compile(r"x|y"),
    r"(?i)abc",
    r"^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$",
)
patterns = st.sampled_from(SAMPLE_PATTERNS)
bounds = mix(
    st.none(),
    st.integers(-5, 12),
    st.sampled_from([INT64_MIN, INT64_MAX, 10**30, -(10**30)]),
    st.floats(-5, 12),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 2.5]),
    st.decimals(-5, 12, places=2),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("2.5")]),
    st.sampled_from([True, "3"]),
)
small_hashables = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 5),
    st.sampled_from(["", "a", "ab", "abc", "A", math.nan, 1.5, Decimal("2"), ObjectId("5" * 24)]),
)
choices = mix(
    st.none(),
    st.lists(small_hashables, max_size=4),
    st.dictionaries(small_hashables, small_hashables, max_size=3),
)
FIELD_TYPES: tuple[type[Any] | tuple[type[Any], ...], ...] = (
    str,
    int,
    float,
    bool,
    Decimal,
    ObjectId,
    dt.datetime,
    bytes,
    list,
    dict,
    object,
    (int, str),
    (int, type(None)),
    (float, Decimal),
)

#: Option values by the option's annotation; any other annotation uses ``st.from_type``.
OPTION_VALUES: dict[Any, st.SearchStrategy[Any]] = {
    bool: st.booleans(),
    int | None: st.one_of(st.none(), st.integers(-1, 6)),
    Any: bounds,
    str | re.Pattern[str] | None: st.one_of(st.none(), patterns),
    str | re.Pattern[str]: patterns,
    Iterable[Any] | Mapping[Any, Any] | None: choices,
    type[Any] | tuple[type[Any], ...] | None: st.one_of(st.none(), st.sampled_from(FIELD_TYPES)),
}


def option_values(annotation: Any) -> st.SearchStrategy[Any]:
    try:
        known = OPTION_VALUES.get(annotation)
    except TypeError:  # an unhashable annotation
        known = None
    return known if known is not None else st.from_type(annotation)


def document_references(field_class: type[Field[Any]]) -> st.SearchStrategy[Any]:
    """The test's document classes ``field_class`` may refer to, as classes or paths."""
    base_name = getattr(field_class, "base_class_name", "BaseDocument")
    base = getattr(aiomongodel.document, base_name)
    classes = [cls for cls in DOCUMENT_CLASSES if issubclass(cls, base)]
    return st.sampled_from(classes).flatmap(
        lambda cls: st.sampled_from([cls, f"{cls.__module__}.{cls.__qualname__}"])
    )


@st.composite
def fields(
    draw: st.DrawFn, depth: int = 0, field_class: type[Field[Any]] | None = None
) -> Field[Any]:
    """A new field of ``field_class`` or of any public field class, with some of its
    options."""
    if field_class is None:
        nestable = depth < MAX_DEPTH
        classes = [cls for cls in FIELD_CLASSES if nestable or "item_field" not in OPTIONS[cls]]
        cls = draw(st.sampled_from(classes))
    else:
        cls = field_class
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, (parameter, annotation) in OPTIONS[cls].items():
        if name == "item_field":
            value = draw(fields(depth + 1))
        elif name == "document_class":
            value = draw(document_references(cls))
        elif parameter.default is parameter.empty or draw(st.booleans()):
            value = draw(option_values(annotation))
        else:
            continue  # left at its default
        if parameter.kind is parameter.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    try:
        field: Field[Any] = cls(*args, **kwargs)
    except Exception:  # options the class refuses
        reject()
    return field


def fields_within(field: Field[Any]) -> Iterator[Field[Any]]:
    """``field`` and the fields nested in it (list items)."""
    yield field
    item = vars(field).get("item_field")
    if isinstance(item, Field):
        yield from fields_within(item)


def compiler_for(field: Field[Any]) -> _Compiler:
    """A compiler of a throwaway embedded document class holding ``field`` as ``x``."""
    holder: Any = type("Holder", (EmbeddedDocument,), {"x": field})
    return _Compiler(holder, holder.meta, BaseDocument)


# Strategies: values ---------------------------------------------------------------------


class Text(str):
    """A plain ``str`` subclass: inline type checks are exact, checks are not."""

    __slots__ = ()


integers = mix(
    st.integers(-5, 12),
    st.integers(),
    st.integers(INT64_MIN - 2, INT64_MIN + 2),
    st.integers(INT64_MAX - 2, INT64_MAX + 2),
    st.sampled_from([10**30, -(10**30), 2**64]),
)
floats = mix(st.floats(), st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 0.5, 1e300]))
decimals = mix(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-NaN"),
            Decimal("sNaN"),
            Decimal("1E+999999"),
            Decimal("-1E-999999"),
            Decimal("-0"),
            Decimal("1." + "1" * 40),
        ]
    ),
    st.integers(-(10**40), 10**40).map(Decimal),
)
decimal128s = st.sampled_from([Decimal128("1.5"), Decimal128("NaN"), Decimal128("-Infinity")])
object_ids = st.binary(min_size=12, max_size=12).map(ObjectId)
datetimes = st.datetimes(timezones=st.sampled_from([None, dt.timezone.utc]))
texts = mix(
    st.text(max_size=6),
    st.sampled_from(["", " ", "a", "abc", "ABC", "7", "x@y.z", "a@b.co", "\0"]),
    patterns.flatmap(st.from_regex),
    st.emails(),
    st.text(max_size=3).map(Text),
)


class Claimant(Liar):
    """A :class:`Liar` that Hypothesis can show: its printer picks a printer by
    ``__class__``, and the ``int`` or ``float`` one fails on it."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


CLAIMED: tuple[type[Any], ...] = (str, int, float, bool, Decimal, ObjectId, dt.datetime, list, dict)
hostile = st.one_of(
    st.builds(BrokenEq),
    st.builds(Hostile),
    st.builds(Claimant, st.sampled_from((*CLAIMED, *DOCUMENT_CLASSES))),
)
scalars = mix(
    st.none(),
    st.just(_Empty),
    st.booleans(),
    integers,
    floats,
    decimals,
    decimal128s,
    texts,
    st.binary(max_size=4),
    object_ids,
    datetimes,
    hostile,
)
anything = st.recursive(
    scalars,
    lambda children: mix(
        st.lists(children, max_size=3),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=2), children, max_size=2),
    ),
    max_leaves=5,
)

#: Values of each type a field may require (others: ``st.from_type``).
TYPE_VALUES: dict[type[Any], st.SearchStrategy[Any]] = {
    str: texts,
    int: integers,
    float: floats,
    Decimal: decimals,
    bool: st.booleans(),
    dt.datetime: datetimes,
    ObjectId: object_ids,
    bytes: st.binary(max_size=4),
    list: st.lists(scalars, max_size=3),
    dict: st.dictionaries(st.text(max_size=2), scalars, max_size=2),
    tuple: st.lists(scalars, max_size=3).map(tuple),
    object: scalars,
    type(None): st.none(),
}
NUMBER_TYPES: tuple[type[Any], ...] = (int, float, Decimal)


def some_of(strategies: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of values drawn from ``strategies``, each key present or not."""
    return st.fixed_dictionaries({}, optional=strategies)


#: A valid instance's values for each of the test's document classes.
VALID_DATA: dict[type[BaseDocument], dict[str, Any]] = {
    Inner: {"n": 3, "s": "ab"},
    InnerChild: {"n": 3, "s": "ab", "extra": -1},
    Picky: {"low": 1, "high": 2},
    Target: {"_id": ObjectId("5" * 24), "name": "t", "done": True},
    IntTarget: {"_id": 1},
}


def document_of(cls: type[BaseDocument], values: dict[str, Any]) -> Any:
    document = cls(_empty=True)
    document._data = values
    return document


@functools.cache
def instances(cls: type[BaseDocument], depth: int) -> st.SearchStrategy[Any]:
    """Instances of ``cls``: valid, valid by a base class's rules only, valid but for one
    field (changed or missing), or holding arbitrary values of some of its fields."""
    valid = VALID_DATA[cls]
    by_bases = st.sampled_from([VALID_DATA[base] for base in cls.__mro__ if base in VALID_DATA])
    if depth >= MAX_DEPTH:
        return by_bases.map(lambda values: document_of(cls, dict(values)))
    fields = cls.meta.fields
    changed = st.sampled_from(list(fields)).flatmap(
        lambda name: values_for(fields[name], depth + 1).map(lambda value: {**valid, name: value})
    )
    missing = st.sampled_from(list(valid)).map(
        lambda name: {key: value for key, value in valid.items() if key != name}
    )
    arbitrary = some_of({name: values_for(field, depth + 1) for name, field in fields.items()})
    return mix(by_bases, changed, missing, arbitrary).map(
        lambda values: document_of(cls, dict(values))
    )


def field_types(field: Field[Any]) -> tuple[type[Any], ...]:
    types = field.field_type
    if types is None:
        return ()
    return (types,) if isinstance(types, type) else tuple(types)


def near(limit: Any, types: tuple[type[Any], ...]) -> list[Any]:
    """``limit`` and its neighbours, as each of the number ``types``."""
    found = [limit]
    for delta in (-1, 1, 0.5):
        with contextlib.suppress(Exception):
            found.append(limit + delta)
    for kind in types:
        for value in found[:]:
            with contextlib.suppress(Exception):
                found.append(kind(value))
    return found


def sized(field: Field[Any], length: int, depth: int) -> Iterator[st.SearchStrategy[Any]]:
    """Values of ``field``'s sized types around ``length`` long."""
    sizes = st.integers(max(0, length - 1), length + 1)
    types = field_types(field)
    item = vars(field).get("item_field")
    items = values_for(item, depth + 1) if isinstance(item, Field) else scalars
    if str in types:
        yield sizes.flatmap(lambda size: st.text("ab", min_size=size, max_size=size))
    if list in types or tuple in types:
        yield sizes.flatmap(lambda size: st.lists(items, min_size=size, max_size=size))


def own_values(field: Field[Any], depth: int) -> Iterator[st.SearchStrategy[Any]]:
    """Values of the field's own kind, found from what the field and its constraints hold."""
    types = field_types(field)
    for kind in types:
        known = TYPE_VALUES.get(kind)
        yield known if known is not None else st.from_type(kind)
    item = vars(field).get("item_field")
    if isinstance(item, Field):
        items = st.lists(values_for(item, depth + 1), max_size=3)
        yield mix(items, items.map(tuple))
    try:
        document_class = getattr(field, "document_class", None)
    except Exception:
        document_class = None
    if isinstance(document_class, type) and issubclass(document_class, BaseDocument):
        for cls in DOCUMENT_CLASSES:  # the class and its subclasses
            if issubclass(cls, document_class):
                yield instances(cls, depth)
        id_field = document_class.meta.fields.get("_id")
        if id_field is not None:
            yield values_for(id_field, depth + 1)
    for constraint in field.constraints:
        for attribute in vars(constraint).values():
            if isinstance(attribute, re.Pattern):
                yield st.from_regex(attribute)
            elif isinstance(attribute, (int, float, Decimal)) and not isinstance(attribute, bool):
                numbers = tuple(kind for kind in types if kind in NUMBER_TYPES)
                yield st.sampled_from(near(attribute, numbers))
                if isinstance(attribute, int) and 0 <= attribute <= 20:
                    yield from sized(field, attribute, depth)
            elif isinstance(attribute, (set, frozenset, dict)) and attribute:
                yield st.sampled_from(list(attribute))


def values_for(field: Field[Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Any value, the test's documents, or one of the field's own kind."""
    documents = st.sampled_from(DOCUMENT_CLASSES).flatmap(lambda cls: instances(cls, depth + 1))
    return mix(anything, documents, *own_values(field, depth))


def some_values_for(field: Field[Any]) -> st.SearchStrategy[list[Any]]:
    """A few values for ``field`` (one field, built and compiled once, checks them all)."""
    return st.lists(values_for(field), min_size=1, max_size=VALUES_PER_FIELD)


# Evaluating -------------------------------------------------------------------------------


#: The constraints after the one inlined, for the per-constraint test: none.
NOTHING_AFTER = Rest("True", rejects_none_and_missing=False)


def safe_repr(value: Any) -> str:
    """``repr(value)``, with the values of a document (whose ``repr`` does not show them)."""
    try:
        if type(value) in DOCUMENT_CLASSES:
            return f"<{type(value).__name__} holding {value._data!r}>"
        return repr(value)
    except Exception as exc:
        return f"<unrepresentable: {exc!r}>"


def accepted(expression: str, compiler: _Compiler, value: Any) -> bool:
    """Whether ``expression`` is true for ``v = value`` (raising counts as false)."""
    try:
        return bool(eval(expression, {**compiler.namespace, "v": value}))
    except Exception:
        return False


def passes(constraint: Constraint, field: Field[Any], value: Any) -> bool:
    """Whether ``value`` gets past ``constraint`` to the next one."""
    try:
        constraint.check(field, value)
    except Exception:  # StopValidation included: the later checks do not run
        return False
    return True


def check_each_constraint(field: Field[Any], value: Any, compiler: _Compiler) -> None:
    context = _FieldContext(compiler, str(field.name))
    for index, constraint in enumerate(field.constraints):
        expression = constraint.inline(field, "v", context, NOTHING_AFTER)
        if expression is not None and accepted(expression, compiler, value):
            event(f"A: {type(constraint).__name__} inline true")
            try:
                constraint.check(field, value)
            except StopValidation:
                pass
            except Exception as exc:
                pytest.fail(
                    f"{type(constraint).__name__} (constraint {index} of "
                    f"{field.constraints!r} of a {type(field).__name__}): its inline form "
                    f"{expression!r} accepts {safe_repr(value)}, its check raises {exc!r}"
                )
        if not passes(constraint, field, value):
            return


def class_id(cls: type[Any]) -> str:
    return cls.__name__


# The tests --------------------------------------------------------------------------------


@pytest.mark.parametrize("field_class", FIELD_CLASSES, ids=class_id)
@SETTINGS
@given(data=st.data())
def test_inline_forms_are_no_looser_than_their_checks(
    field_class: type[Field[Any]], data: st.DataObject
) -> None:
    field = data.draw(fields(field_class=field_class), label="field")
    compiler = compiler_for(field)
    for within in fields_within(field):
        note(f"{type(within).__name__} constraints: {within.constraints!r}")
        values = data.draw(some_values_for(within), label=f"values for {type(within).__name__}")
        for value in values:
            check_each_constraint(within, value, compiler)


@pytest.mark.parametrize("field_class", FIELD_CLASSES, ids=class_id)
@WHOLE_FIELD_SETTINGS
@given(data=st.data())
def test_values_the_compiled_form_accepts_are_valid(
    field_class: type[Field[Any]], data: st.DataObject
) -> None:
    field = data.draw(fields(field_class=field_class), label="field")
    note(f"constraints: {field.constraints!r}")
    values = data.draw(some_values_for(field), label="values")
    compiler = compiler_for(field)
    expression = compiler.accepts(field, "v")
    if expression is None:
        event("B: no inline form")
        return
    for value in values:
        if not accepted(expression, compiler, value):
            event("B: a value not accepted")
            continue
        event("B: a value accepted")
        try:
            field.validate(value)
        except Exception as exc:
            pytest.fail(
                f"{type(field).__name__} with {field.constraints!r}: the compiled form "
                f"{expression!r} accepts {safe_repr(value)}, validate raises {exc!r}"
            )


def constraints_within(field: Field[Any]) -> Iterator[tuple[Field[Any], Constraint]]:
    for within in fields_within(field):
        for constraint in within.constraints:
            yield within, constraint


#: ``(field, index of the constraint, its inline form, the compiler it was asked of)``.
InlineForm = tuple[Field[Any], int, str, _Compiler]


def inline_forms(field: Field[Any], constraint_class: type[Constraint]) -> Iterator[InlineForm]:
    """``(field within, index, inline form, compiler)`` of the ``constraint_class``
    constraints in ``field`` that have an inline form."""
    compiler = compiler_for(field)
    for within in fields_within(field):
        context = _FieldContext(compiler, str(within.name))
        for index, constraint in enumerate(within.constraints):
            if type(constraint) is constraint_class:
                expression = constraint.inline(within, "v", context, NOTHING_AFTER)
                if expression is not None:
                    yield within, index, expression, compiler


@pytest.mark.parametrize("constraint_class", CONSTRAINT_CLASSES, ids=class_id)
def test_every_constraint_is_drawn(constraint_class: type[Constraint]) -> None:
    find(
        fields(),
        lambda field: any(type(c) is constraint_class for _, c in constraints_within(field)),
        settings=FIND_SETTINGS,
    )


@pytest.mark.parametrize("constraint_class", INLINE_CONSTRAINT_CLASSES, ids=class_id)
def test_every_inline_form_is_drawn(constraint_class: type[Constraint]) -> None:
    find(
        fields(),
        lambda field: any(True for _ in inline_forms(field, constraint_class)),
        settings=FIND_SETTINGS,
    )


@pytest.mark.parametrize("constraint_class", INLINE_CONSTRAINT_CLASSES, ids=class_id)
def test_every_inline_form_accepts_some_value(constraint_class: type[Constraint]) -> None:
    """So that the first test does not hold for want of accepted values."""

    @st.composite
    def forms_and_values(draw: st.DrawFn) -> list[tuple[InlineForm, list[Any]]]:
        # Values only for the fields that have such a form: drawing them is the cost.
        forms = list(inline_forms(draw(fields()), constraint_class))
        return [(form, draw(some_values_for(form[0]))) for form in forms]

    def accepts_one(drawn: list[tuple[InlineForm, list[Any]]]) -> bool:
        for (within, index, expression, compiler), values in drawn:
            for value in values:
                reached = all(passes(c, within, value) for c in within.constraints[:index])
                if reached and accepted(expression, compiler, value):
                    return True
        return False

    find(forms_and_values(), accepts_one, settings=FIND_SETTINGS)


def test_the_discovery_finds_the_library() -> None:
    assert IntField in FIELD_CLASSES
    assert Field in FIELD_CLASSES
    assert {"required", "allow_none", "choices", "field_type"} <= set(OPTIONS[Field])
    assert {"item_field", "min_length", "max_length"} <= set(OPTIONS[ListField])
    assert not IGNORED_OPTIONS & set(OPTIONS[IntField])
    assert len(CONSTRAINT_CLASSES) >= len(INLINE_CONSTRAINT_CLASSES) > 0
    for cls, values in VALID_DATA.items():
        document_of(cls, dict(values)).validate()
