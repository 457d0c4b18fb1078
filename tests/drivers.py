"""Helpers that hide the differences between the asynchronous MongoDB drivers in tests.

PyMongo's own asynchronous API (``pymongo.AsyncMongoClient``, PyMongo >= 4.9) and Motor
differ in which calls are coroutines: ``start_session`` is a coroutine in Motor and a plain
method in PyMongo, ``start_transaction`` is the opposite, ``aggregate`` returns a cursor in
Motor and a coroutine in PyMongo, and ``close`` is a coroutine only in PyMongo. Each helper
here accepts either driver.
"""

from __future__ import annotations

import contextlib
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

import pytest

#: The asynchronous drivers every database test runs on.
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


async def _resolve(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


async def start_session(client: Any, **options: Any) -> Any:
    """Start a client session, to be used as ``async with await start_session(client)``."""
    return await _resolve(client.start_session(**options))


@contextlib.asynccontextmanager
async def transaction(session: Any, **options: Any) -> AsyncIterator[Any]:
    """Run the body in a transaction on ``session``.

    The transaction commits when the body finishes and aborts when it raises.
    """
    context = await _resolve(session.start_transaction(**options))
    async with context:
        yield session


async def aggregate(collection: Any, pipeline: Sequence[Mapping[str, Any]], **options: Any) -> Any:
    """Return the cursor of an aggregation on ``collection``."""
    return await _resolve(collection.aggregate(list(pipeline), **options))


async def close(client: Any) -> None:
    """Close ``client`` and its connections."""
    await _resolve(client.close())


def run_on_motor_tornado(uri: str, body: Callable[[Any], Awaitable[None]]) -> None:
    """Run ``await body(db)`` on Tornado's IOLoop, ``db`` a Motor Tornado database of its
    own, dropped afterwards. Skipped if Tornado or Motor is not installed."""
    ioloop = pytest.importorskip("tornado.ioloop")
    motor_tornado = pytest.importorskip("motor.motor_tornado")

    async def run() -> None:
        client = motor_tornado.MotorClient(uri)
        name = f"test_{uuid.uuid4().hex}"
        try:
            await body(client[name])
        finally:
            await client.drop_database(name)
            client.close()

    loop = ioloop.IOLoop()
    try:
        loop.run_sync(run)
    finally:
        loop.close(all_fds=True)
