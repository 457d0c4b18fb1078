"""Change streams of a document class while the primary of a three-node replica set dies.

A PyMongo stream and a Motor stream watch one collection while a writer inserts numbered
documents (``w='majority'``). Once both streams have seen some of them, the primary is
killed with SIGKILL; the writes go on on the new primary. Each stream must then have seen
every document once, in the order written, and without an error reaching the consumer:
the driver resumes the stream by itself, once, from its resume token. The command
listener of each client shows that resumption: a second ``aggregate`` with a
``$changeStream`` stage, sent to another member.

Change streams return only majority-committed changes, so no event can be rolled back;
the writes are majority-acknowledged so that each one the writer counts as done is
still there after the election (see ``test_failover.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from pymongo import monitoring
from pymongo.errors import DuplicateKeyError, PyMongoError
from pymongo.write_concern import WriteConcern

from aiomongodel import ChangeStream, Document, IntField
from devtools.mongod import ReplicaSet
from tests.drivers import close, open_client

pytestmark = pytest.mark.slow

SETTINGS = {"electionTimeoutMillis": 2000, "heartbeatIntervalMillis": 500}
#: Documents inserted before the primary is killed, and after the set has a new one.
BEFORE = 30
AFTER = 30
#: Seconds the whole run may take.
TIMEOUT = 90.0


class Entry(Document[int]):
    _id = IntField()

    class Meta:
        collection = "entries"
        write_concern = WriteConcern("majority")


@pytest.fixture(scope="module")
def replica_set() -> Iterator[ReplicaSet]:
    with ReplicaSet(members=3, settings=SETTINGS) as replica_set:
        yield replica_set


class StreamCommands(monitoring.CommandListener):
    """The hosts that ``aggregate`` commands opening a change stream were sent to."""

    def __init__(self) -> None:
        self.opened_on: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        pipeline = event.command.get("pipeline") if event.command_name == "aggregate" else None
        if pipeline and "$changeStream" in pipeline[0]:
            host, port = event.connection_id
            self.opened_on.append(f"{host}:{port}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_streams_miss_nothing_and_repeat_nothing_across_a_failover(
    replica_set: ReplicaSet,
) -> None:
    pytest.importorskip("motor.motor_asyncio")
    name = f"failover_{uuid.uuid4().hex[:12]}"
    listeners = {driver: StreamCommands() for driver in ("pymongo", "motor")}
    clients = {
        driver: open_client(
            driver, replica_set.uri, serverSelectionTimeoutMS=30000, event_listeners=[listener]
        )
        for driver, listener in listeners.items()
    }
    writer_client = open_client("pymongo", replica_set.uri, serverSelectionTimeoutMS=30000)
    written: list[int] = []
    seen: dict[str, list[int]] = {driver: [] for driver in clients}
    progress = asyncio.Event()

    async def wait_until(condition: Callable[[], bool]) -> None:
        while not condition():
            progress.clear()
            await progress.wait()

    async def consume(driver: str, stream: ChangeStream[Entry]) -> None:
        async for event in stream:
            seen[driver].append(event.document_id)
            progress.set()

    async def write(count: int) -> None:
        db = writer_client[name]
        for _ in range(count):
            number = len(written) + 1
            while True:  # until the insert is known to be stored
                try:
                    await Entry.q(db).insert_one(Entry(_id=number))
                except DuplicateKeyError:  # stored by an attempt whose answer was lost
                    break
                except PyMongoError:
                    continue
                else:
                    break
            written.append(number)
            progress.set()
            await asyncio.sleep(0)  # PyMongo 4.9's client may not yield by itself

    async def run() -> None:
        async with contextlib.AsyncExitStack() as stack:
            streams = {
                driver: await stack.enter_async_context(
                    Entry.q(client[name]).watch(max_await_time_ms=100)
                )
                for driver, client in clients.items()
            }
            consumers = [
                asyncio.create_task(consume(driver, stream)) for driver, stream in streams.items()
            ]
            try:
                await write(BEFORE)
                await wait_until(lambda: all(len(s) >= BEFORE for s in seen.values()))

                primary = replica_set.primary_index()
                assert primary is not None
                old_primary = replica_set.hosts[primary]
                await asyncio.to_thread(replica_set.kill, primary)
                started = time.monotonic()
                await write(AFTER)
                await wait_until(lambda: all(len(s) >= len(written) for s in seen.values()))
                print(f"\nfailover handled in {time.monotonic() - started:.1f} s")
                for task in consumers:
                    assert not task.done(), task  # no error reached a consumer
            finally:
                for task in consumers:
                    task.cancel()
                await asyncio.gather(*consumers, return_exceptions=True)

        for driver, listener in listeners.items():
            assert len(listener.opened_on) == 2, (driver, listener.opened_on)
            assert listener.opened_on[0] == old_primary, (driver, listener.opened_on)
            assert listener.opened_on[1] != old_primary, (driver, listener.opened_on)

    try:
        await asyncio.wait_for(run(), TIMEOUT)
        assert written == list(range(1, BEFORE + AFTER + 1))
        assert seen == {"pymongo": written, "motor": written}
    finally:
        with contextlib.suppress(PyMongoError):
            await writer_client.drop_database(name)
        for client in [*clients.values(), writer_client]:
            await close(client)
