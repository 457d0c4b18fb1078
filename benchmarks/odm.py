"""MongoDB's ODM Performance Benchmark v1.0, run with aiomongodel and with the raw drivers.

The specification is ``source/benchmarking/odm-benchmarking.md`` in the
``mongodb/specifications`` repository. Its tasks:

- flat models: small model creation, update, find by ``_id`` and find by a foreign key
  (here a ``RefField``); large model creation and update;
- nested models: large nested model creation, update of ``embedded_str_doc_1.field1``,
  find by ``embedded_str_doc_1.unique_id`` and by ``embedded_str_doc_array``'s
  ``unique_id``.

Each task runs four ways: raw PyMongo async, raw Motor, aiomongodel on PyMongo async and
aiomongodel on Motor, each against a database of its own on the same server, taking turns
iteration by iteration (the machine's slow spells then fall on all of them). A task's
score is its size in MB (the size of the data set's source file, or of the 13-byte
``updated_value`` for updates, times the operations of one iteration) divided by the
median iteration time; the 10th to 99th percentiles are nearest-rank, as the
specification defines them. Iterations run with the cyclic garbage collector on; the
creation and find tasks also run with it off, for raw PyMongo and aiomongodel on PyMongo.

What "ODM-appropriate" means here: creation builds the model from the document's values
(embedded documents as objects), validates it and inserts it, as the raw drivers insert
a copy of the dict (``q(db).create()``, which stores with a replace and upsert, is
reported as another way); updates change one attribute of each loaded model and call
``save_changes()``, against the raw ``update_one`` with ``$set``; finds are ``get(_id)``
and ``find(filter).to_list()`` with filters built from fields, against ``find_one`` and
``find().to_list()``. The find tasks' setup creates an index on the filtered field (the
models' ``Meta.indexes``; the same index for the raw drivers), so that the server's part
is an index lookup.

Data: ``small_doc.json``, ``large_doc.json`` and ``large_doc_nested.json`` of the
specification, read from ``--data``, else from ``$ODM_BENCH_DATA``, else from
``../shared/benchmarks/odm-data/`` next to the repository. Their licence does not allow
copying them into this repository. Without them, documents of the same shapes and
sizes are generated (``--data generate`` asks for that).

    hatch run odm-bench                  # quick: 500 operations, 5 iterations per task
    hatch run odm-bench -- --full        # the specification's durations
    python benchmarks/odm.py --n 100 --iterations 3 --tasks "small model creation"
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import json
import math
import os
import platform
import random
import string
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import motor
import pymongo
from bson import ObjectId, json_util
from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import AsyncMongoClient, IndexModel

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.fields import AnyField, EmbDocField, IntField, ListField, RefField, StrField

ROOT = Path(__file__).resolve().parents[1]
DATA_ENV = "ODM_BENCH_DATA"
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "odm-data"
FILES = {"small": "small_doc.json", "large": "large_doc.json", "nested": "large_doc_nested.json"}

PERCENTILES = (10, 25, 50, 75, 90, 95, 98, 99)
#: The value the update tasks write (with the iteration's number appended, so that each
#: iteration changes the field); the specification scores an update as its 13 bytes.
UPDATED_VALUE = "updated_value"
#: The specification's operations per iteration, and its large document's size.
SPEC_OPERATIONS = 10_000
SPEC_LARGE_DOC_BYTES = 8_000

SYSTEMS = ("pymongo", "motor", "odm-pymongo", "odm-motor")
GC_OFF = ("pymongo, GC off", "odm-pymongo, GC off")
CREATE = "odm-pymongo, create()"


# The models, as the specification defines them.


def _fields(kind: type[Any], first: int, last: int) -> dict[str, Any]:
    return {f"field{number}": kind() for number in range(first, last + 1)}


def _document_class(name: str, base: type[Any], fields: dict[str, Any], **meta: Any) -> type[Any]:
    return type(name, (base,), {**fields, "Meta": type("Meta", (), meta)})


class SmallFlatModel(Document):
    """SMALL_DOC: seven strings and six integers."""

    field1 = StrField()
    field2 = StrField()
    field3 = StrField()
    field4 = StrField()
    field5 = StrField()
    field6 = StrField()
    field7 = StrField()
    field8 = IntField()
    field9 = IntField()
    field10 = IntField()
    field11 = IntField()
    field12 = IntField()
    field13 = IntField()

    class Meta:
        collection = "small_flat"


class ForeignKeyModel(Document):
    """FOREIGN_KEY: only a string field called ``name``."""

    name = StrField()

    class Meta:
        collection = "foreign_key"


class SmallFlatModelFk(SmallFlatModel):
    """SMALL_DOC with a reference to a FOREIGN_KEY in ``field_fk``."""

    field_fk = RefField(ForeignKeyModel)

    class Meta:
        collection = "small_flat_fk"
        indexes = [IndexModel("field_fk")]


#: LARGE_DOC: 125 strings, 125 integers and the binary ``image_field``.
LargeFlatModel = _document_class(
    "LargeFlatModel",
    Document,
    {**_fields(StrField, 1, 125), **_fields(IntField, 126, 250), "image_field": AnyField()},
    collection="large_flat",
)

#: The embedded documents of LARGE_DOC_NESTED: 15 strings (and a ``unique_id`` where the
#: tasks look documents up by it), or 15 integers.
StringEmbeddedModel = _document_class(
    "StringEmbeddedModel",
    EmbeddedDocument,
    {**_fields(StrField, 1, 15), "unique_id": StrField(required=False)},
)
IntegerEmbeddedModel = _document_class(
    "IntegerEmbeddedModel", EmbeddedDocument, _fields(IntField, 1, 15)
)

STRING_DOCS = tuple(f"embedded_str_doc_{number}" for number in range(1, 6))
INTEGER_DOCS = tuple(f"embedded_int_doc_{number}" for number in range(8, 15))

LargeNestedModel = _document_class(
    "LargeNestedModel",
    Document,
    {
        **{name: EmbDocField(StringEmbeddedModel) for name in STRING_DOCS},
        "embedded_str_doc_array": ListField(EmbDocField(StringEmbeddedModel)),
        **{name: EmbDocField(IntegerEmbeddedModel) for name in INTEGER_DOCS},
    },
    collection="large_nested",
    indexes=[
        IndexModel("embedded_str_doc_1.unique_id"),
        IndexModel("embedded_str_doc_array.unique_id"),
    ],
)


def tracked(cls: type[Any]) -> type[Any]:
    """``cls`` with change tracking, for ``save_changes``, in the same collection."""
    return _document_class(
        f"Tracked{cls.__name__}",
        cls,
        {},
        collection=cls.meta.collection_name,
        track_changes=True,
    )


TrackedSmallFlatModel = tracked(SmallFlatModel)
TrackedLargeFlatModel = tracked(LargeFlatModel)
TrackedLargeNestedModel = tracked(LargeNestedModel)


# The data sets.


@dataclasses.dataclass
class Data:
    """The three documents (as ``bson.json_util`` reads them) and their source sizes."""

    small: dict[str, Any]
    large: dict[str, Any]
    nested: dict[str, Any]
    sizes: dict[str, int]
    origin: str


def load_data(folder: Path | None) -> Data:
    """The data sets of ``folder``, or generated ones if it is ``None`` or absent."""
    if folder is not None and all((folder / name).is_file() for name in FILES.values()):
        texts = {key: (folder / name).read_bytes() for key, name in FILES.items()}
        documents = {key: json_util.loads(text) for key, text in texts.items()}
        sizes = {key: len(text) for key, text in texts.items()}
        return Data(**documents, sizes=sizes, origin=f"files in {folder}")
    documents = generate()
    # As files they would be JSON, the large ones indented as the specification's are.
    sizes = {
        "small": len(json_util.dumps(documents["small"]).replace(", ", ",").replace(": ", ":")),
        "large": len(json_util.dumps(documents["large"], indent=2)),
        "nested": len(json_util.dumps(documents["nested"], indent=2)),
    }
    return Data(**documents, sizes=sizes, origin="generated (no data files found)")


def generate(seed: int = 2025) -> dict[str, dict[str, Any]]:
    """Documents of the shapes and sizes of the specification's data sets."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "#$@*&"

    def text(length: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(length))

    small = {f"field{k}": text(8) for k in range(1, 8)}
    small |= {f"field{k}": rng.randrange(10**6, 10**8) for k in range(8, 14)}
    large: dict[str, Any] = {f"field{k}": text(30) for k in range(1, 126)}
    large |= {f"field{k}": rng.randrange(100, 1000) for k in range(126, 251)}
    large["image_field"] = rng.randbytes(2_412_600)  # a PNG image of that size in the file

    def strings() -> dict[str, str]:
        return {f"field{k}": text(30) for k in range(1, 16)}

    nested: dict[str, Any] = {name: strings() for name in STRING_DOCS}
    nested["embedded_str_doc_array"] = [strings(), strings()]
    nested |= {
        name: {f"field{k}": rng.randrange(10, 1000) for k in range(1, 16)} for name in INTEGER_DOCS
    }
    return {"small": small, "large": large, "nested": nested}


