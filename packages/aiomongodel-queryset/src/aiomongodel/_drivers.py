"""The asynchronous drivers a queryset runs on, and what differs between them.

PyMongo's async API (``pymongo.AsyncMongoClient``), Motor asyncio and Motor Tornado
agree on the collection and cursor methods a queryset calls, except that

* ``aggregate`` is a coroutine in PyMongo and returns a cursor at once in Motor;
* some cursor methods are coroutines: PyMongo's ``add_option``, ``rewind``, ``close``,
  ..., Motor's ``close`` and ``next`` (its other methods return at once);
* ``client.start_session()`` is a coroutine in Motor, ``session.start_transaction()``
  one in PyMongo (:func:`start_session`, :func:`start_transaction`);
* ``watch`` is a coroutine in PyMongo, which opens the change stream; Motor's returns a
  change stream at once that opens on first use (or on ``async with``).

A :class:`Driver` adapter knows these answers for one driver. :func:`driver_of` picks
it, once per collection type, when a queryset is created; the queryset hands it to
the cursors it makes. A collection of no known driver (a wrapper, a test double) gets
the adapter that looks at each call instead.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.cursor import AsyncCursor
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.asynchronous.mongo_client import AsyncMongoClient
from pymongo.synchronous.collection import Collection
from pymongo.synchronous.database import Database
from pymongo.synchronous.mongo_client import MongoClient

__all__ = [
    "ANY_DRIVER",
    "Driver",
    "MotorDriver",
    "PyMongoDriver",
    "check_database",
    "driver_of",
    "start_session",
    "start_transaction",
]


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


class Driver:
    """The adapter of a driver not known in advance: it looks at each call.

    Used for collections of no known driver, and by a ``MotorQuerySetCursor`` made
    without an adapter. The known drivers' adapters below answer without looking.
    """

    def aggregate(self, collection: Any, pipeline: list[Any], **kwargs: Any) -> Any:
        """``collection.aggregate(pipeline, **kwargs)`` as a cursor, returned at once."""
        if inspect.iscoroutinefunction(collection.aggregate):
            return _PendingAggregateCursor(lambda: collection.aggregate(pipeline, **kwargs))
        return collection.aggregate(pipeline, **kwargs)

    def is_coroutine(self, cursor: Any, name: str) -> bool:
        """Whether the driver cursor's method ``name`` is a coroutine function."""
        return inspect.iscoroutinefunction(getattr(cursor, name))

    async def call(self, cursor: Any, name: str, /, *args: Any, **kwargs: Any) -> None:
        """Call the driver cursor's method ``name``, awaiting it if it is a coroutine."""
        result = getattr(cursor, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            await result

    async def watch(self, collection: Any, **kwargs: Any) -> Any:
        """``collection.watch(**kwargs)``: the driver's change stream, opened on the server."""
        stream = collection.watch(**kwargs)
        if inspect.isawaitable(stream):
            return await stream
        # Opened on first use (Motor): ``async with`` opens it now.
        enter = getattr(stream, "__aenter__", None)
        return stream if enter is None else await enter()


class _KnownDriver(Driver):
    """A driver whose cursor class is known: its coroutine methods are listed once."""

    def __init__(self, cursor_class: type[Any]) -> None:
        self.coroutines = frozenset(
            name for name, _ in inspect.getmembers(cursor_class, inspect.iscoroutinefunction)
        )

    def is_coroutine(self, cursor: Any, name: str) -> bool:
        return name in self.coroutines

    async def call(self, cursor: Any, name: str, /, *args: Any, **kwargs: Any) -> None:
        result = getattr(cursor, name)(*args, **kwargs)
        if name in self.coroutines:
            await result


class PyMongoDriver(_KnownDriver):
    """PyMongo's async API: ``aggregate`` is a coroutine, opened on the cursor's first use."""

    def aggregate(self, collection: Any, pipeline: list[Any], **kwargs: Any) -> Any:
        return _PendingAggregateCursor(lambda: collection.aggregate(pipeline, **kwargs))

    async def watch(self, collection: Any, **kwargs: Any) -> Any:
        return await collection.watch(**kwargs)


class MotorDriver(_KnownDriver):
    """Motor (asyncio or Tornado): ``aggregate`` returns Motor's cursor at once."""

    def aggregate(self, collection: Any, pipeline: list[Any], **kwargs: Any) -> Any:
        return collection.aggregate(pipeline, **kwargs)

    async def watch(self, collection: Any, **kwargs: Any) -> Any:
        # Motor opens its change stream on first use; ``__aenter__`` opens it now, so that
        # no change made after ``watch`` returns is missed.
        return await collection.watch(**kwargs).__aenter__()


#: The adapter that looks at each call, for drivers not known in advance.
ANY_DRIVER = Driver()
_PYMONGO = PyMongoDriver(AsyncCursor)
_BY_COLLECTION_TYPE: dict[type[Any], Driver] = {}


def driver_of(collection: Any) -> Driver:
    """The adapter of the driver ``collection`` belongs to."""
    kind = type(collection)
    driver = _BY_COLLECTION_TYPE.get(kind)
    if driver is None:
        driver = _BY_COLLECTION_TYPE[kind] = _identify(kind)
    return driver


def _identify(kind: type[Any]) -> Driver:
    if issubclass(kind, AsyncCollection):
        return _PYMONGO
    # A Motor collection exists only once its module is imported: no import here.
    for module, collection, cursor in (
        ("motor.motor_asyncio", "AsyncIOMotorCollection", "AsyncIOMotorCursor"),
        ("motor.motor_tornado", "MotorCollection", "MotorCursor"),
    ):
        motor = sys.modules.get(module)
        if motor is not None and issubclass(kind, getattr(motor, collection)):
            return MotorDriver(getattr(motor, cursor))
    return ANY_DRIVER


async def start_session(client: Any, **options: Any) -> Any:
    """A new session of ``client`` (either driver), to use with ``async with``."""
    session = client.start_session(**options)
    return await session if inspect.isawaitable(session) else session


async def start_transaction(session: Any, **options: Any) -> None:
    """Start a transaction on ``session`` (either driver); it ends with the session's
    ``commit_transaction()`` or ``abort_transaction()``."""
    started = session.start_transaction(**options)
    if inspect.isawaitable(started):
        await started


#: Motor's modules and the prefix of their class names (``AsyncIOMotorDatabase``).
_MOTOR_MODULES = (("motor.motor_asyncio", "AsyncIOMotor"), ("motor.motor_tornado", "Motor"))


def _motor_classes(kind: str) -> tuple[type[Any], ...]:
    """Motor's classes ``kind`` (``'Database'``, ...) of the Motor modules imported."""
    classes = []
    for module, prefix in _MOTOR_MODULES:
        motor = sys.modules.get(module)  # no import: Motor is optional
        if motor is not None:
            classes.append(getattr(motor, f"{prefix}{kind}"))
    return tuple(classes)


def check_database(db: object, doc_class: type[Any] | str) -> None:
    """Raise ``TypeError`` if ``db`` cannot be an asynchronous database.

    A PyMongo ``AsyncDatabase`` or a Motor database passes at once. A synchronous
    PyMongo database, a client or a collection (of either driver) is refused with what
    to pass instead, and so is an object without a ``get_collection`` method. Any other
    object is taken for a database (a wrapper, a test double).

    The message starts with ``Post.q(db)`` for the document class ``Post``, or with
    ``doc_class`` itself when it is a string naming the call.
    """
    if isinstance(db, AsyncDatabase):  # the usual case, checked first
        return
    wrong = _wrong_database(db)
    if wrong is not None:
        caller = doc_class if isinstance(doc_class, str) else f"{doc_class.__name__}.q(db)"
        raise TypeError(
            f"{caller}: db must be an asynchronous database "
            f"(a PyMongo AsyncDatabase or a Motor database), got {wrong}"
        )


_PASS_A_DATABASE = "pass client['name'] or client.get_database('name')"


def _wrong_database(db: object) -> str | None:
    """What ``db`` is, if it is no database, for :func:`check_database`'s message.

    Clients and collections have a ``get_collection`` that works (a collection's
    attributes are sub-collections, a client's are databases), so they are told apart
    by type before the method is looked for.
    """
    if isinstance(db, _motor_classes("Database")):
        return None
    if isinstance(db, Database):
        return (
            "a pymongo.database.Database, which is synchronous: "
            "use pymongo.AsyncMongoClient(...)['name'] or Motor"
        )
    if isinstance(db, MongoClient):
        return (
            f"a pymongo.MongoClient (a client: {_PASS_A_DATABASE}; and it is synchronous: "
            "open pymongo.AsyncMongoClient(...) or Motor's client instead)"
        )
    if isinstance(db, AsyncMongoClient):
        return f"a pymongo.AsyncMongoClient (a client: {_PASS_A_DATABASE})"
    for client in _motor_classes("Client"):
        if isinstance(db, client):
            return f"{_a(client)} (a client: {_PASS_A_DATABASE})"
    for collection in (AsyncCollection, Collection, *_motor_classes("Collection")):
        if isinstance(db, collection):
            return f"{_a(collection)} (a collection: pass its database, collection.database)"
    if not callable(getattr(db, "get_collection", None)):
        return f"{_a(type(db))}, which has no get_collection method"
    return None


def _a(kind: type[Any]) -> str:
    """``kind`` in a message: ``'a str'``, ``'an int'``, ``'None'``, ``'a pkg.Thing'``."""
    if kind is type(None):
        return "None"
    name = kind.__qualname__
    if kind.__module__ != "builtins":
        name = f"{kind.__module__}.{name}"
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"
