"""Document fields: typed descriptors that convert and validate values.

Each field converts three ways:

* ``from_data``: user input to the Python value (never raises; returns input it cannot
  convert unchanged, for ``validate`` to reject);
* ``to_mongo`` / ``from_mongo``: the Python value to and from what the driver stores.

``validate`` raises :class:`~aiomongodel.errors.ValidationError` with one of the message
templates listed in :attr:`Field.error_messages` (and subclasses), or passes. It never
raises anything else, whatever the value. The rules it checks are the field's
:attr:`Field.constraints` (see :mod:`aiomongodel.constraints`), built from its options.

Document classes compile these steps into per-class code. A step is compiled inline only
while the field's class keeps the methods behind it (:meth:`Field.is_standard`): a
subclass overriding ``validate``, say, gets plain calls of its ``validate`` and the
compiled form of everything else.

Fields reach document classes only through ``aiomongodel.document``, imported lazily,
so this module works where only ``aiomongodel-fields`` is installed.
"""

from __future__ import annotations

import copy
import datetime as _dt
import decimal
import re
import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, cast, overload

from bson import Decimal128, ObjectId
from typing_extensions import TypeVar

from aiomongodel.constraints import (
    INT64_MAX,
    INT64_MIN,
    Blank,
    Bound,
    Choices,
    Constraint,
    DocumentType,
    EmailPattern,
    EmbeddedDocumentValid,
    FitsDecimal128,
    Int64,
    ListItems,
    MaxLength,
    MinLength,
    Pattern,
    Presence,
    ReferenceValid,
    TypeCheck,
)
from aiomongodel.errors import QueryValueError, StopValidation, ValidationError
from aiomongodel.expressions import FieldExpressions, Filter, ReferencePath, Update
from aiomongodel.utils import _Empty, import_class

if TYPE_CHECKING:
    from typing_extensions import TypedDict, Unpack

    from aiomongodel.document import Document, EmbeddedDocument

    class FieldOptions(TypedDict, total=False):
        """The options every field takes besides ``required`` and ``allow_none``
        (which decide whether its value reads as ``T`` or ``T | None``)."""

        default: Any
        mongo_name: str | None
        name: str | None
        choices: Iterable[Any] | Mapping[Any, Any] | None
        field_type: type[Any] | tuple[type[Any], ...] | None
        verbose_name: str | None

    class StrOptions(FieldOptions, total=False):
        regex: str | re.Pattern[str] | None
        allow_blank: bool
        min_length: int | None
        max_length: int | None

    class NumberOptions(FieldOptions, total=False):
        gt: Any
        gte: Any
        lt: Any
        lte: Any

    class ListOptions(FieldOptions, total=False):
        min_length: int | None
        max_length: int | None


__all__ = [
    "AnyField",
    "BoolField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "EmbDocField",
    "Field",
    "FloatField",
    "IntField",
    "ListField",
    "ObjectIdField",
    "RefField",
    "StrField",
    "SynonymField",
]

T = TypeVar("T")
F = TypeVar("F", bound="Field[Any]")
FC = TypeVar("FC", bound="type[Field[Any]]")
ED = TypeVar("ED", bound="EmbeddedDocument")
D = TypeVar("D", bound="Document[Any]")
I = TypeVar("I")  # noqa: E741  (the item type of a list)
# What reading a field on a document gives: the value type, or it ``| None`` when the
# field is optional. The defaults are the required forms (a bare ``StrField`` annotation
# is ``StrField[str]``).
StrT = TypeVar("StrT", default=str)
IntT = TypeVar("IntT", default=int)
FloatT = TypeVar("FloatT", default=float)
DecimalT = TypeVar("DecimalT", default=decimal.Decimal)
BoolT = TypeVar("BoolT", default=bool)
DateTimeT = TypeVar("DateTimeT", default=_dt.datetime)
ObjectIdT = TypeVar("ObjectIdT", default=ObjectId)
EmbeddedT = TypeVar("EmbeddedT", default=ED)
ListT = TypeVar("ListT", default=list[I])
RefT = TypeVar("RefT", default=D | ObjectId)
# Function-scoped twins for the constructors' overloads.
_ED = TypeVar("_ED", bound="EmbeddedDocument")
_I = TypeVar("_I")
_D_ObjectId = TypeVar("_D_ObjectId", bound="Document[ObjectId]")
_D_str = TypeVar("_D_str", bound="Document[str]")
_D_int = TypeVar("_D_int", bound="Document[int]")
_D_UUID = TypeVar("_D_UUID", bound="Document[uuid.UUID]")
_D = TypeVar("_D", bound="Document[Any]")

#: The per-value steps document classes compile, and the field methods behind each.
STEPS: dict[str, tuple[str, ...]] = {
    "from_data": ("from_data", "_convert"),
    "to_mongo": ("to_mongo",),
    "from_mongo": ("from_mongo",),
    "validate": ("validate",),
}