def with_unique_ids(nested: dict[str, Any]) -> dict[str, Any]:
    """A LARGE_DOC_NESTED to insert as a raw dict: a fresh ``unique_id`` (an ``ObjectId``
    as a string) in ``embedded_str_doc_1`` and in each item of the array."""
    return {
        **nested,
        "embedded_str_doc_1": {**nested["embedded_str_doc_1"], "unique_id": str(ObjectId())},
        "embedded_str_doc_array": [
            {**item, "unique_id": str(ObjectId())} for item in nested["embedded_str_doc_array"]
        ],
    }


def nested_fields(nested: dict[str, Any]) -> dict[str, Any]:
    """The field values of a LargeNestedModel for LARGE_DOC_NESTED, as application code
    builds them: embedded document objects, with fresh ``unique_id`` values."""
    fields: dict[str, Any] = {
        "embedded_str_doc_1": StringEmbeddedModel(
            **nested["embedded_str_doc_1"], unique_id=str(ObjectId())
        )
    }
    for name in STRING_DOCS[1:]:
        fields[name] = StringEmbeddedModel(**nested[name])
    fields["embedded_str_doc_array"] = [
        StringEmbeddedModel(**item, unique_id=str(ObjectId()))
        for item in nested["embedded_str_doc_array"]
    ]
    for name in INTEGER_DOCS:
        fields[name] = IntegerEmbeddedModel(**nested[name])
    return fields


