"""Validation rules as data.

A field's options build its tuple of :class:`Constraint` objects
(:attr:`aiomongodel.fields.Field.constraints`), checked in order by
:meth:`~aiomongodel.fields.Field.validate`. Each constraint says the same thing twice:

* :meth:`Constraint.check` raises the field's error for a value that breaks the rule, or
  :class:`~aiomongodel.errors.StopValidation` when the value is valid whatever the later
  rules say (a blank string that is allowed);
* :meth:`Constraint.inline` is a Python expression over a variable that is true only if
  ``check`` passes and the later rules hold, for document classes to compile into their
  ``validate`` (see ``aiomongodel._compiler``). ``None`` means there is no such
  expression: the compiled code then calls the field's ``validate``. The expression may
  be stricter than ``check`` (``type(v) is int`` for ``isinstance(v, int)``) or raise:
  either way the compiled code calls ``validate``, which decides.

And a third time for the server: :meth:`Constraint.json_schema` is the MongoDB
``$jsonSchema`` of stored values that pass ``check`` and the later rules (see
:mod:`aiomongodel.json_schema`), or ``None`` when the server cannot check the rule.

A new option is one new constraint, returned by the field's ``_value_constraints``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, Protocol

from bson import Decimal128

import aiomongodel.json_schema as schemas
from aiomongodel.errors import StopValidation, ValidationError
from aiomongodel.utils import _Empty

if TYPE_CHECKING:
    from aiomongodel.fields import Field
    from aiomongodel.json_schema import SchemaBuilder

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "Blank",
    "Bound",
    "Choices",
    "Constraint",
    "DocumentType",
    "EmailPattern",
    "EmbeddedDocumentValid",
    "FitsDecimal128",
    "InlineContext",
    "Int64",
    "ListItems",
    "MaxLength",
    "MinLength",
    "Pattern",
    "Presence",
    "ReferenceValid",
    "Rest",
    "TypeCheck",
    "all_of",
    "any_of",
]

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


class Rest(NamedTuple):
    """The inline form of the constraints after the one being inlined."""

    expression: str
    #: Whether ``expression`` is false for ``None`` and the missing marker.
    rejects_none_and_missing: bool


class InlineContext(Protocol):
    """What the compiler offers to the constraints whose inline form it asks for."""

    def bind(self, obj: Any, name: str) -> str:
        """Make ``obj`` available to the compiled code; return the name it has there
        (``name``, made unique and prefixed with the field's name)."""

    def accepts(self, field: Field[Any], var: str) -> str | None:
        """The inline form of ``field.validate(var)`` passing (for nested fields)."""

    def document_valid(self, document_class: type[Any], var: str) -> str | None:
        """Expression true only if ``var.validate()`` passes for ``var`` of exactly
        ``document_class``, or ``None``."""


def all_of(*parts: str) -> str:
    """``parts`` joined with ``and`` (``'True'`` parts dropped), parenthesized."""
    kept = [part for part in parts if part != "True"]
    if not kept:
        return "True"
    return kept[0] if len(kept) == 1 else f"({' and '.join(kept)})"


def any_of(*parts: str) -> str:
    """``parts`` joined with ``or``, parenthesized."""
    return parts[0] if len(parts) == 1 else f"({' or '.join(parts)})"


def _literal(value: Any, name: str, context: InlineContext) -> str:
    """Source for ``value``: an ``int`` as a literal, anything else bound as ``name``."""
    return repr(value) if type(value) is int else context.bind(value, name)


class Constraint:
    """One rule a valid value follows."""

    #: Whether :meth:`inline` is false for ``None`` and the missing marker whatever the
    #: later rules are (so that :class:`Presence` need not test for them).
    rejects_none_and_missing: bool = False

    def check(self, field: Field[Any], value: Any) -> None:
        """Raise ``field``'s error if ``value`` breaks the rule (``value`` may be
        anything not rejected by the constraints before this one)."""
        raise NotImplementedError

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        """Expression true only if :meth:`check` passes for ``var``, or ``None``."""
        return None

    def check_storable(self, field: Field[Any], value: Any) -> None:
        """The part of :meth:`check` that says whether MongoDB can hold ``value`` as this
        field's value at all (its type, a size BSON can hold), which filters and updates
        built from fields check; the rules about which values the application accepts
        (lengths, bounds, choices, patterns) are not checked there. Nothing by default.
        """

    def inline(self, field: Field[Any], var: str, context: InlineContext, rest: Rest) -> str | None:
        """Expression true only if :meth:`check` passes for ``var`` and ``rest`` (the
        inline form of the later constraints) holds; ``None`` if there is none."""
        accept = self.accepts(field, var, context)
        if accept is None:
            return None
        if rest.expression.startswith(f"({accept} and "):  # the later ones ask it already
            return rest.expression
        return all_of(accept, rest.expression)

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The ``$jsonSchema`` of stored values that pass :meth:`check` and ``rest`` (the
        schema of the later constraints), or ``None`` if the server cannot check this
        rule: the field's schema then ends before it (it may stop validation, so the
        later rules cannot be relied on either)."""
        return None

    def __repr__(self) -> str:
        options = ", ".join(
            f"{name}={value!r}"
            for name, value in vars(self).items()
            if not name.startswith("_") and name != "rejects_none_and_missing"
        )
        return f"{type(self).__name__}({options})"


class Presence(Constraint):
    """No value (``_Empty``) needs ``required=False``, ``None`` needs ``allow_none``.

    It reads the field's ``required`` and ``allow_none`` when it runs.
    """

    def check(self, field: Field[Any], value: Any) -> None:
        if value is _Empty:
            if field.required:
                field.fail("required")
            raise StopValidation
        if value is None:
            if not field.allow_none:
                field.fail("none")
            raise StopValidation

    def inline(self, field: Field[Any], var: str, context: InlineContext, rest: Rest) -> str | None:
        missing = context.bind(_Empty, "MISSING")
        valid = rest.expression
        if not rest.rejects_none_and_missing:
            valid = all_of(f"{var} is not {missing}", f"{var} is not None", valid)
        alternatives = []
        if not field.required:
            alternatives.append(f"{var} is {missing}")
        if field.allow_none:
            alternatives.append(f"{var} is None")
        return any_of(*alternatives, valid)

    def check_storable(self, field: Field[Any], value: Any) -> None:
        if value is None or value is _Empty:
            raise StopValidation  # a filter may look for null (or a missing field)

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        # A missing value is the document's ``required``; here null is the question.
        return schemas.nullable(rest) if field.allow_none else schemas.not_null(rest)


class TypeCheck(Constraint):
    """The value is an instance of ``types`` (error ``type``).

    Inline, a single type asks for exactly that type, which is quicker and stricter.
    """

    def __init__(self, types: type[Any] | tuple[type[Any], ...]) -> None:
        self.types = types
        self.rejects_none_and_missing = not isinstance(None, types) and not isinstance(
            _Empty, types
        )

    def check(self, field: Field[Any], value: Any) -> None:
        if not isinstance(value, self.types):
            field.fail("type")

    check_storable = check

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        types = self.types
        if isinstance(types, type):
            return f"{context.bind(type, 'type')}({var}) is {context.bind(types, types.__name__)}"
        return f"{context.bind(isinstance, 'isinstance')}({var}, {context.bind(types, 'types')})"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        types = schemas.bson_types(self.types)
        if types is None:
            return None
        return schemas.all_of({"bsonType": types[0] if len(types) == 1 else types}, rest)


class DocumentType(Constraint):
    """The value is an instance of the field's ``document_class`` (error ``type``),
    resolved when checked, so that it may be given as a dotted path."""

    rejects_none_and_missing = True

    def check(self, field: Field[Any], value: Any) -> None:
        if not isinstance(value, field.document_class):  # type: ignore[attr-defined]
            field.fail("type")

    check_storable = check

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        cls = field.resolved_document_class()  # type: ignore[attr-defined]
        if cls is None:
            return None
        return f"{context.bind(type, 'type')}({var}) is {context.bind(cls, cls.__name__)}"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        return schemas.all_of({"bsonType": "object"}, rest)  # stored as its dict


class Choices(Constraint):
    """The value is one of ``choices`` (error ``choices``); a value whose comparison or
    hash raises is not."""

    def __init__(self, choices: Collection[Any]) -> None:
        self.choices = choices

    def check(self, field: Field[Any], value: Any) -> None:
        try:
            found = value in self.choices
        except Exception:
            found = False
        if not found:
            field.fail("choices")

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        return f"{var} in {context.bind(self.choices, 'choices')}"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        return schemas.all_of(schemas.enum_schema(field, self.choices), rest)


class Pattern(Constraint):
    """The string matches ``regex`` from its start (error ``pattern``, showing it)."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def check(self, field: Field[Any], value: Any) -> None:
        if self.regex.match(value) is None:
            self.fail(field)

    def fail(self, field: Field[Any]) -> None:
        field.fail("pattern", self.regex.pattern)

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        return f"{context.bind(self.regex.match, 'match')}({var}) is not None"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        if not isinstance(self.regex.pattern, str):
            return None
        return schemas.all_of({"pattern": schemas.regex_pattern(self.regex)}, rest)


