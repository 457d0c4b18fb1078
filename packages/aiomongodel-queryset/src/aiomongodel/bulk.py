"""Bulk writes of documents: ``Post.q(db).bulk()``.

A :class:`Bulk` collects writes in terms of document objects (``insert``, ``replace``,
``save_changes``, ``delete``) and of filters (``update``, ``delete``), and sends them as
``collection.bulk_write`` calls of at most ``batch_size`` operations, on the queryset's
collection and session::

    async with Post.q(db).bulk() as bulk:
        for post in posts:
            bulk.insert(post)
    print(bulk.result.inserted_count)

Each write is computed when it is added, with the same rules as the document's own
methods (``to_mongo()``, ``write_filter``, the version of optimistic locking, the minimal
update of ``save_changes``); changes made to an object after it was added are not part
of it. Only the writes that succeeded update their objects, as a successful ``save``
does: the version, the copy of the stored form of ``track_changes``, the ``_id`` the
driver assigned.

Batches: the server runs inserts, updates (replaces included) and deletes as separate
commands, so each ``bulk_write`` call carries one of them: up to ``batch_size``
consecutive operations of one kind with ``ordered=True``; with ``ordered=False`` the
inserts, then the updates, then the deletes, as the driver groups them. ``n``
operations of one kind are ``ceil(n / batch_size)`` calls, each one command unless its
documents pass the server's 48 MB message size.

Failures are reported as :class:`aiomongodel.errors.BulkWriteError`, with the index of
each failed operation in the whole bulk, its document object, and a :class:`BulkResult`
of exactly what was written. With ``ordered=True`` the bulk stops at the first failure;
with ``ordered=False`` every call is sent and all failures are collected. Either way a
call whose outcome is not fully known ends the bulk: after a driver error other than a
bulk write error (a network error the driver did not retry: retryable writes are off,
or the call has an update or delete of ``many=True``), its operations are of unknown
outcome; after a retryable write concern error that the driver did not retry, it stops
the call: those it sent count as written (the error is in ``write_concern_errors``), the
others as not attempted - or as of unknown outcome for updates and deletes too large
for one command, where the counts cannot tell where it stopped.

Optimistic locking (``Meta.version_field``): a locked ``replace`` that finds the stored
document at another version does not match it, and its upsert collides with the
``_id``; the bulk then reads the stored version, as ``save`` does, and reports a
:class:`~aiomongodel.errors.VersionConflictError` instead of the duplicate key. A locked
``save_changes`` or ``delete`` that matches nothing is no error to the server: only the
counts of its call show it. When they show fewer matches than such operations (or an
update by filter in the call makes the counts inconclusive), the bulk reads those
documents by ``_id`` from the primary (one query per call). A ``save_changes`` counts as
written if its document is at the version the bulk wrote with the values it wrote in the
fields it changed; otherwise it is a conflict, or ``DocumentNotFoundError`` if the
document is gone, as the method raises. A ``delete`` whose document is still stored at
another version than the object's is a conflict (one that is gone is no failure:
``Document.delete`` returns 0 then). Without locking, a ``save_changes`` whose document
is gone is ``DocumentNotFoundError``.

That read comes after the write, which leaves races. A document that another writer
changed again between the write and the read looks like a conflict: the write is
reported as failed and its object not updated although it was applied (``reload`` it).
A writer that loaded the same version and stored the same next version with the same
values in those fields looks like the bulk's own write: when no update by filter in the
call can account for the missing match, the counts tell, and the operations are reported
as of unknown outcome rather than written; beside an update by filter it goes unseen,
and the object then records a state that is, in the fields it changed, the stored one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

import bson
import bson.errors
import pymongo.errors
from pymongo import (
    DeleteMany,
    DeleteOne,
    InsertOne,
    ReadPreference,
    ReplaceOne,
    UpdateMany,
    UpdateOne,
)
from pymongo.common import validate_ok_for_update
from typing_extensions import Self, TypeVar

from aiomongodel.changes import same
from aiomongodel.document import BaseDocument, Document
from aiomongodel.errors import (
    BulkWriteError,
    BulkWriteFailure,
    DocumentNotFoundError,
    DuplicateKeyError,
)
from aiomongodel.queryset import _unencodable_path, update_spec

if TYPE_CHECKING:
    from aiomongodel.document import Session
    from aiomongodel.queryset import MotorQuerySet

__all__ = ["MAX_BATCH_SIZE", "Bulk", "BulkResult"]

D = TypeVar("D", bound="Document[Any]")

#: The most operations one ``bulk_write`` call of a bulk may carry: the server's
#: ``maxWriteBatchSize``, above which the driver splits a call into several commands.
MAX_BATCH_SIZE = 100_000
#: A size under which the operations of a call surely fit in one command (the server's
#: ``maxMessageSizeBytes`` is 48 MB).
_ONE_COMMAND_BYTES = 46_000_000

_INSERT, _UPDATE, _DELETE = "insert", "update", "delete"
_COMMAND_ORDER = {_INSERT: 0, _UPDATE: 1, _DELETE: 2}
_OPEN, _SENT, _DISCARDED = "open", "sent", "discarded"
_ABSENT = object()


@dataclasses.dataclass(frozen=True)
class BulkResult:
    """What a bulk write wrote: :attr:`Bulk.result`, or ``BulkWriteError.result``.

    Attributes:
        acknowledged: ``False`` if the writes were unacknowledged (write concern
            ``w=0``): the counts are then ``None``, the server having sent none, and
            the objects were updated as if every write had succeeded, as ``save`` does.
        inserted_count: Documents inserted (the server's ``nInserted``, over all calls).
        matched_count: Documents matched by updates and replaces (``nMatched``).
        modified_count: Documents modified by them (``nModified``).
        deleted_count: Documents deleted (``nRemoved``).
        upserted_count: Documents inserted by upserts (``nUpserted``).
        inserted_ids: The ``_id`` of every insert written, as stored, in operation
            order (those the driver assigned included).
        upserted_ids: ``{operation index: _id}`` of the updates and replaces that
            inserted a document.
        batches: The number of ``bulk_write`` calls sent.
    """

    acknowledged: bool = True
    inserted_count: int | None = 0
    matched_count: int | None = 0
    modified_count: int | None = 0
    deleted_count: int | None = 0
    upserted_count: int | None = 0
    inserted_ids: tuple[Any, ...] = ()
    upserted_ids: dict[int, Any] = dataclasses.field(default_factory=dict)
    batches: int = 0


@dataclasses.dataclass
class _Operation:
    """One write of the bulk, as the driver takes it, with what it means for its object."""

    index: int
    kind: str
    command: str
    request: Any
    payloads: tuple[Any, ...]
    document: Document[Any] | None = None
    #: The stored form an insert, replace or save_changes leaves, and its version.
    data: dict[str, Any] | None = None
    version: Any = None
    #: Written, it counts exactly one match (or removal): a document's replace (unless
    #: upserted), save_changes or delete.
    exact: bool = False
    #: It may match nothing without an error, which the counts alone show: a
    #: save_changes, a locked delete.
    checked: bool = False
    #: The most documents an operation by filter may match: 1, or ``None`` (many).
    bound: int | None = 0
    #: The top-level fields a save_changes changes.
    touched: tuple[str, ...] = ()


def _locked(document: Document[Any] | None) -> bool:
    return document is not None and document.meta.version_field is not None


def _key(value: Any) -> Any:
    """``value`` (a stored ``_id``) as a dict key; by its BSON if it is not hashable."""
    try:
        hash(value)
    except TypeError:
        return bson.encode({"_id": value})
    return value


class _Tally:
    """What the calls sent so far wrote, failed and left out."""

    def __init__(self) -> None:
        self.acknowledged = True
        self.counts = dict.fromkeys(("nInserted", "nMatched", "nModified", "nRemoved"), 0)
        self.counts["nUpserted"] = 0
        self.inserted_ids: list[tuple[int, Any]] = []
        self.upserted_ids: dict[int, Any] = {}
        self.batches = 0
        self.failures: list[BulkWriteFailure] = []
        self.not_attempted: list[int] = []
        self.unknown: list[int] = []
        self.write_concern_errors: list[Mapping[str, Any]] = []
        self.cause: BaseException | None = None

    def add_counts(self, raw: Mapping[str, Any]) -> None:
        for name in self.counts:
            self.counts[name] += raw.get(name, 0)

    def result(self) -> BulkResult:
        counts: dict[str, int | None] = dict(self.counts)
        if not self.acknowledged:
            counts = dict.fromkeys(counts)
        return BulkResult(
            acknowledged=self.acknowledged,
            inserted_count=counts["nInserted"],
            matched_count=counts["nMatched"],
            modified_count=counts["nModified"],
            deleted_count=counts["nRemoved"],
            upserted_count=counts["nUpserted"],
            inserted_ids=tuple(_id for _, _id in sorted(self.inserted_ids, key=_first)),
            upserted_ids=dict(sorted(self.upserted_ids.items())),
            batches=self.batches,
        )

    @property
    def complete(self) -> bool:
        return not (
            self.failures or self.not_attempted or self.unknown or self.write_concern_errors
        )

    def error(self, document_class: type[Any], result: BulkResult) -> BulkWriteError:
        return BulkWriteError(
            document_class,
            sorted(self.failures, key=lambda failure: failure.index),
            result,
            not_attempted=sorted(self.not_attempted),
            unknown=sorted(self.unknown),
            write_concern_errors=self.write_concern_errors,
        )


def _first(pair: tuple[int, Any]) -> int:
    return pair[0]


class Bulk(Generic[D]):
    """Writes of ``queryset``'s documents, sent together as ``bulk_write`` calls.

    Made by ``queryset.bulk()``. Add operations with :meth:`insert`, :meth:`replace`,
    :meth:`save_changes`, :meth:`update` and :meth:`delete` (each returns the bulk, so
    calls chain), then send them by leaving an ``async with`` block without an
    exception, or with :meth:`execute`. Nothing is sent before. See
    :mod:`aiomongodel.bulk` for the batches, the errors and optimistic locking.

    Args:
        queryset: The queryset whose collection, session and ``Meta.default_query``
            the bulk uses.
        ordered: Stop at the first failure (the default), or send every operation
            whatever fails.
        batch_size: The most operations of one ``bulk_write`` call.

    Raises:
        TypeError: If ``ordered`` is not a bool or ``batch_size`` not an int.
        ValueError: If ``batch_size`` is not from 1 to :data:`MAX_BATCH_SIZE`.
    """

    def __init__(
        self, queryset: MotorQuerySet[D], *, ordered: bool = True, batch_size: int = 1000
    ) -> None:
        name = queryset.doc_class.__name__
        if not isinstance(ordered, bool):
            raise TypeError(f"{name} bulk: ordered must be True or False, got {ordered!r}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int):
            raise TypeError(f"{name} bulk: batch_size must be an int, got {batch_size!r}")
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(
                f"{name} bulk: batch_size must be from 1 to {MAX_BATCH_SIZE} (the server's "
                f"maxWriteBatchSize), got {batch_size}"
            )
        self.queryset = queryset
        self.doc_class: type[D] = queryset.doc_class
        self.ordered = ordered
        self.batch_size = batch_size
        self._operations: list[_Operation] = []
        self._added: dict[int, int] = {}
        self._state = _OPEN
        self._result: BulkResult | None = None

    def __len__(self) -> int:
        """The number of operations added."""
        return len(self._operations)

    @property
    def result(self) -> BulkResult:
        """What the bulk wrote, once sent (also after a ``BulkWriteError``: what was
        written before and besides the failures).

        Raises:
            RuntimeError: If the bulk was not sent (yet), or its block raised.
        """
        if self._result is None:
            raise RuntimeError(f"{self._name} bulk: no result: {self._not_sent()}")
        return self._result

    @property
    def _name(self) -> str:
        return self.doc_class.__name__

    def _not_sent(self) -> str:
        if self._state == _DISCARDED:
            return "it was discarded, its async with block having raised"
        return "it has not been executed"

    def _check_open(self, action: str) -> None:
        if self._state == _SENT:
            raise RuntimeError(f"{self._name} bulk: cannot {action}: it was already executed")
        if self._state == _DISCARDED:
            raise RuntimeError(
                f"{self._name} bulk: cannot {action}: it was discarded, its async with "
                "block having raised"
            )

    def _document(self, document: Any, method: str) -> D:
        doc_class = self.doc_class
        if not isinstance(document, doc_class):
            raise TypeError(
                f"{self._name} bulk: {method}() takes a {self._name} document, got "
                f"{_kind_of(document)}"
            )
        collection = type(document).meta.collection_name
        if collection != doc_class.meta.collection_name:
            raise TypeError(
                f"{self._name} bulk: {method}() got a {type(document).__name__} document, "
                f"stored in collection {collection!r}, not in this bulk's "
                f"{doc_class.meta.collection_name!r}"
            )
        earlier = self._added.get(id(document))
        if earlier is not None:
            raise ValueError(
                f"{self._name} bulk: {method}(): this {type(document).__name__} object is "
                f"already operation {earlier} of the bulk; a write is computed when it is "
                "added, so an object can be added once per bulk"
            )
        return document

    def _filter(self, query: Any, method: str) -> Mapping[str, Any]:
        if not issubclass(type(query), Mapping):
            raise TypeError(
                f"{self._name} bulk: {method}() takes a filter mapping (a dict, or a "
                f"filter built from fields), got {_kind_of(query)}"
            )
        return self.queryset._update_query(query)

    def _add(self, operation: _Operation) -> Self:
        if operation.document is not None:
            self._added[id(operation.document)] = operation.index
        self._operations.append(operation)
        return self

    def _insert(self, document: D, kind: str, data: dict[str, Any], version: Any) -> Self:
        return self._add(
            _Operation(
                len(self._operations),
                kind,
                _INSERT,
                InsertOne(data),
                (data,),
                document,
                data,
                version,
            )
        )

    def insert(self, document: D) -> Self:
        """Insert ``document`` (its ``to_mongo()``, at the next version under locking), as
        ``document.save(db, do_insert=True)`` does: a stored ``_id`` fails with a
        duplicate key.

        Raises:
            TypeError: If it is not a document of the bulk's class (and collection).
            ValueError: If the object is already in the bulk.
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("add an operation")
        document = self._document(document, "insert")
        _, data, version = document._save_write(do_insert=True)
        return self._insert(document, "insert", data, version)

    def replace(self, document: D) -> Self:
        """Store ``document`` as ``document.save(db)`` does: replace the stored document
        of its ``write_filter`` (and version, under locking), inserting it if there is
        none; a document without ``_id`` is inserted.

        Raises:
            TypeError: If it is not a document of the bulk's class (and collection).
            ValueError: If the object is already in the bulk.
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("add an operation")
        document = self._document(document, "replace")
        query, data, version = document._save_write()
        if query is None:
            return self._insert(document, "replace", data, version)
        return self._add(
            _Operation(
                len(self._operations),
                "replace",
                _UPDATE,
                ReplaceOne(query, data, upsert=True),
                (query, data),
                document,
                data,
                version,
                exact=True,
            )
        )

    def save_changes(self, document: D) -> Self:
        """Send what changed in ``document`` since it was loaded or last written, as
        ``document.save_changes(db)`` does: an update of the changed paths only, nothing
        if nothing changed, an insert if it was never loaded nor written.

        Raises:
            TypeError: If it is not a document of the bulk's class (and collection), or
                the class does not track changes (``Meta.track_changes``).
            ValueError: If the ``_id`` was changed, or the object is already in the bulk.
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("add an operation")
        document = self._document(document, "save_changes")
        document._check_tracking()
        if document._stored is None:
            _, data, version = document._save_write(do_insert=True)
            return self._insert(document, "save_changes", data, version)
        planned = document._changes()
        if planned is None:
            return self
        query, update, data, version = planned
        return self._add(
            _Operation(
                len(self._operations),
                "save_changes",
                _UPDATE,
                UpdateOne(query, update),
                (query, update),
                document,
                data,
                version,
                exact=True,
                checked=True,
                touched=tuple(
                    {path.partition(".")[0]: None for part in update.values() for path in part}
                ),
            )
        )

    def update(
        self, query: Mapping[str, Any], update: Any, *, many: bool = False, upsert: bool = False
    ) -> Self:
        """Apply ``update`` to the first document matching ``query`` (every one with
        ``many=True``), as ``queryset.update_one`` / ``update_many`` do:
        ``Meta.default_query`` applies, and ``update`` may be an update document, a list
        of updates built from fields (``[Post.views.inc(1)]``) or a pipeline.

        Raises:
            TypeError: If ``query`` is not a mapping, or ``update`` neither a mapping nor
                a list, or ``many`` / ``upsert`` not bools.
            ValueError: If ``update`` is not a valid update (no ``$`` operators, empty).
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("add an operation")
        query = self._filter(query, "update")
        _check_flag(self._name, "update", "many", many)
        _check_flag(self._name, "update", "upsert", upsert)
        spec = update_spec(update)
        if not issubclass(type(spec), (Mapping, list)):
            raise TypeError(
                f"{self._name} bulk: update() takes an update document, a list of updates "
                f"or a pipeline, got {_kind_of(update)}"
            )
        try:
            validate_ok_for_update(spec)
        except ValueError as exc:
            raise ValueError(f"{self._name} bulk: update(): {exc}") from exc
        request = (UpdateMany if many else UpdateOne)(query, spec, upsert=upsert)
        return self._add(
            _Operation(
                len(self._operations),
                "update",
                _UPDATE,
                request,
                (query, spec),
                bound=None if many else 1,
            )
        )

    def delete(self, target: D | Mapping[str, Any], *, many: bool = False) -> Self:
        """Delete a document object, as ``document.delete(db)`` does (by its
        ``write_filter``, and its version under locking), or the first document matching
        a filter (every one with ``many=True``), with ``Meta.default_query``, as
        ``queryset.delete_one`` / ``delete_many`` do.

        Raises:
            TypeError: If ``target`` is neither a document of the bulk's class (and
                collection) nor a mapping, or ``many`` is not a bool.
            ValueError: If ``many=True`` is given with a document, or the object is
                already in the bulk.
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("add an operation")
        _check_flag(self._name, "delete", "many", many)
        if isinstance(target, BaseDocument):
            if many:
                raise ValueError(
                    f"{self._name} bulk: delete(): many=True deletes by a filter, not a "
                    "document object"
                )
            document = self._document(target, "delete")
            query = document._locked(document.write_filter)
            return self._add(
                _Operation(
                    len(self._operations),
                    "delete",
                    _DELETE,
                    DeleteOne(query),
                    (query,),
                    document,
                    exact=True,
                    checked=_locked(document),
                )
            )
        if not issubclass(type(target), Mapping):
            raise TypeError(
                f"{self._name} bulk: delete() takes a {self._name} document or a filter "
                f"mapping, got {_kind_of(target)}"
            )
        condition = self._filter(target, "delete")
        return self._add(
            _Operation(
                len(self._operations),
                "delete",
                _DELETE,
                (DeleteMany if many else DeleteOne)(condition),
                (condition,),
                bound=None if many else 1,
            )
        )

    async def __aenter__(self) -> Self:
        self._check_open("enter an async with block")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            await self.execute()
        elif self._state == _OPEN:
            self._state = _DISCARDED

    async def execute(self) -> BulkResult:
        """Send the operations; returns what was written (also :attr:`result`).

        An empty bulk sends nothing and returns zero counts.

        Raises:
            BulkWriteError: If an operation failed, or some were not attempted or of
                unknown outcome, or the server reported a write concern error; its
                ``result`` (and :attr:`result`) is what was written.
            bson.errors.InvalidDocument: If BSON cannot encode a value, named by the
                operation's index and the value's path. The calls before were written
                (:attr:`result`, and their objects updated); of the call that failed,
                nothing was sent, unless its documents passed the 48 MB of one command.
            RuntimeError: If the bulk was already executed or discarded.
        """
        self._check_open("execute")
        self._state = _SENT
        tally = _Tally()
        batches = self._batches()
        try:
            for number, batch in enumerate(batches):
                if not await self._send(batch, tally):
                    tally.not_attempted.extend(
                        operation.index for later in batches[number + 1 :] for operation in later
                    )
                    break
        finally:
            self._result = result = tally.result()
        if not tally.complete:
            raise tally.error(self.doc_class, result) from tally.cause
        return result

    def _batches(self) -> list[list[_Operation]]:
        operations = self._operations
        if not self.ordered:
            operations = sorted(operations, key=lambda operation: _COMMAND_ORDER[operation.command])
        batches: list[list[_Operation]] = []
        for operation in operations:
            last = batches[-1] if batches else None
            if last and last[0].command == operation.command and len(last) < self.batch_size:
                last.append(operation)
            else:
                batches.append([operation])
        return batches

    async def _send(self, batch: list[_Operation], tally: _Tally) -> bool:
        """Send one call and record its outcome; whether the bulk goes on."""
        queryset = self.queryset
        tally.batches += 1
        try:
            result = await queryset.collection.bulk_write(
                [operation.request for operation in batch],
                ordered=self.ordered,
                **queryset._update_query_params({}),
            )
        except pymongo.errors.BulkWriteError as exc:
            return await self._settle(batch, exc.details, tally)
        except bson.errors.InvalidDocument as exc:
            named = self._unencodable(batch, exc)
            if named is None:
                raise
            raise named from exc
        except (pymongo.errors.ConfigurationError, pymongo.errors.InvalidOperation):
            raise  # refused before anything was sent
        except pymongo.errors.PyMongoError as exc:
            tally.unknown.extend(operation.index for operation in batch)
            tally.cause = exc
            return False
        if not result.acknowledged:
            tally.acknowledged = False
            for operation in batch:
                _record(operation, tally, self.queryset.session)
            return True
        return await self._settle(batch, result.bulk_api_result, tally)

    async def _settle(self, batch: list[_Operation], raw: Mapping[str, Any], tally: _Tally) -> bool:
        """Record the outcome of a call from the driver's result document (``raw``)."""
        write_errors = sorted(raw.get("writeErrors", []), key=lambda error: error["index"])
        concern_errors = list(raw.get("writeConcernErrors", []))
        upserted = {item["index"]: item["_id"] for item in raw.get("upserted", [])}
        failed = {error["index"]: error for error in write_errors}
        command = batch[0].command
        attempted: int | None = len(batch)
        if command == _INSERT:
            attempted = raw.get("nInserted", 0) + len(write_errors)
        elif self.ordered and write_errors:
            attempted = write_errors[0]["index"] + 1
        elif concern_errors and not self._one_command(batch):
            # After a retryable write concern error the driver stops the call; which of
            # its commands were sent is then unknown.
            attempted = None
        tally.add_counts(raw)
        tally.write_concern_errors.extend(concern_errors)
        for position, _id in upserted.items():
            tally.upserted_ids[batch[position].index] = _id
        written: list[_Operation] = []
        unknown: list[_Operation] = []
        not_attempted: list[int] = []
        for position, operation in enumerate(batch):
            if position in failed:
                continue
            if attempted is None:
                (written if position in upserted else unknown).append(operation)
            elif position < attempted:
                written.append(operation)
            else:
                not_attempted.append(operation.index)
        replace_conflicts = [
            batch[position]
            for position, error in failed.items()
            if error.get("code") == 11000
            and batch[position].kind == "replace"
            and _locked(batch[position].document)
        ]
        upserted_indexes = {batch[position].index for position in upserted}
        count: int = raw.get("nMatched" if command == _UPDATE else "nRemoved", 0)
        exact = sum(1 for op in written if op.exact and op.index not in upserted_indexes)
        checked: list[_Operation] = []
        if attempted is not None and _unproven(written, upserted_indexes, count, exact):
            checked = [operation for operation in written if operation.checked]
        stored: dict[Any, Mapping[str, Any]] | None = {}
        if replace_conflicts or checked:
            try:
                stored = await self._stored([*replace_conflicts, *checked])
            except pymongo.errors.PyMongoError as exc:
                tally.cause = exc
                stored = None
        failures = [
            self._failure(batch[position], error, stored) for position, error in failed.items()
        ]
        if checked:
            if stored is None:
                unknown.extend(checked)
            else:
                lost = {operation.index for operation in self._check(checked, stored, failures)}
                if command == _UPDATE and len(lost) < exact - count:
                    # Fewer conflicts found than matches missing: another writer stored
                    # the version and values of some of these writes.
                    unknown.extend(op for op in checked if op.index not in lost)
                unsettled = lost | {operation.index for operation in unknown}
                written = [operation for operation in written if operation.index not in unsettled]
        for operation in written:
            _record(operation, tally, self.queryset.session)
        tally.failures.extend(failures)
        tally.not_attempted.extend(not_attempted)
        tally.unknown.extend(operation.index for operation in unknown)
        if unknown or not_attempted:
            return False
        return not (failures and self.ordered)

    def _failure(
        self,
        operation: _Operation,
        error: Mapping[str, Any],
        stored: Mapping[Any, Mapping[str, Any]] | None,
    ) -> BulkWriteFailure:
        """The failure of a write error the server reported for ``operation``."""
        code = error.get("code")
        message = str(error.get("errmsg", ""))
        document = operation.document
        reason: Exception
        if code == 11000:
            reason = DuplicateKeyError(message, code, error)
            if operation.kind == "replace" and document is not None and stored is not None:
                conflict = document._version_conflict(stored.get(_key(document.query_id["_id"])))
                if conflict is not None:
                    reason = conflict
        else:
            reason = pymongo.errors.WriteError(message, code, error)
        return BulkWriteFailure(
            operation.index, operation.kind, document, code, message, reason, error
        )

    def _check(
        self,
        checked: list[_Operation],
        stored: Mapping[Any, Mapping[str, Any]],
        failures: list[BulkWriteFailure],
    ) -> list[_Operation]:
        """Add the failures of the checked operations the stored documents show
        unapplied; returns those operations."""
        lost: list[_Operation] = []
        for operation in checked:
            document = operation.document
            assert document is not None
            found = stored.get(_key(document.query_id["_id"]))
            reason: Exception | None
            if operation.command == _DELETE:
                reason = document._version_conflict(found)
            elif found is not None and (not _locked(document) or _holds(found, operation)):
                reason = None
            else:
                reason = document._version_conflict(found) or DocumentNotFoundError(
                    document_class=type(document), query=document.write_filter
                )
            if reason is not None:
                lost.append(operation)
                failures.append(
                    BulkWriteFailure(
                        operation.index, operation.kind, document, None, str(reason), reason
                    )
                )
        return lost

    async def _stored(self, operations: list[_Operation]) -> dict[Any, Mapping[str, Any]]:
        """The stored ``_id``, version and changed fields of the documents of
        ``operations``, read from the primary by ``_id`` (without ``Meta.default_query``),
        by ``_key`` of ``_id``."""
        projection: dict[str, Any] = {"_id": 1}
        ids = []
        for operation in operations:
            document = operation.document
            assert document is not None
            ids.append(document.query_id["_id"])
            if document.meta.version_mongo_name is not None:
                projection[document.meta.version_mongo_name] = 1
            projection.update(dict.fromkeys(operation.touched, 1))
        queryset = self.queryset
        collection = queryset.collection.with_options(read_preference=ReadPreference.PRIMARY)
        cursor = collection.find(
            {"_id": {"$in": ids}}, projection, **queryset._update_query_params({})
        )
        return {_key(found["_id"]): found for found in await cursor.to_list(None)}

    def _one_command(self, batch: Sequence[_Operation]) -> bool:
        """Whether the driver surely sent ``batch`` as one command (below the size at
        which it splits one)."""
        codec_options = self.queryset.collection.codec_options
        try:
            size = sum(
                len(bson.encode({"o": list(operation.payloads)}, codec_options=codec_options))
                for operation in batch
            )
        except (bson.errors.InvalidDocument, TypeError, ValueError, OverflowError):
            return False
        return size + 64 * len(batch) < _ONE_COMMAND_BYTES

    def _unencodable(
        self, batch: Sequence[_Operation], exc: bson.errors.InvalidDocument
    ) -> bson.errors.InvalidDocument | None:
        """``exc`` naming the operation and the path of the first value of ``batch``
        that BSON cannot encode, as the queryset's writes name it; ``None`` if none is
        found."""
        for operation in batch:
            path = next(filter(None, map(_unencodable_path, operation.payloads)), None)
            if path is not None:
                owner = type(operation.document) if operation.document else self.doc_class
                return bson.errors.InvalidDocument(
                    f"{owner.__name__}: cannot store the value at {path!r} in MongoDB "
                    f"(operation {operation.index} of the bulk, {operation.kind}): {exc}"
                )
        return None


