"""Fixtures of the queryset tests: a fresh database on each asynchronous driver.

``db`` is a PyMongo ``AsyncDatabase`` or a Motor ``AsyncIOMotorDatabase`` named
``test_<uuid hex>``, dropped after the test; ``db.client`` is its client under both drivers.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.drivers import DRIVERS, close, open_client


@pytest.fixture(params=DRIVERS)
async def db(request: pytest.FixtureRequest, mongodb_uri: str) -> AsyncIterator[Any]:
    """A database of its own for the test, on the PyMongo or the Motor asyncio client."""
    driver: str = request.param
    client = open_client(driver, mongodb_uri)
    name = f"test_{uuid.uuid4().hex}"
    try:
        yield client[name]
    finally:
        try:
            await client.drop_database(name)
        finally:
            await close(client)


@pytest.fixture
def is_motor(db: Any) -> bool:
    """Whether ``db`` is a Motor database (for assertions on driver-specific types)."""
    return type(db).__module__.startswith("motor.")
