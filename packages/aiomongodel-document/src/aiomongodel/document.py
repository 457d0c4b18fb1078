"""Document classes: ``Document`` (a collection's documents), ``EmbeddedDocument``.

A metaclass gathers the fields of a class over its MRO, mixins included, and builds its
:class:`Meta`. Everything that depends only on the class (field tables, mongo names,
which fields need conversion) is computed there, once, so that per-document work is a
few dict operations.

This module works without a MongoDB driver: persistence methods reach the queryset
package only when first called.
"""

from __future__ import annotations

import dataclasses
import inspect
import warnings
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeAlias, cast

from bson import ObjectId
from pymongo.operations import IndexModel
from typing_extensions import ParamSpec, TypeVar, dataclass_transform

from aiomongodel._compiler import CompiledFunctions, compile_document, init_signature
from aiomongodel.changes import same, stored_copy, update_between
from aiomongodel.errors import (
    DocumentNotFoundError,
    DuplicateKeyError,
    ValidationError,
    VersionConflictError,
)
from aiomongodel.expressions import SortKey
from aiomongodel.fields import Field, IntField, ObjectIdField, SynonymField
from aiomongodel.json_schema import document_schema, validator_options
from aiomongodel.transaction_state import remember_write
from aiomongodel.utils import _Empty, import_class, snake_case

if TYPE_CHECKING:
    from motor.motor_asyncio import AsyncIOMotorClientSession, AsyncIOMotorDatabase
    from motor.motor_tornado import MotorClientSession, MotorDatabase
    from pymongo.asynchronous.client_session import AsyncClientSession
    from pymongo.asynchronous.database import AsyncDatabase

    from aiomongodel.queryset import MotorQuerySet

__all__ = [
    "BaseDocument",
    "Database",
    "Document",
    "DocumentMeta",
    "EmbeddedDocument",
    "Meta",
    "Session",
    "typed",
]

#: A database of either driver: PyMongo's ``AsyncDatabase`` or a Motor database (Motor's
#: types are looked up only by type checkers: Motor is optional).
Database: TypeAlias = "AsyncDatabase[Any] | AsyncIOMotorDatabase[Any] | MotorDatabase[Any]"
#: A client session of either driver.
Session: TypeAlias = "AsyncClientSession | AsyncIOMotorClientSession | MotorClientSession"

D = TypeVar("D", bound="Document[Any]")
B = TypeVar("B", bound="BaseDocument")
#: The type of a document class's ``_id``: ``Document`` is ``Document[ObjectId]``, a class
#: declaring ``_id = StrField()`` extends ``Document[str]`` for type checkers.
IdT = TypeVar("IdT", default=ObjectId)
P = ParamSpec("P")

#: Options a document's inner ``class Meta`` may set (it may also name ``fields`` and
#: ``fields_synonyms``, which the class's own fields and synonyms replace).
USER_OPTIONS = frozenset(
    {
        "collection",
        "indexes",
        "queryset",
        "default_query",
        "default_sort",
        "codec_options",
        "read_preference",
        "write_concern",
        "read_concern",
        "track_changes",
        "version_field",
        "shard_key",
    }
)

_Converter = Callable[[Any], Any]