class EmailPattern(Pattern):
    """An email address: :class:`Pattern` with an error that does not show the regex."""

    def fail(self, field: Field[Any]) -> None:
        field.fail("pattern")


class Blank(Constraint):
    """The empty string needs ``allow_blank`` (error ``blank``); an allowed one skips the
    later rules."""

    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed

    def check(self, field: Field[Any], value: Any) -> None:
        if value == "":
            if not self.allowed:
                field.fail("blank")
            raise StopValidation

    def inline(self, field: Field[Any], var: str, context: InlineContext, rest: Rest) -> str | None:
        if self.allowed:
            return any_of(f"{var} == ''", rest.expression)
        return all_of(f"{var} != ''", rest.expression)

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        if not self.allowed:
            return schemas.all_of({"minLength": 1}, rest)
        if set(rest) <= {"maxLength"}:  # the empty string passes the rest anyway
            return rest
        return schemas.any_of({"enum": [""]}, rest)


class MinLength(Constraint):
    """``len(value) >= length`` (error ``min_length``)."""

    def __init__(self, length: int) -> None:
        self.length = length

    def check(self, field: Field[Any], value: Any) -> None:
        if len(value) < self.length:
            field.fail("min_length", self.length)

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        length = _literal(self.length, "min_length", context)
        return f"{context.bind(len, 'len')}({var}) >= {length}"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        keyword = _length_keyword(field, "min", self.length)
        if keyword is None:
            return None
        return rest if self.length <= 0 else schemas.all_of({keyword: self.length}, rest)


