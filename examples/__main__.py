"""Run every example in order against ``MONGODB_URI``; exit non-zero if one fails."""

from __future__ import annotations

import asyncio
import importlib

from examples.connect import mongodb_uri, with_database

EXAMPLES = (
    "models",
    "crud",
    "validation",
    "querying",
    "inheritance",
    "same_collection",
    "transaction",
)


async def run_all() -> None:
    print(f"aiomongodel examples on {mongodb_uri()}")
    for name in EXAMPLES:
        module = importlib.import_module(f"examples.{name}")
        print(f"\n== {name}: {module.__doc__.splitlines()[0]}")
        await with_database(module.main)
    print(f"\nall {len(EXAMPLES)} examples passed")


if __name__ == "__main__":
    asyncio.run(run_all())
