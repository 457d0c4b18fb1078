"""ODM writes while a member of a three-node replica set dies.

A stream of numbered writes (``q(db).insert_one`` and ``save()``, from a few coroutines
at once) runs against a three-node replica set of the module's own while a fault is
injected: the primary killed with SIGKILL, the primary shut down with SIGTERM, or a
secondary killed. The stream goes on through the election. Afterwards every write the
driver acknowledged is in the collection, and the same client keeps working.

Why ``w='majority'`` (``Meta.write_concern``): with the default ``w=1`` the primary
acknowledges a write as soon as it has applied it itself. Killed before a secondary has
copied it, the write exists only on the dead member: the new primary never had it, and
when the old one comes back it rolls the write back. An acknowledged write would be lost,
and that is MongoDB's documented behaviour, not an ODM failure. With ``w='majority'`` a
write is acknowledged only once two of the three members have it; an election needs two
votes, and a member refuses its vote to a candidate whose oplog is behind its own, so the
new primary always has every majority-acknowledged write.

Why no write is expected to fail: retryable writes are on (the drivers' default), and a
single-document insert or replace interrupted by the failover is retried once on the new
primary, which the client waits for up to ``serverSelectionTimeoutMS`` (30 s here).
A failure is still recorded, as "not acknowledged", rather than failing the test; only a
missing acknowledged write does. One case turns retryable writes off: the writes in flight
when the primary dies then fail, and some of them may be stored all the same.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pymongo
import pytest
from pymongo.errors import PyMongoError
from pymongo.write_concern import WriteConcern

from aiomongodel import Document, IntField
from devtools.mongod import ReplicaSet
from tests.drivers import close, open_client

pytestmark = pytest.mark.slow

SETTINGS = {"electionTimeoutMillis": 2000, "heartbeatIntervalMillis": 500}
#: Coroutines writing at the same time.
WRITERS = 4
#: Writes acknowledged before the fault, and after the set has a primary again.
WRITES_BEFORE = 40
WRITES_AFTER = 40
#: Seconds the whole stream may take.
STREAM_TIMEOUT = 60.0


class Entry(Document):
    """A numbered write; majority write concern so that it survives a failover."""

    _id = IntField()
    writer = IntField()
    method = IntField()

    class Meta:
        collection = "entries"
        write_concern = WriteConcern("majority")


# --------------------------------------------------------------------------------------------
# The replica set


@pytest.fixture(scope="module")
def three_members() -> Iterator[ReplicaSet]:
    """A three-node replica set shared by this module's tests, with fast elections."""
    with ReplicaSet(members=3, settings=SETTINGS) as replica_set:
        yield replica_set


@pytest.fixture
def replica_set(three_members: ReplicaSet) -> ReplicaSet:
    """The module's set with every member up and member 0 primary, as after its start.

    Members an earlier test stopped are restarted. Member 0 has the highest priority and
    would take the primary role back by itself some seconds after catching up; asking it
    to step up now keeps that election out of the next test.
    """
    for index in range(three_members.members):
        if not three_members.is_running(index):
            three_members.restart(index)
    with contextlib.ExitStack() as stack:
        members = [
            stack.enter_context(
                pymongo.MongoClient(host, directConnection=True, serverSelectionTimeoutMS=1000)
            )
            for host in three_members.hosts
        ]
        _wait_for_healthy_set(three_members, members)
    return three_members


def _wait_for_healthy_set(replica_set: ReplicaSet, members: list[Any]) -> None:
    deadline = time.monotonic() + 60.0
    next_step_up = 0.0
    while True:
        primary = replica_set.primary_index()
        states: list[int] = []
        with contextlib.suppress(PyMongoError):
            status = members[primary or 0].admin.command("replSetGetStatus")
            states = [member["state"] for member in status["members"]]
        if primary == 0 and len(states) == replica_set.members and set(states) <= {1, 2}:
            return
        if primary != 0 and states[:1] == [2] and time.monotonic() > next_step_up:
            next_step_up = time.monotonic() + 1.0
            with contextlib.suppress(PyMongoError):
                members[0].admin.command("replSetStepUp")
        if time.monotonic() > deadline:
            raise TimeoutError(f"replica set not healthy: primary {primary}, states {states}")
        time.sleep(0.1)


# --------------------------------------------------------------------------------------------
# Faults


def _kill_primary(replica_set: ReplicaSet) -> str:
    index = replica_set.primary_index()
    assert index is not None
    replica_set.kill(index)
    return f"SIGKILL primary (member {index})"


def _terminate_primary(replica_set: ReplicaSet) -> str:
    index = replica_set.primary_index()
    assert index is not None
    replica_set.terminate(index)
    return f"SIGTERM primary (member {index})"


def _kill_secondary(replica_set: ReplicaSet) -> str:
    primary = replica_set.primary_index()
    index = next(i for i in range(replica_set.members) if i != primary)
    replica_set.kill(index)
    return f"SIGKILL secondary (member {index})"


# --------------------------------------------------------------------------------------------
# The stream of writes


