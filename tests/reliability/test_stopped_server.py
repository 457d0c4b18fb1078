"""A server that goes away: operations fail fast, and the same client recovers.

A single-member replica set of the module's own is shut down (SIGTERM) under a client
whose ``serverSelectionTimeoutMS`` is 2000. ODM reads and writes then fail with the
driver's connection errors after about that long instead of hanging, and once the
member is back the same client, and the ODM on it, work again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pymongo.errors
import pytest

from aiomongodel import Document, IntField
from devtools.mongod import ReplicaSet
from tests.drivers import close, open_client

pytestmark = pytest.mark.slow

SERVER_SELECTION_TIMEOUT_MS = 2000
#: Generous bound on how long a failing operation may take (the timeout is 2 s).
MAX_FAILURE_SECONDS = 10.0


class Note(Document):
    _id = IntField()
    number = IntField()


@pytest.fixture(scope="module")
def single_member_set() -> Iterator[ReplicaSet]:
    """A one-member replica set used only by this module's tests."""
    with ReplicaSet(members=1) as replica_set:
        yield replica_set


@pytest.fixture
def running_set(single_member_set: ReplicaSet) -> ReplicaSet:
    """The module's set, restarted first if an earlier test left it stopped."""
    if not single_member_set.is_running(0):
        single_member_set.restart(0)
    single_member_set.wait_for_primary()
    return single_member_set


async def _fails_fast(operation: Any) -> tuple[pymongo.errors.PyMongoError, float]:
    started = time.monotonic()
    with pytest.raises(pymongo.errors.ConnectionFailure) as raised:
        await operation
    return raised.value, time.monotonic() - started


async def test_operations_fail_fast_while_stopped_and_recover(
    running_set: ReplicaSet, driver: str
) -> None:
    client = open_client(
        driver, running_set.uri, serverSelectionTimeoutMS=SERVER_SELECTION_TIMEOUT_MS
    )
    try:
        db = client[f"stopped_{driver}"]
        await Note.q(db).delete_many({})
        await Note.q(db).create(_id=1, number=1)

        await asyncio.to_thread(running_set.terminate, 0)

        (read_error, read_seconds), (write_error, write_seconds) = await asyncio.gather(
            _fails_fast(Note.q(db).get(1)), _fails_fast(Note(_id=2, number=2).save(db))
        )
        print(
            f"\n[{driver}] server stopped: read failed after {read_seconds:.1f} s with "
            f"{type(read_error).__name__}, write after {write_seconds:.1f} s with "
            f"{type(write_error).__name__}"
        )
        for error, seconds in ((read_error, read_seconds), (write_error, write_seconds)):
            assert seconds < MAX_FAILURE_SECONDS, f"{type(error).__name__} after {seconds:.1f} s"
            assert seconds >= SERVER_SELECTION_TIMEOUT_MS / 1000 * 0.9, (
                f"{type(error).__name__} after {seconds:.1f} s, before the selection timeout"
            )

        await asyncio.to_thread(running_set.restart, 0)
        await asyncio.to_thread(running_set.wait_for_primary)

        assert (await Note.q(db).get(1)).number == 1
        await Note(_id=2, number=2).save(db)
        await Note.q(db).create(_id=3, number=3)
        assert [note.number async for note in Note.q(db).find(sort=[("_id", 1)])] == [1, 2, 3]
    finally:
        await close(client)
