"""Benchmark aiomongodel against the raw drivers on the same server and documents.

Run with ``hatch run bench`` (a throwaway MongoDB is started unless ``MONGODB_URI`` is
set) or ``python benchmarks/bench.py --n 20000 --repeat 5``. Every timing is the median of
``--repeat`` runs after one warm-up run; ratios are to raw PyMongo async in the same run.

Shapes follow MongoDB's ODM benchmarking specification: *flat* (ten scalar fields) and
*nested* (an embedded document plus a list of five embedded documents).
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

from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import AsyncMongoClient

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.fields import (
    BoolField,
    DateTimeField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
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


def build_nested(values: dict[str, Any]) -> Nested:
    """A nested document built from objects, as application code does."""
    return Nested(
        name=values["name"],
        total=values["total"],
        address=Address(**values["address"]),
        items=[Item(**item) for item in values["items"]],
    )


SHAPES: dict[str, tuple[type[Document], Callable[[int], dict[str, Any]], Callable[..., Any]]] = {
    "flat": (Flat, flat_values, lambda v: Flat(**v)),
    "nested": (Nested, nested_values, build_nested),
}


def median_of(repeat: int, run: Callable[[], float]) -> float:
    run()  # warm-up
    return statistics.median(run() for _ in range(repeat))


async def amedian_of(repeat: int, run: Callable[[], Awaitable[float]]) -> float:
    await run()  # warm-up
    return statistics.median([await run() for _ in range(repeat)])


# Like timeit, timed sections run with the cyclic garbage collector off: its pauses
# depend on everything else alive in the process, not on the operation measured.


def timed(func: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        func()
        return time.perf_counter() - start
    finally:
        gc.enable()


async def atimed(func: Callable[[], Awaitable[Any]]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        await func()
        return time.perf_counter() - start
    finally:
        gc.enable()


class Bench:
    """One benchmark run: every operation for every system on one shape."""

    def __init__(self, uri: str, n: int, repeat: int, lookups: int, memory_n: int) -> None:
        self.uri, self.n, self.repeat = uri, n, repeat
        self.lookups, self.memory_n = lookups, memory_n
        self.rows: list[tuple[str, str, dict[str, float]]] = []

    async def run(self) -> None:
        pymongo_client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(self.uri)
        motor_client: Any = AsyncIOMotorClient(self.uri)
        name = f"bench_{uuid.uuid4().hex[:8]}"
        dbs = {"pymongo": pymongo_client[name], "motor": motor_client[name]}
        try:
            for shape in SHAPES:
                self.cpu(shape)
                await self.database(shape, dbs)
            await self.memory(dbs["pymongo"])
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
        raw = {
            "pymongo": median_of(
                self.repeat, lambda: timed(lambda: [values_of(i) for i in range(self.n)])
            )
        }

        def odm(run: Callable[[], Any]) -> dict[str, float]:
            t = median_of(self.repeat, lambda: timed(run))
            return {**raw, "odm-pymongo": t}

        self.rows.append((shape, "construct", odm(lambda: [build(v) for v in values])))
        self.rows.append((shape, "validate", odm(lambda: [d.validate() for d in docs])))
        self.rows.append((shape, "to_mongo", odm(lambda: [d.to_mongo() for d in docs])))
        from_mongo = cls.from_mongo
        self.rows.append((shape, "from_mongo", odm(lambda: [from_mongo(s) for s in stored])))

    async def database(self, shape: str, dbs: dict[str, Any]) -> None:
        cls, values_of, build = SHAPES[shape]
        n, lookups = self.n, self.lookups
        raw_docs = [build(values_of(i)).to_mongo() for i in range(n)]

        async def fill(db: Any) -> list[Any]:
            await cls.coll(db).drop()
            return await cls.q(db).insert_many(build(values_of(i)) for i in range(n))

        models = [build(values_of(i)) for i in range(n)]

        def insert(db: Any, documents: list[Any], odm: bool) -> Callable[[], Awaitable[Any]]:
            async def go() -> None:
                await cls.coll(db).drop()
                if odm:
                    await cls.q(db).insert_many(documents)
                else:
                    await cls.coll(db).insert_many(documents)

            return go

        # insert_many: the raw drivers insert ready dicts, the ODM the same documents as
        # model objects (so its time includes to_mongo).
        row: dict[str, float] = {}
        for system in SYSTEMS:
            db = dbs[system.removeprefix("odm-")]
            odm = system.startswith("odm")
            documents = models if odm else raw_docs
            row[system] = await amedian_of(
                self.repeat, lambda db=db, d=documents, o=odm: atimed(insert(db, d, o))
            )
        self.rows.append((shape, "insert_many", row))

        ids = await fill(dbs["pymongo"])
        sample = ids[:: max(1, len(ids) // lookups)][:lookups]

        def per_system(
            raw: Callable[[Any], Awaitable[Any]], odm: Callable[[Any], Awaitable[Any]]
        ) -> Callable[[], Awaitable[dict[str, float]]]:
            async def measure() -> dict[str, float]:
                result = {}
                for system in SYSTEMS:
                    db = dbs[system.removeprefix("odm-")]
                    op = odm if system.startswith("odm") else raw
                    result[system] = await amedian_of(
                        self.repeat, lambda op=op, db=db: atimed(lambda: op(db))
                    )
                return result

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

        async def raw_save(db: Any) -> None:
            coll = cls.coll(db)
            for data in loaded_raw["pymongo" if isinstance(db, type(dbs["pymongo"])) else "motor"]:
                await coll.replace_one({"_id": data["_id"]}, data, upsert=True)

        async def odm_save(db: Any) -> None:
            for document in loaded["pymongo" if isinstance(db, type(dbs["pymongo"])) else "motor"]:
                await document.save(db)

        for op, raw, odm in (
            ("find all (to_list)", raw_to_list, odm_to_list),
            ("find all (async for)", raw_iterate, odm_iterate),
            (f"get by id x{len(sample)}", raw_get, odm_get),
            (f"save x{len(sample)}", raw_save, odm_save),
        ):
            self.rows.append((shape, op, await per_system(raw, odm)()))

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

    def report(self) -> str:
        lines = [
            f"aiomongodel benchmark: N={self.n}, median of {self.repeat} runs after a warm-up",
            f"python {platform.python_version()}, {platform.machine()}, "
            f"{os.cpu_count()} cpus, {platform.platform()}",
            "",
            "| shape | operation | pymongo | motor | odm-pymongo | odm-motor "
            "| odm-pymongo / pymongo | odm-motor / pymongo | odm us/doc |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for shape, op, row in self.rows:
            memory = op.startswith("peak")
            unit = (lambda v: f"{v:.1f}") if memory else (lambda v: f"{v * 1000:.1f} ms")
            cells = [unit(row[s]) if s in row else "" for s in SYSTEMS]
            base = row.get("pymongo")
            ratios = [
                f"{row[s] / base:.2f}x" if base and s in row else ""
                for s in ("odm-pymongo", "odm-motor")
            ]
            per_doc = ""
            if not memory and op in ("construct", "validate", "to_mongo", "from_mongo"):
                per_doc = f"{row['odm-pymongo'] / self.n * 1e6:.2f}"
            lines.append(f"| {shape} | {op} | " + " | ".join([*cells, *ratios, per_doc]) + " |")
        lines.append("")
        lines.append(
            "CPU rows (construct, validate, to_mongo, from_mongo) need no database: their "
            "pymongo column is building the same documents as raw dicts."
        )
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="aiomongodel vs raw driver benchmark")
    parser.add_argument("--n", type=int, default=20_000, help="documents per operation")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (>= 5)")
    parser.add_argument("--lookups", type=int, default=1_000, help="get/save operations")
    parser.add_argument("--memory-n", type=int, default=100_000, help="documents for memory")
    args = parser.parse_args(argv)
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        parser.error("MONGODB_URI is not set; run through `hatch run bench`")
    bench = Bench(uri, args.n, args.repeat, args.lookups, args.memory_n)
    asyncio.run(bench.run())
    print(bench.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