@dataclass
class WriteStream:
    """Numbered ODM writes from several coroutines; records what was acknowledged."""

    db: Any
    #: ``{number: time.monotonic() when acknowledged}``.
    acknowledged: dict[int, float] = field(default_factory=dict)
    #: ``{number: name of the driver error}`` for writes that raised.
    failed: dict[int, str] = field(default_factory=dict)
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _running: bool = True
    _progress: asyncio.Event = field(default_factory=asyncio.Event)

    async def _write(self, writer: int) -> None:
        while self._running:
            number = next(self._numbers)
            entry = Entry(_id=number, writer=writer, method=number % 2)
            try:
                if number % 2:
                    await Entry.q(self.db).insert_one(entry)
                else:
                    await entry.save(self.db)
            except PyMongoError as error:
                self.failed[number] = type(error).__name__
                await asyncio.sleep(0.05)
            else:
                self.acknowledged[number] = time.monotonic()
            self._progress.set()
            # PyMongo 4.9's AsyncMongoClient does blocking socket I/O, so an awaited write
            # may never suspend: yield, or this loop would starve the other tasks.
            await asyncio.sleep(0)

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Return once ``condition()`` is true, checking it after every write."""
        while not condition():
            self._progress.clear()
            await self._progress.wait()

    async def run_until(self, done: Callable[[], bool]) -> None:
        """Write from :data:`WRITERS` coroutines until ``done()`` is true."""

        async def watch() -> None:
            try:
                await self.wait_until(done)
            finally:
                self._running = False

        await asyncio.wait_for(
            asyncio.gather(watch(), *(self._write(writer) for writer in range(WRITERS))),
            STREAM_TIMEOUT,
        )

    def acknowledged_since(self, moment: float) -> int:
        return sum(1 for acked_at in self.acknowledged.values() if acked_at > moment)

    def longest_pause(self) -> float:
        times = sorted(self.acknowledged.values())
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)


RETRYABLE: dict[str, Any] = {}
NOT_RETRYABLE: dict[str, Any] = {"retryWrites": False}

FAULTS = [
    pytest.param(_kill_primary, "pymongo", RETRYABLE, id="kill-primary-pymongo"),
    pytest.param(_kill_primary, "motor", RETRYABLE, id="kill-primary-motor"),
    pytest.param(_terminate_primary, "pymongo", RETRYABLE, id="terminate-primary-pymongo"),
    pytest.param(_kill_secondary, "pymongo", RETRYABLE, id="kill-secondary-pymongo"),
    pytest.param(_kill_primary, "pymongo", NOT_RETRYABLE, id="kill-primary-no-retry-pymongo"),
]


@pytest.mark.parametrize(("fault", "driver", "options"), FAULTS)
async def test_acknowledged_writes_survive_a_fault(
    replica_set: ReplicaSet,
    fault: Callable[[ReplicaSet], str],
    driver: str,
    options: dict[str, Any],
) -> None:
    """Every acknowledged write is stored after the fault, and the client carries on.

    With ``retryWrites=False`` the writes in flight when the primary dies fail (some may
    be stored all the same): that case checks the bookkeeping of failed writes too.
    """
    client = open_client(driver, replica_set.uri, serverSelectionTimeoutMS=30000, **options)
    db = client[f"failover_{uuid.uuid4().hex[:12]}"]
    try:
        stream = WriteStream(db)
        fault_task = asyncio.create_task(_inject_after_writes(replica_set, fault, stream))
        await stream.run_until(
            lambda: (
                fault_task.done()
                and stream.acknowledged_since(fault_task.result()[1]) >= WRITES_AFTER
            )
        )
        description, recovered_at = fault_task.result()

        found = {entry._id async for entry in Entry.q(db).find({}, {"_id": 1})}
        acknowledged = set(stream.acknowledged)
        missing = sorted(acknowledged - found)
        attempted = acknowledged | set(stream.failed)
        unexpected = sorted(found - attempted)
        stored_anyway = len(found & set(stream.failed))
        retry = "retryWrites=false" if options.get("retryWrites") is False else "retryable"
        summary = (
            f"[{driver}, {retry}] {description}: acknowledged={len(acknowledged)} "
            f"found={len(found)} failed={len(stream.failed)} (stored anyway: {stored_anyway}) "
            f"missing={len(missing)} longest pause={stream.longest_pause():.1f}s "
            f"errors={dict(collections.Counter(stream.failed.values()))}"
        )
        print(f"\n{summary}")

        assert not missing, f"acknowledged writes lost: {missing[:20]}; {summary}"
        assert not unexpected, f"documents nobody wrote: {unexpected[:20]}; {summary}"
        assert stream.acknowledged_since(recovered_at) >= WRITES_AFTER, summary

        # The ODM carries on with the same client.
        entry = await Entry.q(db).create(_id=0, writer=-1, method=0)
        await entry.update(db, {"$set": {Entry.method.s: 7}})
        assert entry.method == 7
        assert (await Entry.q(db).get(0)).method == 7
        assert await Entry.q(db).count_documents({}) == len(found) + 1
    finally:
        with contextlib.suppress(PyMongoError):
            await client.drop_database(db.name)
        await close(client)


async def _inject_after_writes(
    replica_set: ReplicaSet, fault: Callable[[ReplicaSet], str], stream: WriteStream
) -> tuple[str, float]:
    """Inject ``fault`` once the stream has :data:`WRITES_BEFORE` acknowledged writes.

    Returns the fault's description and the moment the set had a primary again.
    """
    await stream.wait_until(lambda: len(stream.acknowledged) >= WRITES_BEFORE)
    description = await asyncio.to_thread(fault, replica_set)
    await asyncio.to_thread(replica_set.wait_for_primary)
    return description, time.monotonic()