# Tasks. Each is written twice, with the raw driver and with aiomongodel; both take the
# database of the way they run for, and return the phases of one iteration.


@dataclasses.dataclass
class Phases:
    """What a task does: ``do`` is timed; the others are not."""

    do: Callable[[int], Awaitable[Any]]  # takes the iteration's number
    before: Callable[[], Awaitable[Any]] | None = None
    after: Callable[[], Awaitable[Any]] | None = None
    teardown: Callable[[], Awaitable[Any]] | None = None


@dataclasses.dataclass
class Context:
    data: Data
    n: int
    large_n: int


Setup = Callable[[Any, Context], Awaitable[Phases]]


@dataclasses.dataclass
class Task:
    name: str
    group: str
    #: The bytes one iteration processes, for the score.
    size: Callable[[Context], int]
    operations: Callable[[Context], int]
    raw: Setup
    odm: Setup
    #: Creates or loads documents: also run with the cyclic GC off.
    loading: bool
    #: Other ways of doing it with aiomongodel on PyMongo: ``{way: setup}``.
    others: dict[str, Setup] = dataclasses.field(default_factory=dict)


def _n(ctx: Context) -> int:
    return ctx.n


def _large_n(ctx: Context) -> int:
    return ctx.large_n


def _updates(operations: Callable[[Context], int]) -> Callable[[Context], int]:
    return lambda ctx: len(UPDATED_VALUE) * operations(ctx)


def _source(key: str, operations: Callable[[Context], int]) -> Callable[[Context], int]:
    return lambda ctx: ctx.data.sizes[key] * operations(ctx)


def _value(iteration: int) -> str:
    return f"{UPDATED_VALUE}{iteration}"


def _drop(db: Any, *classes: type[Any]) -> Callable[[], Awaitable[None]]:
    async def drop() -> None:
        for cls in classes:
            await db.drop_collection(cls.meta.collection_name)

    return drop


def raw_creation(cls: type[Any], key: str, operations: Callable[[Context], int]) -> Setup:
    async def setup(db: Any, ctx: Context) -> Phases:
        collection = db[cls.meta.collection_name]
        document, n = getattr(ctx.data, key), operations(ctx)
        # A copy: insert_one adds the _id to the dict it is given.
        make = with_unique_ids if key == "nested" else dict

        async def do(iteration: int) -> None:
            for _ in range(n):
                await collection.insert_one(make(document))

        return Phases(do, after=_drop(db, cls))

    return setup


