"""Benchmark aiomongodel against the raw drivers on the same server and documents.

Run with ``hatch run bench`` (a throwaway MongoDB is started unless ``MONGODB_URI`` is
set) or ``python benchmarks/bench.py --n 20000 --repeat 5``. Every timing is the median of
``--repeat`` runs after one warm-up run, the systems compared taking turns; ratios are to
raw PyMongo async in the same run. Timed sections run with the cyclic garbage collector on,
as applications run; the CPU, ``insert_many`` and find-all rows are measured a second time
with it off, in a table of their own.

Shapes: *flat* (ten scalar fields), *nested* (an embedded document plus a list of five
embedded documents) and *mixed* (five scalar fields, a datetime, a list of three strings
and one embedded document of two strings). MongoDB's ODM benchmarking specification is
``benchmarks/odm.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any

from bson import ObjectId
from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import AsyncMongoClient, DeleteOne, InsertOne, ReplaceOne, UpdateOne

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.fields import (
    BoolField,
    DateTimeField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    RefField,
    StrField,
)

SYSTEMS = ("pymongo", "motor", "odm-pymongo", "odm-motor")


class Flat(Document):
    name = StrField()
    email = StrField()
    city = StrField()
    country = StrField()
    age = IntField()
    score = IntField()
    rating = FloatField()
    balance = FloatField()
    active = BoolField()
    created = DateTimeField()

    class Meta:
        collection = "flat"


class Address(EmbeddedDocument):
    street = StrField()
    city = StrField()
    zip = StrField()


class Item(EmbeddedDocument):
    sku = StrField()
    quantity = IntField()
    price = FloatField()


class Nested(Document):
    name = StrField()
    total = FloatField()
    address = EmbDocField(Address)
    items = ListField(EmbDocField(Item))

    class Meta:
        collection = "nested"


class Place(EmbeddedDocument):
    city = StrField()
    country = StrField()


class Mixed(Document):
    """Flat fields plus a list of strings and one embedded document."""

    name = StrField()
    email = StrField()
    age = IntField()
    score = FloatField()
    active = BoolField()
    created = DateTimeField()
    tags = ListField(StrField())
    place = EmbDocField(Place)

    class Meta:
        collection = "mixed"


CREATED = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc).replace(tzinfo=None)


def flat_values(i: int) -> dict[str, Any]:
    """Field values of the i-th flat document."""
    return {
        "name": f"user{i}",
        "email": f"user{i}@example.com",
        "city": "Lisbon",
        "country": "Portugal",
        "age": 20 + i % 50,
        "score": i,
        "rating": i / 7,
        "balance": i * 1.5,
        "active": i % 2 == 0,
        "created": CREATED,
    }


def nested_values(i: int) -> dict[str, Any]:
    """Field values of the i-th nested document (embedded parts as dicts)."""
    return {
        "name": f"order{i}",
        "total": i * 2.5,
        "address": {"street": f"{i} Main St", "city": "Porto", "zip": "4000"},
        "items": [{"sku": f"sku{i}-{k}", "quantity": k, "price": k * 1.25} for k in range(5)],
    }


def mixed_values(i: int) -> dict[str, Any]:
    """Field values of the i-th mixed document (the embedded one as a dict)."""
    return {
        "name": f"user{i}",
        "email": f"user{i}@example.com",
        "age": 20 + i % 50,
        "score": i / 7,
        "active": i % 2 == 0,
        "created": CREATED,
        "tags": [f"tag{i % 10}", "python", "mongodb"],
        "place": {"city": "Lisbon", "country": "Portugal"},
    }


def build_mixed(values: dict[str, Any]) -> Mixed:
    """A mixed document built from objects, as application code does."""
    return Mixed(**{**values, "place": Place(**values["place"])})


def build_nested(values: dict[str, Any]) -> Nested:
    """A nested document built from objects, as application code does."""
    return Nested(
        name=values["name"],
        total=values["total"],
        address=Address(**values["address"]),
        items=[Item(**item) for item in values["items"]],
    )


# The same objects with no ODM: plain classes holding their values in a dict, built
# and loaded by hand-written code for each shape. This is the least an ODM that makes
# one object per (embedded) document can cost in CPython; the report puts it next to
# the ODM's CPU rows.


class Plain:
    """A document as a plain object: its values in ``_data``."""

    def __init__(self, **values: Any) -> None:
        self._data = values


class PlainWithId(Plain):
    def __init__(self, **values: Any) -> None:
        if "_id" not in values:
            values["_id"] = ObjectId()
        self._data = values


_new_plain = Plain.__new__


def plain_load(data: dict[str, Any]) -> Plain:
    document = _new_plain(Plain)
    document._data = data.copy()
    return document


def plain_load_nested(data: dict[str, Any]) -> Plain:
    document = _new_plain(Plain)
    document._data = values = data.copy()
    values["address"] = plain_load(values["address"])
    values["items"] = [plain_load(item) for item in values["items"]]
    return document


def plain_dump_nested(document: Plain) -> dict[str, Any]:
    values = document._data.copy()
    values["address"] = values["address"]._data.copy()
    values["items"] = [item._data.copy() for item in values["items"]]
    return values


def plain_build_nested(values: dict[str, Any]) -> Plain:
    return PlainWithId(
        name=values["name"],
        total=values["total"],
        address=Plain(**values["address"]),
        items=[Plain(**item) for item in values["items"]],
    )


def plain_load_mixed(data: dict[str, Any]) -> Plain:
    document = _new_plain(Plain)
    document._data = values = data.copy()
    values["place"] = plain_load(values["place"])
    return document


def plain_dump_mixed(document: Plain) -> dict[str, Any]:
    values = document._data.copy()
    values["place"] = values["place"]._data.copy()
    return values


def plain_build_mixed(values: dict[str, Any]) -> Plain:
    return PlainWithId(**{**values, "place": Plain(**values["place"])})


PLAIN: dict[str, dict[str, Callable[[Any], Any]]] = {
    "flat": {
        "construct": lambda values: PlainWithId(**values),
        "to_mongo": lambda document: document._data.copy(),
        "from_mongo": plain_load,
    },
    "nested": {
        "construct": plain_build_nested,
        "to_mongo": plain_dump_nested,
        "from_mongo": plain_load_nested,
    },
    "mixed": {
        "construct": plain_build_mixed,
        "to_mongo": plain_dump_mixed,
        "from_mongo": plain_load_mixed,
    },
}

SHAPES: dict[str, tuple[type[Document], Callable[[int], dict[str, Any]], Callable[..., Any]]] = {
    "flat": (Flat, flat_values, lambda v: Flat(**v)),
    "nested": (Nested, nested_values, build_nested),
    "mixed": (Mixed, mixed_values, build_mixed),
}


# The machines this runs on are shared, so their speed drifts. Runs of the systems
# compared are interleaved (one run of each, repeated), so that a slow spell falls on
# all of them rather than on whichever happened to be measured then.


def medians(repeat: int, runs: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Median time of each run, after a warm-up, with the runs interleaved."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()  # warm-up
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(run())
    return {name: statistics.median(values) for name, values in times.items()}


async def amedians(
    repeat: int, runs: dict[str, Callable[[], Awaitable[float]]]
) -> dict[str, float]:
    """:func:`medians` for coroutines."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        await run()  # warm-up
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(await run())
    return {name: statistics.median(values) for name, values in times.items()}


