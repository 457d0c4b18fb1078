"""Querysets: a document class's collection operations, returning documents.

``MotorQuerySet`` (also exported as ``QuerySet``) works on a PyMongo ``AsyncDatabase``
or a Motor database (asyncio, or Tornado through ``motor.motor_tornado``). What differs
between the drivers (``aggregate``, cursor methods that are coroutines) is in the
driver's adapter, chosen when a queryset is created (see ``aiomongodel._drivers``).
"""

from __future__ import annotations

import collections
import contextlib
import copy
import functools
import types
import warnings
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, cast, overload

import bson
import bson.errors
import pymongo.errors
from typing_extensions import ParamSpec, TypeVar

from aiomongodel._drivers import ANY_DRIVER, Driver, check_database, driver_of
from aiomongodel.document import BaseDocument, Document
from aiomongodel.errors import DocumentNotFoundError, DuplicateKeyError
from aiomongodel.expressions import (
    FieldExpressions,
    ReferencePath,
    SortKey,
    Update,
    combine_updates,
)
from aiomongodel.json_schema import validator_options
from aiomongodel.prefetch import OnMissing, Path, plan, prefetch
from aiomongodel.transaction_state import bound_session

if TYPE_CHECKING:
    from aiomongodel.bulk import Bulk
    from aiomongodel.changestreams import ChangeStream
    from aiomongodel.document import Database, Session

__all__ = [
    "AggregateCursor",
    "MotorQuerySet",
    "MotorQuerySetCursor",
    "QuerySet",
    "QuerySetCursor",
    "open_aggregate_cursor",
]

D = TypeVar("D", bound="Document[Any]")
#: The keywords of the document class's constructor, which ``create`` takes.
P = ParamSpec("P", default=...)
Q = TypeVar("Q", bound="MotorQuerySet[Any]")
C = TypeVar("C", bound="MotorQuerySetCursor[Any]")
T = TypeVar("T")


def open_aggregate_cursor(collection: Any, pipeline: list[Any], **kwargs: Any) -> Any:
    """Run ``collection.aggregate`` under either driver and return a cursor at once.

    With Motor this is Motor's own cursor; with PyMongo async, a cursor opened on first
    use, which can also be awaited for PyMongo's cursor.
    """
    return driver_of(collection).aggregate(collection, pipeline, **kwargs)


@contextlib.contextmanager
def _write_errors(doc_class: type[Any], payloads: Iterable[Any]) -> Iterator[None]:
    """Report the driver's write errors in terms of the documents written.

    A unique index violation becomes :class:`aiomongodel.errors.DuplicateKeyError`; a
    value BSON cannot encode is named by its path in the document.
    """
    try:
        yield
    except DuplicateKeyError:
        raise
    except pymongo.errors.DuplicateKeyError as exc:
        raise DuplicateKeyError.from_pymongo(exc) from exc
    except bson.errors.InvalidDocument as exc:
        path = next(filter(None, map(_unencodable_path, payloads)), None)
        if path is None:
            raise
        raise bson.errors.InvalidDocument(
            f"{doc_class.__name__}: cannot store the value at {path!r} in MongoDB: {exc}"
        ) from exc


def _unencodable_path(value: Any, path: str = "") -> str | None:
    """The dotted path of the first part of ``value`` that BSON cannot encode."""
    if isinstance(value, Mapping):
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        here = f"{path}.{key}" if path else str(key)
        try:
            bson.encode({"v": item} if isinstance(key, int) else {key: item})
        except (bson.errors.InvalidDocument, TypeError, OverflowError):
            return _unencodable_path(item, here) or here
    return None


def _loader(doc_class: type[D]) -> Callable[[Any], D]:
    """``doc_class.from_mongo`` for documents the driver has just decoded.

    Unless ``from_mongo`` is overridden, this is the generated function that keeps the
    driver's dicts as the documents' storage instead of copying them: nothing else
    refers to them.
    """
    from_mongo = doc_class.from_mongo
    if getattr(from_mongo, "__func__", None) is _DEFAULT_FROM_MONGO:
        adopt: Callable[[Any], D] = doc_class.meta.compiled.adopt
        return adopt
    return from_mongo