class Meta:
    """What aiomongodel knows about a document class, as ``DocClass.meta``.

    Attributes:
        collection_name: The collection's name (``collection`` in ``class Meta``);
            defaults to the class name in snake_case.
        indexes: ``pymongo.IndexModel`` list, created by ``q(db).create_indexes()``.
        queryset: Queryset class (or its dotted path) used by ``q()``; ``MotorQuerySet``
            unless ``Meta`` names another.
        default_query: Filter added with ``$and`` to every query of the queryset
            (``{}``: none).
        default_sort: Sort used by ``find`` when none is given.
        fields: ``{field name: field}`` in declaration order.
        fields_synonyms: ``{field name: synonym name}``.
        synonyms: ``{synonym name: field name}``, every synonym included.
        codec_options, read_preference, write_concern, read_concern: Collection options.
        track_changes: Whether documents keep a copy of their stored form, so that
            ``save_changes`` sends only what changed (off by default: loading then
            costs nothing more).
        version_field: Name of the field holding the document's version, for
            optimistic locking (``None``: no locking). The ODM's writes of a document
            carry the version it was loaded with and increment it; a stored document at
            another version raises ``VersionConflictError``. A class that declares no
            such field gets ``IntField(default=0)``.
        shard_key: The collection's shard key as given: a field name (or a dotted path
            into embedded documents), or a tuple of them.
        shard_key_paths: The shard key as stored paths (mongo names), which the filters
            of the ODM's single-document writes carry (:attr:`Document.write_filter`).
    """

    OPTIONS: ClassVar[frozenset[str]] = USER_OPTIONS | {"fields", "fields_synonyms"}

    def __init__(self, **kwargs: Any) -> None:
        _check_options(kwargs, self.OPTIONS)
        self.collection_name: str | None = kwargs.get("collection")
        self.indexes: list[Any] | None = kwargs.get("indexes")
        self._queryset: type[Any] | str | None = kwargs.get("queryset")
        self.default_query: Mapping[str, Any] | None = kwargs.get("default_query", {})
        self.default_sort: Any = kwargs.get("default_sort")
        self.codec_options: Any = kwargs.get("codec_options")
        self.read_preference: Any = kwargs.get("read_preference")
        self.write_concern: Any = kwargs.get("write_concern")
        self.read_concern: Any = kwargs.get("read_concern")
        self.track_changes: bool = bool(kwargs.get("track_changes", False))
        self.version_field: str | None = kwargs.get("version_field")
        self.shard_key: Any = kwargs.get("shard_key")
        self.shard_key_paths: tuple[str, ...] = ()
        self.fields: dict[str, Field[Any]] = dict(kwargs.get("fields") or {})
        self.fields_synonyms: dict[str, str] = dict(kwargs.get("fields_synonyms") or {})
        self.synonyms: dict[str, str] = {
            synonym: field for field, synonym in self.fields_synonyms.items()
        }
        #: The class this describes (set by the metaclass).
        self.document_class: type[Any] | None = None
        self._compile()

    def _compile(self) -> None:
        """Precompute the tables per-document code uses."""
        fields = self.fields.items()
        #: Fields stored under their own name with no conversion.
        self.plain_names = frozenset(
            name for name, f in fields if f.passthrough and f.mongo_name == name
        )
        #: ``(mongo name, field name, from_mongo or None)`` for the other fields.
        self.load_steps: tuple[tuple[str, str, _Converter | None], ...] = tuple(
            (str(f.mongo_name), name, None if f.passthrough else f.from_mongo)
            for name, f in fields
            if name not in self.plain_names
        )
        #: ``{field name: (mongo name, to_mongo or None)}`` for the other fields.
        self.dump_steps: dict[str, tuple[str, _Converter | None]] = {
            name: (str(f.mongo_name), None if f.passthrough else f.to_mongo)
            for name, f in fields
            if name not in self.plain_names
        }
        #: Whether every field is stored under its own name (none is renamed).
        self.stored_under_field_names = all(name == f.mongo_name for name, f in fields)
        #: ``(field name, field)`` of fields whose default applies in ``__init__``.
        self.defaults: tuple[tuple[str, Field[Any]], ...] = tuple(
            (name, f) for name, f in fields if f.required and f._default is not _Empty
        )
        self.defaults_by_name: dict[str, Field[Any]] = dict(self.defaults)
        version = self.fields.get(self.version_field or "")
        #: The stored name of ``version_field`` (``None`` without locking).
        self.version_mongo_name: str | None = None if version is None else str(version.mongo_name)

    @property
    def queryset(self) -> Any:
        """The queryset class of ``q()``: ``Meta.queryset``, else, for a ``Document``, the
        default ``MotorQuerySet`` (imported on first use, so that documents work without
        the queryset package); ``None`` for embedded documents."""
        queryset = self._queryset
        if queryset is None and getattr(self.document_class, "_has_collection", False):
            queryset = self._queryset = _default_queryset_class()
        return queryset

    @queryset.setter
    def queryset(self, queryset: type[Any] | str | None) -> None:
        self._queryset = queryset

    @cached_property
    def compiled(self) -> CompiledFunctions:
        """The class's per-document functions (see ``aiomongodel._compiler``), compiled
        on first use, when every class a field refers to by name can be imported.
        ``meta.compiled.source`` is their source."""
        if self.document_class is None:
            raise AttributeError("this Meta does not describe a document class yet")
        compiled = compile_document(self.document_class, self, BaseDocument)
        return _tracking(compiled) if self.track_changes else compiled

    def json_schema(
        self, *, additional_properties: bool = True, strict: bool = False
    ) -> dict[str, Any]:
        """The MongoDB ``$jsonSchema`` the class's fields imply, for the server to refuse
        invalid documents from any client (``create_collection(db, json_schema=True)``,
        ``q(db).apply_json_schema()``): types, ``required`` (by mongo name), null,
        choices, lengths, patterns, bounds, list items, embedded documents and
        references. Rules the server cannot check are left out (see
        :mod:`aiomongodel.json_schema`): the schema may be laxer than ``validate``,
        never stricter.

        Args:
            additional_properties: Whether stored documents may hold keys that are not
                fields (here and in embedded documents); refusing them breaks documents
                that other code or older versions of the class wrote.
            strict: Raise rather than leave out a rule the server cannot check.

        Raises:
            aiomongodel.json_schema.JsonSchemaError: If a field has no schema at all, or,
                when strict, if a rule is left out (naming each class and field).
        """
        if self.document_class is None:
            raise AttributeError("this Meta does not describe a document class yet")
        return document_schema(
            self.document_class, additional_properties=additional_properties, strict=strict
        )

    def collection(self, db: Database) -> Any:
        """The collection of ``db`` holding these documents, with the meta options."""
        return db.get_collection(
            cast(str, self.collection_name),  # None only on the base classes
            codec_options=self.codec_options,
            read_preference=self.read_preference,
            write_concern=self.write_concern,
            read_concern=self.read_concern,
        )


def _check_options(options: Mapping[str, Any], known: frozenset[str]) -> None:
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"Unrecognized Meta options: {', '.join(sorted(unknown))}.")


def collect_fields(cls: type[Any]) -> tuple[dict[str, Field[Any]], dict[str, SynonymField[Any]]]:
    """Fields and synonyms of ``cls`` over its MRO, in order of first declaration.

    For each name the definition Python itself would find wins (the class, then its
    bases and mixins in MRO order); a name redefined as anything else is not a field.
    A document class in the MRO contributes its fields in its own ``meta.fields`` order,
    so that an automatic ``_id`` (added after the declared fields) keeps its place in
    subclasses too.
    """
    names: dict[str, None] = {}
    for klass in reversed(cls.__mro__):
        declared = vars(klass)
        meta = declared.get("meta")
        ordered = [*meta.fields, *declared] if isinstance(meta, Meta) else declared
        for attr in ordered:
            if isinstance(declared.get(attr), (Field, SynonymField)):
                names.setdefault(attr)
    fields: dict[str, Field[Any]] = {}
    synonyms: dict[str, SynonymField[Any]] = {}
    for attr in names:
        value = next(vars(k)[attr] for k in cls.__mro__ if attr in vars(k))
        if isinstance(value, Field):
            fields[attr] = value
        elif isinstance(value, SynonymField):
            synonyms[attr] = value
    return fields, synonyms


def _is_mapping(data: Any) -> bool:
    """``isinstance(data, Mapping)`` by the real type: ``__class__`` may lie or raise."""
    return issubclass(type(data), Mapping)


def _describe(key: Any) -> str:
    """``repr(key)`` for error messages, or a placeholder if that fails (huge ints)."""
    try:
        return repr(key)
    except Exception:
        return f"<{type(key).__name__} object>"


def _check_mongo_name(cls_name: str, attr: str, mongo_name: str) -> None:
    if not mongo_name or mongo_name.startswith("$") or "." in mongo_name or "\0" in mongo_name:
        raise ValueError(
            f"{cls_name}.{attr}: mongo_name {mongo_name!r} is not a valid MongoDB field "
            "name (it must be non-empty, must not start with '$' and must not contain "
            "'.' or a NUL character)"
        )


