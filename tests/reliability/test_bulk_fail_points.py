"""Bulk writes under injected faults: what the bulk reports is what is stored.

The server's ``failCommand`` fail point (a test command: the server must run with
``enableTestCommands=1``, as the one of the test session does) fails one ``insert`` or
``update`` command of a bulk, the one after the bulk's first command of that kind
succeeded, so that a ``bulk_write`` call fails in the middle of the bulk:

* a network error (``closeConnection``): the server drops the connection without running
  the command;
* a retryable write concern error (``RetryableWriteError``): the server applies the write,
  then reports the error, as a primary stepping down would.

With retryable writes on, the driver retries the call once and the server recognizes the
retry: every write is applied exactly once. With them off, the bulk reports the call's
operations as of unknown outcome (network error), or as written with a write concern
error. Either way every write reported as written is stored exactly once (each one pushes
a number to a list, which a second application would duplicate), nothing reported as
not attempted is stored, and the objects' versions and copies of their stored form are
what is stored, so that sending their changes again completes the work exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pymongo
import pymongo.errors
import pytest

from aiomongodel import BulkWriteError, Document, IntField, ListField
from tests.drivers import close, open_client
from tests.fail_points import (
    NETWORK_ERROR,
    OFF,
    SHUTDOWN_WRITE_CONCERN,
    FailAfterFirst,
    skip_unless_available,
)

pytestmark = pytest.mark.slow

#: Documents per bulk, and operations per ``bulk_write`` call: three calls.
DOCUMENTS = 12
BATCH_SIZE = 4

FAULTS: dict[str, dict[str, Any]] = {
    "network": NETWORK_ERROR,
    "retryable write concern": {
        "writeConcernError": {**SHUTDOWN_WRITE_CONCERN, "errorLabels": ["RetryableWriteError"]}
    },
}


class Counter(Document[int]):
    _id = IntField()
    pushes = ListField(IntField(), default=list)

    class Meta:
        collection = "counters"
        track_changes = True
        version_field = "version"


class PlainCounter(Document[int]):
    """No locking: only the pushes tell a write applied twice."""

    _id = IntField()
    pushes = ListField(IntField(), default=list)

    class Meta:
        collection = "plain_counters"
        track_changes = True


@pytest.fixture
def admin(mongodb_uri: str) -> Iterator[pymongo.MongoClient[dict[str, Any]]]:
    """A synchronous client for the fail point, skipping if the server has no test
    commands."""
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(mongodb_uri)
    try:
        try:
            client.admin.command(OFF)
        except pymongo.errors.OperationFailure as error:
            skip_unless_available(error)
        yield client
    finally:
        client.close()


@pytest.fixture(params=[True, False], ids=["retry", "no-retry"])
async def faulty(
    request: pytest.FixtureRequest,
    driver: str,
    mongodb_uri: str,
    admin: pymongo.MongoClient[dict[str, Any]],
) -> AsyncIterator[tuple[Any, FailAfterFirst, bool]]:
    """A database on a client whose commands can be made to fail, with retryable writes
    on or off; the fail point is off again afterwards."""
    retry_writes: bool = request.param
    app_name = f"bulk-{uuid.uuid4().hex[:12]}"
    fail_point = FailAfterFirst(admin, app_name)
    client = open_client(
        driver,
        mongodb_uri,
        appname=app_name,
        retryWrites=retry_writes,
        event_listeners=[fail_point],
    )
    fail_point.database = f"test_{uuid.uuid4().hex}"
    try:
        yield client[fail_point.database], fail_point, retry_writes
    finally:
        try:
            fail_point.off()
        finally:
            await client.drop_database(fail_point.database)
            await close(client)


async def stored(db: Any, cls: type[Any]) -> dict[int, dict[str, Any]]:
    collection = db[cls.meta.collection_name]
    return {document["_id"]: document async for document in collection.find({})}


def outcome(error: BulkWriteError | None, total: int) -> tuple[set[int], set[int], set[int]]:
    """``(written, not written, unknown)`` operation indexes, as the bulk reported them."""
    if error is None:
        return set(range(total)), set(), set()
    unwritten = {failure.index for failure in error.failures} | set(error.not_attempted)
    unknown = set(error.unknown)
    return set(range(total)) - unwritten - unknown, unwritten, unknown


async def send(bulk: Any) -> BulkWriteError | None:
    try:
        await bulk.execute()
    except BulkWriteError as error:
        return error
    return None


def check_reported(
    error: BulkWriteError | None, fail_point: FailAfterFirst, retry_writes: bool, fault: str
) -> None:
    """What the bulk must report for the fault: nothing with retries (the failed
    command sent again); without, the second call's operations of unknown outcome (and
    the third not attempted) after a network error, everything written with a write
    concern error."""
    command = fail_point.command
    if retry_writes:
        assert error is None
        assert fail_point.sent.count(command) == 4
        return
    assert fail_point.sent.count(command) == (2 if fault == "network" else 3)
    assert error is not None
    assert error.failures == ()
    if fault == "network":
        assert error.unknown == tuple(range(BATCH_SIZE, 2 * BATCH_SIZE))
        assert error.not_attempted == tuple(range(2 * BATCH_SIZE, DOCUMENTS))
        assert isinstance(error.__cause__, pymongo.errors.ConnectionFailure)
        assert "is unknown: they may have been written" in str(error)
        assert error.result.batches == 2
    else:
        assert (error.unknown, error.not_attempted) == ((), ())
        assert [e["code"] for e in error.write_concern_errors] == [91]
        assert error.result.batches == 3
        count = error.result.inserted_count if command == "insert" else error.result.matched_count
        assert count == DOCUMENTS


def check_objects(documents: list[Any], rows: dict[int, dict[str, Any]], unknown: set[int]) -> None:
    """Each object's copy of its stored form (and version) is what is stored, except for
    operations of unknown outcome, whose objects were left as they were."""
    for index, document in enumerate(documents):
        if index in unknown:
            continue
        row = rows.get(document._id)
        assert document._stored == row, index
        if row is not None and document.meta.version_field is not None:
            assert document.version == row["version"], index


@pytest.mark.parametrize("cls", [Counter, PlainCounter], ids=["locked", "unlocked"])
@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("ordered", [True, False], ids=["ordered", "unordered"])
async def test_a_failed_insert_call(
    faulty: tuple[Any, FailAfterFirst, bool], cls: type[Any], fault: str, ordered: bool
) -> None:
    db, fail_point, retry_writes = faulty
    documents = [cls(_id=i, pushes=[i]) for i in range(DOCUMENTS)]
    bulk = cls.q(db).bulk(ordered=ordered, batch_size=BATCH_SIZE)
    for document in documents:
        bulk.insert(document)
    fail_point.arm("insert", FAULTS[fault])
    error = await send(bulk)
    check_reported(error, fail_point, retry_writes, fault)

    rows = await stored(db, cls)
    written, unwritten, unknown = outcome(error, DOCUMENTS)
    assert all(rows[i]["pushes"] == [i] for i in written)
    assert not any(i in rows for i in unwritten)
    check_objects(documents, rows, unknown)

    for index in unknown:
        if index in rows:
            await documents[index].reload(db)
    again = cls.q(db).bulk(ordered=ordered, batch_size=BATCH_SIZE)
    for document in documents:
        again.save_changes(document)
    await again.execute()
    rows = await stored(db, cls)
    assert {i: row["pushes"] for i, row in rows.items()} == {i: [i] for i in range(DOCUMENTS)}


@pytest.mark.parametrize("cls", [Counter, PlainCounter], ids=["locked", "unlocked"])
@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("ordered", [True, False], ids=["ordered", "unordered"])
async def test_a_failed_update_call(
    faulty: tuple[Any, FailAfterFirst, bool], cls: type[Any], fault: str, ordered: bool
) -> None:
    db, fail_point, retry_writes = faulty
    await cls.q(db).insert_many([cls(_id=i) for i in range(DOCUMENTS)])
    documents = await cls.q(db).find({}, sort=[("_id", 1)]).to_list(None)
    bulk = cls.q(db).bulk(ordered=ordered, batch_size=BATCH_SIZE)
    for document in documents:
        document.pushes.append(document._id)
        bulk.save_changes(document)
    fail_point.arm("update", FAULTS[fault])
    error = await send(bulk)
    check_reported(error, fail_point, retry_writes, fault)

    rows = await stored(db, cls)
    written, unwritten, unknown = outcome(error, DOCUMENTS)
    assert all(rows[i]["pushes"] == [i] for i in written)
    assert all(rows[i]["pushes"] == [] for i in unwritten)
    assert all(rows[i]["pushes"] in ([], [i]) for i in unknown)
    check_objects(documents, rows, unknown)

    for index in unknown:
        await documents[index].reload(db)
        documents[index].pushes = [index]
    again = cls.q(db).bulk(ordered=ordered, batch_size=BATCH_SIZE)
    for document in documents:
        again.save_changes(document)
    await again.execute()
    rows = await stored(db, cls)
    assert {i: row["pushes"] for i, row in rows.items()} == {i: [i] for i in range(DOCUMENTS)}
    if cls is Counter:
        assert {row["version"] for row in rows.values()} == {1}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_call_with_a_multi_update_is_not_retried(
    faulty: tuple[Any, FailAfterFirst, bool], fault: str
) -> None:
    """An update of ``many=True`` makes its call not retryable, even with retryable
    writes on: after a network error its outcome is unknown."""
    db, fail_point, _ = faulty
    await Counter.q(db).insert_many([Counter(_id=i) for i in range(DOCUMENTS)])
    documents = await Counter.q(db).find({}, sort=[("_id", 1)]).to_list(None)
    bulk = Counter.q(db).bulk(batch_size=BATCH_SIZE)
    for document in documents[:BATCH_SIZE]:
        document.pushes.append(document._id)
        bulk.save_changes(document)
    bulk.update({"_id": {"$gte": 100}}, {"$inc": {"missing": 1}}, many=True)
    for document in documents[BATCH_SIZE : 2 * BATCH_SIZE - 1]:
        document.pushes.append(document._id)
        bulk.save_changes(document)
    fail_point.arm("update", FAULTS[fault])
    error = await send(bulk)
    assert error is not None
    rows = await stored(db, Counter)
    first, second = documents[:BATCH_SIZE], documents[BATCH_SIZE : 2 * BATCH_SIZE - 1]
    assert all(rows[d._id]["pushes"] == [d._id] for d in first)
    check_objects(first, rows, set())
    if fault == "network":
        assert error.unknown == tuple(range(BATCH_SIZE, 2 * BATCH_SIZE))
        assert isinstance(error.__cause__, pymongo.errors.ConnectionFailure)
        assert all(rows[d._id]["pushes"] in ([], [d._id]) for d in second)
        assert all(d.version == 0 and d._stored["pushes"] == [] for d in second)
    else:
        assert [e["code"] for e in error.write_concern_errors] == [91]
        assert (error.unknown, error.not_attempted) == ((), ())
        assert all(rows[d._id]["pushes"] == [d._id] for d in second)
        check_objects(second, rows, set())
    assert fail_point.sent.count("update") == 2
