"""Fixtures of the reliability tests: a fresh database on each asynchronous driver.

``driver`` is ``"pymongo"`` or ``"motor"``; ``db`` is a database of its own on the
session's replica set, on that driver. The tests that break servers start their own.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.drivers import DRIVERS, close, open_client


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    """The name of the asynchronous driver under test."""
    name: str = request.param
    if name == "motor":
        pytest.importorskip("motor.motor_asyncio")
    return name


@pytest.fixture
async def db(driver: str, mongodb_uri: str) -> AsyncIterator[Any]:
    """A database of its own on the session's replica set, dropped after the test."""
    client = open_client(driver, mongodb_uri)
    name = f"test_{uuid.uuid4().hex}"
    try:
        yield client[name]
    finally:
        try:
            await client.drop_database(name)
        finally:
            await close(client)