class DocumentMeta(type):
    """Metaclass of documents: builds ``cls.meta`` from the fields and ``class Meta``."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> DocumentMeta:
        user_meta = namespace.get("Meta")
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        module = namespace.get("__module__")  # may be anything: a field even (refused later)
        if isinstance(module, str) and module == __name__:  # the base classes of this module
            base_meta = Meta()
            base_meta.document_class = cls
            cls.meta = base_meta  # type: ignore[attr-defined]
            return cls
        options = _meta_options(name, user_meta)
        fields, synonyms = collect_fields(cls)
        # From the bases: a field of this class may not shadow the table it is checked by.
        reserved: frozenset[str] = getattr(super(cls, cls), "_reserved_names", frozenset())
        if getattr(cls, "_has_collection", False):
            fields = _with_id_field(cls, fields)
            fields = _with_version_field(cls, fields, options.get("version_field"))
            options.setdefault("collection", snake_case(name))
        else:
            _check_collection_options(name, options)
        mongo_names: dict[str, str] = {}
        for attr, field in fields.items():
            if attr in reserved:
                raise ValueError(
                    f"{name}.{attr}: field name clashes with the document attribute {attr!r}"
                )
            if field.name != attr:
                raise ValueError(
                    f"{name}.{attr}: this field object is already bound to the name "
                    f"{field.name!r}; give each name its own field instance"
                )
            mongo_name = str(field.mongo_name)
            _check_mongo_name(name, attr, mongo_name)
            if mongo_name in mongo_names:
                raise ValueError(
                    f"{name}: fields {mongo_names[mongo_name]!r} and {attr!r} "
                    f"share the mongo name {mongo_name!r}"
                )
            mongo_names[mongo_name] = attr
        _check_stored_names(name, options, fields)
        synonym_targets = _resolve_synonyms(cls, fields, synonyms, reserved)
        meta = Meta(
            fields=fields,
            fields_synonyms={target: syn for syn, target in synonym_targets.items()},
            **options,
        )
        meta.synonyms = synonym_targets
        meta.shard_key_paths = _shard_key_paths(name, meta.shard_key, fields)
        meta.document_class = cls
        cls.meta = meta  # type: ignore[attr-defined]
        if _inherits_default_init(cls):
            cls.__init__ = _generated_init(cls)  # type: ignore[misc]
        if _overrides_validate_document_only(cls):
            cls.validate = _validate_through_validate_document  # type: ignore[attr-defined]
        return cls


def _overrides_validate_document_only(cls: type[Any]) -> bool:
    """Whether ``cls`` overrides ``validate_document`` but keeps ``BaseDocument.validate``."""
    base = vars(BaseDocument)
    return cls.validate is base["validate"] and (
        cls.validate_document.__func__ is not base["validate_document"].__func__
    )


def _validate_through_validate_document(self: B) -> B:
    """``validate`` of a class that overrides ``validate_document``."""
    type(self).validate_document(self)
    return self


def _inherits_default_init(cls: type[Any]) -> bool:
    """Whether ``cls`` gets ``BaseDocument``'s ``__init__`` (not one of the user's)."""
    owner = next(klass for klass in cls.__mro__ if "__init__" in vars(klass))
    init = vars(owner)["__init__"]
    return owner is BaseDocument or getattr(init, "generated_for", None) is owner


def _generated_init(cls: type[Any]) -> Callable[..., None]:
    """An ``__init__`` that replaces itself with the generated one on first use."""

    def __init__(self: Any, /, *args: Any, **kwargs: Any) -> None:
        init = cls.meta.compiled.init
        init.generated_for = cls
        init.__signature__ = signature
        cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.generated_for = cls  # type: ignore[attr-defined]
    signature = init_signature(cls.meta)
    __init__.__signature__ = signature  # type: ignore[attr-defined]
    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _meta_options(cls_name: str, user_meta: type | None) -> dict[str, Any]:
    if user_meta is None:
        return {}
    options = {k: v for k, v in vars(user_meta).items() if not k.startswith("__")}
    _check_options(options, Meta.OPTIONS)
    # The class's own fields and synonyms win over these two, as in 0.2.
    options.pop("fields", None)
    options.pop("fields_synonyms", None)
    default_query = options.get("default_query")
    if default_query is not None and not isinstance(default_query, Mapping):
        raise ValueError(f"{cls_name}.Meta.default_query must be a dict, got {default_query!r}")
    if options.get("default_sort") is not None:
        _check_default_sort(cls_name, options["default_sort"])
    if options.get("indexes") is not None:
        _check_indexes(cls_name, options["indexes"])
    return options


#: The named index types PyMongo takes as a key's direction (``pymongo.GEO2D``,
#: ``GEOSPHERE``, ``HASHED``, ``TEXT``).
_NAMED_DIRECTIONS = frozenset({"2d", "2dsphere", "hashed", "text"})
_DIRECTIONS = (
    "a direction is 1 (ASCENDING), -1 (DESCENDING), '2d', '2dsphere', 'hashed', 'text' "
    "or a mapping such as {'$meta': 'textScore'}"
)


def _is_direction(value: Any) -> bool:
    if isinstance(value, str):
        return value in _NAMED_DIRECTIONS
    if isinstance(value, int) and not isinstance(value, bool):
        return value in (1, -1)
    return isinstance(value, Mapping)


def _check_default_sort(cls_name: str, sort: Any) -> None:
    """Refuse a ``Meta.default_sort`` that ``find(sort=...)`` would fail on.

    The drivers read ``sort`` with PyMongo's ``helpers_shared._index_document``: a list
    or tuple of keys and ``(key, direction)`` pairs (a pair may be any list or tuple, a
    tuple subclass such as ``SortKey`` too), or a mapping of keys to directions; a false
    value is no sort. It refuses a bare key ``'name'``, and reads a bare pair
    ``('name', -1)`` as a list of keys, failing on ``-1``. A ``SortKey`` alone passes:
    the queryset wraps it in a list (``sort_spec``). PyMongo lets any int or str through
    as a direction, which the server then refuses in a sort unless it is 1 or -1.
    """
    problem = _sort_problem(sort)
    if problem is not None:
        raise ValueError(
            f"{cls_name}.Meta.default_sort must be a list of (key, direction) pairs, "
            f"got {_describe(sort)}{problem}"
        )


def _sort_problem(sort: Any) -> str | None:
    """``None`` if ``sort`` is a sort the drivers take, else what is wrong with it."""
    if not sort:
        return None
    if isinstance(sort, SortKey) and isinstance(sort[0], str) and _is_direction(sort[1]):
        return None  # a SortKey alone: the queryset wraps it in a list
    if isinstance(sort, str):
        return f" (one key: write [{sort!r}] or [({sort!r}, -1)])"
    if isinstance(sort, Mapping):
        for key, direction in sort.items():
            if not isinstance(key, str):
                return f": the key {_describe(key)} is not a string"
            if not _is_direction(direction):
                return f": the direction of {key!r} is {_describe(direction)}; {_DIRECTIONS}"
        return None
    if not isinstance(sort, (list, tuple)):
        return ""
    if len(sort) == 2 and isinstance(sort[0], str) and not isinstance(sort[1], (str, list, tuple)):
        # A bare pair, which PyMongo would take for two keys (a second str is a key).
        if _is_direction(sort[1]):
            return f" (one pair: write [{_describe(tuple(sort))}])"
        return f": the direction of {sort[0]!r} is {_describe(sort[1])}; {_DIRECTIONS}"
    for index, item in enumerate(sort):
        if isinstance(item, str):
            continue
        if not (isinstance(item, (list, tuple)) and len(item) == 2):
            return f": item {index} ({_describe(item)}) is not a key or a (key, direction) pair"
        if not isinstance(item[0], str):
            return f": the key of item {index} is {_describe(item[0])}, not a string"
        if not _is_direction(item[1]):
            return f": the direction of {item[0]!r} is {_describe(item[1])}; {_DIRECTIONS}"
    return None


def _check_indexes(cls_name: str, indexes: Any) -> None:
    """Refuse a ``Meta.indexes`` that ``create_indexes`` would fail on: it takes a list
    of ``pymongo.IndexModel`` (a tuple too is refused by PyMongo's ``validate_list``)."""
    prefix = f"{cls_name}.Meta.indexes must be a list of pymongo.IndexModel"
    if isinstance(indexes, IndexModel):
        raise ValueError(f"{prefix}, got one IndexModel (write [IndexModel(...)])")
    if isinstance(indexes, tuple):
        raise ValueError(f"{prefix}, got a tuple (create_indexes takes a list: write [...])")
    if not isinstance(indexes, list):
        raise ValueError(f"{prefix}, got {_describe(indexes)}")
    for index, model in enumerate(indexes):
        if not isinstance(model, IndexModel):
            raise ValueError(
                f"{prefix}, got {type(model).__name__} {_describe(model)} at index {index} "
                "(write IndexModel([(key, direction), ...], ...))"
            )


def _check_stored_names(
    cls_name: str, options: Mapping[str, Any], fields: Mapping[str, Field[Any]]
) -> None:
    """Refuse a ``Meta.default_sort`` or ``Meta.indexes`` key that is the attribute name
    of a field stored under another name (and no field's mongo name): MongoDB would
    sort or index a key no document has. A dotted path is checked by its first part.
    """
    stored = {str(field.mongo_name) for field in fields.values()}
    for where, key in _sort_and_index_keys(options):
        head, dot, rest = key.partition(".")
        field = fields.get(head)
        if field is None or head in stored:
            continue
        mongo_name = str(field.mongo_name)
        verb = "sort by" if where == "default_sort" else "index"
        if dot:
            raise ValueError(
                f"{cls_name}.Meta.{where}: {key!r} starts with {head!r}, the attribute name "
                f"of a field stored as {mongo_name!r}; {verb} {mongo_name + dot + rest!r}"
            )
        raise ValueError(
            f"{cls_name}.Meta.{where}: {key!r} is the attribute name of a field stored as "
            f"{mongo_name!r}; {verb} {mongo_name!r} (or {cls_name}.{head}.s)"
        )


def _sort_and_index_keys(options: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(option, key)`` of the keys ``Meta.default_sort`` and ``Meta.indexes`` name
    (their shapes are already checked)."""
    sort = options.get("default_sort") or ()
    if isinstance(sort, SortKey):
        sort = [sort]
    # The items of a list or tuple are keys or pairs; a mapping's are its (str) keys.
    keys = [("default_sort", k if isinstance(k, str) else k[0]) for k in sort]
    for index, model in enumerate(options.get("indexes") or ()):
        keys.extend((f"indexes[{index}]", key) for key in model.document["key"])
    return keys


def _with_id_field(cls: type[Any], fields: dict[str, Field[Any]]) -> dict[str, Field[Any]]:
    id_field = fields.get("_id")
    if id_field is None:
        id_field = ObjectIdField(default=ObjectId)
        id_field.__set_name__(cls, "_id")
        cls._id = id_field
        return {**fields, "_id": id_field}
    if not id_field.required:
        raise ValueError(f"'{cls.__name__}._id' field should be required.")
    if id_field.mongo_name != "_id":
        raise ValueError(f"{cls.__name__}._id must not set a mongo_name other than '_id'")
    return fields


def _with_version_field(
    cls: type[Any], fields: dict[str, Field[Any]], name: Any
) -> dict[str, Field[Any]]:
    """``fields`` with the field ``Meta.version_field`` names (added if missing)."""
    if name is None:
        return fields
    if not isinstance(name, str):
        raise ValueError(
            f"{cls.__name__}.Meta.version_field must be a field name, got {_describe(name)}"
        )
    field = fields.get(name)
    if field is None:
        field = IntField(default=0)
        field.__set_name__(cls, name)
        setattr(cls, name, field)
        return {**fields, name: field}
    if not isinstance(field, IntField):
        raise ValueError(
            f"{cls.__name__}.Meta.version_field: {name!r} is a {type(field).__name__}; "
            "the version is an IntField (leave it undeclared to get IntField(default=0))"
        )
    return fields


def _check_collection_options(cls_name: str, options: Mapping[str, Any]) -> None:
    """Refuse options that only a document stored in a collection can have."""
    for option in ("track_changes", "version_field", "shard_key"):
        if options.get(option):
            raise ValueError(
                f"{cls_name}.Meta.{option}: only Document classes (stored in a collection) "
                "take this option; an embedded document's changes are tracked, versioned "
                "and sharded with the document that holds it"
            )


def _shard_key_paths(
    cls_name: str, shard_key: Any, fields: Mapping[str, Field[Any]]
) -> tuple[str, ...]:
    """``Meta.shard_key`` (a field name or dotted path, or a tuple of them) as stored
    paths."""
    if shard_key is None:
        return ()
    keys = shard_key if isinstance(shard_key, (tuple, list)) else (shard_key,)
    paths = []
    for key in keys:
        if not isinstance(key, str):
            raise ValueError(
                f"{cls_name}.Meta.shard_key must be a field name or a tuple of field names "
                f"(dotted paths into embedded documents), got {_describe(key)}"
            )
        head, dot, rest = key.partition(".")
        field = fields.get(head)
        if field is None:
            raise ValueError(
                f"{cls_name}.Meta.shard_key: {key!r} does not start with a field name of "
                f"{cls_name} ({', '.join(fields)})"
            )
        paths.append(str(field.mongo_name) + dot + rest)
    if not paths:
        raise ValueError(f"{cls_name}.Meta.shard_key names no field")
    return tuple(paths)


def _resolve_synonyms(
    cls: type[Any],
    fields: dict[str, Field[Any]],
    synonyms: dict[str, SynonymField[Any]],
    reserved: frozenset[str],
) -> dict[str, str]:
    """``{synonym name: field name}``; every synonym must name a field of the class.

    A synonym given a field object follows that name when a subclass overrides the field,
    but a field declared outside the class's MRO is refused.
    """
    targets = {}
    for attr, synonym in synonyms.items():
        target = synonym.original_field_name
        original = synonym.original_field
        if attr in reserved or attr in fields:
            raise ValueError(f"{cls.__name__}.{attr}: synonym name clashes with {attr!r}")
        if target not in fields or (
            isinstance(original, Field)
            and not any(vars(k).get(target) is original for k in cls.__mro__)
        ):
            raise ValueError(
                f"{cls.__name__}.{attr}: synonym of {original!r}, "
                "which is not a field of this class"
            )
        targets[attr] = target
    return targets


class BaseDocument(metaclass=DocumentMeta):
    """Behaviour shared by :class:`Document` and :class:`EmbeddedDocument`.

    Args:
        _empty: Create the document without setting any field (no defaults either);
            the other arguments are then ignored.
        **kwargs: Field values by field (or synonym) name; fields not given get their
            default. Values are converted with the fields' ``from_data``, not validated.
            A field given by its name and by a synonym takes the value of its name;
            names that are neither fields nor synonyms are ignored.
    """

    meta: ClassVar[Meta]
    _has_collection: ClassVar[bool] = False
    _data: dict[str, Any]
    #: Set on a document once a value is added to ``_data`` after it was built or loaded,
    #: so that ``_data`` may no longer be in declaration order (``to_mongo`` restores it).
    _reordered: bool = False
    #: Set on a document that a query loaded while its embedded documents are still in
    #: ``_data`` as stored: they are built (:meth:`_settle`) when one of them is read,
    #: or the document's values are used as a whole (:meth:`_values`).
    _pending: bool = False

    def __init__(self, /, *, _empty: bool = False, **kwargs: Any) -> None:
        if _empty:
            self._data = {}
            return
        self._fill(kwargs)

    def _settle(self) -> None:
        """Build the embedded documents a query left as stored (see ``_pending``)."""
        self.meta.compiled.settle(self)

    def _values(self) -> dict[str, Any]:
        """``_data`` with every embedded document built: what code that reads the
        values as a whole (dumping, validating) reads."""
        if self._pending:
            self._settle()
        return self._data

    def _fill(self, values: Mapping[Any, Any]) -> None:
        """Set the fields ``values`` names and the defaults of those it leaves out.

        The generated ``build`` handles plain field names; synonyms and other names take
        the general path.
        """
        meta = self.meta
        built = meta.compiled.build(values) if type(values) is dict else None
        if built is not None:
            self._data = built
            return
        given = {name: values[name] for name in meta.fields if name in values}
        for synonym, name in meta.synonyms.items():
            if name not in given and synonym in values:
                given[name] = values[synonym]
        data = self._data = {}
        defaults = meta.defaults_by_name
        for name, field in meta.fields.items():
            if name in given:
                data[name] = field.from_data(given[name])
            elif name in defaults:
                data[name] = field.from_data(field.default)

    @classmethod
    def from_data(cls: type[B], data: Mapping[str, Any]) -> B:
        """Create a document from user-provided ``{field name: value}`` data.

        Treated as the constructor's keywords: fields missing from ``data`` get their
        defaults, names that are not fields or synonyms are ignored.

        Raises:
            TypeError: If ``data`` is not a mapping.
        """
        if not _is_mapping(data):
            raise TypeError(
                f"{cls.__name__}.from_data() needs a mapping of field names to values, "
                f"got {type(data).__name__}"
            )
        document = cls(_empty=True)
        document._fill(data)
        return document

    @classmethod
    def from_mongo(cls: type[B], data: Mapping[str, Any]) -> B:
        """Create a document from data loaded from MongoDB.

        Keys that are not fields are ignored; missing fields stay unset. No validation.
        """
        document: B = cls.meta.compiled.make(data)
        return document

    def populate_with_data(self: B, data: Mapping[str, Any]) -> B:
        """Set fields from ``{field name: value}`` user data, converting each value.

        Raises:
            AttributeError: On a name that is not a field or synonym; then nothing is set.
            TypeError: If ``data`` is not a mapping.
        """
        if not _is_mapping(data):
            raise TypeError(
                f"{type(self).__name__}.populate_with_data() needs a mapping, "
                f"got {type(data).__name__}"
            )
        meta = self.meta
        fields, synonyms = meta.fields, meta.synonyms
        items = list(data.items())
        unknown = [key for key, _ in items if key not in fields and key not in synonyms]
        if unknown:
            names = ", ".join(map(_describe, unknown))
            raise AttributeError(f"{type(self).__name__} has no field(s) {names}")
        converted = [(key if key in fields else synonyms[key], value) for key, value in items]
        data = self._values()
        if any(name not in data for name, _ in converted):
            self._reordered = True
        for name, value in converted:
            data[name] = fields[name].from_data(value)
        return self

    def to_data(self) -> dict[str, Any]:
        """The document's own ``{field name: Python value}`` dict of the set fields.

        It is the document's storage, not a copy: embedded documents are objects.
        """
        if self._pending:  # :meth:`_values` inline, on these per-document paths
            self._settle()
        return self._data

    def to_mongo(self) -> dict[str, Any]:
        """The set fields as ``{mongo name: stored value}``, ready for the driver."""
        if self._pending:
            self._settle()
        result: dict[str, Any] = self.meta.compiled.dump(self._data, self._reordered)
        return result

    def validate(self: B) -> B:
        """Validate every field, through the class's ``validate_document`` (a class that
        overrides it gets its checks here too, as in 0.2).

        Raises:
            ValidationError: With ``{field name: error}`` for each invalid field.
        """
        if self._pending:
            self._settle()
        errors = self.meta.compiled.errors(self._data)
        if errors:
            raise ValidationError(errors)
        return self

    @classmethod
    def validate_document(cls, document: Any) -> None:
        """Validate the values of ``document`` by this class's fields.

        ``document`` may be of another document class: its values are checked under
        their field names (documents sharing a collection rely on that).

        Raises:
            ValidationError: With ``{field name: error}`` for each invalid field;
                ``invalid value type`` if ``document`` is not a document at all.
        """
        if not isinstance(document, BaseDocument):
            raise ValidationError("invalid value type")
        errors = cls.meta.compiled.errors(document._values())
        if errors:
            raise ValidationError(errors)


class EmbeddedDocument(BaseDocument):
    """Base class of documents stored inside other documents (see ``EmbDocField``)."""


def _value_at(stored: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted ``path`` of a stored dict, ``None`` where it is missing."""
    value: Any = stored
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _with_version(update: Any, name: str, version: int) -> Any:
    """``update`` (a document of operators, or a pipeline) also setting the version."""
    if isinstance(update, Mapping):
        operators = dict(update)
        operators["$set"] = {**operators.get("$set", {}), name: version}
        return operators
    return [*update, {"$set": {name: version}}]


def _tracking(compiled: CompiledFunctions) -> CompiledFunctions:
    """``compiled`` loading documents that keep a copy of their stored form, for
    ``save_changes`` (``Meta.track_changes``)."""
    make, adopt, dump = compiled.make, compiled.adopt, compiled.dump

    def make_tracked(data: Any) -> Any:
        document = make(data)
        document._stored = stored_copy(dump(document._data, document._reordered))
        return document

    def adopt_tracked(data: dict[str, Any]) -> Any:
        document = adopt(data)
        document._stored = stored_copy(dump(document._data, document._reordered))
        return document

    return dataclasses.replace(compiled, make=make_tracked, adopt=adopt_tracked)


def _default_queryset_class() -> type[Any]:
    try:
        from aiomongodel.queryset import MotorQuerySet
    except ModuleNotFoundError as exc:
        if exc.name not in ("aiomongodel.queryset", "aiomongodel"):
            raise
        raise ImportError(
            "querying needs the aiomongodel-queryset distribution: "
            "pip install aiomongodel-queryset (or aiomongodel)"
        ) from exc
    return MotorQuerySet


if TYPE_CHECKING:

    class _IdTyped(Generic[IdT]):
        """Makes ``Document`` generic in its ``_id`` type, for type checkers."""

else:

    class _IdTyped:
        """Lets ``Document[str]`` be written; at run time it is ``Document`` itself (the
        ``_id`` type is for type checkers), so that no ``typing.Generic`` machinery runs
        for document classes."""

        def __class_getitem__(cls, id_type: Any) -> Any:
            return cls


class Document(BaseDocument, _IdTyped[IdT]):
    """Base class of documents stored in a collection.

    Declare fields as class attributes and options in an inner ``class Meta``
    (``collection``, ``indexes``, ``queryset``, ``default_query``, ``default_sort``,
    ``codec_options``, ``read_preference``, ``write_concern``, ``read_concern``). Fields
    are inherited; Meta options are not. A class without an ``_id`` field gets
    ``_id = ObjectIdField(default=ObjectId)``.

    ``save``, ``reload``, ``update``, ``delete`` and the class methods ``q``, ``coll``,
    ``create`` and ``create_collection`` take ``db``, a PyMongo ``AsyncDatabase`` or a
    Motor database, and an optional client ``session``.

    For type checkers, ``Document`` is ``Document[ObjectId]``: a class whose ``_id`` has
    another type says so, ``class Tag(Document[str]): _id = StrField()``.
    """

    _has_collection = True
    #: The stored form as of loading or the last write, kept when the class tracks
    #: changes (``Meta.track_changes``); ``None`` otherwise and for new documents.
    _stored: dict[str, Any] | None = None
    if TYPE_CHECKING:
        _id: Field[IdT]

    @property
    def query_id(self) -> dict[str, Any]:
        """A filter matching this document: ``{'_id': <stored _id>}``."""
        return {"_id": self.meta.fields["_id"].to_mongo(self._data.get("_id"))}

    # ``cls`` as a callable, so that the queryset knows the constructor's keywords (for
    # ``create``); pyright does not take that annotation with ``classmethod``.
    @classmethod  # pyright: ignore[reportArgumentType]
    def q(cls: Callable[P, D], db: Database, session: Session | None = None) -> MotorQuerySet[D, P]:
        """A queryset over this class's collection in ``db``.

        Raises:
            ImportError: If ``aiomongodel-queryset`` is not installed.
            TypeError: If ``db`` is not an asynchronous database.
        """
        doc_class = cast("type[D]", cls)
        queryset: Any = doc_class.meta.queryset
        if isinstance(queryset, str):
            queryset = import_class(queryset)
        result: MotorQuerySet[D, P] = queryset(doc_class, db, session=session)
        return result

    @classmethod
    def coll(cls, db: Database) -> Any:
        """The driver's collection object for this class in ``db``."""
        return cls.meta.collection(db)

    @property
    def write_filter(self) -> dict[str, Any]:
        """The filter of the ODM's writes of this document: :attr:`query_id`, plus the
        shard key (``Meta.shard_key``) as stored - the values the document was loaded or
        last saved with when it tracks changes, else its current values (a missing one
        as ``None``, which is how a sharded cluster reads it)."""
        query = self.query_id
        paths = self.meta.shard_key_paths
        if paths:
            stored = self._stored if self._stored is not None else self.to_mongo()
            for path in paths:
                query[path] = _value_at(stored, path)
        return query

    async def save(
        self: D, db: Database, do_insert: bool = False, session: Session | None = None
    ) -> D:
        """Store the document (without validating it: call ``validate()`` first).

        Args:
            do_insert: Insert, failing with ``DuplicateKeyError`` if the ``_id`` exists;
                otherwise replace the stored document with the same ``_id`` (upsert), so
                the last save wins.

        Raises:
            VersionConflictError: With ``Meta.version_field``, if the stored document
                is at another version than this object; nothing is written.
        """
        queryset: MotorQuerySet[D] = self.q(db, session=session)
        query, data, version = self._save_write(do_insert)
        if query is None:
            self._inserted(data, version, await queryset.insert_one(data), queryset.session)
            return self
        try:
            await queryset.replace_one(query, data, upsert=True)
        except DuplicateKeyError:
            # With a version in the filter, a stored document at another version is
            # not matched, and the upsert then collides with its _id.
            await self._check_version(queryset)
            raise
        self._written(data, version, queryset.session)
        return self

    def _save_write(
        self, do_insert: bool = False
    ) -> tuple[dict[str, Any] | None, dict[str, Any], Any]:
        """``(filter, stored form, new version)`` of ``save``: the filter of its replace
        (with upsert), or ``None`` for an insert (asked for, or a document without
        ``_id``). The replacement has ``_id`` first, as the server stores it, so that
        the server recognizes a replacement by an unchanged document and writes
        nothing."""
        data, version = self._versioned(self.to_mongo())
        if do_insert or "_id" not in self._data:
            return None, data, version
        if next(iter(data)) != "_id":
            data = {"_id": data["_id"], **data}
        return self._locked(self.write_filter), data, version

    async def save_changes(self: D, db: Database, session: Session | None = None) -> D:
        """Store only what changed since the document was loaded or last written.

        Needs ``track_changes = True`` in the class's ``Meta``. The update sent sets
        and unsets the changed paths only (dotted into embedded documents, by index or
        ``$push`` into lists: see :mod:`aiomongodel.changes`), so writers of other
        fields of the same document lose nothing; nothing is sent when nothing changed.
        A document never loaded nor written is inserted. Like ``save``, it does not
        validate, and ``Meta.default_query`` does not apply.

        Raises:
            TypeError: If the class does not track changes.
            ValueError: If the ``_id`` was changed (``save`` stores it as another
                document).
            DocumentNotFoundError: If the stored document is gone; nothing is written.
            VersionConflictError: With ``Meta.version_field``, if the stored document
                is at another version than this object; nothing is written.
        """
        self._check_tracking()
        if self._stored is None:
            return await self.save(db, do_insert=True, session=session)
        planned = self._changes()
        if planned is None:
            return self
        query, update, data, version = planned
        queryset: MotorQuerySet[D] = self.q(db, session=session)
        matched = await queryset.update_document(query, update)
        if matched == 0:
            await self._check_version(queryset)
            raise DocumentNotFoundError(document_class=type(self), query=query)
        self._written(data, version, queryset.session)
        return self

    def _check_tracking(self) -> None:
        """Raise the ``TypeError`` of ``save_changes`` if the class does not track changes."""
        if not self.meta.track_changes:
            name = type(self).__name__
            raise TypeError(
                f"{name}.save_changes() needs change tracking: add "
                f"track_changes = True to {name}.Meta"
            )

    def _changes(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], Any] | None:
        """``(filter, update, stored form after it, new version)`` of ``save_changes``,
        or ``None`` when nothing changed."""
        stored = self._stored
        assert stored is not None
        data = self.to_mongo()
        if "_id" in stored and not same(stored["_id"], data.get("_id")):
            raise ValueError(
                f"{type(self).__name__}: the _id changed from {stored['_id']!r} to "
                f"{data.get('_id')!r} since the document was loaded; save_changes() "
                "updates the stored document and cannot change its _id (save() stores "
                "the object as a new document)"
            )
        version_name = self.meta.version_mongo_name
        skip = frozenset() if version_name is None else frozenset({version_name})
        update = update_between(stored, data, skip)
        if not update:
            return None
        data, version = self._versioned(data)
        if version_name is not None:
            update.setdefault("$set", {})[version_name] = version
        return self._locked(self.write_filter), update, data, version

    def _versioned(self, data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """``data`` (a ``to_mongo()`` dict) with the next version, and that version."""
        name = self.meta.version_field
        if name is None:
            return data, None
        version = (self._data.get(name) or 0) + 1
        data[cast(str, self.meta.version_mongo_name)] = version
        return data, version

    def _locked(self, query: dict[str, Any]) -> dict[str, Any]:
        """``query`` with the version this object has, under optimistic locking."""
        name = self.meta.version_field
        if name is not None:
            query[cast(str, self.meta.version_mongo_name)] = self._data.get(name)
        return query

    def _inserted(
        self, data: dict[str, Any], version: Any, inserted_id: Any, session: Session | None
    ) -> None:
        """Record a successful insert of ``data``: the ``_id`` the driver assigned to a
        document that had none, then what :meth:`_written` records."""
        remember_write(self, session)
        if "_id" not in self._data:
            self._data["_id"] = self.meta.fields["_id"].from_mongo(inserted_id)
            self._reordered = True
        self._written(data, version, session)

    def _written(self, data: dict[str, Any], version: Any, session: Session | None) -> None:
        """Record a successful write of ``data`` (the stored form) at ``version``, made in
        ``session``: a transaction run by :func:`aiomongodel.transactions.run_transaction`
        that does not commit gives the document back what it recorded before."""
        remember_write(self, session)
        meta = self.meta
        if meta.version_field is not None:
            if meta.version_field not in self._data:
                self._reordered = True
            self._data[meta.version_field] = version
        if meta.track_changes:
            self._stored = stored_copy(data)

    async def _check_version(self, queryset: MotorQuerySet[Any]) -> None:
        """Raise ``VersionConflictError`` if the stored document is at another version
        than this object (a locked write matched nothing); return if it is missing or
        the class has no locking."""
        name = self.meta.version_field
        if name is None:
            return
        version_name = cast(str, self.meta.version_mongo_name)
        # By _id alone: a shard key changed by another writer still finds it.
        stored = await queryset.collection.find_one(
            self.query_id, {version_name: 1}, **queryset._update_query_params({})
        )
        conflict = self._version_conflict(stored)
        if conflict is not None:
            raise conflict

    def _version_conflict(self, stored: Mapping[str, Any] | None) -> VersionConflictError | None:
        """The conflict of a locked write that matched nothing, given the stored document
        (its version at least) read by ``_id``: ``None`` if it is missing, or at this
        object's version, or the class has no locking."""
        name = self.meta.version_field
        if name is None or stored is None:
            return None
        version_name = cast(str, self.meta.version_mongo_name)
        version = self._data.get(name)
        if stored.get(version_name) != version:
            return VersionConflictError(
                type(self), self.write_filter, version, stored.get(version_name)
            )
        return None

    async def reload(self: D, db: Database, session: Session | None = None) -> D:
        """Replace this object's values with the stored document's.

        It is looked up by ``_id`` (and shard key) alone: ``Meta.default_query`` does
        not apply, so a document that an update took out of it still reloads.

        Raises:
            DocumentNotFoundError: If the document is not in the collection any more.
        """
        query = self.write_filter
        queryset: MotorQuerySet[D] = self.q(db, session=session)
        data = await queryset.collection.find_one(query, **queryset._update_query_params({}))
        if data is None:
            raise DocumentNotFoundError(document_class=type(self), query=query)
        remember_write(self, queryset.session)
        loaded = self.meta.compiled.adopt(data)
        self._data = loaded._data
        self._pending = loaded._pending
        self._stored = loaded._stored
        self._reordered = False
        return self

    async def update(
        self: D, db: Database, update_document: Mapping[str, Any], session: Session | None = None
    ) -> D:
        """Apply a MongoDB update (``{'$set': ...}``) to the stored document, unvalidated.

        The object is reloaded when the update modified the document. With
        ``Meta.version_field`` the update also sets the next version.

        Raises:
            VersionConflictError: With ``Meta.version_field``, if the stored document
                is at another version than this object; nothing is written.
        """
        queryset: MotorQuerySet[D] = self.q(db, session=session)
        if self.meta.version_field is None:
            modified = await queryset.update_one(self.write_filter, update_document)
        else:
            _, version = self._versioned({})
            update = _with_version(
                update_document, cast(str, self.meta.version_mongo_name), version
            )
            modified = await queryset.update_one(self._locked(self.write_filter), update)
            if modified == 0:
                await self._check_version(queryset)
        if modified:
            await self.reload(db, session=session)
        return self

    async def delete(self, db: Database, session: Session | None = None) -> int | None:
        """Delete the stored document; returns the number deleted (0 or 1), or ``None``
        for an unacknowledged write.

        Raises:
            VersionConflictError: With ``Meta.version_field``, if the stored document
                is at another version than this object; nothing is deleted.
        """
        queryset: MotorQuerySet[Any] = self.q(db, session=session)
        deleted = await queryset.delete_one(self._locked(self.write_filter))
        if deleted == 0:
            await self._check_version(queryset)
        return deleted

    @classmethod
    async def create(
        cls: type[D], db: Database, session: Session | None = None, **kwargs: Any
    ) -> D:
        """Deprecated: use ``cls.q(db).create(**kwargs)``. Validates, then inserts
        (``DuplicateKeyError`` if the ``_id`` exists).

        Raises:
            ValidationError: If the values are not valid; nothing is stored.
        """
        warnings.warn("Use `create` method of `queryset` instead", DeprecationWarning, stacklevel=2)
        document = cls.from_data(kwargs).validate()
        return await document.save(db, do_insert=True, session=session)

    @classmethod
    async def create_collection(
        cls,
        db: Database,
        session: Session | None = None,
        *,
        json_schema: bool | Mapping[str, Any] = False,
        validation_level: str | None = None,
        validation_action: str | None = None,
    ) -> Any:
        """Create the collection with the Meta options and return it.

        Args:
            json_schema: ``True`` to create it with the ``$jsonSchema`` validator of
                ``cls.meta.json_schema()``, or the schema to install (one you adapted);
                ``False``: no validator.
            validation_level: ``"strict"`` (the server's default), ``"moderate"`` or
                ``"off"``: which writes the server validates.
            validation_action: ``"error"`` (the default: refuse invalid writes) or
                ``"warn"`` (log them); MongoDB 8.0 adds ``"errorAndLog"``.

        Raises:
            TypeError: If ``json_schema`` is neither a bool nor a mapping.
            ValueError: For an unknown validation level or action.
            aiomongodel.json_schema.JsonSchemaError: If a field has no schema at all.
        """
        meta = cls.meta
        schema = meta.json_schema() if json_schema is True else json_schema or None
        options = validator_options(schema, validation_level, validation_action)
        return await db.create_collection(
            cast(str, meta.collection_name),
            codec_options=meta.codec_options,
            read_preference=meta.read_preference,
            write_concern=meta.write_concern,
            read_concern=meta.read_concern,
            session=cast(Any, session),  # of db's driver, which the union cannot say
            **options,
        )


@dataclass_transform(kw_only_default=True)
def typed(cls: type[B]) -> type[B]:
    """Declare that a document class's fields are annotated, for type checkers.

    Type checkers then check its constructor's keywords (names and value types) and
    the queryset's ``create``; at run time the class is unchanged::

        @typed
        class Post(Document):
            title: StrField = StrField()
            views: IntField[int | None] = IntField(required=False)

    Every keyword stays optional to the checker, as it is at run time (validation
    reports missing values). Subclasses need the decorator too.

    Raises:
        TypeError: If an annotation names no field or synonym of the class (the
            constructor would ignore that name), unless it is a ``ClassVar``.
    """
    meta = cls.meta
    for name, annotation in inspect.get_annotations(cls).items():
        if name in meta.fields or name in meta.synonyms:
            continue
        if "ClassVar" in (annotation if isinstance(annotation, str) else repr(annotation)):
            continue
        raise TypeError(
            f"{cls.__name__}.{name} is annotated but is not a field; declare it as "
            f"`{name}: StrField = StrField()` (say), or annotate it as a ClassVar"
        )
    return cls


def _reserved(cls: type) -> frozenset[str]:
    return frozenset(dir(cls)) | {"_data", "_empty", "_pending", "_reserved_names", "_stored"}


BaseDocument._reserved_names = _reserved(BaseDocument)  # type: ignore[attr-defined]
EmbeddedDocument._reserved_names = _reserved(EmbeddedDocument)  # type: ignore[attr-defined]
Document._reserved_names = _reserved(Document)  # type: ignore[attr-defined]