class MaxLength(Constraint):
    """``len(value) <= length`` (error ``max_length``)."""

    def __init__(self, length: int) -> None:
        self.length = length

    def check(self, field: Field[Any], value: Any) -> None:
        if len(value) > self.length:
            field.fail("max_length", self.length)

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        length = _literal(self.length, "max_length", context)
        return f"{context.bind(len, 'len')}({var}) <= {length}"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        keyword = _length_keyword(field, "max", self.length)
        if keyword is None:
            return None
        if self.length < 0:
            return {"not": {}}  # no length is that short
        return schemas.all_of({keyword: self.length}, rest)


def _length_keyword(field: Field[Any], end: str, length: Any) -> str | None:
    """``minLength`` of a string field, ``minItems`` of a list field (``max...`` for
    ``end='max'``), or ``None`` for values of other types or a length that is no int."""
    if type(length) is not int:
        return None
    field_type = field.field_type
    if field_type is str:
        return f"{end}Length"
    if field_type is list:
        return f"{end}Items"
    return None


class Bound(Constraint):
    """A numeric bound, ``gt``, ``gte``, ``lt`` or ``lte`` (the error of that name).

    It fails only on a value that compares beyond it, so float NaN passes every bound; a
    comparison that raises ``ArithmeticError`` (Decimal NaN) fails it.
    """

    #: ``{key: (violated when, inline operator)}``.
    KINDS: ClassVar[dict[str, tuple[Callable[[Any, Any], bool], str]]] = {
        "gte": (operator.lt, ">="),
        "lte": (operator.gt, "<="),
        "gt": (operator.le, ">"),
        "lt": (operator.ge, "<"),
    }
    #: Limits whose comparisons with numbers are a total order apart from NaN: only
    #: these have an inline form (a user object may say both ``<`` and ``>=``).
    INLINE_LIMITS: ClassVar[tuple[type[Any], ...]] = (int, float, Decimal)

    def __init__(self, key: str, limit: Any) -> None:
        self.key = key
        self.limit = limit
        self._violated_by, self._operator = self.KINDS[key]

    def check(self, field: Field[Any], value: Any) -> None:
        try:
            bad = self._violated_by(value, self.limit)
        except ArithmeticError:
            bad = True
        if bad:
            field.fail(self.key, self.limit)

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        if type(self.limit) not in self.INLINE_LIMITS:
            return None
        return f"{var} {self._operator} {_literal(self.limit, self.key, context)}"

    #: ``{key: $jsonSchema keywords}``.
    SCHEMA_KEYWORDS: ClassVar[dict[str, dict[str, Any]]] = {
        "gte": {"minimum": None},
        "lte": {"maximum": None},
        "gt": {"minimum": None, "exclusiveMinimum": True},
        "lt": {"maximum": None, "exclusiveMaximum": True},
    }

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        if schemas.is_float_nan(self.limit):
            return rest  # nothing compares beyond NaN: every value passes
        limit = schemas.bound_limit(self.limit) if type(self.limit) in self.INLINE_LIMITS else None
        if limit is None:
            return None
        bound = {k: limit if v is None else v for k, v in self.SCHEMA_KEYWORDS[self.key].items()}
        if not _holds_floats(field):
            return schemas.all_of(bound, rest)
        # Float NaN passes every bound here, and none on the server: allow it apart.
        nan_or_rest = schemas.float_nan_or(rest)
        return schemas.float_nan_or(schemas.all_of(bound, nan_or_rest["anyOf"][1]))


