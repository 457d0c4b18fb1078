"""aiomongodel: an asynchronous ODM for MongoDB on PyMongo's async API or Motor.

This module belongs to the ``aiomongodel`` meta-package; the names it re-exports live in
``aiomongodel.fields``, ``aiomongodel.errors``, ``aiomongodel.document``,
``aiomongodel.queryset`` and ``aiomongodel.changestreams``, shipped by the three split
distributions.
"""

import pkgutil as _pkgutil

__path__ = _pkgutil.extend_path(__path__, __name__)

from aiomongodel.bulk import Bulk, BulkResult
from aiomongodel.changestreams import ChangeEvent, ChangeStream
from aiomongodel.document import Document, EmbeddedDocument, typed
from aiomongodel.errors import (
    AioMongodelException,
    BulkWriteError,
    BulkWriteFailure,
    DocumentNotFoundError,
    DuplicateKeyError,
    Error,
    MissingReferenceError,
    QueryValueError,
    StopValidation,
    ValidationError,
    VersionConflictError,
)
from aiomongodel.expressions import Filter, SortKey, Update
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
    SynonymField,
)
from aiomongodel.json_schema import JsonSchemaError
from aiomongodel.queryset import (
    MotorQuerySet,
    MotorQuerySetCursor,
    QuerySet,
    QuerySetCursor,
)
from aiomongodel.transactions import run_transaction

__version__ = "0.3.0"

__all__ = [
    "AioMongodelException",
    "AnyField",
    "BoolField",
    "Bulk",
    "BulkResult",
    "BulkWriteError",
    "BulkWriteFailure",
    "ChangeEvent",
    "ChangeStream",
    "DateTimeField",
    "DecimalField",
    "Document",
    "DocumentNotFoundError",
    "DuplicateKeyError",
    "EmailField",
    "EmbDocField",
    "EmbeddedDocument",
    "Error",
    "Field",
    "Filter",
    "FloatField",
    "IntField",
    "JsonSchemaError",
    "ListField",
    "MissingReferenceError",
    "MotorQuerySet",
    "MotorQuerySetCursor",
    "ObjectIdField",
    "QuerySet",
    "QuerySetCursor",
    "QueryValueError",
    "RefField",
    "SortKey",
    "StopValidation",
    "StrField",
    "SynonymField",
    "Update",
    "ValidationError",
    "VersionConflictError",
    "__version__",
    "run_transaction",
    "typed",
]