_DEFAULT_FROM_MONGO = BaseDocument.from_mongo.__func__  # type: ignore[attr-defined]


def sort_spec(sort: Any) -> Any:
    """``sort`` as the driver takes it: a :class:`~aiomongodel.expressions.SortKey`
    alone (``Post.created.desc()``) becomes a list of it; anything else is unchanged."""
    return [sort] if isinstance(sort, SortKey) else sort


def projection_spec(projection: Any) -> Any:
    """``projection`` with fields given as field objects replaced by their paths:
    ``[Post.title]`` is ``['title']``, ``{Post.title: 1}`` is ``{'title': 1}``."""
    if not isinstance(projection, (Mapping, list, tuple)) or not any(
        isinstance(key, FieldExpressions) for key in projection
    ):
        return projection
    if isinstance(projection, Mapping):
        return {_path(key): value for key, value in projection.items()}
    return [_path(key) for key in projection]


def _path(key: Any) -> Any:
    return key.s if isinstance(key, FieldExpressions) else key


def update_spec(update: Any) -> Any:
    """``update`` as the driver takes it: a list of updates built from fields
    (``[Post.views.inc(1), Post.title.set('x')]``) becomes one update document; an
    aggregation pipeline (a list of plain stage dicts) and a dict are unchanged."""
    if isinstance(update, list) and update and all(isinstance(u, Update) for u in update):
        return combine_updates(update)
    return update


def _with_specs(
    args: tuple[Any, ...], kwargs: dict[str, Any], name: str, spec: Callable[[Any], Any]
) -> tuple[Any, ...]:
    """Apply ``spec`` to the argument ``name`` (the first positional one, or by keyword)."""
    if args:
        return (spec(args[0]), *args[1:])
    if name in kwargs:
        kwargs[name] = spec(kwargs[name])
    return args


class _Prefetch(NamedTuple):
    levels: list[Any]
    on_missing: OnMissing
    batch_size: int


def _paths(paths: Path | Iterable[Path]) -> tuple[Path, ...]:
    if isinstance(paths, (FieldExpressions, ReferencePath, str)):
        return (paths,)
    return tuple(paths)


def _to_mongo(document: Any) -> Any:
    return document.to_mongo() if isinstance(document, BaseDocument) else document


def _count(result: Any, name: str) -> int | None:
    """The count ``name`` of a driver write result; ``None`` if the write was not
    acknowledged (write concern ``w=0``), whose counts the server never sent.
    """
    if not result.acknowledged:
        return None
    count: int = getattr(result, name)
    return count


class AggregateCursor(Protocol):
    """What ``aggregate`` returns under either driver: a cursor of raw result dicts."""

    def __aiter__(self) -> AsyncIterator[dict[str, Any]]: ...

    async def to_list(self, length: int | None = None) -> list[dict[str, Any]]: ...