# Timed sections run with the cyclic garbage collector on, as applications run: its pauses
# grow with the objects an operation allocates, which is part of what an ODM costs. They
# start from a collected heap, so that garbage left by earlier runs is not collected in
# this one. ``gc_on=False`` measures the same section as ``timeit`` does, collector off.


def timed(func: Callable[[], Any], *, gc_on: bool = True) -> float:
    gc.collect()
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    finally:
        gc.enable()


async def atimed(
    func: Callable[[], Awaitable[Any]],
    *,
    gc_on: bool = True,
    setup: Callable[[], Awaitable[Any]] | None = None,
) -> float:
    """Time ``await func()``, after ``await setup()`` (not timed)."""
    if setup is not None:
        await setup()
    gc.collect()
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        await func()
        return time.perf_counter() - start
    finally:
        gc.enable()


class Author(Document):
    name = StrField()
    bio = StrField()

    class Meta:
        collection = "bench_authors"


class Post(Document):
    title = StrField()
    body = StrField()
    author = RefField(Author)

    class Meta:
        collection = "bench_posts"


class TrackedNested(Nested):
    """The nested shape with change tracking, for ``save_changes``."""

    class Meta:
        collection = "nested_tracked"
        track_changes = True


class TrackedFlat(Flat):
    class Meta:
        collection = "flat_tracked"
        track_changes = True


