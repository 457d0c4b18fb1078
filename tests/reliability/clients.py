"""Open and close a client of either asynchronous driver on any connection string."""

from __future__ import annotations

from typing import Any

import pytest

DRIVERS = ["pymongo", "motor"]


def open_client(driver: str, uri: str, **options: Any) -> Any:
    """A PyMongo ``AsyncMongoClient`` or a Motor ``AsyncIOMotorClient`` on ``uri``.

    Motor is skipped when it is not installed.
    """
    if driver == "pymongo":
        from pymongo import AsyncMongoClient

        return AsyncMongoClient(uri, **options)
    motor_asyncio = pytest.importorskip("motor.motor_asyncio")
    return motor_asyncio.AsyncIOMotorClient(uri, **options)


async def close_client(client: Any) -> None:
    """Close a client of either driver (``close`` is a coroutine only in PyMongo)."""
    result = client.close()
    if result is not None:
        await result