def odm_creation(
    cls: type[Any], key: str, operations: Callable[[Context], int], upsert: bool = False
) -> Setup:
    """Build the model from the document's values, validate it and insert it (the write
    the raw drivers do); with ``upsert``, ``q(db).create(**values)``, which validates
    and then stores with ``save()``: a replace with upsert on the ``_id``."""

    async def setup(db: Any, ctx: Context) -> Phases:
        queryset = cls.q(db)
        document, n = getattr(ctx.data, key), operations(ctx)
        values: Callable[[], dict[str, Any]] = (
            (lambda: nested_fields(document)) if key == "nested" else (lambda: document)
        )

        if upsert:

            async def do(iteration: int) -> None:
                for _ in range(n):
                    await queryset.create(**values())

        else:

            async def do(iteration: int) -> None:
                for _ in range(n):
                    await cls(**values()).validate().save(db, do_insert=True)

        return Phases(do, after=_drop(db, cls))

    return setup


async def _insert_raw(db: Any, cls: type[Any], documents: list[dict[str, Any]]) -> list[Any]:
    collection = db[cls.meta.collection_name]
    await collection.drop()
    for index in cls.meta.indexes or ():
        await collection.create_indexes([index])
    ids = []
    for start in range(0, len(documents), 100):  # the large documents: 100 MB at most
        result = await collection.insert_many(documents[start : start + 100])
        ids.extend(result.inserted_ids)
    return ids


async def _insert_odm(db: Any, cls: type[Any], documents: list[Any]) -> None:
    queryset = cls.q(db)
    await cls.coll(db).drop()
    await queryset.create_indexes()
    for start in range(0, len(documents), 100):
        await queryset.insert_many(documents[start : start + 100])


def raw_update(cls: type[Any], key: str, operations: Callable[[Context], int]) -> Setup:
    path = "embedded_str_doc_1.field1" if key == "nested" else "field1"

    async def setup(db: Any, ctx: Context) -> Phases:
        document = getattr(ctx.data, key)
        make = with_unique_ids if key == "nested" else dict
        ids = await _insert_raw(db, cls, [make(document) for _ in range(operations(ctx))])
        collection = db[cls.meta.collection_name]

        async def do(iteration: int) -> None:
            value = _value(iteration)
            for _id in ids:
                await collection.update_one({"_id": _id}, {"$set": {path: value}})

        return Phases(do, teardown=_drop(db, cls))

    return setup


def odm_update(cls: type[Any], key: str, operations: Callable[[Context], int]) -> Setup:
    """Update one field of each loaded model and ``save_changes()`` it (the class
    tracks changes): the update sent is the ``$set`` of that field only."""

    async def setup(db: Any, ctx: Context) -> Phases:
        document = getattr(ctx.data, key)
        if key == "nested":
            await _insert_odm(
                db, cls, [cls(**nested_fields(document)) for _ in range(operations(ctx))]
            )
        else:
            await _insert_odm(db, cls, [cls(**document) for _ in range(operations(ctx))])
        models = await cls.q(db).find({}).to_list(None)

        async def do(iteration: int) -> None:
            value = _value(iteration)
            for model in models:
                if key == "nested":
                    model.embedded_str_doc_1.field1 = value
                else:
                    model.field1 = value
                await model.save_changes(db)

        return Phases(do, teardown=_drop(db, cls))

    return setup


async def raw_find_by_id(db: Any, ctx: Context) -> Phases:
    ids = await _insert_raw(db, SmallFlatModel, [dict(ctx.data.small) for _ in range(ctx.n)])
    collection = db[SmallFlatModel.meta.collection_name]
    assert (await collection.find_one({"_id": ids[0]}))["field1"] == ctx.data.small["field1"]

    async def do(iteration: int) -> None:
        for _id in ids:
            await collection.find_one({"_id": _id})

    return Phases(do, teardown=_drop(db, SmallFlatModel))


async def odm_find_by_id(db: Any, ctx: Context) -> Phases:
    models = [SmallFlatModel(**ctx.data.small) for _ in range(ctx.n)]
    await _insert_odm(db, SmallFlatModel, models)
    ids = [model._id for model in models]
    queryset = SmallFlatModel.q(db)
    assert (await queryset.get(ids[0])).field1 == ctx.data.small["field1"]

    async def do(iteration: int) -> None:
        for _id in ids:
            await queryset.get(_id)

    return Phases(do, teardown=_drop(db, SmallFlatModel))