class TrackedMixed(Mixed):
    class Meta:
        collection = "mixed_tracked"
        track_changes = True


#: Each shape with change tracking, and the top-level number field its updates change.
TRACKED: dict[str, tuple[type[Document], str]] = {
    "flat": (TrackedFlat, "score"),
    "nested": (TrackedNested, "total"),
    "mixed": (TrackedMixed, "age"),
}


class Bench:
    """One benchmark run: every operation for every system on one shape."""

    def __init__(
        self,
        uri: str,
        n: int,
        repeat: int,
        lookups: int,
        memory_n: int,
        references: tuple[int, int] = (1000, 100),
    ) -> None:
        self.uri, self.n, self.repeat = uri, n, repeat
        self.lookups, self.memory_n, self.references_shape = lookups, memory_n, references
        self.rows: list[tuple[str, str, dict[str, float]]] = []
        #: The CPU, insert and find-all rows again, timed with the cyclic GC off.
        self.gc_off_rows: list[tuple[str, str, dict[str, float]]] = []
        self.reference_rows: dict[str, float] = {}
        self.reference_posts = (0, 0)
        #: ``(title, {way: seconds})`` tables whose first way is the base of the ratios.
        self.sections: list[tuple[str, dict[str, float]]] = []

    async def run(self) -> None:
        pymongo_client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.uri)
        motor_client: Any = AsyncIOMotorClient(self.uri)
        name = f"bench_{uuid.uuid4().hex[:8]}"
        dbs = {"pymongo": pymongo_client[name], "motor": motor_client[name]}
        try:
            for shape in SHAPES:
                self.cpu(shape)
                await self.database(shape, dbs)
                await self.bulk(shape, dbs)
            await self.memory(dbs["pymongo"])
            await self.references(dbs, *self.references_shape)
            await self.writes(dbs)
        finally:
            await pymongo_client.drop_database(name)
            await pymongo_client.close()
            motor_client.close()

    def cpu(self, shape: str) -> None:
        """Per-document CPU work of the ODM, next to building the raw dicts."""
        cls, values_of, build = SHAPES[shape]
        values = [values_of(i) for i in range(self.n)]
        docs = [build(v) for v in values]
        stored = [d.to_mongo() for d in docs]

        def raw() -> list[dict[str, Any]]:
            return [values_of(i) for i in range(self.n)]

        plain = PLAIN[shape]
        plain_docs = [plain["from_mongo"](s) for s in stored]

        def odm(
            run: Callable[[], Any], plain: Callable[[], Any] | None, gc_on: bool
        ) -> dict[str, float]:
            runs = {
                "pymongo": lambda: timed(raw, gc_on=gc_on),
                "odm-pymongo": lambda: timed(run, gc_on=gc_on),
            }
            if plain is not None:
                runs["plain"] = lambda: timed(plain, gc_on=gc_on)
            return medians(self.repeat, runs)

        construct, to_mongo, load = plain["construct"], plain["to_mongo"], plain["from_mongo"]
        from_mongo = cls.from_mongo
        for op, run, by_hand in (
            (
                "construct",
                lambda: [build(v) for v in values],
                lambda: [construct(v) for v in values],
            ),
            ("validate", lambda: [d.validate() for d in docs], None),
            (
                "to_mongo",
                lambda: [d.to_mongo() for d in docs],
                lambda: [to_mongo(d) for d in plain_docs],
            ),
            (
                "from_mongo",
                lambda: [from_mongo(s) for s in stored],
                lambda: [load(s) for s in stored],
            ),
        ):
            self.rows.append((shape, op, odm(run, by_hand, True)))
            self.gc_off_rows.append((shape, op, odm(run, by_hand, False)))

    async def database(self, shape: str, dbs: dict[str, Any]) -> None:
        cls, values_of, build = SHAPES[shape]
        n, lookups = self.n, self.lookups
        raw_docs = [build(values_of(i)).to_mongo() for i in range(n)]

        async def fill(db: Any) -> list[Any]:
            await cls.coll(db).drop()
            return await cls.q(db).insert_many(build(values_of(i)) for i in range(n))

        models = [build(values_of(i)) for i in range(n)]

        def insert(db: Any, documents: list[Any], odm: bool) -> Callable[[], Awaitable[Any]]:
            if odm:
                return lambda: cls.q(db).insert_many(documents)
            return lambda: cls.coll(db).insert_many(documents)

        # insert_many: the raw drivers insert ready dicts, the ODM the same documents as
        # model objects (so its time includes to_mongo). The collection is dropped before
        # each run, untimed.
        for gc_on, rows in ((True, self.rows), (False, self.gc_off_rows)):
            runs = {}
            for system in SYSTEMS:
                db = dbs[system.removeprefix("odm-")]
                odm = system.startswith("odm")
                documents = models if odm else raw_docs
                runs[system] = lambda db=db, d=documents, o=odm, g=gc_on: atimed(
                    insert(db, d, o), gc_on=g, setup=cls.coll(db).drop
                )
            rows.append((shape, "insert_many", await amedians(self.repeat, runs)))

        ids = await fill(dbs["pymongo"])
        sample = ids[:: max(1, len(ids) // lookups)][:lookups]

        def per_system(
            raw: Callable[[Any], Awaitable[Any]],
            odm: Callable[[Any], Awaitable[Any]],
            gc_on: bool = True,
        ) -> Callable[[], Awaitable[dict[str, float]]]:
            async def measure() -> dict[str, float]:
                runs = {}
                for system in SYSTEMS:
                    db = dbs[system.removeprefix("odm-")]
                    op = odm if system.startswith("odm") else raw
                    runs[system] = lambda op=op, db=db: atimed(lambda: op(db), gc_on=gc_on)
                return await amedians(self.repeat, runs)

            return measure

        async def raw_to_list(db: Any) -> Any:
            return await cls.coll(db).find({}).to_list(None)

        async def odm_to_list(db: Any) -> Any:
            return await cls.q(db).find({}).to_list(None)

        async def raw_iterate(db: Any) -> Any:
            return [d async for d in cls.coll(db).find({})]

        async def odm_iterate(db: Any) -> Any:
            return [d async for d in cls.q(db).find({})]

        async def raw_get(db: Any) -> None:
            coll = cls.coll(db)
            for _id in sample:
                await coll.find_one({"_id": _id})

        async def odm_get(db: Any) -> None:
            queryset = cls.q(db)
            for _id in sample:
                await queryset.get(_id)

        loaded = {
            name: await cls.q(db).find({"_id": {"$in": sample}}).to_list(None)
            for name, db in dbs.items()
        }
        loaded_raw = {
            name: await cls.coll(db).find({"_id": {"$in": sample}}).to_list(None)
            for name, db in dbs.items()
        }

        # Each save changes a field, so that every system's writes are real ones: the
        # server skips a replacement identical to the stored document, _id first and all.
        field = TRACKED[shape][1]
        counter = iter(range(1, 10**9))

        async def raw_save(db: Any) -> None:
            coll = cls.coll(db)
            value = next(counter)
            for data in loaded_raw["pymongo" if isinstance(db, type(dbs["pymongo"])) else "motor"]:
                data[field] = value
                await coll.replace_one({"_id": data["_id"]}, data, upsert=True)

        async def odm_save(db: Any) -> None:
            value = next(counter)
            for document in loaded["pymongo" if isinstance(db, type(dbs["pymongo"])) else "motor"]:
                setattr(document, field, value)
                await document.save(db)

        for op, raw, odm in (
            ("find all (to_list)", raw_to_list, odm_to_list),
            ("find all (async for)", raw_iterate, odm_iterate),
            (f"get by id x{len(sample)}", raw_get, odm_get),
            (f"save x{len(sample)}", raw_save, odm_save),
        ):
            self.rows.append((shape, op, await per_system(raw, odm)()))
            if op.startswith("find all"):
                self.gc_off_rows.append((shape, op, await per_system(raw, odm, False)()))

    async def bulk(self, shape: str, dbs: dict[str, Any]) -> None:
        """Bulk writes of ``n`` documents: ``cls.q(db).bulk()`` against the raw
        ``bulk_write`` of the same operations; GC on.

        The ODM sends its default batches of 1000 operations; the raw drivers send all
        of them in one ``bulk_write`` call (which they split by the server's limits).
        """
        cls, values_of, build = SHAPES[shape]
        tracked_cls, field = TRACKED[shape]
        models = [build(values_of(i)) for i in range(self.n)]
        stored = [document.to_mongo() for document in models]
        counter = iter(range(1, 10**9))

        def fill(target: type[Document], db: Any) -> Callable[[], Awaitable[Any]]:
            async def setup() -> None:
                await target.coll(db).drop()
                await target.coll(db).insert_many([dict(data) for data in stored])

            return setup

        def raw_insert(db: Any) -> Awaitable[Any]:
            return cls.coll(db).bulk_write([InsertOne(data) for data in stored])

        async def odm_insert(db: Any) -> None:
            async with cls.q(db).bulk() as bulk:
                for document in models:
                    bulk.insert(document)

        def raw_replace(db: Any) -> Awaitable[Any]:
            value = next(counter)
            return cls.coll(db).bulk_write(
                [
                    ReplaceOne({"_id": data["_id"]}, {**data, field: value}, upsert=True)
                    for data in stored
                ]
            )

        async def odm_replace(db: Any) -> None:
            value = next(counter)
            async with cls.q(db).bulk() as bulk:
                for document in models:
                    setattr(document, field, value)
                    bulk.replace(document)

        def raw_update(db: Any) -> Awaitable[Any]:
            value = next(counter)
            return tracked_cls.coll(db).bulk_write(
                [UpdateOne({"_id": data["_id"]}, {"$set": {field: value}}) for data in stored]
            )

        loaded: dict[str, list[Any]] = {}

        async def odm_save_changes(db: Any) -> None:
            value = next(counter)
            documents = loaded["pymongo" if db is dbs["pymongo"] else "motor"]
            async with tracked_cls.q(db).bulk() as bulk:
                for document in documents:
                    setattr(document, field, value)
                    bulk.save_changes(document)

        def raw_delete(db: Any) -> Awaitable[Any]:
            return cls.coll(db).bulk_write([DeleteOne({"_id": data["_id"]}) for data in stored])

        async def odm_delete(db: Any) -> None:
            async with cls.q(db).bulk() as bulk:
                for document in models:
                    bulk.delete(document)

        def systems(
            raw: Callable[[Any], Awaitable[Any]],
            odm: Callable[[Any], Awaitable[Any]],
            setup: Callable[[Any], Callable[[], Awaitable[Any]] | None],
        ) -> dict[str, Callable[[], Awaitable[float]]]:
            runs = {}
            for system in SYSTEMS:
                db = dbs[system.removeprefix("odm-")]
                op = odm if system.startswith("odm") else raw
                runs[system] = lambda op=op, db=db: atimed(lambda: op(db), setup=setup(db))
            return runs

        n = self.n
        self.rows.append(
            (
                shape,
                f"bulk insert x{n}",
                await amedians(
                    self.repeat, systems(raw_insert, odm_insert, lambda db: cls.coll(db).drop)
                ),
            )
        )
        await fill(cls, dbs["pymongo"])()
        self.rows.append(
            (
                shape,
                f"bulk replace x{n}",
                await amedians(self.repeat, systems(raw_replace, odm_replace, lambda db: None)),
            )
        )
        await fill(tracked_cls, dbs["pymongo"])()
        for name, db in dbs.items():
            loaded[name] = await tracked_cls.q(db).find({}).to_list(None)
        self.rows.append(
            (
                shape,
                f"bulk save_changes x{n}",
                await amedians(self.repeat, systems(raw_update, odm_save_changes, lambda db: None)),
            )
        )
        loaded.clear()
        self.rows.append(
            (
                shape,
                f"bulk delete x{n}",
                await amedians(
                    self.repeat, systems(raw_delete, odm_delete, lambda db: fill(cls, db))
                ),
            )
        )

    async def memory(self, db: Any) -> None:
        """Peak traced memory while loading ``memory_n`` flat documents."""
        coll = Flat.coll(db)
        await coll.drop()
        batch = [Flat(**flat_values(i)).to_mongo() for i in range(self.memory_n)]
        await coll.insert_many(batch)
        del batch

        async def peak(load: Callable[[], Awaitable[Any]]) -> float:
            gc.collect()
            tracemalloc.start()
            result = await load()
            _, high = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            del result
            return high / 2**20

        raw = await peak(lambda: coll.find({}).to_list(None))
        odm = await peak(lambda: Flat.q(db).find({}).to_list(None))
        self.rows.append(
            ("flat", f"peak MiB loading {self.memory_n}", {"pymongo": raw, "odm-pymongo": odm})
        )

    async def references(self, dbs: dict[str, Any], posts: int = 1000, authors: int = 100) -> None:
        """Posts with their authors: prefetch, against the same ``$in`` by hand with raw
        PyMongo, one ``$lookup`` aggregation, and one query per post (N+1). Timed with
        the cyclic GC on, as applications run."""
        people = [Author(name=f"a{i}", bio="b" * 200) for i in range(authors)]
        written = [
            Post(title=f"p{i}", body="t" * 300, author=people[i % authors]) for i in range(posts)
        ]
        for db in dbs.values():
            await Author.coll(db).drop()
            await Post.coll(db).drop()
        await Author.q(dbs["pymongo"]).insert_many(people)
        await Post.q(dbs["pymongo"]).insert_many(written)
        raw_posts, raw_authors = Post.coll(dbs["pymongo"]), Author.coll(dbs["pymongo"])

        async def by_hand() -> list[dict[str, Any]]:
            found = await raw_posts.find({}).to_list(None)
            ids = list({post["author"] for post in found})
            chosen = await raw_authors.find({"_id": {"$in": ids}}).to_list(None)
            by_id = {author["_id"]: author for author in chosen}
            for post in found:
                post["author"] = by_id.get(post["author"], post["author"])
            return found

        async def lookup() -> list[dict[str, Any]]:
            stage = {"from": Author.meta.collection_name, "localField": "author"}
            stage |= {"foreignField": "_id", "as": "author"}
            cursor = await raw_posts.aggregate([{"$lookup": stage}, {"$unwind": "$author"}])
            return await cursor.to_list(None)

        def prefetch(db: Any) -> Callable[[], Awaitable[Any]]:
            return lambda: Post.q(db).find({}).prefetch(Post.author).to_list(None)

        async def one_by_one() -> list[Post]:
            found = await Post.q(dbs["pymongo"]).find({}).to_list(None)
            authors_q = Author.q(dbs["pymongo"])
            for post in found:
                post.author = await authors_q.get(post.author)
            return found

        runs = {
            "raw $in by hand": by_hand,
            "raw $lookup": lookup,
            "prefetch (odm-pymongo)": prefetch(dbs["pymongo"]),
            "prefetch (odm-motor)": prefetch(dbs["motor"]),
            "N+1 (odm-pymongo)": one_by_one,
        }
        self.reference_posts = (posts, authors)
        prefetched = await runs["prefetch (odm-pymongo)"]()
        expected = sorted((p["title"], p["author"]["name"]) for p in await by_hand())
        assert sorted((p.title, p.author.name) for p in prefetched) == expected
        timed_runs = {name: (lambda run=run: atimed(run, gc_on=True)) for name, run in runs.items()}
        self.reference_rows = await amedians(self.repeat, timed_runs)

    async def writes(self, dbs: dict[str, Any]) -> None:
        """Minimal updates of the nested shape against the raw equivalents, and loading
        with and without change tracking; GC on."""
        n, k = self.n, self.lookups
        pymongo_db, motor_db = dbs["pymongo"], dbs["motor"]
        stored = [build_nested(nested_values(i)).to_mongo() for i in range(n)]
        for cls in (Nested, TrackedNested):
            await cls.coll(pymongo_db).drop()
            await cls.coll(pymongo_db).insert_many([dict(data) for data in stored])

        def gc_on(runs: dict[str, Callable[[], Awaitable[Any]]]) -> Awaitable[dict[str, float]]:
            return amedians(
                self.repeat, {name: (lambda r=r: atimed(r, gc_on=True)) for name, r in runs.items()}
            )

        self.sections.append(
            (
                f"Loading {n} nested documents with and without change tracking (GC on)",
                await gc_on(
                    {
                        "raw find (pymongo)": lambda: (
                            Nested.coll(pymongo_db).find({}).to_list(None)
                        ),
                        "find (odm-pymongo)": lambda: Nested.q(pymongo_db).find({}).to_list(None),
                        "find, track_changes (odm-pymongo)": lambda: (
                            TrackedNested.q(pymongo_db).find({}).to_list(None)
                        ),
                    }
                ),
            )
        )

        some = {"_id": {"$in": [data["_id"] for data in stored[:k]]}}
        tracked = {
            name: await TrackedNested.q(db).find(some).to_list(None) for name, db in dbs.items()
        }
        untracked = await Nested.q(pymongo_db).find(some).to_list(None)
        raw_coll = TrackedNested.coll(pymongo_db)
        counter = iter(range(10**9))

        async def raw_update() -> None:
            value = next(counter)
            for document in tracked["pymongo"]:
                await raw_coll.update_one({"_id": document._id}, {"$set": {"total": value}})

        async def raw_replace() -> None:
            value = next(counter)
            for data in stored[:k]:
                await raw_coll.replace_one({"_id": data["_id"]}, {**data, "total": value})

        def save_changes(db: Any, documents: list[Any]) -> Callable[[], Awaitable[None]]:
            async def run() -> None:
                value = next(counter)
                for document in documents:
                    document.total = value
                    await document.save_changes(db)

            return run

        async def save() -> None:
            value = next(counter)
            for document in untracked:
                document.total = value
                await document.save(pymongo_db)

        self.sections.append(
            (
                f"Writing one changed field of {k} nested documents, one by one (GC on)",
                await gc_on(
                    {
                        "raw update_one $set (pymongo)": raw_update,
                        "raw replace_one (pymongo)": raw_replace,
                        "save_changes (odm-pymongo)": save_changes(pymongo_db, tracked["pymongo"]),
                        "save_changes (odm-motor)": save_changes(motor_db, tracked["motor"]),
                        "save() (odm-pymongo)": save,
                    }
                ),
            )
        )

    def section_report(self) -> list[str]:
        lines: list[str] = []
        for title, rows in self.sections:
            base_name = next(iter(rows))
            base = rows[base_name]
            lines += ["", title, "", f"| way | time | / {base_name} |", "| --- | ---: | ---: |"]
            for name, value in rows.items():
                lines.append(f"| {name} | {value * 1000:.1f} ms | {value / base:.2f}x |")
        return lines

    def reference_report(self) -> list[str]:
        if not self.reference_rows:
            return []
        posts, authors = self.reference_posts
        base = self.reference_rows["raw $in by hand"]
        lines = [
            "",
            f"References: {posts} posts by {authors} authors, each post with its author "
            "document (GC on)",
            "",
            "| way | time | / raw $in by hand |",
            "| --- | ---: | ---: |",
        ]
        for name, value in self.reference_rows.items():
            lines.append(f"| {name} | {value * 1000:.1f} ms | {value / base:.2f}x |")
        return lines

    def table(self, rows: list[tuple[str, str, dict[str, float]]]) -> list[str]:
        lines = [
            "| shape | operation | pymongo | motor | odm-pymongo | odm-motor "
            "| odm-pymongo / pymongo | odm-motor / pymongo | odm us/doc | plain classes us/doc |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for shape, op, row in rows:
            memory = op.startswith("peak")
            unit = (lambda v: f"{v:.1f}") if memory else (lambda v: f"{v * 1000:.1f} ms")
            cells = [unit(row[s]) if s in row else "" for s in SYSTEMS]
            base = row.get("pymongo")
            ratios = [
                f"{row[s] / base:.2f}x" if base and s in row else ""
                for s in ("odm-pymongo", "odm-motor")
            ]
            per_doc = ["", ""]
            if not memory and op in ("construct", "validate", "to_mongo", "from_mongo"):
                per_doc = [
                    f"{row[s] / self.n * 1e6:.2f}" if s in row else ""
                    for s in ("odm-pymongo", "plain")
                ]
            lines.append(f"| {shape} | {op} | " + " | ".join([*cells, *ratios, *per_doc]) + " |")
        return lines

    def report(self) -> str:
        lines = [
            f"aiomongodel benchmark: N={self.n}, median of {self.repeat} runs after a warm-up, "
            "cyclic GC on",
            f"python {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} cpus, {platform.platform()}",
            "",
            *self.table(self.rows),
            "",
            "CPU rows (construct, validate, to_mongo, from_mongo) need no database: their "
            "pymongo column is building the same documents as raw dicts. Their last column "
            "is the same work done by hand with plain classes holding a dict (no fields, "
            "no checks, no conversions): the least one object per document costs in CPython. "
            "Bulk rows: the ODM sends batches of 1000 operations, the raw drivers one "
            "bulk_write call.",
            "",
            "The same rows with the cyclic GC off during timed sections (as timeit does)",
            "",
            *self.table(self.gc_off_rows),
        ]
        lines.extend(self.reference_report())
        lines.extend(self.section_report())
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="aiomongodel vs raw driver benchmark")
    parser.add_argument("--n", type=int, default=20_000, help="documents per operation")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (>= 5)")
    parser.add_argument("--lookups", type=int, default=1_000, help="get/save operations")
    parser.add_argument("--memory-n", type=int, default=100_000, help="documents for memory")
    parser.add_argument("--posts", type=int, default=1_000, help="posts for the references")
    parser.add_argument("--authors", type=int, default=100, help="their distinct authors")
    args = parser.parse_args(argv)
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        parser.error("MONGODB_URI is not set; run through `hatch run bench`")
    bench = Bench(uri, args.n, args.repeat, args.lookups, args.memory_n, (args.posts, args.authors))
    asyncio.run(bench.run())
    print(bench.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