class MotorQuerySet(Generic[D, P]):
    """Operations on the collection of ``doc_class`` in ``db``, in terms of documents.

    Every query is combined with the class's ``Meta.default_query`` through ``$and``.
    The ``session`` given here is used by every operation unless a call passes its own
    ``session=``. Without one, a queryset made inside a transaction run by
    :func:`aiomongodel.transactions.run_transaction` (or :meth:`transaction`) on a
    database of its client uses the transaction's session.

    Args:
        doc_class: The :class:`~aiomongodel.Document` subclass.
        db: A PyMongo ``AsyncDatabase`` or a Motor database.
        session: A client session of the same driver, or ``None``.
    """

    def __init__(self, doc_class: type[D], db: Database, session: Session | None = None) -> None:
        check_database(db, doc_class)
        self.doc_class = doc_class
        self.db = db
        self.session = bound_session(db, session)
        self.collection: Any = doc_class.coll(db)
        self._driver = driver_of(self.collection)
        self.default_query: Mapping[str, Any] | None = doc_class.meta.default_query
        self.default_sort: Any = sort_spec(doc_class.meta.default_sort)
        self._load = _loader(doc_class)

    def _update_query(self, query: Mapping[str, Any] | None) -> Mapping[str, Any]:
        """``query`` combined with ``Meta.default_query`` through ``$and``.

        Every method that takes a filter sends it through here; so can the methods of
        a custom queryset.
        """
        default = self.default_query
        if not default:
            return query or {}
        if not query:
            return default
        return {"$and": [default, query]}

    def _update_query_params(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Add this queryset's session to the driver call's ``kwargs``, unless given one."""
        if self.session is not None:
            kwargs.setdefault("session", self.session)
        return kwargs

    def clone(self: Q) -> Q:
        """A copy of this queryset (same class, database, session and options)."""
        return copy.copy(self)

    def with_options(self: Q, **kwargs: Any) -> Q:
        """A copy whose collection has other options (``read_preference=``, ...)."""
        clone = self.clone()
        clone.collection = self.collection.with_options(**kwargs)
        return clone

    async def create_indexes(self) -> None:
        """Create the indexes of ``Meta.indexes`` (none if it is not set)."""
        indexes = self.doc_class.meta.indexes
        if indexes:
            await self.collection.create_indexes(indexes, **self._update_query_params({}))

    async def apply_json_schema(
        self,
        json_schema: Mapping[str, Any] | None = None,
        *,
        validation_level: str | None = None,
        validation_action: str | None = None,
    ) -> None:
        """Install a ``$jsonSchema`` validator on the existing collection (``collMod``):
        the class's (``doc_class.meta.json_schema()``) unless ``json_schema`` is given.

        The server checks the documents written from then on, not those already stored;
        with level ``"strict"`` an update of a stored invalid document must make it
        valid, with ``"moderate"`` such updates are not checked. A filter
        ``{'$nor': [{'$jsonSchema': schema}]}`` finds the stored documents that do not
        match.

        Args:
            validation_level: ``"strict"``, ``"moderate"`` or ``"off"``; ``None`` keeps
                the collection's (``"strict"`` unless changed).
            validation_action: ``"error"`` (refuse invalid writes), ``"warn"`` (log
                them) or, MongoDB 8.0+, ``"errorAndLog"``; ``None`` keeps the
                collection's (``"error"`` unless changed).

        Raises:
            ValueError: For an unknown validation level or action.
            aiomongodel.json_schema.JsonSchemaError: If a field has no schema at all.
            pymongo.errors.OperationFailure: If the collection does not exist, or the
                server refuses the schema.
        """
        schema = self.doc_class.meta.json_schema() if json_schema is None else json_schema
        command = {"collMod": self.collection.name}
        command.update(validator_options(schema, validation_level, validation_action))
        await self.db.command(command, **self._update_query_params({}))

    def find(
        self,
        query: Mapping[str, Any] | None = None,
        *args: Any,
        sort: Any = None,
        **kwargs: Any,
    ) -> MotorQuerySetCursor[D]:
        """Find documents; arguments as for the driver's ``find``.

        ``Meta.default_sort`` applies when no ``sort`` is given.
        """
        if args or "projection" in kwargs:
            args = _with_specs(args, kwargs, "projection", projection_spec)
        cursor = self.collection.find(
            self._update_query(query),
            *args,
            sort=sort_spec(sort) or self.default_sort,
            **self._update_query_params(kwargs),
        )
        return MotorQuerySetCursor(self.doc_class, cursor, driver=self._driver, queryset=self)

    async def find_one(
        self,
        query: Mapping[str, Any] | None = None,
        *args: Any,
        prefetch: Path | Iterable[Path] | None = None,
        on_missing: OnMissing = "keep",
        **kwargs: Any,
    ) -> D:
        """Find one document; arguments as for the driver's ``find_one``.

        ``Meta.default_sort`` does not apply here: pass ``sort=`` to choose which
        matching document comes back. ``prefetch`` and ``on_missing`` load referenced
        documents as :meth:`MotorQuerySetCursor.prefetch` does.

        Raises:
            DocumentNotFoundError: If no document matches. Its message names the
                document class only; the filter sent is its ``query`` attribute.
        """
        query = self._update_query(query)
        if args or "projection" in kwargs:
            args = _with_specs(args, kwargs, "projection", projection_spec)
        if "sort" in kwargs:
            kwargs["sort"] = sort_spec(kwargs["sort"])
        data = await self.collection.find_one(query, *args, **self._update_query_params(kwargs))
        if data is None:
            raise DocumentNotFoundError(document_class=self.doc_class, query=query)
        document = self._load(data)
        if prefetch is not None:  # not ``!=``: a field there would build a filter
            await self.prefetch([document], *_paths(prefetch), on_missing=on_missing)
        return document

    async def get(self, _id: Any, *args: Any, **kwargs: Any) -> D:
        """Get the document with this ``_id``, given as stored.

        Only the ``_id`` field's ``to_mongo`` applies to it, no input conversion: with
        an ``ObjectId`` ``_id``, pass an ``ObjectId``, not its hex string.

        Raises:
            DocumentNotFoundError: If there is none.
        """
        id_field = self.doc_class.meta.fields["_id"]
        return await self.find_one({"_id": id_field.to_mongo(_id)}, *args, **kwargs)

    async def prefetch(
        self, documents: Sequence[D], *paths: Path, on_missing: OnMissing = "keep"
    ) -> Sequence[D]:
        """Load the references ``paths`` name into ``documents`` already in hand, with one
        query per path and level (see :mod:`aiomongodel.prefetch`); returns ``documents``.

        Raises:
            MissingReferenceError: With ``on_missing="error"``, if a reference has no
                document; the documents are then left partly loaded.
        """
        await prefetch(
            documents,
            plan(self.doc_class, paths),
            db=self.db,
            session=self.session,
            on_missing=on_missing,
        )
        return documents

    async def count_documents(self, query: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        """Count the documents matching ``query``."""
        count: int = await self.collection.count_documents(
            self._update_query(query), **self._update_query_params(kwargs)
        )
        return count

    async def count(self, query: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        """Deprecated alias of :meth:`count_documents`."""
        warnings.warn("Use `count_documents` instead", DeprecationWarning, stacklevel=2)
        return await self.count_documents(query, **kwargs)

    async def create(self, *args: P.args, **kwargs: P.kwargs) -> D:
        """Build a document from field values, validate it and save it.

        It is stored with ``document.save(db, session=...)``: a replace with upsert on
        its ``_id``, so creating a document with an ``_id`` already stored replaces that
        document.

        Raises:
            ValidationError: If the values are invalid; nothing is stored.
            DuplicateKeyError: If a unique index refuses it.
        """
        build = cast("Callable[P, D]", self.doc_class)
        document = build(*args, **kwargs).validate()
        await document.save(self.db, session=self.session)
        return document

    async def insert_one(self, document: Any, *args: Any, **kwargs: Any) -> Any:
        """Insert a document (a model object or a raw dict); returns its ``_id``.

        Each write returns ``None`` when unacknowledged (write concern ``w=0``).

        Raises:
            DuplicateKeyError: If a unique index refuses it.
        """
        data = _to_mongo(document)
        with _write_errors(self.doc_class, [data]):
            result = await self.collection.insert_one(
                data, *args, **self._update_query_params(kwargs)
            )
        return result.inserted_id if result.acknowledged else None

    async def insert_many(
        self, documents: Iterable[Any], *args: Any, **kwargs: Any
    ) -> list[Any] | None:
        """Insert model objects or raw dicts; returns their ``_id`` values in order.

        Raises:
            pymongo.errors.BulkWriteError: If a write fails, a unique index violation
                included (as the driver reports it).
            bson.errors.InvalidDocument: If a value cannot be stored; the message names
                its path. (The same for the other writes.)
        """
        data = [_to_mongo(document) for document in documents]
        with _write_errors(self.doc_class, data):
            result = await self.collection.insert_many(
                data, *args, **self._update_query_params(kwargs)
            )
        return list(result.inserted_ids) if result.acknowledged else None

    async def replace_one(
        self, query: Mapping[str, Any], replacement: Any, *args: Any, **kwargs: Any
    ) -> int | None:
        """Replace one matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the replacement.
        """
        data = _to_mongo(replacement)
        with _write_errors(self.doc_class, [data]):
            result = await self.collection.replace_one(
                self._update_query(query), data, *args, **self._update_query_params(kwargs)
            )
        return _count(result, "modified_count")

    async def update_one(self, query: Mapping[str, Any], *args: Any, **kwargs: Any) -> int | None:
        """Update one matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the update.
        """
        args = _with_specs(args, kwargs, "update", update_spec)
        with _write_errors(self.doc_class, args[:1]):
            result = await self.collection.update_one(
                self._update_query(query), *args, **self._update_query_params(kwargs)
            )
        return _count(result, "modified_count")

    async def update_document(
        self, query: Mapping[str, Any], update: Mapping[str, Any], **kwargs: Any
    ) -> int | None:
        """Update the one document ``query`` names (its ``write_filter``), without
        ``Meta.default_query``; returns the number matched (0 or 1), ``None`` when
        unacknowledged. ``Document.save_changes`` writes through this.

        Raises:
            DuplicateKeyError: If a unique index refuses the update.
        """
        with _write_errors(self.doc_class, [update]):
            result = await self.collection.update_one(
                query, update, **self._update_query_params(kwargs)
            )
        return _count(result, "matched_count")

    async def update_many(self, query: Mapping[str, Any], *args: Any, **kwargs: Any) -> int | None:
        """Update every matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the update.
        """
        args = _with_specs(args, kwargs, "update", update_spec)
        with _write_errors(self.doc_class, args[:1]):
            result = await self.collection.update_many(
                self._update_query(query), *args, **self._update_query_params(kwargs)
            )
        return _count(result, "modified_count")

    async def delete_one(self, query: Mapping[str, Any], **kwargs: Any) -> int | None:
        """Delete one matching document; returns the number deleted."""
        result = await self.collection.delete_one(
            self._update_query(query), **self._update_query_params(kwargs)
        )
        return _count(result, "deleted_count")

    async def delete_many(self, query: Mapping[str, Any], **kwargs: Any) -> int | None:
        """Delete every matching document; returns the number deleted."""
        result = await self.collection.delete_many(
            self._update_query(query), **self._update_query_params(kwargs)
        )
        return _count(result, "deleted_count")

    async def transaction(self, callback: Callable[[Any], Awaitable[T]], **options: Any) -> T:
        """Run ``await callback(session)`` in a transaction on this queryset's client and
        commit it, retrying as MongoDB's drivers specify; returns what the callback
        returned. Querysets and documents of the client use the transaction's session
        inside it. The queryset's own session, if it has one, runs the transaction.

        See :func:`aiomongodel.transactions.run_transaction`, which takes the same
        keyword ``options`` (``timeout``, ``read_concern``, ``write_concern``,
        ``read_preference``, ``max_commit_time_ms``).
        """
        from aiomongodel.transactions import run_transaction

        return await run_transaction(self.db, callback, session=self.session, **options)

    def bulk(self, ordered: bool = True, batch_size: int = 1000) -> Bulk[D]:
        """Collect writes of documents to send together as ``bulk_write`` calls of at
        most ``batch_size`` operations, on this queryset's collection and session::

            async with Post.q(db).bulk() as bulk:
                bulk.insert(post).save_changes(other).delete(old)

        See :class:`aiomongodel.bulk.Bulk`.

        Args:
            ordered: Stop at the first failure (the default), or send every operation
                whatever fails.
            batch_size: The most operations of one ``bulk_write`` call.

        Raises:
            TypeError: If ``ordered`` is not a bool or ``batch_size`` not an int.
            ValueError: If ``batch_size`` is not from 1 to 100000 (the server's
                ``maxWriteBatchSize``).
        """
        from aiomongodel.bulk import Bulk

        return Bulk(self, ordered=ordered, batch_size=batch_size)

    def watch(
        self,
        pipeline: Sequence[Mapping[str, Any]] | None = None,
        *,
        query: Mapping[str, Any] | None = None,
        full_document: str | None = None,
        full_document_before_change: str | None = None,
        resume_after: Mapping[str, Any] | None = None,
        start_after: Mapping[str, Any] | None = None,
        start_at_operation_time: bson.Timestamp | None = None,
        **kwargs: Any,
    ) -> ChangeStream[D]:
        """A change stream of the collection, yielding
        :class:`~aiomongodel.changestreams.ChangeEvent` objects whose documents are
        ``doc_class`` objects::

            async with Post.q(db).watch(query=Post.views > 10) as stream:
                async for event in stream:
                    ...

        ``query`` (a dict or a filter built from fields) and ``Meta.default_query``
        select events by their document, in a ``$match`` stage before ``pipeline``
        (see :mod:`aiomongodel.changestreams` for deletes and updates); with a filter,
        ``full_document`` defaults to ``"updateLookup"``. The other arguments are the
        driver's ``watch`` arguments (``max_await_time_ms=``, ``batch_size=``, ...);
        this queryset's session is used unless ``session=`` is given. A ``pipeline``
        must keep the events' ``_id`` (their resume token) and ``operationType``.

        Nothing is sent until the stream is opened (``async with``, ``await``, or first
        use).

        Raises:
            ValueError: If the filter cannot apply to change events (an operator such
                as ``$expr`` at its top level), or ``full_document`` leaves updates
                without their document.
        """
        from aiomongodel.changestreams import ChangeStream, stream_options

        options = stream_options(
            self._update_query(query),
            pipeline,
            self._update_query_params(
                dict(
                    kwargs,
                    full_document=full_document,
                    full_document_before_change=full_document_before_change,
                    resume_after=resume_after,
                    start_after=start_after,
                    start_at_operation_time=start_at_operation_time,
                )
            ),
        )
        return ChangeStream(self.doc_class, self.collection, self._driver, options)

    def aggregate(self, pipeline: Iterable[Mapping[str, Any]], **kwargs: Any) -> AggregateCursor:
        """Run an aggregation; returns the driver's cursor of raw result dicts.

        ``Meta.default_query`` is merged into a leading ``$match`` stage, or prepended as
        one. As in 0.2, a leading ``$match`` of the caller's own stage dict is replaced
        in that dict. With Motor the result is Motor's cursor; with PyMongo async, a
        cursor usable with ``async for`` and ``await cursor.to_list(n)`` without another
        ``await``.
        """
        stages = list(pipeline)
        if self.default_query:
            first = stages[0] if stages else None
            if isinstance(first, MutableMapping) and list(first) == ["$match"]:
                first["$match"] = self._update_query(first["$match"])
            elif isinstance(first, Mapping) and list(first) == ["$match"]:
                stages[0] = {"$match": self._update_query(first["$match"])}
            else:
                stages.insert(0, {"$match": self._update_query(None)})
        cursor: AggregateCursor = self._driver.aggregate(
            self.collection, stages, **self._update_query_params(kwargs)
        )
        return cursor


class _Modifier:
    """A cursor method that calls the driver cursor's method of the same name and
    returns the queryset cursor, so that calls chain.

    Declared once per name in :class:`MotorQuerySetCursor`; reading it from the class
    gives a plain function carrying the docstring (for ``help()`` and the API docs).
    """

    _function: Callable[..., Any]  # made by ``__set_name__``, when the name is known

    def __init__(self, doc: str) -> None:
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        def modifier(cursor: MotorQuerySetCursor[Any], /, *args: Any, **kwargs: Any) -> Any:
            return cursor._chain(name, args, kwargs)

        modifier.__name__ = name
        modifier.__qualname__ = f"{owner.__qualname__}.{name}"
        modifier.__module__ = owner.__module__
        modifier.__doc__ = self.__doc__
        self._function = modifier

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Callable[..., Any]: ...

    @overload
    def __get__(self, instance: C, owner: type[Any] | None = None) -> Callable[..., C]: ...

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Callable[..., Any]:
        if instance is None:
            return self._function
        return types.MethodType(self._function, instance)


class MotorQuerySetCursor(Generic[D]):
    """A driver cursor that yields documents of ``doc_class``.

    Use it with ``async for`` (or an async comprehension) or ``await
    cursor.to_list(n)``. The driver's modifiers chain and return this cursor:
    ``find(...).sort(...).skip(10).limit(5)``. Any other method of the driver's cursor
    chains the same way (``cursor.rewind()``), as in aiomongodel 0.2. A method the driver
    runs as a coroutine (PyMongo's ``add_option``, ``rewind``) is applied before the
    next fetch, in chaining order.

    ``driver`` is the adapter of the cursor's driver, which a queryset passes; without
    it, each call is looked at to tell coroutines apart.
    """

    def __init__(
        self,
        doc_class: type[D],
        cursor: Any,
        *,
        driver: Driver | None = None,
        queryset: MotorQuerySet[D] | None = None,
    ) -> None:
        self.doc_class = doc_class
        self.cursor = cursor
        self._driver = driver or ANY_DRIVER
        self._queryset = queryset
        self._load = _loader(doc_class)
        self._deferred: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self._prefetch: _Prefetch | None = None
        self._buffer: collections.deque[D] = collections.deque()

    def clone(self: C) -> C:
        """A copy of this cursor, rewound (the driver's ``clone``)."""
        clone = type(self)(self.doc_class, self.cursor.clone(), queryset=self._queryset)
        clone._driver = self._driver
        clone._deferred = list(self._deferred)
        clone._prefetch = self._prefetch
        return clone

    def prefetch(
        self: C, *paths: Path, on_missing: OnMissing = "keep", batch_size: int = 1000
    ) -> C:
        """Load the referenced documents of ``paths`` into the documents this cursor
        returns: ``find().prefetch(Post.author, Post.comments.author, Post.author.company)``.

        Each path costs one query per level for all the documents of ``to_list``, or per
        ``batch_size`` documents with ``async for``, whatever the number of documents;
        see :mod:`aiomongodel.prefetch`. The queries go through the referenced classes'
        querysets on this cursor's database and session.

        Args:
            on_missing: ``"keep"`` leaves the id of a reference that has no document (or
                none that the referenced class's ``default_query`` lets through);
                ``"error"`` raises :class:`~aiomongodel.errors.MissingReferenceError`.
            batch_size: Documents loaded at a time by ``async for``.

        Raises:
            ValueError: If a path is not a reference of the cursor's class.
            TypeError: If the cursor was not made by a queryset (which knows the
                database).
        """
        if self._queryset is None:
            raise TypeError("prefetch needs a cursor made by a queryset's find()")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        if on_missing not in ("keep", "error"):
            raise ValueError(f"on_missing is 'keep' or 'error', got {on_missing!r}")
        levels = plan(self.doc_class, paths)
        if self._prefetch is not None:
            levels = [*self._prefetch.levels, *levels]
        self._prefetch = _Prefetch(levels, on_missing, batch_size)
        return self

    async def _prefetched(self, documents: list[D]) -> list[D]:
        spec, queryset = self._prefetch, self._queryset
        if spec is not None and queryset is not None and documents:
            await prefetch(
                documents,
                spec.levels,
                db=queryset.db,
                session=queryset.session,
                on_missing=spec.on_missing,
            )
        return documents

    async def _apply_deferred(self) -> None:
        deferred, self._deferred = self._deferred, []
        for modifier, args, kwargs in deferred:
            await self._driver.call(self.cursor, modifier, *args, **kwargs)

    async def to_list(self, length: int | None = None) -> list[D]:
        """Return up to ``length`` documents; ``None`` means all that remain."""
        if self._deferred:
            await self._apply_deferred()
        load = self._load
        documents = [load(data) for data in await self.cursor.to_list(length)]
        if self._prefetch is not None:
            await self._prefetched(documents)
        if self._buffer:  # documents that an ``async for`` has loaded but not returned
            documents[:0] = self._buffer
            self._buffer.clear()
        return documents

    def __aiter__(self) -> AsyncIterator[D]:
        return self

    async def __anext__(self) -> D:
        if self._deferred:
            await self._apply_deferred()
        if self._prefetch is None:
            # ``next()``, which PyMongo's ``__anext__`` only wraps in one more coroutine.
            return self._load(await self.cursor.next())
        if not self._buffer:
            load = self._load
            batch = await self.cursor.to_list(self._prefetch.batch_size)
            if not batch:
                raise StopAsyncIteration
            self._buffer.extend(await self._prefetched([load(data) for data in batch]))
        return self._buffer.popleft()

    def _chain(self: C, modifier: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> C:
        """Call the driver cursor's ``modifier`` (deferred if it is a coroutine, or if
        one before it was) and return this cursor, for chaining.
        """
        if self._deferred or self._driver.is_coroutine(self.cursor, modifier):
            self._deferred.append((modifier, args, kwargs))
        else:
            getattr(self.cursor, modifier)(*args, **kwargs)
        return self

    def __getattr__(self, name: str) -> Callable[..., MotorQuerySetCursor[D]]:
        """Chain any other method of the driver cursor (``cursor.rewind()``), as the
        modifiers below do; anything else is an ``AttributeError``.
        """
        cursor = self.__dict__.get("cursor")
        if not name.startswith("_") and callable(getattr(cursor, name, None)):
            return functools.partial(self._chain_call, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _chain_call(self: C, modifier: str, /, *args: Any, **kwargs: Any) -> C:
        return self._chain(modifier, args, kwargs)

    def sort(self: C, *args: Any, **kwargs: Any) -> C:
        """Sort the results (the driver's ``sort``: a key and a direction, or a list of
        pairs); also takes sort keys built from fields: ``.sort(Post.created.desc())``,
        ``.sort([Post.title.asc(), Post.views.desc()])``."""
        if len(args) < 2 and "direction" not in kwargs:
            args = _with_specs(args, kwargs, "key_or_list", sort_spec)
        return self._chain("sort", args, kwargs)

    skip = _Modifier("Skip results (the driver's ``skip``).")
    limit = _Modifier("Limit the number of results (the driver's ``limit``).")
    batch_size = _Modifier("Set the batch size (the driver's ``batch_size``).")
    hint = _Modifier("Force an index (the driver's ``hint``).")
    max_time_ms = _Modifier("Bound the server time (the driver's ``max_time_ms``).")
    max_await_time_ms = _Modifier(
        "Bound the wait of tailable cursors (the driver's ``max_await_time_ms``)."
    )
    collation = _Modifier("Set the collation (the driver's ``collation``).")
    comment = _Modifier("Attach a comment to the query (the driver's ``comment``).")
    where = _Modifier("Add a ``$where`` clause (the driver's ``where``).")
    min = _Modifier("Set an index lower bound (the driver's ``min``).")
    max = _Modifier("Set an index upper bound (the driver's ``max``).")
    allow_disk_use = _Modifier(
        "Let the server use temporary files (the driver's ``allow_disk_use``)."
    )
    add_option = _Modifier("Set a query flag (the driver's ``add_option``).")
    remove_option = _Modifier("Unset a query flag (the driver's ``remove_option``).")

    async def distinct(self, *args: Any, **kwargs: Any) -> list[Any]:
        """The driver's ``distinct``: distinct raw values of a key among the results."""
        if self._deferred:
            await self._apply_deferred()
        result: list[Any] = await self.cursor.distinct(*args, **kwargs)
        return result

    async def explain(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The driver's ``explain``: the server's query plan."""
        if self._deferred:
            await self._apply_deferred()
        result: dict[str, Any] = await self.cursor.explain(*args, **kwargs)
        return result

    async def close(self) -> None:
        """Close the cursor on the server."""
        await self._driver.call(self.cursor, "close")


QuerySet = MotorQuerySet
QuerySetCursor = MotorQuerySetCursor
