"""MongoDB ``$jsonSchema`` validators derived from fields and document classes.

A field's schema is built from its :attr:`~aiomongodel.fields.Field.constraints`, the same
rule objects ``validate`` checks: each says what it is in a schema
(:meth:`aiomongodel.constraints.Constraint.json_schema`), given the schema of the rules
after it, as it gives its inline form to the compiler. The schema describes the stored
form (what ``to_mongo`` gives), so that the server refuses, from any client, the documents
the model calls invalid.

A rule the server cannot check (a custom constraint without a ``json_schema`` method, a
field class overriding ``validate`` or ``to_mongo``, ``validate_document``) is left out
with everything it could decide, so the schema is then laxer than the model, never
stricter; :attr:`SchemaBuilder.left_out` says which, and ``strict=True`` refuses them.
:class:`JsonSchemaError` is raised where no schema can be given at all, or, when strict,
for what was left out; it names the class and field.

Document classes are reached through their ``meta`` only: this module works with the
``aiomongodel-fields`` distribution alone (``Model.meta.json_schema()`` is the usual entry).
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import bson
from bson import Binary, Decimal128, Int64, ObjectId, Regex, Timestamp

if TYPE_CHECKING:
    from aiomongodel.fields import Field

__all__ = [
    "VALIDATION_ACTIONS",
    "VALIDATION_LEVELS",
    "JsonSchemaError",
    "SchemaBuilder",
    "all_of",
    "any_of",
    "bound_limit",
    "bson_types",
    "document_schema",
    "enum_schema",
    "field_schema",
    "float_nan_or",
    "is_float_nan",
    "not_null",
    "nullable",
    "regex_pattern",
    "validator_options",
]

#: ``validationLevel`` values: which writes the server validates (``"strict"``: all
#: inserts and updates; ``"moderate"``: also, but not updates of documents that are
#: already invalid; ``"off"``: none).
VALIDATION_LEVELS = frozenset({"strict", "moderate", "off"})
#: ``validationAction`` values: what the server does with an invalid write (``"error"``:
#: refuses it; ``"warn"``: logs it and writes; ``"errorAndLog"``, MongoDB 8.0+: both).
VALIDATION_ACTIONS = frozenset({"error", "warn", "errorAndLog"})

#: BSON type aliases of the Python types the drivers store (``int``: ``int`` or ``long``
#: by size). A subclass is not its base here: ``bool`` is no ``int``.
_BSON_TYPES: dict[type[Any], tuple[str, ...]] = {
    str: ("string",),
    int: ("int", "long"),
    Int64: ("long",),
    float: ("double",),
    bool: ("bool",),
    decimal.Decimal: ("decimal",),
    Decimal128: ("decimal",),
    datetime.datetime: ("date",),
    ObjectId: ("objectId",),
    dict: ("object",),
    list: ("array",),
    tuple: ("array",),
    bytes: ("binData",),
    Binary: ("binData",),
    uuid.UUID: ("binData",),
    re.Pattern: ("regex",),
    Regex: ("regex",),
    Timestamp: ("timestamp",),
}

#: Keywords that apply to values of some BSON types only (others pass them), and the
#: annotations, which apply to none.
_TYPE_SPECIFIC = frozenset(
    {
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "items",
        "additionalItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "patternProperties",
        "additionalProperties",
        "required",
        "minProperties",
        "maxProperties",
        "dependencies",
        "title",
        "description",
    }
)
#: Keywords two schemas may both give, merged into the stricter one.
_LOWER_BOUNDS = frozenset({"minLength", "minItems", "minProperties"})
_UPPER_BOUNDS = frozenset({"maxLength", "maxItems", "maxProperties"})

_NULL = {"bsonType": "null"}


class JsonSchemaError(ValueError):
    """A field or document class has no ``$jsonSchema`` (the message names it)."""


def bson_types(types: type[Any] | tuple[type[Any], ...]) -> list[str] | None:
    """The BSON type aliases of values of ``types`` as the drivers store them, or ``None``
    if one of them has no known BSON type."""
    found: list[str] = []
    for python_type in types if isinstance(types, tuple) else (types,):
        aliases = _BSON_TYPES.get(python_type)
        if aliases is None:
            return None
        found.extend(alias for alias in aliases if alias not in found)
    return found


def _type_list(schema: Mapping[str, Any]) -> list[str] | None:
    types = schema.get("bsonType")
    if types is None:
        return None
    return [types] if isinstance(types, str) else list(types)


def all_of(*schemas: Mapping[str, Any]) -> dict[str, Any]:
    """A schema valid where every one of ``schemas`` is: their keywords in one dict when
    they do not clash (equal values, or lengths merged into the stricter one), the
    others under ``allOf``."""
    merged: dict[str, Any] = {}
    rest: list[Mapping[str, Any]] = []
    for schema in schemas:
        if not schema:
            continue
        clashes = False
        for key, value in schema.items():
            if key in merged and merged[key] != value and key not in _LOWER_BOUNDS | _UPPER_BOUNDS:
                clashes = True
        if clashes:
            rest.append(schema)
            continue
        for key, value in schema.items():
            if key in _LOWER_BOUNDS and key in merged:
                merged[key] = max(merged[key], value)
            elif key in _UPPER_BOUNDS and key in merged:
                merged[key] = min(merged[key], value)
            else:
                merged[key] = value
    if rest:
        merged["allOf"] = [*merged.get("allOf", ()), *rest]
    return merged


def any_of(*schemas: Mapping[str, Any]) -> dict[str, Any]:
    """A schema valid where one of ``schemas`` is (``{}``, anything, if one is empty)."""
    if any(not schema for schema in schemas):
        return {}
    unique: list[Mapping[str, Any]] = []
    for schema in schemas:
        if schema not in unique:
            unique.append(schema)
    return dict(unique[0]) if len(unique) == 1 else {"anyOf": [dict(s) for s in unique]}


def nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` also accepting null: ``"null"`` added to its ``bsonType`` (and ``None``
    to its ``enum``) when its other keywords do not apply to null, else an ``anyOf``."""
    if not schema:
        return {}
    types = _type_list(schema)
    others = set(schema) - {"bsonType", "enum"} - _TYPE_SPECIFIC
    if not others and (types is not None or "enum" in schema):
        result = dict(schema)
        if types is not None and "null" not in types:
            result["bsonType"] = [*types, "null"]
        if "enum" in schema and None not in schema["enum"]:
            result["enum"] = [*schema["enum"], None]
        return result
    return {"anyOf": [_NULL, dict(schema)]}


