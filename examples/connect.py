"""Connect an example to the server in ``MONGODB_URI`` with a throwaway database."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from pymongo import AsyncMongoClient

DEFAULT_URI = "mongodb://127.0.0.1:27017/?replicaSet=rs0"


def mongodb_uri() -> str:
    """The server the examples use: ``MONGODB_URI``, else a local replica set."""
    return os.environ.get("MONGODB_URI", DEFAULT_URI)


async def with_database(main: Callable[[Any], Awaitable[None]], uri: str | None = None) -> None:
    """Run ``main(db)`` on a fresh database, dropped afterwards."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(uri or mongodb_uri())
    name = f"aiomongodel_example_{uuid.uuid4().hex[:12]}"
    try:
        await main(client[name])
    finally:
        await client.drop_database(name)
        await client.close()


def run(main: Callable[[Any], Awaitable[None]]) -> None:
    """Entry point of ``python -m examples.<name>``."""
    asyncio.run(with_database(main))
