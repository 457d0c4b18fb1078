"""Change streams of a document class: ``Post.q(db).watch()``.

A :class:`ChangeStream` wraps the driver's change stream on the class's collection and
yields :class:`ChangeEvent` objects, whose documents are loaded as the class's queries
load them (``from_mongo``)::

    async with Post.q(db).watch(query=Post.views > 10) as stream:
        async for event in stream:
            print(event.operation_type, event.document_id, event.full_document)
            checkpoint(stream.resume_token)

Filtering: a ``query`` (a dict, or a filter built from fields) and the class's
``Meta.default_query`` are conditions on the *document*; :func:`event_filter` turns them
into the ``$match`` stage of the stream, placed before the caller's own ``pipeline``:

* inserts, replaces and updates pass when the document after the change matches. An
  update event carries that document only if it is asked for, so with a filter
  ``full_document`` defaults to ``"updateLookup"``: the document as it is when the
  server reads the event, which may be later than the change. ``"whenAvailable"`` and
  ``"required"`` (post-images, on a collection created with
  ``changeStreamPreAndPostImages``) give it as it was right after the change.
  ``"default"`` is refused;
* deletes carry no document: they all pass, unless the stream asks for pre-images
  (``full_document_before_change``, on a collection created with
  ``changeStreamPreAndPostImages``): then a delete or an update also passes when the
  document *before* the change matched, and a delete whose pre-image is missing passes;
* events that are about no document (``drop``, ``rename``, ``dropDatabase``,
  ``invalidate``, ...) always pass, so that the consumer sees why a stream ends.

An update that takes a document out of the filter is therefore seen only with
pre-images; an update whose looked-up document is gone (deleted since) is not seen, but
its delete is.

Resuming: :attr:`ChangeStream.resume_token` is the driver's token as of the last event
(or empty batch) the stream returned: store it after handling an event and pass it as
``resume_after`` (or ``start_after``, which also resumes after an ``invalidate``) to a
new stream, which then starts right after that event. The driver itself resumes once,
with the same token, after a network error or a primary's election.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

from bson import Timestamp
from pymongo.errors import PyMongoError
from typing_extensions import Self, TypeVar

if TYPE_CHECKING:
    from aiomongodel._drivers import Driver
    from aiomongodel.document import Document

__all__ = [
    "DOCUMENT_EVENTS",
    "ChangeEvent",
    "ChangeStream",
    "UpdateDescription",
    "event_filter",
]

D = TypeVar("D", bound="Document[Any]")

#: The operation types of events about one document of the collection.
DOCUMENT_EVENTS = ("insert", "update", "replace", "delete")

#: ``full_document`` values that give update events the document after the change.
_DOCUMENT_AFTER = ("updateLookup", "whenAvailable", "required")
#: ``full_document_before_change`` values that give events the document before it.
_DOCUMENT_BEFORE = ("whenAvailable", "required")
#: The logical operators whose operands are filters themselves.
_LOGICAL = ("$and", "$or", "$nor")


@dataclass(frozen=True)
class UpdateDescription:
    """What an update changed, as the server describes it (``updateDescription``).

    Paths and values are as stored: MongoDB names, dotted into embedded documents and
    list items.
    """

    #: ``{path: new value}`` of the fields set.
    updated_fields: dict[str, Any] = field(default_factory=dict)
    #: The paths of the fields removed.
    removed_fields: list[str] = field(default_factory=list)
    #: ``[{'field': path, 'newSize': n}]`` of the lists shortened.
    truncated_arrays: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_mongo(cls, data: Mapping[str, Any]) -> UpdateDescription:
        """The description in an event's ``updateDescription``."""
        return cls(
            updated_fields=dict(data.get("updatedFields") or {}),
            removed_fields=list(data.get("removedFields") or []),
            truncated_arrays=list(data.get("truncatedArrays") or []),
        )


