"""Querysets: a document class's collection operations, returning documents.

``MotorQuerySet`` (also exported as ``QuerySet``) works on a PyMongo ``AsyncDatabase``
or a Motor database (asyncio, or Tornado through ``motor.motor_tornado``). The drivers
differ in ``aggregate``, handled by :func:`open_aggregate_cursor`, and in cursor
modifiers that PyMongo makes coroutines, told apart by :func:`_is_async_modifier`.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

import bson
import bson.errors
import pymongo.errors

from aiomongodel.document import BaseDocument, Document
from aiomongodel.errors import DocumentNotFoundError, DuplicateKeyError

__all__ = [
    "MotorQuerySet",
    "MotorQuerySetCursor",
    "QuerySet",
    "QuerySetCursor",
    "open_aggregate_cursor",
]

D = TypeVar("D", bound=Document)
Q = TypeVar("Q", bound="MotorQuerySet[Any]")
C = TypeVar("C", bound="MotorQuerySetCursor[Any]")


class _PendingAggregateCursor:
    """An aggregation cursor opened on first use.

    PyMongo's ``AsyncCollection.aggregate`` is a coroutine, Motor's returns a cursor at
    once; this lets ``queryset.aggregate(...)`` return a cursor under both: use it with
    ``async for`` or ``await cursor.to_list(n)``, or ``await`` it for PyMongo's cursor.
    """

    def __init__(self, open_cursor: Callable[[], Awaitable[Any]]) -> None:
        self._open_cursor = open_cursor
        self._cursor: Any = None

    async def _get(self) -> Any:
        if self._cursor is None:
            self._cursor = await self._open_cursor()
        return self._cursor

    def __await__(self) -> Iterator[Any]:
        return self._get().__await__()

    def __aiter__(self) -> _PendingAggregateCursor:
        return self

    async def __anext__(self) -> Any:
        cursor = await self._get()
        return await cursor.__anext__()

    async def to_list(self, length: int | None = None) -> list[Any]:
        """Return up to ``length`` results (all for ``None``)."""
        cursor = await self._get()
        return await cursor.to_list(length)  # type: ignore[no-any-return]

    async def close(self) -> None:
        """Close the cursor on the server, if it was opened."""
        if self._cursor is not None:
            await self._cursor.close()


def open_aggregate_cursor(collection: Any, pipeline: list[Any], **kwargs: Any) -> Any:
    """Run ``collection.aggregate`` under either driver and return a cursor at once.

    With Motor this is Motor's own cursor; with PyMongo async, a cursor opened on first
    use (see ``_PendingAggregateCursor``).
    """
    if inspect.iscoroutinefunction(collection.aggregate):
        return _PendingAggregateCursor(lambda: collection.aggregate(pipeline, **kwargs))
    return collection.aggregate(pipeline, **kwargs)


def _is_async_modifier(cursor: Any, name: str) -> bool:
    """Whether the driver cursor's modifier ``name`` is a coroutine function.

    PyMongo's ``AsyncCursor.add_option`` is one; Motor's modifiers never are.
    """
    return inspect.iscoroutinefunction(getattr(cursor, name))


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
        adopt: Callable[[Any], D] = doc_class.meta.adopt
        return adopt
    return from_mongo


_DEFAULT_FROM_MONGO = BaseDocument.from_mongo.__func__  # type: ignore[attr-defined]


def _to_mongo(document: Any) -> Any:
    return document.to_mongo() if isinstance(document, BaseDocument) else document


class MotorQuerySet(Generic[D]):
    """Operations on the collection of ``doc_class`` in ``db``, in terms of documents.

    Every query is combined with the class's ``Meta.default_query`` through ``$and``.
    The ``session`` given here is used by every operation unless a call passes its own
    ``session=``.

    Args:
        doc_class: The :class:`~aiomongodel.Document` subclass.
        db: A PyMongo ``AsyncDatabase`` or a Motor database.
        session: A client session of the same driver, or ``None``.
    """

    def __init__(self, doc_class: type[D], db: Any, session: Any = None) -> None:
        self.doc_class = doc_class
        self.db = db
        self.session = session
        self.collection: Any = doc_class.coll(db)
        self.default_query: Mapping[str, Any] | None = doc_class.meta.default_query
        self.default_sort: Any = doc_class.meta.default_sort
        self._load = _loader(doc_class)

    def _query(self, query: Mapping[str, Any] | None) -> Mapping[str, Any]:
        default = self.default_query
        if not default:
            return query or {}
        if not query:
            return default
        return {"$and": [default, query]}

    def _options(self, kwargs: dict[str, Any]) -> dict[str, Any]:
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

    async def create_indexes(self) -> list[str]:
        """Create the indexes of ``Meta.indexes``; returns their names."""
        indexes = self.doc_class.meta.indexes
        if not indexes:
            return []
        names: list[str] = await self.collection.create_indexes(indexes, **self._options({}))
        return names

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
        cursor = self.collection.find(
            self._query(query), *args, sort=sort or self.default_sort, **self._options(kwargs)
        )
        return MotorQuerySetCursor(self.doc_class, cursor)

    async def find_one(
        self, query: Mapping[str, Any] | None = None, *args: Any, **kwargs: Any
    ) -> D:
        """Find one document; arguments as for the driver's ``find_one``.

        Raises:
            DocumentNotFoundError: If no document matches.
        """
        if self.default_sort and "sort" not in kwargs:
            kwargs["sort"] = self.default_sort
        data = await self.collection.find_one(self._query(query), *args, **self._options(kwargs))
        if data is None:
            raise DocumentNotFoundError(
                f"no {self.doc_class.__name__} matches {dict(self._query(query))!r}"
            )
        return self._load(data)

    async def get(self, _id: Any, *args: Any, **kwargs: Any) -> D:
        """Get the document with this ``_id`` (converted like the ``_id`` field's input).

        Raises:
            DocumentNotFoundError: If there is none.
        """
        id_field = self.doc_class.meta.fields["_id"]
        query = {"_id": id_field.to_mongo(id_field.from_data(_id))}
        return await self.find_one(query, *args, **kwargs)

    async def count_documents(self, query: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        """Count the documents matching ``query``."""
        count: int = await self.collection.count_documents(
            self._query(query), **self._options(kwargs)
        )
        return count

    async def count(self, query: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        """Deprecated alias of :meth:`count_documents`."""
        warnings.warn(
            "MotorQuerySet.count() is deprecated; use count_documents()",
            DeprecationWarning,
            stacklevel=2,
        )
        return await self.count_documents(query, **kwargs)

    async def create(self, **kwargs: Any) -> D:
        """Build a document from field values, validate it and insert it.

        Raises:
            ValidationError: If the values are invalid; nothing is stored.
            DuplicateKeyError: If a unique index refuses it.
        """
        document = self.doc_class(**kwargs).validate()
        await self.insert_one(document.to_mongo())
        return document

    async def insert_one(self, document: Any, *args: Any, **kwargs: Any) -> Any:
        """Insert a document (a model object or a raw dict); returns its ``_id``.

        Raises:
            DuplicateKeyError: If a unique index refuses it.
        """
        data = _to_mongo(document)
        with _write_errors(self.doc_class, [data]):
            result = await self.collection.insert_one(data, *args, **self._options(kwargs))
        return result.inserted_id

    async def insert_many(self, documents: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        """Insert model objects or raw dicts; returns their ``_id`` values in order.

        Raises:
            bson.errors.InvalidDocument: If a value cannot be stored; the message names
                its path. (The same for the other writes.)
        """
        data = [_to_mongo(document) for document in documents]
        with _write_errors(self.doc_class, data):
            result = await self.collection.insert_many(data, *args, **self._options(kwargs))
        return list(result.inserted_ids)

    async def replace_one(
        self, query: Mapping[str, Any], replacement: Any, *args: Any, **kwargs: Any
    ) -> int:
        """Replace one matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the replacement.
        """
        data = _to_mongo(replacement)
        with _write_errors(self.doc_class, [data]):
            result = await self.collection.replace_one(
                self._query(query), data, *args, **self._options(kwargs)
            )
        return result.modified_count  # type: ignore[no-any-return]

    async def update_one(self, query: Mapping[str, Any], *args: Any, **kwargs: Any) -> int:
        """Update one matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the update.
        """
        with _write_errors(self.doc_class, args[:1]):
            result = await self.collection.update_one(
                self._query(query), *args, **self._options(kwargs)
            )
        return result.modified_count  # type: ignore[no-any-return]

    async def update_many(self, query: Mapping[str, Any], *args: Any, **kwargs: Any) -> int:
        """Update every matching document; returns the number modified.

        Raises:
            DuplicateKeyError: If a unique index refuses the update.
        """
        with _write_errors(self.doc_class, args[:1]):
            result = await self.collection.update_many(
                self._query(query), *args, **self._options(kwargs)
            )
        return result.modified_count  # type: ignore[no-any-return]

    async def delete_one(self, query: Mapping[str, Any], **kwargs: Any) -> int:
        """Delete one matching document; returns the number deleted."""
        result = await self.collection.delete_one(self._query(query), **self._options(kwargs))
        return result.deleted_count  # type: ignore[no-any-return]

    async def delete_many(self, query: Mapping[str, Any], **kwargs: Any) -> int:
        """Delete every matching document; returns the number deleted."""
        result = await self.collection.delete_many(self._query(query), **self._options(kwargs))
        return result.deleted_count  # type: ignore[no-any-return]

    def aggregate(self, pipeline: Iterable[Mapping[str, Any]], **kwargs: Any) -> Any:
        """Run an aggregation; returns the driver's cursor of raw result dicts.

        ``Meta.default_query`` is merged into a leading ``$match`` stage, or prepended as
        one. With Motor the result is Motor's cursor; with PyMongo async, a cursor
        usable with ``async for`` and ``await cursor.to_list(n)`` without another
        ``await``.
        """
        stages = list(pipeline)
        if self.default_query:
            first = stages[0] if stages else None
            if isinstance(first, Mapping) and list(first) == ["$match"]:
                stages[0] = {"$match": self._query(first["$match"])}
            else:
                stages.insert(0, {"$match": self.default_query})
        return open_aggregate_cursor(self.collection, stages, **self._options(kwargs))


class MotorQuerySetCursor(Generic[D]):
    """A driver cursor that yields documents of ``doc_class``.

    Use it with ``async for`` (or an async comprehension) or ``await
    cursor.to_list(n)``. The driver's modifiers chain and return this cursor:
    ``find(...).sort(...).skip(10).limit(5)``. A modifier the driver runs as a coroutine
    (PyMongo's ``add_option``) is applied before the first fetch, in chaining order.
    """

    def __init__(self, doc_class: type[D], cursor: Any) -> None:
        self.doc_class = doc_class
        self.cursor = cursor
        self._load = _loader(doc_class)
        self._deferred: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def clone(self: C) -> C:
        """A copy of this cursor, rewound (the driver's ``clone``)."""
        clone = type(self)(self.doc_class, self.cursor.clone())
        clone._deferred = list(self._deferred)
        return clone

    async def _apply_deferred(self) -> None:
        deferred, self._deferred = self._deferred, []
        for modifier, args, kwargs in deferred:
            result = getattr(self.cursor, modifier)(*args, **kwargs)
            if inspect.isawaitable(result):
                await result

    async def to_list(self, length: int | None = None) -> list[D]:
        """Return up to ``length`` documents; ``None`` means all that remain."""
        if self._deferred:
            await self._apply_deferred()
        load = self._load
        return [load(data) for data in await self.cursor.to_list(length)]

    def __aiter__(self) -> AsyncIterator[D]:
        return self

    async def __anext__(self) -> D:
        if self._deferred:
            await self._apply_deferred()
        # ``next()``, which PyMongo's ``__anext__`` only wraps in one more coroutine.
        return self._load(await self.cursor.next())

    def _chain(self: C, modifier: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> C:
        if self._deferred or _is_async_modifier(self.cursor, modifier):
            self._deferred.append((modifier, args, kwargs))
        else:
            getattr(self.cursor, modifier)(*args, **kwargs)
        return self

    def sort(self: C, *args: Any, **kwargs: Any) -> C:
        """Sort the results (the driver's ``sort``)."""
        return self._chain("sort", args, kwargs)

    def skip(self: C, *args: Any, **kwargs: Any) -> C:
        """Skip results (the driver's ``skip``)."""
        return self._chain("skip", args, kwargs)

    def limit(self: C, *args: Any, **kwargs: Any) -> C:
        """Limit the number of results (the driver's ``limit``)."""
        return self._chain("limit", args, kwargs)

    def batch_size(self: C, *args: Any, **kwargs: Any) -> C:
        """Set the batch size (the driver's ``batch_size``)."""
        return self._chain("batch_size", args, kwargs)

    def hint(self: C, *args: Any, **kwargs: Any) -> C:
        """Force an index (the driver's ``hint``)."""
        return self._chain("hint", args, kwargs)

    def max_time_ms(self: C, *args: Any, **kwargs: Any) -> C:
        """Bound the server time (the driver's ``max_time_ms``)."""
        return self._chain("max_time_ms", args, kwargs)

    def max_await_time_ms(self: C, *args: Any, **kwargs: Any) -> C:
        """Bound the wait of tailable cursors (the driver's ``max_await_time_ms``)."""
        return self._chain("max_await_time_ms", args, kwargs)

    def collation(self: C, *args: Any, **kwargs: Any) -> C:
        """Set the collation (the driver's ``collation``)."""
        return self._chain("collation", args, kwargs)

    def comment(self: C, *args: Any, **kwargs: Any) -> C:
        """Attach a comment to the query (the driver's ``comment``)."""
        return self._chain("comment", args, kwargs)

    def where(self: C, *args: Any, **kwargs: Any) -> C:
        """Add a ``$where`` clause (the driver's ``where``)."""
        return self._chain("where", args, kwargs)

    def min(self: C, *args: Any, **kwargs: Any) -> C:
        """Set an index lower bound (the driver's ``min``)."""
        return self._chain("min", args, kwargs)

    def max(self: C, *args: Any, **kwargs: Any) -> C:
        """Set an index upper bound (the driver's ``max``)."""
        return self._chain("max", args, kwargs)

    def allow_disk_use(self: C, *args: Any, **kwargs: Any) -> C:
        """Let the server use temporary files (the driver's ``allow_disk_use``)."""
        return self._chain("allow_disk_use", args, kwargs)

    def add_option(self: C, *args: Any, **kwargs: Any) -> C:
        """Set a query flag (the driver's ``add_option``)."""
        return self._chain("add_option", args, kwargs)

    def remove_option(self: C, *args: Any, **kwargs: Any) -> C:
        """Unset a query flag (the driver's ``remove_option``)."""
        return self._chain("remove_option", args, kwargs)

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
        result = self.cursor.close()
        if inspect.isawaitable(result):
            await result


QuerySet = MotorQuerySet
QuerySetCursor = MotorQuerySetCursor