def _holds_floats(field: Field[Any]) -> bool:
    types = field.field_type
    return float in (types if isinstance(types, tuple) else (types,))


class Int64(Constraint):
    """The integer fits MongoDB's 64-bit integers (errors ``gte`` and ``lte``)."""

    def check(self, field: Field[Any], value: Any) -> None:
        if value < INT64_MIN:
            field.fail("gte", INT64_MIN)
        if value > INT64_MAX:
            field.fail("lte", INT64_MAX)

    check_storable = check

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        return f"{INT64_MIN} <= {var} <= {INT64_MAX}"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        return rest  # BSON's int and long hold exactly these


class FitsDecimal128(Constraint):
    """``Decimal128`` holds the value exactly (error ``type``)."""

    def check(self, field: Field[Any], value: Any) -> None:
        try:
            Decimal128(value)
        except Exception:
            field.fail("type")

    check_storable = check

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        return f"{context.bind(Decimal128, 'Decimal128')}({var}) is not None"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        return rest  # a stored decimal is a Decimal128


class ListItems(Constraint):
    """Every item is valid for the field's ``item_field``; errors are reported under the
    indices of the bad items."""

    def check(self, field: Field[Any], value: Any) -> None:
        _check_items(field.item_field.validate, value)  # type: ignore[attr-defined]

    def check_storable(self, field: Field[Any], value: Any) -> None:
        _check_items(field.item_field.check_storable, value)  # type: ignore[attr-defined]

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        item = f"{var}_"
        accept = context.accepts(field.item_field, item)  # type: ignore[attr-defined]
        if accept is None:
            return None
        return f"{context.bind(all, 'all')}({accept} for {item} in {var})"

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        items = builder.field_schema(field.item_field)  # type: ignore[attr-defined]
        return schemas.all_of({"items": items} if items else {}, rest)


def _check_items(check: Callable[[Any], None], items: Any) -> None:
    errors = {}
    for index, item in enumerate(items):
        try:
            check(item)
        except ValidationError as exc:
            errors[index] = exc
    if errors:
        raise ValidationError(errors)


class EmbeddedDocumentValid(Constraint):
    """The embedded document is valid by its own class's rules (a subclass perhaps)."""

    def check(self, field: Field[Any], value: Any) -> None:
        value.validate()

    def accepts(self, field: Field[Any], var: str, context: InlineContext) -> str | None:
        # A subclass's instance is valid by its own class's rules: ask for the class.
        exactly = DocumentType().accepts(field, var, context)
        if exactly is None:
            return None
        valid = context.document_valid(field.document_class, var)  # type: ignore[attr-defined]
        return None if valid is None else all_of(exactly, valid)

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        document = builder.document_schema(field.document_class)  # type: ignore[attr-defined]
        return schemas.all_of(document, rest)


class ReferenceValid(Constraint):
    """The reference, a document of the referenced class or an ``_id`` value, has an
    ``_id`` valid for the referenced class's ``_id`` field."""

    def check(self, field: Field[Any], value: Any) -> None:
        if isinstance(value, field.document_class):  # type: ignore[attr-defined]
            value = value._data.get("_id")
        field._id_field().validate(value)  # type: ignore[attr-defined]

    def check_storable(self, field: Field[Any], value: Any) -> None:
        if isinstance(value, field.document_class):  # type: ignore[attr-defined]
            value = value._data.get("_id")
            if value is None:
                raise ValidationError("the referenced document has no _id yet")
        field._id_field().check_storable(value)  # type: ignore[attr-defined]

    def json_schema(
        self, field: Field[Any], builder: SchemaBuilder, rest: dict[str, Any]
    ) -> dict[str, Any] | None:
        # Stored as the referenced document's _id: valid as that class's _id is.
        return schemas.all_of(builder.field_schema(field._id_field()), rest)  # type: ignore[attr-defined]