async def raw_find_by_foreign_key(db: Any, ctx: Context) -> Phases:
    keys = await _insert_raw(
        db, ForeignKeyModel, [{"name": "foreign_key_name"} for _ in range(ctx.n)]
    )
    documents = [{**ctx.data.small, "field_fk": key} for key in keys]
    await _insert_raw(db, SmallFlatModelFk, documents)
    collection = db[SmallFlatModelFk.meta.collection_name]
    assert len(await collection.find({"field_fk": keys[0]}).to_list(None)) == 1

    async def do(iteration: int) -> None:
        for key in keys:
            await collection.find({"field_fk": key}).to_list(None)

    return Phases(do, teardown=_drop(db, SmallFlatModelFk, ForeignKeyModel))


async def odm_find_by_foreign_key(db: Any, ctx: Context) -> Phases:
    keys = [ForeignKeyModel(name="foreign_key_name") for _ in range(ctx.n)]
    await _insert_odm(db, ForeignKeyModel, keys)
    models = [SmallFlatModelFk(**ctx.data.small, field_fk=key) for key in keys]
    await _insert_odm(db, SmallFlatModelFk, models)
    ids = [key._id for key in keys]
    queryset = SmallFlatModelFk.q(db)
    field_fk = SmallFlatModelFk.field_fk
    assert [m._id for m in await queryset.find(field_fk == ids[0]).to_list(None)] == [models[0]._id]

    async def do(iteration: int) -> None:
        for _id in ids:
            await queryset.find(field_fk == _id).to_list(None)

    return Phases(do, teardown=_drop(db, SmallFlatModelFk, ForeignKeyModel))


def raw_find_nested(array: bool) -> Setup:
    path = "embedded_str_doc_array.unique_id" if array else "embedded_str_doc_1.unique_id"

    async def setup(db: Any, ctx: Context) -> Phases:
        documents = [with_unique_ids(ctx.data.nested) for _ in range(ctx.n)]
        await _insert_raw(db, LargeNestedModel, documents)
        if array:
            keys = [document["embedded_str_doc_array"][0]["unique_id"] for document in documents]
        else:
            keys = [document["embedded_str_doc_1"]["unique_id"] for document in documents]
        collection = db[LargeNestedModel.meta.collection_name]
        assert len(await collection.find({path: keys[0]}).to_list(None)) == 1

        async def do(iteration: int) -> None:
            for key in keys:
                await collection.find({path: key}).to_list(None)

        return Phases(do, teardown=_drop(db, LargeNestedModel))

    return setup


def odm_find_nested(array: bool) -> Setup:
    async def setup(db: Any, ctx: Context) -> Phases:
        models = [LargeNestedModel(**nested_fields(ctx.data.nested)) for _ in range(ctx.n)]
        await _insert_odm(db, LargeNestedModel, models)
        if array:
            field = LargeNestedModel.embedded_str_doc_array.unique_id
            keys = [model.embedded_str_doc_array[0].unique_id for model in models]
        else:
            field = LargeNestedModel.embedded_str_doc_1.unique_id
            keys = [model.embedded_str_doc_1.unique_id for model in models]
        queryset = LargeNestedModel.q(db)
        found = await queryset.find(field == keys[0]).to_list(None)
        assert [model._id for model in found] == [models[0]._id]

        async def do(iteration: int) -> None:
            for key in keys:
                await queryset.find(field == key).to_list(None)

        return Phases(do, teardown=_drop(db, LargeNestedModel))

    return setup