_PRESENCE = Presence()
#: Public field attributes that no constraint reads.
_NOT_RULES = frozenset({"constraints", "name", "mongo_name", "verbose_name"})


def _standard(cls: FC) -> FC:
    """Mark ``cls``'s methods behind :data:`STEPS` as the ones the compiler describes."""
    cls._standard_methods = {name: getattr(cls, name) for names in STEPS.values() for name in names}
    return cls


@_standard
class Field(FieldExpressions[T], Generic[T]):
    """Base class of all fields.

    A field is a descriptor: on a document class it is the field itself (so
    ``User.name.s`` gives the MongoDB name), on an instance it is the value, or ``None``
    when unset.

    On the class, fields also build filters, updates and sort keys with their values
    converted (``Post.views > 5``, ``Post.views.inc(1)``, ``Post.created.desc()``; see
    :mod:`aiomongodel.expressions`).

    Args:
        required: Whether a document is invalid without a value for this field.
        default: A value, or a callable with no arguments called for every new
            document, used when the constructor gets no value. Ignored unless
            ``required`` is true.
        mongo_name: Key in MongoDB; defaults to the attribute name.
        name: Attribute name; set by the document class, not by hand.
        allow_none: Whether ``None`` is a valid value.
        choices: The only valid values: a dict (whose keys are the values), kept as it
            is, or any other iterable, kept as a set. When given, the field's other
            constraints are not checked.
        field_type: Type the value must be an instance of (used by plain ``Field``),
            and that ``from_data`` converts to.
        verbose_name: A human-readable name, for the application's own use.
    """

    #: Default message templates, keyed by what they report. Translations passed to
    #: :meth:`ValidationError.as_dict` are keyed by these templates.
    error_messages: ClassVar[dict[str, str]] = {
        "required": "field is required",
        "none": "none value is not allowed",
        "type": "invalid value type",
        "choices": "value does not match any variant",
    }

    #: Whether ``to_mongo`` and ``from_mongo`` return the value unchanged, so that
    #: documents can skip calling them. A subclass overriding either method is not
    #: passthrough unless it says so.
    passthrough: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        converts = "to_mongo" in vars(cls) or "from_mongo" in vars(cls)
        if converts and "passthrough" not in vars(cls):
            cls.passthrough = False

    def __init__(
        self,
        *,
        required: bool = True,
        default: Any = _Empty,
        mongo_name: str | None = None,
        name: str | None = None,
        allow_none: bool = False,
        choices: Iterable[Any] | Mapping[Any, Any] | None = None,
        field_type: type[Any] | tuple[type[Any], ...] | None = None,
        verbose_name: str | None = None,
    ) -> None:
        if mongo_name is not None and not isinstance(mongo_name, str):
            raise TypeError(f"mongo_name must be a string, got {mongo_name!r}")
        self.required = required
        self._default = default
        self.name: str | None = name
        self.mongo_name: str | None = mongo_name if mongo_name is not None else name
        self.allow_none = allow_none
        self.verbose_name = verbose_name
        self.choices: Collection[Any] | None = (
            choices if choices is None or isinstance(choices, dict) else set(choices)
        )
        if field_type is not None:
            self.field_type = field_type
        #: Whether the field holds embedded documents (directly or in lists), which a
        #: document loaded by a query may hold as stored until first read (the
        #: document's ``_pending``); reading or setting the field builds them.
        self.holds_documents = False
        #: The rules ``validate`` checks, in order (see :mod:`aiomongodel.constraints`).
        self.constraints: tuple[Constraint, ...] = tuple(self._build_constraints())

    # Descriptor protocol ------------------------------------------------------------

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if self.name is None:
            self.name = name
        if self.mongo_name is None:
            self.mongo_name = self.name

    @overload
    def __get__(self: F, instance: None, owner: Any) -> F: ...

    @overload
    def __get__(self, instance: object, owner: Any) -> T: ...

    def __get__(self: F, instance: object | None, owner: Any) -> F | T:
        # Typed as ``T``: a required field reads as its value type (``None`` until set).
        if instance is None:
            return self
        if self.holds_documents and instance._pending:  # type: ignore[attr-defined]
            instance._settle()  # type: ignore[attr-defined]
        return cast("T", instance._data.get(self.name))  # type: ignore[attr-defined]

    def __set__(self, instance: object, value: T) -> None:
        if self.holds_documents and instance._pending:  # type: ignore[attr-defined]
            instance._settle()  # type: ignore[attr-defined]
        data = instance._data  # type: ignore[attr-defined]
        if self.name not in data:  # added after the others: see BaseDocument._reordered
            instance._reordered = True  # type: ignore[attr-defined]
        data[self.name] = self.from_data(value)

    def __delete__(self, instance: object) -> None:
        if self.holds_documents and instance._pending:  # type: ignore[attr-defined]
            instance._settle()  # type: ignore[attr-defined]
        instance._data.pop(self.name, None)  # type: ignore[attr-defined]

    # Public API ---------------------------------------------------------------------

    @property
    def s(self) -> str:
        """The field's name in MongoDB, for queries: ``{User.name.s: 'Ann'}``.

        Through embedded documents and lists of them it is the dotted path:
        ``Post.comments.author.s == 'comments.author'``.
        """
        if self.mongo_name is None:
            raise AttributeError("field is not bound to a document class yet")
        return self.mongo_name

    @property
    def default(self) -> Any:
        """The default value (the callable's result for a callable default), or ``_Empty``.

        Documents use it only for required fields.
        """
        if callable(self._default):
            return self._default()
        return self._default

    def from_data(self, value: Any) -> Any:
        """Convert user-provided data to the field's Python type (``field_type(value)``).

        Returns ``None`` for ``None``, the converted value, or the value unchanged when it
        cannot be converted (``validate`` then reports it). Never raises.
        """
        if value is None:
            return None
        try:
            return self._convert(value)
        except Exception:
            return value

    def to_mongo(self, value: Any) -> Any:
        """Convert the Python value to what is stored in MongoDB."""
        return value

    def from_mongo(self, value: Any) -> Any:
        """Convert a value loaded from MongoDB to the Python value."""
        return value

    def validate(self, value: Any) -> None:
        """Check a value; ``_Empty`` stands for "no value at all".

        Raises:
            ValidationError: With one of :attr:`error_messages`, or nested errors for
                embedded documents and lists.
        """
        try:
            for constraint in self.constraints:
                constraint.check(self, value)
        except (ValidationError, ImportError):
            raise
        except StopValidation:
            return
        except Exception:  # a value whose own methods misbehave is simply invalid
            self.fail("type")

    def check_storable(self, value: Any) -> None:
        """Check only that MongoDB can hold ``value`` as this field's value (its type,
        a size BSON can hold; ``None`` passes), as filters and updates need: the rules
        about which values are valid (lengths, bounds, choices, patterns) do not apply.

        Raises:
            ValidationError: As :meth:`validate` does.
        """
        # The loop of ``validate`` again, not shared: ``validate`` is the hot one.
        try:
            for constraint in self.constraints:
                constraint.check_storable(self, value)
        except (ValidationError, ImportError):
            raise
        except StopValidation:
            return
        except Exception:
            self.fail("type")

    def query_value(self, value: Any) -> Any:
        """``value`` as this field stores it, for a filter or an update: converted by
        ``from_data``, checked by :meth:`check_storable`, then by ``to_mongo``
        (``Decimal`` to ``Decimal128``, a referenced document to its ``_id``, an
        embedded document to its dict). ``None`` stays ``None``.

        Raises:
            QueryValueError: If the field cannot store the value; it names the field.
        """
        if value is None:
            return None
        converted = self.from_data(value)
        try:
            self.check_storable(converted)
        except ValidationError as exc:
            raise QueryValueError(self.s, value, exc, self.name) from None
        return self.to_mongo(converted)

    def item_query_value(self, item: Any) -> Any:
        """An item's stored form, for the list updates and filters (``push``, ``all``):
        by the item field for a :class:`ListField`, else :meth:`query_value`."""
        return self.query_value(item)

    def fail(self, key: str, constraint: Any = _Empty) -> None:
        """Raise the :class:`ValidationError` of ``error_messages[key]``."""
        raise ValidationError(self.error_messages[key], constraint)

    # For subclasses -----------------------------------------------------------------

    field_type: type[Any] | tuple[type[Any], ...] | None = None

    def _convert(self, value: Any) -> Any:
        """Convert a non-``None`` value; may raise, ``from_data`` then keeps the input."""
        field_type = self.field_type
        return field_type(value) if isinstance(field_type, type) else value

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        # An option changed after creation (0.2 read options when validating): the
        # rules follow it. Document classes compiled before keep what they compiled.
        if name not in _NOT_RULES and not name.startswith("_") and "constraints" in vars(self):
            super().__setattr__("constraints", tuple(self._build_constraints()))

    def _build_constraints(self) -> Iterator[Constraint]:
        """Presence, then the type, then ``choices`` alone or the value constraints."""
        yield _PRESENCE
        type_check = self._type_constraint()
        if type_check is not None:
            yield type_check
        if self.choices is not None:
            yield Choices(self.choices)
            return
        yield from self._value_constraints()

    def _type_constraint(self) -> Constraint | None:
        return None if self.field_type is None else TypeCheck(self.field_type)

    def _value_constraints(self) -> Iterable[Constraint]:
        """Constraints checked, in order, after the type when there are no choices."""
        return ()

    def _subfield(self, name: str, prefix: str) -> Field[Any]:
        """The field ``name`` inside this one, with a dotted mongo name under ``prefix``."""
        raise AttributeError(f"'{type(self).__name__}' has no attribute '{name}'")

    # Description for compiled code --------------------------------------------------

    #: The type whose exact instances ``from_data`` returns unchanged, if any.
    exact_type: ClassVar[type[Any] | None] = None
    #: Whether ``from_data`` returns every value unchanged.
    keeps_every_value: ClassVar[bool] = False
    _standard_methods: ClassVar[dict[str, Any]]

    def is_standard(self, step: str) -> bool:
        """Whether this field's class keeps the methods behind ``step`` (a key of
        :data:`STEPS`) that its nearest built-in class has, so that compiled code may
        do the step inline from the field's description."""
        cls, standard = type(self), self._standard_methods
        return all(getattr(cls, name) is standard[name] for name in STEPS[step])

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"