def not_null(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` refusing null too."""
    if schema.get("not") == {}:
        return dict(schema)  # it refuses everything
    types = _type_list(schema)
    if types is not None and "null" not in types:
        return dict(schema)
    if "enum" in schema and None not in schema["enum"]:
        return dict(schema)
    return all_of(schema, {"not": _NULL})


#: Python's global inline flags, which ``regex.flags`` holds (PCRE knows no ``a``, ``L``, ``u``).
_GLOBAL_FLAGS = re.compile(r"\A(?:\(\?[aiLmsux]+\))+")
#: Escapes PCRE spells otherwise: ``\Z``, ``\uXXXX``, ``\UXXXXXXXX``, ``\N{name}``.
_PYTHON_ESCAPES = re.compile(
    r"\\(?:(Z)|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|N\{([^}]*)\}|(.))", re.DOTALL
)


def _pcre_escape(match: re.Match[str]) -> str:
    end, short, long, name, _ = match.groups()
    if end:
        return "\\z"  # Python's \Z is the very end, PCRE's \z
    if short or long:
        return f"\\x{{{short or long}}}"
    if name is not None:
        return f"\\x{{{ord(unicodedata.lookup(name)):X}}}"
    return match.group(0)


def regex_pattern(regex: re.Pattern[str]) -> str:
    """``regex`` as a ``pattern`` of the server's PCRE, matching where ``regex.match``
    does: anchored at the start, with Python's flags (``re.IGNORECASE``, ``MULTILINE``,
    ``DOTALL``, ``VERBOSE``) and Unicode classes (``\\d``, ``\\w``, ``\\s``, ``\\b`` are
    ASCII-only in PCRE unless asked, as with ``re.ASCII``).

    Python's ``\\Z`` becomes PCRE's ``\\z``, ``\\uXXXX``, ``\\UXXXXXXXX`` and ``\\N{name}``
    become ``\\x{...}``; the rest is left to the server (which refuses a pattern it cannot
    compile when the validator is installed).
    """
    flags = "".join(
        letter
        for flag, letter in (
            (re.IGNORECASE, "i"),
            (re.MULTILINE, "m"),
            (re.DOTALL, "s"),
            (re.VERBOSE, "x"),
        )
        if regex.flags & flag
    )
    source = _PYTHON_ESCAPES.sub(_pcre_escape, _GLOBAL_FLAGS.sub("", regex.pattern))
    unicode_classes = "" if regex.flags & re.ASCII else "(*UCP)"
    inline_flags = f"(?{flags})" if flags else ""
    # A newline ends a comment in verbose mode: the group must close on a line of its own.
    close = "\n)" if regex.flags & re.VERBOSE else ")"
    return f"{unicode_classes}{inline_flags}\\A(?:{source}{close}"


def _stored_choice(field: Field[Any], choice: Any) -> tuple[bool, Any]:
    """``(True, stored form)`` of a choice, or ``(False, None)`` if MongoDB cannot hold it
    (then no stored value can be that choice)."""
    try:
        stored = field.to_mongo(choice)
        bson.encode({"v": stored})
    except Exception:
        return False, None
    return True, stored


def enum_schema(field: Field[Any], choices: Iterable[Any]) -> dict[str, Any]:
    """The ``enum`` of ``choices`` as ``field`` stores them (those MongoDB cannot hold are
    left out: no stored value is one of them)."""
    stored: list[Any] = []
    for choice in choices:
        storable, value = _stored_choice(field, choice)
        if storable and not any(_same_bson(value, known) for known in stored):
            stored.append(value)
    try:
        stored.sort()
    except TypeError:
        stored.sort(key=repr)
    if not stored:
        return {"not": {}}  # no value is valid ('enum' may not be empty)
    return {"enum": stored}


def _same_bson(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bson.encode({"v": a}) == bson.encode({"v": b})


_INT64 = (-(2**63), 2**63 - 1)


def bound_limit(limit: Any) -> Any:
    """A numeric limit as the server compares it, or ``None`` if it cannot say it exactly
    (an ``int`` beyond 64 bits that no double equals, a ``Decimal`` that ``Decimal128``
    cannot hold, Decimal NaN, or not a number)."""
    if isinstance(limit, bool):
        return None
    if isinstance(limit, int):
        if _INT64[0] <= limit <= _INT64[1]:
            return int(limit)
        try:
            as_float = float(limit)
        except OverflowError:
            return None
        return as_float if as_float == limit else None
    if isinstance(limit, float):
        return limit
    if isinstance(limit, decimal.Decimal):
        if limit.is_nan():
            return None
        try:
            return Decimal128(limit)
        except Exception:
            return None
    return None


def is_float_nan(value: Any) -> bool:
    """Whether ``value`` is a float NaN."""
    return isinstance(value, float) and math.isnan(value)


def float_nan_or(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` also accepting a float NaN (once, however often it is asked)."""
    nan, rest = _NAN_OR, schema
    alternatives: Any = schema.get("anyOf")
    if schema.keys() == {"anyOf"} and len(alternatives) == 2 and alternatives[0] is nan:
        rest = alternatives[1]
    return {"anyOf": [nan, dict(rest)]}


#: The alternative of :func:`float_nan_or` (one object, so that it can be recognized).
_NAN_OR: dict[str, Any] = {"enum": [math.nan]}


class SchemaBuilder:
    """Builds the schemas of fields and document classes with one set of options; the
    constraints call back into it for the fields and classes they contain.

    Args:
        additional_properties: Whether documents (and embedded documents) may hold keys
            that are not fields of their class. ``True`` (the default) keeps documents
            written by other code, or by older versions of the class, valid.
    """

    def __init__(self, *, additional_properties: bool = True) -> None:
        self.additional_properties = additional_properties
        #: ``'Class.field: what'`` for each rule the schemas built so far leave out.
        self.left_out: list[str] = []
        self._building: list[type[Any]] = []
        self._where: list[str] = []

    def leave_out(self, what: str) -> None:
        """Record that the schema of the field being built leaves ``what`` out."""
        where = self._where[-1] if self._where else "field"
        self.left_out.append(f"{where}: {what}")

    def field_schema(self, field: Field[Any]) -> dict[str, Any]:
        """The schema of a value of ``field`` as stored (null included if allowed).

        A field whose class overrides ``validate`` or ``to_mongo`` gets ``{}``: what it
        accepts and stores is its own code's business.
        """
        for step in ("validate", "to_mongo"):
            if not field.is_standard(step):
                self.leave_out(f"{type(field).__name__} has its own {step}()")
                return {}
        rest: dict[str, Any] = {}
        for constraint in reversed(field.constraints):
            schema = constraint.json_schema(field, self, rest)
            if schema is None:
                self.leave_out(f"the server cannot check {constraint!r}")
            rest = {} if schema is None else schema
        return rest

    def required(self, field: Field[Any]) -> bool:
        """Whether a document without ``field`` is invalid (for ``required``)."""
        return bool(field.required) and field.is_standard("validate")

    def document_schema(self, document_class: type[Any]) -> dict[str, Any]:
        """The schema of a stored document of ``document_class``, or of one of its
        subclasses (an embedded document is valid by its own class's rules).

        Embedded documents that contain themselves (directly or not) are described
        down to the first repetition, which is only required to be an object.
        """
        classes = [document_class, *_subclasses(document_class)]
        schemas = [self.class_schema(cls) for cls in classes]
        return any_of(*schemas)

    def class_schema(self, cls: type[Any]) -> dict[str, Any]:
        """The object schema of a stored document of exactly ``cls`` (its subclasses'
        documents aside).

        Raises:
            JsonSchemaError: If a field has no schema at all; it names the class and field.
        """
        if cls in self._building:
            self.leave_out(f"{cls.__name__} within itself is only checked to be an object")
            return {"bsonType": "object"}
        self._building.append(cls)
        try:
            properties: dict[str, Any] = {}
            required: list[str] = []
            for name, field in cls.meta.fields.items():
                mongo_name = str(field.mongo_name)
                self._where.append(f"{cls.__name__}.{name}")
                try:
                    properties[mongo_name] = self.field_schema(field)
                except JsonSchemaError:
                    raise
                except Exception as exc:
                    raise JsonSchemaError(
                        f"{cls.__name__}.{name}: cannot give a $jsonSchema for this field: "
                        f"{type(exc).__name__}: {exc}"
                    ) from exc
                finally:
                    self._where.pop()
                if self.required(field):
                    required.append(mongo_name)
        finally:
            self._building.pop()
        schema: dict[str, Any] = {"bsonType": "object"}
        if required:
            schema["required"] = required
        if properties:
            schema["properties"] = properties
        if not self.additional_properties:
            schema["additionalProperties"] = False
        return schema


def _subclasses(cls: type[Any]) -> list[type[Any]]:
    found: list[type[Any]] = []
    for sub in cls.__subclasses__():
        if sub not in found and hasattr(sub, "meta"):
            found.append(sub)
        found.extend(s for s in _subclasses(sub) if s not in found)
    return found


def field_schema(field: Field[Any], *, additional_properties: bool = True) -> dict[str, Any]:
    """The ``$jsonSchema`` of a stored value of ``field`` (see :class:`SchemaBuilder`)."""
    return SchemaBuilder(additional_properties=additional_properties).field_schema(field)


def document_schema(
    document_class: type[Any], *, additional_properties: bool = True, strict: bool = False
) -> dict[str, Any]:
    """The ``$jsonSchema`` of the stored documents of ``document_class``, titled with the
    class name; ``Model.meta.json_schema()`` gives it.

    Args:
        strict: Refuse to leave out a rule the server cannot check, rather than give a
            schema laxer than the model.

    Raises:
        JsonSchemaError: If a field has no schema at all (a document class given by a
            path that cannot be imported, say), or, when strict, if a rule is left out;
            the message names the class and field (each of them, when strict).
    """
    builder = SchemaBuilder(additional_properties=additional_properties)
    schema = builder.class_schema(document_class)
    if strict and builder.left_out:
        raise JsonSchemaError(
            f"{document_class.__name__}: the server cannot check every rule: "
            + "; ".join(builder.left_out)
        )
    return {"title": document_class.__name__, **schema}


def validator_options(
    json_schema: Mapping[str, Any] | None,
    validation_level: str | None = None,
    validation_action: str | None = None,
) -> dict[str, Any]:
    """The options of the ``create`` and ``collMod`` commands installing ``json_schema``
    (none if ``None``): ``validator``, then ``validationLevel`` and
    ``validationAction`` when given.

    Raises:
        TypeError: If ``json_schema`` is not a mapping.
        ValueError: If the level or action is not one MongoDB knows.
    """
    options: dict[str, Any] = {}
    if json_schema is not None:
        if not isinstance(json_schema, Mapping):
            raise TypeError(f"a $jsonSchema is a mapping, got {type(json_schema).__name__}")
        options["validator"] = {"$jsonSchema": dict(json_schema)}
    if validation_level is not None:
        if validation_level not in VALIDATION_LEVELS:
            raise ValueError(
                f"validation_level must be one of {', '.join(sorted(VALIDATION_LEVELS))}, "
                f"got {validation_level!r}"
            )
        options["validationLevel"] = validation_level
    if validation_action is not None:
        if validation_action not in VALIDATION_ACTIONS:
            raise ValueError(
                f"validation_action must be one of {', '.join(sorted(VALIDATION_ACTIONS))}, "
                f"got {validation_action!r}"
            )
        options["validationAction"] = validation_action
    return options