TASKS = (
    Task(
        "small model creation",
        "flat",
        _source("small", _n),
        _n,
        raw_creation(SmallFlatModel, "small", _n),
        odm_creation(SmallFlatModel, "small", _n),
        loading=True,
        others={CREATE: odm_creation(SmallFlatModel, "small", _n, upsert=True)},
    ),
    Task(
        "small model update",
        "flat",
        _updates(_n),
        _n,
        raw_update(SmallFlatModel, "small", _n),
        odm_update(TrackedSmallFlatModel, "small", _n),
        loading=False,
    ),
    Task(
        "small model find by _id",
        "flat",
        _source("small", _n),
        _n,
        raw_find_by_id,
        odm_find_by_id,
        loading=True,
    ),
    Task(
        "small model find by foreign key",
        "flat",
        _source("small", _n),
        _n,
        raw_find_by_foreign_key,
        odm_find_by_foreign_key,
        loading=True,
    ),
    Task(
        "large model creation",
        "flat",
        _source("large", _large_n),
        _large_n,
        raw_creation(LargeFlatModel, "large", _large_n),
        odm_creation(LargeFlatModel, "large", _large_n),
        loading=True,
        others={CREATE: odm_creation(LargeFlatModel, "large", _large_n, upsert=True)},
    ),
    Task(
        "large model update",
        "flat",
        _updates(_large_n),
        _large_n,
        raw_update(LargeFlatModel, "large", _large_n),
        odm_update(TrackedLargeFlatModel, "large", _large_n),
        loading=False,
    ),
    Task(
        "large nested model creation",
        "nested",
        _source("nested", _n),
        _n,
        raw_creation(LargeNestedModel, "nested", _n),
        odm_creation(LargeNestedModel, "nested", _n),
        loading=True,
        others={CREATE: odm_creation(LargeNestedModel, "nested", _n, upsert=True)},
    ),
    Task(
        "large nested model update nested field",
        "nested",
        _updates(_n),
        _n,
        raw_update(LargeNestedModel, "nested", _n),
        odm_update(TrackedLargeNestedModel, "nested", _n),
        loading=False,
    ),
    Task(
        "large nested model find nested field",
        "nested",
        _source("nested", _n),
        _n,
        raw_find_nested(array=False),
        odm_find_nested(array=False),
        loading=True,
    ),
    Task(
        "large nested model find nested array field",
        "nested",
        _source("nested", _n),
        _n,
        raw_find_nested(array=True),
        odm_find_nested(array=True),
        loading=True,
    ),
)


# Running and scoring.


@dataclasses.dataclass
class Schedule:
    """When a way stops iterating: once its iterations took ``min_time`` seconds in
    all, after ``iterations`` iterations or ``max_time`` seconds, whichever comes first.
    The specification's: 30 s, then 10 iterations or 60 s."""

    iterations: int
    min_time: float = 0.0
    max_time: float = math.inf

    def done(self, count: int, elapsed: float) -> bool:
        return elapsed >= self.min_time and (count >= self.iterations or elapsed >= self.max_time)


def megabytes_per_second(value: float) -> str:
    """A score with three significant digits at least."""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if value < 1 else f"{value:.2f}"


def percentile(times: Sequence[float], p: int) -> float:
    """The nearest-rank percentile of the specification: ``sorted(times)[int(N p / 100)
    - 1]`` (the first time when that index is negative, for fewer than 100/p times)."""
    ordered = sorted(times)
    return ordered[max(int(len(ordered) * p / 100) - 1, 0)]


@dataclasses.dataclass
class Result:
    task: Task
    size: int
    operations: int
    times: dict[str, list[float]]

    def score(self, way: str) -> float:
        """MB/s: the task's size in MB over the median iteration time."""
        return self.size / 1e6 / percentile(self.times[way], 50)

    def ratio(self, way: str, base: str = "pymongo") -> float:
        """The median time of ``way`` over that of ``base``."""
        return percentile(self.times[way], 50) / percentile(self.times[base], 50)