def _unproven(written: list[_Operation], upserted: set[int], count: int, exact: int) -> bool:
    """Whether a call's ``count`` (``nMatched``, ``nRemoved``) leaves unproven that each
    of the ``exact`` operations of documents in ``written`` matched its document, given
    the most that its operations by filter can account for."""
    if not any(operation.checked for operation in written):
        return False
    bound = 0
    for operation in written:
        if operation.exact or operation.index in upserted:
            continue
        if operation.bound is None:
            return True
        bound += operation.bound
    return count - bound < exact


def _holds(found: Mapping[str, Any], operation: _Operation) -> bool:
    """Whether the stored document ``found`` is at the version a locked save_changes
    wrote, with the values it wrote in the fields it changed."""
    document, data = operation.document, operation.data
    assert document is not None
    assert data is not None
    version_name = document.meta.version_mongo_name
    if version_name is None or found.get(version_name) != operation.version:
        return False
    return all(
        same(found.get(name, _ABSENT), data.get(name, _ABSENT)) for name in operation.touched
    )


def _record(operation: _Operation, tally: _Tally, session: Session | None) -> None:
    """Update the object of a write that succeeded, as its own method would have."""
    document, data = operation.document, operation.data
    if document is None or data is None:
        return
    if operation.command == _INSERT:
        _id = data.get("_id")
        document._inserted(data, operation.version, _id, session)
        tally.inserted_ids.append((operation.index, _id))
    else:
        document._written(data, operation.version, session)


def _kind_of(value: Any) -> str:
    return f"a {type(value).__name__} object"


def _check_flag(name: str, method: str, flag: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} bulk: {method}(): {flag} must be True or False, got {value!r}")