@_standard
class AnyField(Field[Any]):
    """A field that takes any value and stores it as it is.

    Whether MongoDB can store the value is up to the application.
    """

    keeps_every_value = True


@_standard
class _SizedField(Field[T]):
    """A field whose values have a length bounded by ``min_length`` and ``max_length``."""

    min_length: int | None = None
    max_length: int | None = None

    def _length_constraints(self) -> Iterator[Constraint]:
        if self.min_length is not None:
            yield MinLength(self.min_length)
        if self.max_length is not None:
            yield MaxLength(self.max_length)


@_standard
class StrField(_SizedField[StrT]):
    """A string.

    Args:
        regex: Pattern (string or compiled) that values must match from their start;
            checked first, blank values included.
        allow_blank: Whether the empty string is valid; a blank value skips the length
            checks.
        min_length: Minimum length.
        max_length: Maximum length.
    """

    error_messages = {
        **Field.error_messages,
        "blank": "blank value is not allowed",
        "pattern": "value does not match pattern {constraint}",
        "min_length": "length is less than {constraint}",
        "max_length": "length is greater than {constraint}",
    }
    field_type = str
    exact_type = str

    @overload
    def __init__(
        self: StrField[str],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[StrOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: StrField[str | None],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[StrOptions],
    ) -> None: ...

    def __init__(
        self,
        *,
        regex: str | re.Pattern[str] | None = None,
        allow_blank: bool = False,
        min_length: int | None = None,
        max_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.regex = re.compile(regex) if isinstance(regex, str) else regex
        self.allow_blank = allow_blank
        self.min_length = min_length
        self.max_length = max_length
        super().__init__(**kwargs)

    def _value_constraints(self) -> Iterator[Constraint]:
        if self.regex is not None:
            yield self.pattern_constraint(self.regex)
        yield Blank(self.allow_blank)
        yield from self._length_constraints()

    #: The constraint ``regex`` becomes.
    pattern_constraint: ClassVar[type[Pattern]] = Pattern


@_standard
class EmailField(StrField[StrT]):
    """An email address: a string matching ``regex``.

    Args:
        regex: Pattern the address must match from its start; the default accepts
            ``local@domain.tld``.
    """

    EMAIL_REGEX = re.compile(r"^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$")
    error_messages = {**StrField.error_messages, "pattern": "value is not a valid email address"}

    @overload
    def __init__(
        self: EmailField[str],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[StrOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: EmailField[str | None],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[StrOptions],
    ) -> None: ...

    def __init__(self, *, regex: str | re.Pattern[str] | None = EMAIL_REGEX, **kwargs: Any) -> None:
        super().__init__(regex=regex, **kwargs)  # type: ignore[misc]

    pattern_constraint = EmailPattern


@_standard
class _NumberField(Field[T]):
    """A number with optional bounds: ``gt``, ``gte``, ``lt``, ``lte``."""

    error_messages = {
        **Field.error_messages,
        "gte": "value is less than {constraint}",
        "lte": "value is greater than {constraint}",
        "gt": "value should be greater than {constraint}",
        "lt": "value should be less than {constraint}",
    }

    def __init__(
        self,
        *,
        gt: Any = None,
        gte: Any = None,
        lt: Any = None,
        lte: Any = None,
        **kwargs: Any,
    ) -> None:
        self.gt, self.gte, self.lt, self.lte = gt, gte, lt, lte
        super().__init__(**kwargs)

    def _value_constraints(self) -> Iterator[Constraint]:
        for key in ("gte", "lte", "gt", "lt"):
            limit = getattr(self, key)
            if limit is not None:
                yield Bound(key, limit)


@_standard
class IntField(_NumberField[IntT]):
    """An integer that fits MongoDB's 64-bit integers.

    ``from_data`` converts with ``int()``: ``'12'`` and ``12.7`` give ``12``, ``True``
    gives ``1``.

    Args:
        gt, gte, lt, lte: Bounds; see :class:`FloatField`.
    """

    field_type = int
    exact_type = int

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: IntField[int],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: IntField[int | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...

    def _convert(self, value: Any) -> Any:
        if isinstance(value, decimal.Decimal) and not INT64_MIN <= value <= INT64_MAX:
            return value  # int() of a huge exponent ("1E+999999999") would take ages
        return int(value)

    def _value_constraints(self) -> Iterator[Constraint]:
        yield Int64()
        yield from super()._value_constraints()


@_standard
class FloatField(_NumberField[FloatT]):
    """A floating point number; ``from_data`` converts with ``float()``.

    Args:
        gt: Values must be greater than this ("value should be greater than ...").
        gte: Values must be at least this ("value is less than ...").
        lt: Values must be less than this ("value should be less than ...").
        lte: Values must be at most this ("value is greater than ...").
    """

    field_type = float
    exact_type = float

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: FloatField[float],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: FloatField[float | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...


@_standard
class DecimalField(_NumberField[DecimalT]):
    """A :class:`decimal.Decimal`, stored as BSON ``Decimal128``.

    ``from_data`` converts with ``Decimal()`` (a float keeps its exact binary value).
    Values must fit ``Decimal128`` (34 significant digits). Bounds as for
    :class:`FloatField`.
    """

    field_type = decimal.Decimal
    exact_type = decimal.Decimal

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DecimalField[decimal.Decimal],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: DecimalField[decimal.Decimal | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[NumberOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...

    passthrough = False

    def _value_constraints(self) -> Iterator[Constraint]:
        yield FitsDecimal128()
        yield from super()._value_constraints()

    def to_mongo(self, value: Any) -> Any:
        """Convert a ``Decimal`` (or a decimal string) to ``Decimal128``.

        Raises:
            TypeError: For a value ``Decimal128`` cannot be made from (``validate``
                reports it first).
        """
        if value is None:
            return None
        if not isinstance(value, (decimal.Decimal, str)):
            raise TypeError(f"Cannot convert {value!r} to Decimal128")
        return Decimal128(value)

    def from_mongo(self, value: Any) -> Any:
        """Convert a stored ``Decimal128`` (or a number or string) to ``Decimal``.

        ``None`` and values that are not decimal numbers are returned as they are.
        """
        if issubclass(type(value), Decimal128):  # not isinstance: __class__ may lie or raise
            return value.to_decimal()
        if value is None:
            return None
        try:
            return Decimal128(str(value)).to_decimal()
        except Exception:
            return value


_FALSE_STRINGS = frozenset({"false", "0", "no", "off"})


@_standard
class BoolField(Field[BoolT]):
    """A boolean. ``from_data`` converts with ``bool()``, except that the strings
    ``'false'``, ``'0'``, ``'no'`` and ``'off'`` (any case) give ``False``."""

    field_type = bool
    exact_type = bool

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: BoolField[bool],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: BoolField[bool | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...

    def _convert(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in _FALSE_STRINGS:
            return False
        return bool(value)


@_standard
class DateTimeField(Field[DateTimeT]):
    """A :class:`datetime.datetime`; ``from_data`` keeps values as they are.

    MongoDB keeps milliseconds: microseconds are truncated when stored.
    """

    field_type = _dt.datetime
    exact_type = _dt.datetime

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: DateTimeField[_dt.datetime],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: DateTimeField[_dt.datetime | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...

    keeps_every_value = True

    def _convert(self, value: Any) -> Any:
        return value


@_standard
class ObjectIdField(Field[ObjectIdT]):
    """A BSON ``ObjectId``; ``from_data`` converts 24-character hex strings (and 12 bytes)."""

    field_type = ObjectId
    exact_type = ObjectId

    if TYPE_CHECKING:

        @overload
        def __init__(
            self: ObjectIdField[ObjectId],
            *,
            required: Literal[True] = ...,
            allow_none: Literal[False] = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        @overload
        def __init__(
            self: ObjectIdField[ObjectId | None],
            *,
            required: bool = ...,
            allow_none: bool = ...,
            **options: Unpack[FieldOptions],
        ) -> None: ...

        def __init__(self, **options: Any) -> None: ...

    def _convert(self, value: Any) -> Any:
        return value if isinstance(value, ObjectId) else ObjectId(value)


@_standard
class _DocumentReferenceField(Field[T]):
    """A field tied to a document class given as a class or an absolute dotted path."""

    passthrough = False
    #: Name of the class in ``aiomongodel.document`` that ``document_class`` must extend.
    base_class_name: ClassVar[str] = "Document"

    def __init__(self, document_class: type[Any] | str, **kwargs: Any) -> None:
        self._document_class_ref = document_class
        self._resolved_class: type[Any] | None = None
        if not isinstance(document_class, str):
            base = self._base_class()
            if not issubclass(document_class, base):
                raise TypeError(
                    f"document_class should be a subclass of '{base}' or str, "
                    f"not a '{document_class}'"
                )
            self._resolved_class = document_class
        super().__init__(**kwargs)

    def _base_class(self) -> type[Any]:
        import aiomongodel.document

        base: type[Any] = getattr(aiomongodel.document, self.base_class_name)
        return base

    def resolved_document_class(self) -> type[Any] | None:
        """:attr:`document_class`, or ``None`` if it cannot be imported or is not a
        document class (left to ``validate`` and the conversions, which report it)."""
        try:
            return self.document_class
        except Exception:
            return None

    @property
    def document_class(self) -> type[Any]:
        """The document class, imported on first use when given as a path."""
        if self._resolved_class is None:
            cls = import_class(cast(str, self._document_class_ref))
            base = self._base_class()
            if not issubclass(cls, base):
                raise TypeError(f"document_class should be a subclass of '{base}', not a '{cls}'")
            self._resolved_class = cls
        return self._resolved_class


@_standard
class EmbDocField(_DocumentReferenceField[EmbeddedT], Generic[ED, EmbeddedT]):
    """An embedded document: an instance of an :class:`~aiomongodel.EmbeddedDocument` subclass.

    Args:
        document_class: The subclass, or its absolute dotted path (resolved lazily, so
            classes can refer to each other).

    Its subfields are reachable by attribute for queries: ``Post.author.name.s`` is
    ``'author.name'``.
    """

    base_class_name = "EmbeddedDocument"

    @overload
    def __init__(
        self: EmbDocField[_ED, _ED],
        document_class: type[_ED],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: EmbDocField[_ED, _ED | None],
        document_class: type[_ED],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(self: EmbDocField[Any, Any], document_class: str, **kwargs: Any) -> None: ...

    def __init__(self, document_class: type[Any] | str, **kwargs: Any) -> None:
        super().__init__(document_class, **kwargs)
        self.holds_documents = True

    def _type_constraint(self) -> Constraint | None:
        return DocumentType()

    def _value_constraints(self) -> Iterator[Constraint]:
        yield EmbeddedDocumentValid()

    def _convert(self, value: Any) -> Any:
        if isinstance(value, self.document_class):
            return value
        return self.document_class.from_data(value)

    def to_mongo(self, value: Any) -> Any:
        """Convert the embedded document to a dict under mongo names."""
        if isinstance(value, self.document_class):
            return value.to_mongo()
        return value

    def from_mongo(self, value: Any) -> Any:
        """Build the embedded document from a stored dict."""
        if issubclass(type(value), Mapping):  # not isinstance: __class__ may lie or raise
            return self.document_class.from_mongo(value)
        return value

    def _subfield(self, name: str, prefix: str) -> Field[Any]:
        meta = self.document_class.meta
        field_name = meta.synonyms.get(name, name)
        try:
            field: Field[Any] = meta.fields[field_name]
        except KeyError:
            raise AttributeError(
                f"type object '{self.document_class.__name__}' has no attribute '{name}'"
            ) from None
        compound = copy.copy(field)
        compound.mongo_name = f"{prefix}.{field.mongo_name}"
        return compound

    def __getattr__(self, name: str) -> Field[Any]:
        unbound = "_document_class_ref" not in self.__dict__ or self.mongo_name is None
        if name.startswith("__") or unbound:
            raise AttributeError(name)  # not a subfield (or not bound to a class yet)
        return self._subfield(name, self.s)

    #: Indexing gives paths, not items: a field is not iterable.
    __iter__ = None

    def __getitem__(self, name: str) -> Field[Any]:
        """The subfield ``name``, also when a field attribute has that name
        (``Post.author['name']``, since ``Post.author.name`` is the field's own name)."""
        if not isinstance(name, str):
            raise TypeError(f"{self.s}: subfields are named by strings, got {name!r}")
        return self._subfield(name, self.s)


@_standard
class ListField(_SizedField[ListT], Generic[I, ListT]):
    """A list whose items are described by another field.

    Args:
        item_field: A field instance for the items, e.g. ``ListField(IntField())``.
        min_length: Minimum number of items.
        max_length: Maximum number of items.

    Raises:
        TypeError: If ``item_field`` is not a :class:`Field` instance.

    Item errors are reported under the item's index.
    """

    error_messages = {
        **Field.error_messages,
        "min_length": "list length is less than {constraint}",
        "max_length": "list length is greater than {constraint}",
    }
    field_type = list

    @overload
    def __init__(
        self: ListField[_I, list[_I]],
        item_field: Field[_I],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[ListOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: ListField[_I, list[_I] | None],
        item_field: Field[_I],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[ListOptions],
    ) -> None: ...

    def __init__(
        self,
        item_field: Field[Any],
        *,
        min_length: int | None = None,
        max_length: int | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(item_field, Field):
            raise TypeError(
                "item_field should be an instance of the `Field` subclass, "
                f"not of the `{type(item_field)}`"
            )
        self.item_field = item_field
        self.min_length = min_length
        self.max_length = max_length
        if self.is_standard("to_mongo") and self.is_standard("from_mongo"):
            self.passthrough = item_field.passthrough  # type: ignore[misc]
        super().__init__(**kwargs)
        self.holds_documents = item_field.holds_documents

    def __set_name__(self, owner: type[Any], name: str) -> None:
        super().__set_name__(owner, name)
        self.item_field.__set_name__(owner, name)

    @property
    def document_class(self) -> type[Any] | None:
        """The embedded document class of the items, or ``None`` if they are not embedded
        documents."""
        item_field = self.item_field
        return item_field.document_class if isinstance(item_field, EmbDocField) else None

    def _value_constraints(self) -> Iterator[Constraint]:
        yield from self._length_constraints()
        yield ListItems()

    def _convert(self, value: Any) -> Any:
        if isinstance(value, list):
            convert = self.item_field.from_data
            return [convert(item) for item in value]
        return value

    def to_mongo(self, value: Any) -> Any:
        """Convert every item with the item field's ``to_mongo``."""
        if self.passthrough or not isinstance(value, (list, tuple)):
            return value
        convert = self.item_field.to_mongo
        return [convert(item) for item in value]

    def from_mongo(self, value: Any) -> Any:
        """Convert every item of a list (BSON arrays load as exactly ``list``).

        Anything else, list subclasses included, is returned as it is.
        """
        if self.passthrough or type(value) is not list:
            return value
        convert = self.item_field.from_mongo
        return [convert(item) for item in value]

    def _subfield(self, name: str, prefix: str) -> Field[Any]:
        if not isinstance(self.item_field, (EmbDocField, ListField)):
            return super()._subfield(name, prefix)
        return self.item_field._subfield(name, prefix)

    def __getattr__(self, name: str) -> Field[Any]:
        unbound = "item_field" not in self.__dict__ or self.mongo_name is None
        if name.startswith("__") or unbound:
            raise AttributeError(name)  # not a subfield (or not bound to a class yet)
        return self._subfield(name, self.s)

    #: Indexing gives paths, not items: a field is not iterable.
    __iter__ = None

    def __getitem__(self, key: int | str) -> Field[Any]:
        """An item by position, for filters and updates: ``Post.tags[0]`` is the item
        field at ``'tags.0'``, ``Post.comments['$']`` the positional operator's
        (``'$[]'`` and ``'$[name]'`` too); another string is a subfield of embedded
        items, as by attribute."""
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        elif not isinstance(key, str):
            raise TypeError(f"{self.s}: items are indexed by int or '$...', got {key!r}")
        elif not key.startswith("$"):
            return self._subfield(key, self.s)
        item = copy.copy(self.item_field)
        item.mongo_name = f"{self.s}.{key}"
        return item

    if TYPE_CHECKING:
        # Filters and updates of a list take items (``Post.tags == 'a'``, ``push('a')``).
        def __eq__(self, value: I | list[I] | None) -> Filter: ...  # type: ignore[override]
        def __ne__(self, value: I | list[I] | None) -> Filter: ...  # type: ignore[override]
        def __lt__(self, value: I) -> Filter: ...  # type: ignore[override]
        def __le__(self, value: I) -> Filter: ...  # type: ignore[override]
        def __gt__(self, value: I) -> Filter: ...  # type: ignore[override]
        def __ge__(self, value: I) -> Filter: ...  # type: ignore[override]
        def in_(self, values: Iterable[I | list[I]]) -> Filter: ...  # type: ignore[override]
        def not_in(self, values: Iterable[I | list[I]]) -> Filter: ...  # type: ignore[override]
        def all(self, values: Iterable[I]) -> Filter: ...
        def push(self, item: I) -> Update: ...
        def push_all(
            self,
            items: Iterable[I],
            *,
            position: int | None = None,
            slice: int | None = None,
            sort: Any = None,
        ) -> Update: ...
        def add_to_set(self, item: I) -> Update: ...
        def add_to_set_all(self, items: Iterable[I]) -> Update: ...
        def pull(self, item_or_condition: I | Filter) -> Update: ...
        def pull_all(self, items: Iterable[I]) -> Update: ...

    def query_value(self, value: Any) -> Any:
        """A list (or tuple) as the list field stores it; any other value as one item
        (a filter ``Post.tags == 'a'`` matches lists holding ``'a'``)."""
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, list):
            return super().query_value(value)
        return self.item_query_value(value)

    def item_query_value(self, item: Any) -> Any:
        try:
            return self.item_field.query_value(item)
        except QueryValueError as exc:  # named by the item field's own (shorter) path
            raise QueryValueError(self.s, item, exc.error, self.name) from None


@_standard
class RefField(_DocumentReferenceField[RefT], Generic[D, RefT]):
    """A reference to another document, stored as that document's ``_id``.

    The value is either the referenced document or its ``_id``; documents loaded from
    MongoDB hold the ``_id``.

    Args:
        document_class: A :class:`~aiomongodel.Document` subclass or its absolute dotted
            path (resolved lazily).

    To a type checker the value of ``RefField(User)`` is ``User | <User's _id type>``,
    for ``_id`` types ``ObjectId`` (the default), ``str``, ``int`` and ``UUID``
    (``User | Any`` for others); a path string gives ``Any``.
    """

    @overload
    def __init__(
        self: RefField[_D_ObjectId, _D_ObjectId | ObjectId],
        document_class: type[_D_ObjectId],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_ObjectId, _D_ObjectId | ObjectId | None],
        document_class: type[_D_ObjectId],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_str, _D_str | str],
        document_class: type[_D_str],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_str, _D_str | str | None],
        document_class: type[_D_str],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_int, _D_int | int],
        document_class: type[_D_int],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_int, _D_int | int | None],
        document_class: type[_D_int],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_UUID, _D_UUID | uuid.UUID],
        document_class: type[_D_UUID],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D_UUID, _D_UUID | uuid.UUID | None],
        document_class: type[_D_UUID],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D, _D | Any],
        document_class: type[_D],
        *,
        required: Literal[True] = ...,
        allow_none: Literal[False] = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(
        self: RefField[_D, _D | Any | None],
        document_class: type[_D],
        *,
        required: bool = ...,
        allow_none: bool = ...,
        **options: Unpack[FieldOptions],
    ) -> None: ...

    @overload
    def __init__(self: RefField[Any, Any], document_class: str, **kwargs: Any) -> None: ...

    def __init__(self, document_class: type[Any] | str, **kwargs: Any) -> None:
        super().__init__(document_class, **kwargs)

    def _id_field(self) -> Field[Any]:
        """The ``_id`` field of the referenced class."""
        field: Field[Any] = self.document_class.meta.fields["_id"]
        return field

    def _type_constraint(self) -> Constraint | None:
        return None

    def _value_constraints(self) -> Iterator[Constraint]:
        yield ReferenceValid()

    def _convert(self, value: Any) -> Any:
        if isinstance(value, self.document_class):
            return value
        return self._id_field().from_data(value)

    def to_mongo(self, value: Any) -> Any:
        """Store the referenced document's ``_id``."""
        if isinstance(value, self.document_class):
            value = value._id
        return self._id_field().to_mongo(value)

    def from_mongo(self, value: Any) -> Any:
        """Load the stored ``_id``."""
        return self._id_field().from_mongo(value)

    def fetched(self, instance: Any) -> D:
        """The referenced document that ``instance`` holds in this field, once prefetched
        (typed as the referenced class, where reading the attribute gives the class or
        the id).

        Raises:
            LookupError: If the field holds an id (not prefetched, or missing) or nothing.
        """
        value = instance._data.get(self.name)
        if not isinstance(value, self.document_class):
            raise LookupError(
                f"{type(instance).__name__}.{self.name} holds {value!r}, not a "
                f"{self.document_class.__name__}: prefetch it first"
            )
        return cast(D, value)

    def __getattr__(self, name: str) -> ReferencePath:
        """A path into the referenced documents, for prefetching (``Post.author.company``)."""
        unbound = "_document_class_ref" not in self.__dict__ or self.mongo_name is None
        if name.startswith("__") or unbound:
            raise AttributeError(name)
        target = self.resolved_document_class()
        meta = getattr(target, "meta", None)
        if meta is not None and name not in meta.fields and name not in meta.synonyms:
            owner = meta.document_class.__name__
            raise AttributeError(f"type object '{owner}' has no attribute '{name}'")
        return ReferencePath(self, (name,))


class SynonymField(Generic[T]):
    """Another name for a field of the same document.

    Args:
        original_field: The field, or its attribute name (e.g. ``'_id'`` for the
            automatic ``_id`` field).

    On the class it is the original field (``User.name.s == '_id'``); on instances it
    reads and writes the original field's value.
    """

    @overload
    def __init__(self: SynonymField[T], original_field: Field[T]) -> None: ...

    @overload
    def __init__(self: SynonymField[Any], original_field: str) -> None: ...

    def __init__(self, original_field: Field[T] | str) -> None:
        if not isinstance(original_field, (Field, str)):
            raise TypeError(f"SynonymField needs a field or a field name, got {original_field!r}")
        self.original_field = original_field
        self.name: str | None = None

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @property
    def original_field_name(self) -> str | None:
        """Attribute name of the original field (``None`` until its class is created)."""
        if isinstance(self.original_field, str):
            return self.original_field
        return self.original_field.name

    @overload
    def __get__(self, instance: None, owner: Any) -> Field[T]: ...

    @overload
    def __get__(self, instance: object, owner: Any) -> T: ...

    def __get__(self, instance: object | None, owner: Any) -> Field[T] | T:
        if instance is None:
            meta = getattr(owner, "meta", None)
            if meta is None:
                return self  # type: ignore[return-value]
            field: Field[T] = meta.fields[self.original_field_name]
            return field
        return cast("T", getattr(instance, cast(str, self.original_field_name)))

    def __set__(self, instance: object, value: T) -> None:
        setattr(instance, cast(str, self.original_field_name), value)

    def __delete__(self, instance: object) -> None:
        delattr(instance, cast(str, self.original_field_name))

    def __repr__(self) -> str:
        return f"<SynonymField {self.name!r} -> {self.original_field_name!r}>"
