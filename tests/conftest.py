"""Fixtures shared by the whole test suite.

Tests that talk to MongoDB request ``mongodb_uri`` (directly or through ``pymongo_client``,
``pymongo_db`` or ``db``). The server is the one named by the ``MONGODB_URI`` environment
variable or, when that is unset, a throwaway single-member replica set started on first use
and stopped at the end of the session. Tests that request none of these never start a server.

``db`` runs its test on each asynchronous driver (``driver`` names the one in use): a
PyMongo ``AsyncDatabase`` or a Motor ``AsyncIOMotorDatabase`` named ``test_<uuid hex>``,
dropped after the test; ``db.client`` is its client under both drivers.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests.drivers import DRIVERS, close, open_client

if TYPE_CHECKING:
    from pymongo.asynchronous.database import AsyncDatabase
    from pymongo.asynchronous.mongo_client import AsyncMongoClient


@pytest.fixture(scope="session")
def mongodb_uri() -> Iterator[str]:
    """The connection string of a MongoDB replica set for this test session."""
    configured = os.environ.get("MONGODB_URI")
    if configured:
        yield configured
        return
    from devtools.mongod import ReplicaSet

    with ReplicaSet() as replica_set:
        yield replica_set.uri


@pytest.fixture
async def pymongo_client(mongodb_uri: str) -> AsyncIterator[AsyncMongoClient[dict[str, Any]]]:
    """A PyMongo asynchronous client bound to the test's event loop."""
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
    try:
        yield client
    finally:
        await client.close()


@pytest.fixture
async def pymongo_db(
    pymongo_client: AsyncMongoClient[dict[str, Any]],
) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    """A database of its own for the test, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    try:
        yield pymongo_client[name]
    finally:
        await pymongo_client.drop_database(name)


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    """The name of the asynchronous driver under test; Motor is skipped if not installed."""
    name: str = request.param
    if name == "motor":
        pytest.importorskip("motor.motor_asyncio")
    return name


@pytest.fixture
async def db(driver: str, mongodb_uri: str) -> AsyncIterator[Any]:
    """A database of its own for the test, on the PyMongo or the Motor asyncio client."""
    client = open_client(driver, mongodb_uri)
    name = f"test_{uuid.uuid4().hex}"
    try:
        yield client[name]
    finally:
        try:
            await client.drop_database(name)
        finally:
            await close(client)