class OdmBenchmark:
    def __init__(
        self, uri: str, ctx: Context, schedule: Schedule, tasks: Sequence[Task], gc_off: bool
    ) -> None:
        self.uri, self.ctx, self.schedule, self.tasks = uri, ctx, schedule, tasks
        self.gc_off = gc_off
        self.results: list[Result] = []

    async def run(self) -> None:
        clients: dict[str, Any] = {
            "pymongo": AsyncMongoClient(self.uri),
            "motor": AsyncIOMotorClient(self.uri),
        }
        prefix = f"odm_bench_{uuid.uuid4().hex[:8]}"
        names: list[tuple[str, str]] = []
        try:
            for task in self.tasks:
                ways = list(SYSTEMS)
                if self.gc_off and task.loading:
                    ways += GC_OFF
                ways += task.others
                dbs = {}
                for way in ways:
                    driver = "motor" if "motor" in way else "pymongo"
                    name = f"{prefix}_{len(names)}"
                    names.append((driver, name))
                    dbs[way] = clients[driver][name]
                self.results.append(await self.run_task(task, dbs))
                for driver, name in names:
                    await clients[driver].drop_database(name)
                names.clear()
        finally:
            for driver, name in names:
                await clients[driver].drop_database(name)
            await clients["pymongo"].close()
            clients["motor"].close()

    async def run_task(self, task: Task, dbs: dict[str, Any]) -> Result:
        """One task, its ways taking turns, each until the schedule says it is done."""
        phases = {}
        for way, db in dbs.items():
            setup = task.others.get(way) or (task.odm if way.startswith("odm") else task.raw)
            phases[way] = await setup(db, self.ctx)
        # A checkpoint, so that no way's documents wait to be written to disk when its
        # iterations begin while another's already are.
        await dbs["pymongo"].client.admin.command("fsync")
        times: dict[str, list[float]] = {way: [] for way in dbs}
        elapsed = dict.fromkeys(dbs, 0.0)
        iteration = 0
        while True:
            pending = [way for way in dbs if not self.schedule.done(len(times[way]), elapsed[way])]
            if not pending:
                break
            # Each round starts with the next way, so that no way is always the one that
            # follows another's writes.
            turn = iteration % len(pending)
            for way in pending[turn:] + pending[:turn]:
                start = time.perf_counter()
                times[way].append(await self.iterate(phases[way], iteration, "GC off" in way))
                elapsed[way] += time.perf_counter() - start
            iteration += 1
        for way_phases in phases.values():
            if way_phases.teardown is not None:
                await way_phases.teardown()
        return Result(task, task.size(self.ctx), task.operations(self.ctx), times)

    @staticmethod
    async def iterate(phases: Phases, iteration: int, gc_off: bool) -> float:
        if phases.before is not None:
            await phases.before()
        gc.collect()
        if gc_off:
            gc.disable()
        try:
            start = time.perf_counter()
            await phases.do(iteration)
            duration = time.perf_counter() - start
        finally:
            gc.enable()
        if phases.after is not None:
            await phases.after()
        return duration

    def report(self, full: bool) -> str:
        ctx, data = self.ctx, self.ctx.data
        sizes = ", ".join(f"{FILES[key]} {size:,} bytes" for key, size in data.sizes.items())
        schedule = self.schedule
        if full:
            rule = (
                f"at least {schedule.min_time:g} s per way and task, then until "
                f"{schedule.iterations} iterations or {schedule.max_time:g} s"
            )
        else:
            rule = f"{schedule.iterations} iterations per way and task"
        lines = [
            "MongoDB ODM Performance Benchmark v1.0: aiomongodel and the raw drivers",
            f"{ctx.n} operations per iteration ({ctx.large_n} for the large flat model); "
            f"{rule}; cyclic GC on",
            f"data: {data.origin} ({sizes})",
            f"python {platform.python_version()}, pymongo {pymongo.version}, "
            f"motor {motor.version}, {platform.machine()}, {os.cpu_count()} cpus",
            "",
            "MB/s (median); ratios are median times over raw PyMongo async's (above 1: slower)",
            "",
            "| group | task | pymongo MB/s | motor MB/s | odm-pymongo MB/s | odm-motor MB/s "
            "| motor / pymongo | odm-pymongo / pymongo | odm-motor / pymongo |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for result in self.results:
            scores = [megabytes_per_second(result.score(way)) for way in SYSTEMS]
            ratios = [f"{result.ratio(way):.2f}x" for way in SYSTEMS[1:]]
            cells = " | ".join([*scores, *ratios])
            lines.append(f"| {result.task.group} | {result.task.name} | {cells} |")
        gc_off = [result for result in self.results if GC_OFF[0] in result.times]
        if gc_off:
            lines += [
                "",
                "Creation and find tasks with the cyclic GC off during the timed phase",
                "",
                "| group | task | pymongo MB/s, GC off | odm-pymongo MB/s, GC off "
                "| odm-pymongo / pymongo, GC off | odm-pymongo / pymongo, GC on |",
                "| --- | --- | ---: | ---: | ---: | ---: |",
            ]
            for result in gc_off:
                cells = " | ".join(
                    [
                        megabytes_per_second(result.score(GC_OFF[0])),
                        megabytes_per_second(result.score(GC_OFF[1])),
                        f"{result.ratio(GC_OFF[1], GC_OFF[0]):.2f}x",
                        f"{result.ratio('odm-pymongo'):.2f}x",
                    ]
                )
                lines.append(f"| {result.task.group} | {result.task.name} | {cells} |")
        others = [(result, way) for result in self.results for way in result.task.others]
        if others:
            lines += [
                "",
                "Other ways, GC on",
                "",
                "| group | task | way | MB/s | / pymongo | / odm-pymongo |",
                "| --- | --- | --- | ---: | ---: | ---: |",
            ]
            for result, way in others:
                cells = " | ".join(
                    [
                        way,
                        megabytes_per_second(result.score(way)),
                        f"{result.ratio(way):.2f}x",
                        f"{result.ratio(way, 'odm-pymongo'):.2f}x",
                    ]
                )
                lines.append(f"| {result.task.group} | {result.task.name} | {cells} |")
        lines += [
            "",
            "Iteration times in ms: nearest-rank percentiles",
            "",
            "| task | way | iterations | MB | " + " | ".join(f"p{p}" for p in PERCENTILES) + " |",
            "| --- | --- | ---: | ---: | " + " | ".join("---:" for _ in PERCENTILES) + " |",
        ]
        for result in self.results:
            for way, times in result.times.items():
                cells = " | ".join(f"{percentile(times, p) * 1000:.1f}" for p in PERCENTILES)
                lines.append(
                    f"| {result.task.name} | {way} | {len(times)} | {result.size / 1e6:.3f} "
                    f"| {cells} |"
                )
        return "\n".join(lines)

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {
                "task": result.task.name,
                "group": result.task.group,
                "operations": result.operations,
                "megabytes": result.size / 1e6,
                "ways": {
                    way: {
                        "megabytes_per_sec": result.score(way),
                        "ratio_to_pymongo": result.ratio(
                            way, GC_OFF[0] if way in GC_OFF else "pymongo"
                        ),
                        "iterations": len(times),
                        "percentiles_sec": {str(p): percentile(times, p) for p in PERCENTILES},
                    }
                    for way, times in result.times.items()
                },
            }
            for result in self.results
        ]


