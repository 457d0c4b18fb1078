"""Exceptions raised by aiomongodel.

``ValidationError`` carries either a message template or a dict of nested errors
(keyed by field name or list index), and renders them, optionally translated, with
:meth:`ValidationError.as_dict`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import pymongo.errors

from aiomongodel.utils import _Empty

if TYPE_CHECKING:
    from aiomongodel.bulk import BulkResult

__all__ = [
    "AioMongodelException",
    "BulkWriteError",
    "BulkWriteFailure",
    "DocumentNotFoundError",
    "DuplicateKeyError",
    "Error",
    "MissingReferenceError",
    "QueryValueError",
    "StopValidation",
    "ValidationError",
    "VersionConflictError",
]

ErrorDict = dict[Any, Union[str, "ErrorDict", None]]
"""What :meth:`ValidationError.as_dict` returns for nested errors."""


class AioMongodelException(Exception):
    """Base class of every aiomongodel exception."""


class Error(AioMongodelException):
    """Base class of aiomongodel errors."""


class StopValidation(AioMongodelException):
    """Raised by a field validator to skip the validators that follow it."""


class DocumentNotFoundError(Error):
    """Raised when a query that must find a document finds none.

    The querysets' ``find_one`` and ``get`` raise it with a message naming the document
    class only (``"User matching the query was not found"``), safe to show to clients;
    the filter is kept in :attr:`query`. It can also be raised with no arguments, or
    with a message of your own.

    Attributes:
        document_class: The document class that was searched, or ``None``.
        query: The filter sent to MongoDB (including ``Meta.default_query``), or ``None``.
    """

    def __init__(
        self, *args: object, document_class: type[Any] | None = None, query: Any = None
    ) -> None:
        if not args and document_class is not None:
            args = (f"{document_class.__name__} matching the query was not found",)
        super().__init__(*args)
        self.document_class = document_class
        self.query = query


class ValidationError(Error):
    """Invalid data in a field or a document.

    Attributes:
        error: A message template such as ``"length is greater than {constraint}"``,
            or a dict ``{field name or list index: ValidationError}`` of nested errors.
        constraint: The value substituted for ``{constraint}`` in the template, or
            ``_Empty`` when the message has none.
    """

    error: str | dict[Any, ValidationError] | None
    constraint: Any

    def __init__(
        self,
        error: str | Mapping[Any, ValidationError] | None = None,
        constraint: Any = _Empty,
    ) -> None:
        # ``Exception.__init__`` is not called: ``args`` stays what the caller passed,
        # positionally, as in aiomongodel 0.2.
        if isinstance(error, Mapping) and not isinstance(error, dict):
            error = dict(error)
        self.error = error
        self.constraint = constraint

    def as_dict(self, translation: Mapping[str, str] | None = None) -> str | ErrorDict | None:
        """Render the error for humans.

        Args:
            translation: Maps default message templates (see the list in the docs) to
                your own; templates may use ``{constraint}``. Missing ones stay as they are.

        Returns:
            The message if the error is a single one, else a dict mirroring the document:
            ``{field name or list index: message or nested dict}``.
        """
        if isinstance(self.error, dict):
            return {key: err.as_dict(translation) for key, err in self.error.items()}
        if not isinstance(self.error, str):
            return self.error
        template = self.error
        if translation:
            template = translation.get(template, template)
        if self.constraint is _Empty:
            return template
        try:
            return template.format(constraint=self.constraint)
        except (KeyError, IndexError, ValueError):
            return template

    def __str__(self) -> str:
        """The formatted message, or the ``str`` of the dict of nested errors.

        Nested errors show through their ``repr``: ``{'name': ValidationError(field is
        required)}``.
        """
        if isinstance(self.error, str):
            return str(self.as_dict())
        return str(self.error)

    def __repr__(self) -> str:
        return f"ValidationError({self})"


_INDEX_NAME = re.compile(r"index:\s+(?:\S*\.\$)?(.+?)\s+(?:collation:\s.*?\s)?dup key")


class MissingReferenceError(Error, LookupError):
    """Prefetching found no document for some references (asked for with
    ``on_missing="error"``; by default such references keep their id).

    Attributes:
        path: The prefetched path, from the queried class (``'Post.comments.author'``).
        document_class: The referenced class.
        ids: The ids with no document (or none the class's ``default_query`` lets
            through), in the order first met.
    """

    def __init__(self, path: str, document_class: type[Any], ids: list[Any]) -> None:
        self.path = path
        self.document_class = document_class
        self.ids = ids
        shown = ", ".join(_describe(value) for value in ids[:5])
        more = f" and {len(ids) - 5} more" if len(ids) > 5 else ""
        super().__init__(
            f"{path}: no {document_class.__name__} with _id {shown}{more} ({len(ids)} missing)"
        )


class VersionConflictError(Error):
    """A write of a document with optimistic locking (``Meta.version_field``) found the
    stored document at another version than the object's: somebody else wrote it since
    it was loaded. Nothing was written; reload the document and apply the change again.

    Attributes:
        document_class: The class of the document written.
        query: The filter of the document (``_id`` and shard key), without the version.
        version: The version the object had (the one it was loaded or last saved with).
        stored_version: The stored document's version when the conflict was detected
            (it may have changed again since).
    """

    def __init__(
        self, document_class: type[Any], query: Mapping[str, Any], version: Any, stored_version: Any
    ) -> None:
        self.document_class = document_class
        self.query = query
        self.version = version
        self.stored_version = stored_version
        super().__init__(
            f"{document_class.__name__} {_describe(dict(query))} was changed since it was "
            f"loaded: it is stored at version {stored_version!r}, this object has version "
            f"{version!r}; nothing was written (reload it and apply the change again)"
        )


class QueryValueError(Error, ValueError):
    """A value given to a filter or an update built from a field cannot be stored in
    that field (``Post.views > 'many'``); raised where the expression is built.

    The message starts with the path, and names the field's attribute too when it is
    stored under another name: ``"r (field 'rank'): cannot use 'x' as ..."``.

    Attributes:
        path: The field's dotted MongoDB path.
        value: The value as given.
        error: The :class:`ValidationError` the field reported for it.
    """

    def __init__(
        self, path: str, value: Any, error: ValidationError, field_name: str | None = None
    ) -> None:
        self.path = path
        self.value = value
        self.error = error
        where = path
        if field_name is not None and field_name != path.rpartition(".")[2]:
            where = f"{path} (field {field_name!r})"
        super().__init__(f"{where}: cannot use {_describe(value)} as this field's value ({error})")


def _describe(value: Any) -> str:
    try:
        text = repr(value)
    except Exception:
        return f"a {type(value).__name__} object"
    return text if len(text) <= 80 else f"{text[:77]}..."


class DuplicateKeyError(Error, pymongo.errors.DuplicateKeyError):
    """A write broke a unique index.

    It is also a :class:`pymongo.errors.DuplicateKeyError`, so code written against the
    driver keeps catching it.

    ``str(error)`` is the driver's text (the server's message, then ``, full error:``
    and the details when there are any).

    Attributes:
        message: The same text as ``str(error)``.
        index_name: Name of the unique index that refused the write, parsed from the
            server's message (``None`` if the message does not name one).
        code: The server's error code (11000).
        details: The server's error document, or ``None``.
    """

    def __init__(
        self,
        message: str,
        code: int | None = 11000,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        pymongo.errors.DuplicateKeyError.__init__(self, message, code, details)
        self.message: str = str(self)
        match = _INDEX_NAME.search(message)
        self.index_name: str | None = match.group(1) if match else None

    @classmethod
    def from_pymongo(cls, exc: pymongo.errors.DuplicateKeyError) -> DuplicateKeyError:
        """Wrap a driver error, keeping its message, code and details."""
        details = exc.details
        message = details.get("errmsg") if details else None
        return cls(message if isinstance(message, str) else str(exc), exc.code, details)


@dataclasses.dataclass(frozen=True)
class BulkWriteFailure:
    """One operation of a bulk write that failed (:attr:`BulkWriteError.failures`).

    Attributes:
        index: The operation's position in the bulk, counting from 0 in the order the
            operations were added (across every ``bulk_write`` call).
        operation: The bulk method that added it: ``'insert'``, ``'replace'``,
            ``'save_changes'``, ``'update'`` or ``'delete'``.
        document: The document object written, or ``None`` for an operation given by a
            filter.
        code: The server's error code (11000 for a duplicate key), or ``None`` for a
            failure found by reading the stored documents after the write.
        message: The server's error message (a duplicate key names the index and the
            key), or the message of :attr:`error` for a failure found by reading.
        error: The failure as an exception: :class:`DuplicateKeyError`,
            :class:`VersionConflictError`, :class:`DocumentNotFoundError` (the stored
            document of a ``save_changes`` is gone), or ``pymongo.errors.WriteError``.
        details: The server's write error document (its ``index`` is the one within
            its ``bulk_write`` call), or ``None``.
    """

    index: int
    operation: str
    document: Any
    code: int | None
    message: str
    error: Exception
    details: Mapping[str, Any] | None = None

    def __str__(self) -> str:
        found = isinstance(self.error, (VersionConflictError, DocumentNotFoundError))
        text = str(self.error) if found else self.message
        if self.document is None:
            return f"operation {self.index} ({self.operation}): {text}"
        name = type(self.document).__name__
        _id = _describe(getattr(self.document, "_id", None))
        return f"operation {self.index} ({self.operation} of {name} _id {_id}): {text}"


class BulkWriteError(Error, pymongo.errors.BulkWriteError):
    """A bulk write (``queryset.bulk()``) did not write every operation.

    Some operations failed (:attr:`failures`), or were not sent (:attr:`not_attempted`),
    or their outcome is unknown (:attr:`unknown`), or the server reported write concern
    errors. :attr:`result` counts exactly what was written, the successful part of a
    failed ``bulk_write`` call included, and only those writes updated their document
    objects (version, stored form, assigned ``_id``).

    It is also a :class:`pymongo.errors.BulkWriteError`, so code written against the
    driver keeps catching it; its ``details`` has the driver's keys (``writeErrors``,
    whose ``index`` is the operation's index in the whole bulk, ``writeConcernErrors``,
    ``nInserted``, ``nMatched``, ``nModified``, ``nRemoved``, ``nUpserted``,
    ``upserted``), over all the calls.

    Attributes:
        document_class: The document class of the bulk's queryset.
        failures: One :class:`BulkWriteFailure` per failed operation, by index.
        result: The ``aiomongodel.bulk.BulkResult`` of what was written.
        not_attempted: Indexes of the operations never sent: with ``ordered=True``, all
            those after the first failure; also those after a call whose outcome is
            unknown.
        unknown: Indexes of the operations whose outcome is unknown: those of the
            ``bulk_write`` call in flight when the driver raised another error than a
            bulk write error (a network error it did not retry, say), which is this
            error's ``__cause__``. They may or may not have been written; their objects
            were not updated (``reload`` them).
        write_concern_errors: The server's write concern errors. The writes they
            concern were applied by the primary and are counted in :attr:`result`, but
            the write concern did not confirm them.
    """

    def __init__(
        self,
        document_class: type[Any],
        failures: Sequence[BulkWriteFailure],
        result: BulkResult,
        not_attempted: Sequence[int] = (),
        unknown: Sequence[int] = (),
        write_concern_errors: Sequence[Mapping[str, Any]] = (),
    ) -> None:
        self.document_class = document_class
        self.failures = tuple(failures)
        self.result = result
        self.not_attempted = tuple(not_attempted)
        self.unknown = tuple(unknown)
        self.write_concern_errors = tuple(write_concern_errors)
        pymongo.errors.BulkWriteError.__init__(self, self._details())
        message = self._message_text()
        self._message = message
        self.args = (message,)

    def _details(self) -> dict[str, Any]:
        result = self.result
        details: dict[str, Any] = {
            "writeErrors": [
                {**failure.details, "index": failure.index}
                for failure in self.failures
                if failure.details is not None
            ],
            "writeConcernErrors": list(self.write_concern_errors),
        }
        if result.acknowledged:
            details.update(
                nInserted=result.inserted_count,
                nUpserted=result.upserted_count,
                nMatched=result.matched_count,
                nModified=result.modified_count,
                nRemoved=result.deleted_count,
                upserted=[{"index": i, "_id": _id} for i, _id in result.upserted_ids.items()],
            )
        return details

    def _message_text(self) -> str:
        parts = []
        if self.failures:
            shown = "; ".join(str(failure) for failure in self.failures[:3])
            more = len(self.failures) - 3
            and_more = f"; and {more} more" if more > 0 else ""
            parts.append(f"{_count(len(self.failures))} failed: {shown}{and_more}")
        if self.unknown:
            parts.append(
                f"the outcome of {_count(len(self.unknown))} ({_spans(self.unknown)}) is "
                "unknown: they may have been written"
            )
        if self.not_attempted:
            parts.append(
                f"{_count(len(self.not_attempted))} ({_spans(self.not_attempted)}) "
                "were not attempted"
            )
        if self.write_concern_errors:
            first = self.write_concern_errors[0]
            parts.append(
                f"write concern error: {first.get('errmsg', first)} (the writes are "
                "counted as written, but the write concern did not confirm them)"
            )
        return f"{self.document_class.__name__} bulk write: " + "; ".join(parts)

    def __str__(self) -> str:
        return self._message

    def __reduce__(self) -> tuple[Any, Any]:
        return self.__class__, (
            self.document_class,
            self.failures,
            self.result,
            self.not_attempted,
            self.unknown,
            self.write_concern_errors,
        )


def _count(operations: int) -> str:
    return f"{operations} operation{'' if operations == 1 else 's'}"


def _spans(indexes: Iterable[int], shown: int = 3) -> str:
    """Sorted indexes as ranges: ``'3, 5-9, 12'`` (the first ``shown`` ranges)."""
    spans: list[list[int]] = []
    for index in sorted(indexes):
        if spans and index == spans[-1][1] + 1:
            spans[-1][1] = index
        else:
            spans.append([index, index])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans[:shown])
    return text + (", ..." if len(spans) > shown else "")
