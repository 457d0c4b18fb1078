"""Exceptions raised by aiomongodel.

``ValidationError`` carries either a message template or a dict of nested errors
(keyed by field name or list index), and renders them, optionally translated, with
:meth:`ValidationError.as_dict`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Union

import pymongo.errors

from aiomongodel.utils import _Empty

__all__ = [
    "AioMongodelException",
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