def data_folder(option: str | None) -> Path | None:
    """The folder of the data files: the option, ``$ODM_BENCH_DATA`` or the default;
    ``None`` for ``generate``."""
    chosen = option or os.environ.get(DATA_ENV) or str(DEFAULT_DATA)
    return None if chosen == "generate" else Path(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full",
        action="store_true",
        help=f"the specification's durations: {SPEC_OPERATIONS} operations per iteration, "
        "at least 30 s per task, then 10 iterations or 60 s",
    )
    parser.add_argument("--n", type=int, help="operations per iteration (quick: 500)")
    parser.add_argument(
        "--large-n",
        type=int,
        help="operations per iteration of the large flat model (quick: 10; --full: as many "
        "large documents as make the specification's 80 MB)",
    )
    parser.add_argument("--iterations", type=int, help="iterations per task (quick: 5)")
    parser.add_argument("--min-time", type=float, help="seconds per task at least (--full: 30)")
    parser.add_argument("--max-time", type=float, help="seconds per task at most (--full: 60)")
    parser.add_argument(
        "--data",
        help=f"folder of the data files (default: ${DATA_ENV}, else {DEFAULT_DATA}); "
        "'generate' for generated documents",
    )
    parser.add_argument(
        "--tasks", nargs="+", metavar="TASK", help="run only these tasks (names as printed)"
    )
    parser.add_argument(
        "--no-gc-off", action="store_true", help="skip the runs with the cyclic GC off"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        parser.error("MONGODB_URI is not set; run through `hatch run odm-bench`")

    data = load_data(data_folder(args.data))
    if args.full:
        n = args.n or SPEC_OPERATIONS
        spec_bytes = SPEC_OPERATIONS * SPEC_LARGE_DOC_BYTES
        large_n = args.large_n or max(1, round(spec_bytes / data.sizes["large"]))
        schedule = Schedule(
            args.iterations or 10,
            30.0 if args.min_time is None else args.min_time,
            60.0 if args.max_time is None else args.max_time,
        )
    else:
        n, large_n = args.n or 500, args.large_n or 10
        schedule = Schedule(
            args.iterations or 5,
            args.min_time or 0.0,
            math.inf if args.max_time is None else args.max_time,
        )
    tasks = TASKS
    if args.tasks:
        known = {task.name: task for task in TASKS}
        unknown = [name for name in args.tasks if name not in known]
        if unknown:
            parser.error(f"unknown tasks {unknown}; the tasks are {list(known)}")
        tasks = tuple(known[name] for name in args.tasks)
    benchmark = OdmBenchmark(uri, Context(data, n, large_n), schedule, tasks, not args.no_gc_off)
    asyncio.run(benchmark.run())
    print(benchmark.report(args.full))
    if args.json:
        args.json.write_text(json.dumps(benchmark.as_json(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