class ChangeEvent(Generic[D]):
    """One change of a collection, with its documents loaded as ``D``.

    Attributes:
        operation_type: ``'insert'``, ``'update'``, ``'replace'``, ``'delete'``, or an
            event about no single document (``'drop'``, ``'invalidate'``, ...).
        document_key: The ``_id`` of the changed document (and its shard key, in a
            sharded collection), as stored; ``None`` for events about no document.
        full_document: The document after the change: always for inserts and replaces,
            for updates when the stream asked for it (``full_document=``), else ``None``.
            A looked-up document may be newer than the change, or gone (``None``).
        full_document_before_change: The document before the change, for updates,
            replaces and deletes of a stream that asked for pre-images; else ``None``.
        update_description: What an update changed; ``None`` for other events.
        resume_token: The event's ``_id``: a stream opened with
            ``resume_after=event.resume_token`` starts right after this event.
        cluster_time: The time of the change's oplog entry.
        wall_time: The server's clock time of the change (MongoDB 6.0 and newer).
        namespace: ``{'db': ..., 'coll': ...}`` of the collection.
        raw: The event as the driver returned it.
    """

    __slots__ = (
        "cluster_time",
        "document_key",
        "full_document",
        "full_document_before_change",
        "namespace",
        "operation_type",
        "raw",
        "resume_token",
        "update_description",
        "wall_time",
    )

    operation_type: str
    document_key: dict[str, Any] | None
    full_document: D | None
    full_document_before_change: D | None
    update_description: UpdateDescription | None
    resume_token: Mapping[str, Any]
    cluster_time: Timestamp | None
    wall_time: datetime | None
    namespace: dict[str, Any] | None
    raw: Mapping[str, Any]

    def __init__(self, raw: Mapping[str, Any], load: Callable[[Any], D]) -> None:
        """Read the driver's event ``raw``, loading its documents with ``load``."""
        self.raw = raw
        self.operation_type = raw["operationType"]
        self.resume_token = raw["_id"]
        key = raw.get("documentKey")
        self.document_key = dict(key) if key is not None else None
        after = raw.get("fullDocument")
        self.full_document = load(after) if after is not None else None
        before = raw.get("fullDocumentBeforeChange")
        self.full_document_before_change = load(before) if before is not None else None
        description = raw.get("updateDescription")
        self.update_description = (
            UpdateDescription.from_mongo(description) if description is not None else None
        )
        self.cluster_time = raw.get("clusterTime")
        self.wall_time = raw.get("wallTime")
        namespace = raw.get("ns")
        self.namespace = dict(namespace) if namespace is not None else None

    @property
    def document_id(self) -> Any:
        """The ``_id`` of the changed document, as stored; ``None`` for events about no
        document."""
        return None if self.document_key is None else self.document_key.get("_id")

    def __repr__(self) -> str:
        return (
            f"<ChangeEvent {self.operation_type} {self.document_id!r} "
            f"full_document={self.full_document!r}>"
        )


def event_filter(query: Mapping[str, Any], *, before_change: bool = False) -> dict[str, Any]:
    """The ``$match`` condition that lets through the change events of the documents
    matching ``query`` (a filter on the documents, in MongoDB names).

    ``before_change`` says whether the events carry pre-images
    (``fullDocumentBeforeChange``), which are then matched too; see the module's
    documentation for which events pass.

    Raises:
        ValueError: If ``query`` has a top-level operator other than ``$and``, ``$or``
            and ``$nor`` (``$expr``, ``$where``, ``$text``, ...), which cannot be moved
            inside the event.
    """
    alternatives = [_prefixed(query, "fullDocument")]
    if before_change:
        alternatives.append(_prefixed(query, "fullDocumentBeforeChange"))
    alternatives += [
        {"operationType": "delete", "fullDocumentBeforeChange": None},
        {"operationType": {"$nin": list(DOCUMENT_EVENTS)}},
    ]
    return {"$or": alternatives}


def _prefixed(query: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """``query`` with every path moved under ``prefix``: ``{'views': ...}`` becomes
    ``{'fullDocument.views': ...}``."""
    moved: dict[str, Any] = {}
    for key, condition in query.items():
        if key in _LOGICAL:
            moved[key] = [_prefixed(part, prefix) for part in condition]
        elif key.startswith("$"):
            raise ValueError(
                f"cannot filter change events with {key!r}: only conditions on fields, "
                f"$and, $or and $nor apply to the document of an event; "
                f"add your own stage to the pipeline instead"
            )
        else:
            moved[f"{prefix}.{key}"] = condition
    return moved


def stream_options(
    query: Mapping[str, Any],
    pipeline: Sequence[Mapping[str, Any]] | None,
    options: dict[str, Any],
) -> dict[str, Any]:
    """The driver's ``watch`` keywords for a stream of the documents matching ``query``
    (``{}`` for all): the ``$match`` stage before ``pipeline``, and ``full_document``
    defaulted to ``"updateLookup"`` when there is a filter.

    Raises:
        ValueError: If a filter comes with a ``full_document`` that leaves updates
            without their document.
        TypeError: If ``pipeline`` is a mapping (a filter goes in ``query=``).
    """
    if isinstance(pipeline, Mapping):
        raise TypeError("watch() takes a pipeline (a list of stages); pass a filter as query=...")
    stages = list(pipeline or [])
    if query:
        full_document = options.get("full_document")
        if full_document is None:
            options["full_document"] = "updateLookup"
        elif full_document not in _DOCUMENT_AFTER:
            raise ValueError(
                f"a filtered change stream needs the documents of update events: "
                f"full_document must be one of {', '.join(map(repr, _DOCUMENT_AFTER))}, "
                f"got {full_document!r}"
            )
        before = options.get("full_document_before_change") in _DOCUMENT_BEFORE
        stages.insert(0, {"$match": event_filter(query, before_change=before)})
    options["pipeline"] = stages
    return {name: value for name, value in options.items() if value is not None}


class ChangeStream(Generic[D]):
    """The change events of a document class's collection, as :class:`ChangeEvent`.

    Made by :meth:`MotorQuerySet.watch() <aiomongodel.queryset.MotorQuerySet.watch>`. The
    driver's stream is opened by ``async with stream``, by ``await stream`` (which
    returns the stream), or else on first use: changes made after it is opened are
    seen, under either driver. ``async with`` closes it at the end; so does
    :meth:`close`, which also ends an ``async for`` (one waiting in another task too).
    One stream is for one consumer at a time.
    """

    def __init__(
        self,
        doc_class: type[D],
        collection: Any,
        driver: Driver,
        options: dict[str, Any],
    ) -> None:
        self.doc_class = doc_class
        #: The keywords the driver's ``watch`` is called with.
        self.options = options
        self._collection = collection
        self._driver = driver
        self._stream: Any = None
        self._closed = False
        self._resume_token: Mapping[str, Any] | None = options.get(
            "start_after", options.get("resume_after")
        )
        self._load: Callable[[Any], D] = doc_class.from_mongo

    @property
    def driver_stream(self) -> Any:
        """The driver's change stream; ``None`` until the stream is opened."""
        return self._stream

    @property
    def resume_token(self) -> Mapping[str, Any] | None:
        """Where to resume after the events returned so far.

        The driver's resume token as of the last event (or empty batch) this stream
        returned: the event's ``_id``, or a later token once the server has reported
        that no more events follow (this includes events a ``$match`` left out, so
        storing it saves the server work on resuming). Before the stream is opened, the
        ``start_after`` or ``resume_after`` it was given.

        Read it after handling an event (``try_next`` returning ``None`` advances it
        too): a task cancelled while waiting for events does not move it, under either
        driver, so a new stream with ``resume_after=`` this token misses no event and
        repeats none.
        """
        return self._resume_token

    @property
    def alive(self) -> bool:
        """Whether more events may come: ``False`` once closed (or invalidated)."""
        if self._closed:
            return False
        return self._stream is None or bool(self._stream.alive)

    async def open(self) -> Self:
        """Open the driver's change stream, if not yet open, and return this stream.

        Raises:
            RuntimeError: If the stream was closed.
        """
        if self._closed:
            raise RuntimeError("this change stream is closed")
        if self._stream is None:
            stream = await self._driver.watch(self._collection, **self.options)
            if self._closed:  # closed while it opened
                await _close(stream)
                raise RuntimeError("this change stream is closed")
            self._stream = stream
            self._resume_token = stream.resume_token
        return self

    def __await__(self) -> Generator[Any, None, Self]:
        return self.open().__await__()

    async def next(self) -> ChangeEvent[D]:
        """Wait for the next event.

        Raises:
            StopAsyncIteration: If the stream is closed (or was invalidated).
        """
        while True:
            event = await self.try_next()
            if event is not None:
                return event
            if not self.alive:
                raise StopAsyncIteration
            # Between empty answers, let other tasks run: PyMongo 4.9's client does
            # blocking I/O, and its own ``next`` would hold the event loop until a change.
            await asyncio.sleep(0)

    async def try_next(self) -> ChangeEvent[D] | None:
        """The next event if there is one: at most one request to the server (which
        waits up to ``max_await_time_ms`` for changes); ``None`` if none came, or if
        the stream is closed."""
        if self._closed:
            return None
        await self.open()
        stream = self._stream
        try:
            raw = await stream.try_next()
        except PyMongoError:
            if self._closed:  # closed by another task while this one waited
                return None
            raise
        event = None if raw is None else ChangeEvent(raw, self._load)
        self._resume_token = stream.resume_token
        return event

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> ChangeEvent[D]:
        return await self.next()

    async def close(self) -> None:
        """Close the driver's change stream; the stream then yields no more events."""
        if not self._closed:
            self._closed = True
            if self._stream is not None:
                await _close(self._stream)

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open" if self._stream is not None else "new"
        return f"<ChangeStream of {self.doc_class.__name__} ({state})>"


async def _close(stream: Any) -> None:
    result = stream.close()
    if inspect.isawaitable(result):
        await result
