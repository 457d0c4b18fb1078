"""``save_changes`` under injected faults: a change is stored once, and objects know it.

The server's ``failCommand`` fail point (a test command: the server must run with
``enableTestCommands=1``, as the one of the test session does) fails one command of the
test's client, once, in one of these ways:

* a network error before the write (``closeConnection``): the server drops the connection
  without running the ``update``. With retryable writes on, the driver sends it again and
  the call succeeds; with them off, ``save_changes`` raises ``AutoReconnect``, nothing is
  stored and the object is left as it was, so that calling it again sends the same change.
* an error after the write (a ``writeConcernError`` with code 91, as from a primary that
  is shutting down): the server applies the ``update``, then reports the error. With
  retryable writes on, the driver sends it again with the same transaction number, the
  server recognizes it and does not apply it twice. With them off, ``save_changes`` raises
  ``WriteConcernError`` although the change is stored: the outcome is unknown to the ODM,
  which does not record the write. Under optimistic locking, sending the change again is
  refused (``VersionConflictError``: the stored document is at the next version); without
  it the change is applied a second time. ``reload`` gives the stored state either way.
* a transaction run with ``session.with_transaction``, the callback saving two documents:
  a write conflict on the second ``update``, or a ``commitTransaction`` failing with a
  transient error, makes the driver abort and run the callback again (Motor's
  ``with_transaction`` raises the commit's error instead: the test calls it again); a
  network or shutdown error on ``commitTransaction`` makes the driver send the commit
  again, retryable writes on or off, and the callback runs once.

The same faults hit transactions run by the ODM's own helper
(:func:`aiomongodel.transactions.run_transaction`), which retries as PyMongo's
``with_transaction`` does under both drivers.

Every change appends to a list (``$push`` with ``$each``), so that a write applied twice
is visible, and every test checks that the objects' versions and copies of their stored
form (``_stored``) are what is stored. With the driver's ``with_transaction``, the
callback loads the documents it changes in the transaction, so that each attempt starts
from the stored state. With the ODM's helper, objects changed before the transaction and
only saved in it are retried correctly too: an attempt that aborts gives them back what
they recorded before it, and the retried attempt sends their changes again.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pymongo.errors
import pytest

from aiomongodel import Document, IntField, ListField, VersionConflictError
from aiomongodel.transactions import run_transaction
from tests.commands import CommandRecorder
from tests.drivers import close, open_client, start_session
from tests.fail_points import NETWORK_ERROR, SHUTDOWN_WRITE_CONCERN, FailPoint

pytestmark = pytest.mark.slow

#: A write concern error after the write was applied, labelled retryable.
WRITE_CONCERN_ERROR: dict[str, Any] = {
    "writeConcernError": SHUTDOWN_WRITE_CONCERN,
    "errorLabels": ["RetryableWriteError"],
}


class Tally(Document[int]):
    """Locked: a write applied twice shows in ``pushes`` and ``version``."""

    _id = IntField()
    pushes = ListField(IntField(), default=list)
    version = IntField(default=0)

    class Meta:
        collection = "tallies"
        track_changes = True
        version_field = "version"


class PlainTally(Document[int]):
    """No locking: only ``pushes`` tells a write applied twice."""

    _id = IntField()
    pushes = ListField(IntField(), default=list)

    class Meta:
        collection = "plain_tallies"
        track_changes = True


CLASSES = [pytest.param(Tally, id="locked"), pytest.param(PlainTally, id="unlocked")]


@dataclass
class Faulty:
    """A database on a client of its own whose commands can be made to fail."""

    db: Any
    driver: str
    fail_point: FailPoint
    retry_writes: bool
    #: The commands sent to :attr:`db`, and to ``admin`` (``commitTransaction``).
    sent: CommandRecorder
    sent_to_admin: CommandRecorder


@pytest.fixture(params=[True, False], ids=["retry", "no-retry"])
async def faulty(
    request: pytest.FixtureRequest, driver: str, mongodb_uri: str
) -> AsyncIterator[Faulty]:
    """A test database on a client with retryable writes on or off; skipped if the server
    has no test commands, and the fail point is off again afterwards."""
    retry_writes: bool = request.param
    app_name = f"fail-points-{uuid.uuid4().hex[:12]}"
    sent = CommandRecorder(f"test_{uuid.uuid4().hex}")
    sent_to_admin = CommandRecorder("admin")
    client = open_client(
        driver,
        mongodb_uri,
        appname=app_name,
        retryWrites=retry_writes,
        serverSelectionTimeoutMS=5000,
        # An error of a server that is shutting down (code 91) and a network error mark
        # the server unknown: the client finds it again at its next check, 0.5 s at most
        # after the error instead of the default 10 s.
        heartbeatFrequencyMS=500,
        event_listeners=[sent, sent_to_admin],
    )
    fail_point = FailPoint(client, app_name)
    try:
        await fail_point.check_available()
        yield Faulty(client[sent.database], driver, fail_point, retry_writes, sent, sent_to_admin)
    finally:
        try:
            await fail_point.off()
        finally:
            await client.drop_database(sent.database)
            await close(client)


async def stored(db: Any, cls: type[Any], _id: int = 1) -> dict[str, Any]:
    row: dict[str, Any] | None = await cls.coll(db).find_one({"_id": _id})
    assert row is not None
    return row


async def loaded_with_a_push(db: Any, cls: type[Any]) -> tuple[Any, dict[str, Any]]:
    """Document 1 as loaded, with 1 appended to its list; and its stored form."""
    await cls(_id=1).save(db, do_insert=True)
    document = await cls.q(db).get(1)
    before = await stored(db, cls)
    assert document._stored == before
    document.pushes.append(1)
    return document, before


def assert_in_sync(document: Any, row: dict[str, Any]) -> None:
    """The object's copy of its stored form, and its version, are ``row``'s."""
    assert document._stored == row
    if document.meta.version_field is not None:
        assert document.version == row["version"]


def assert_retried(sent: CommandRecorder) -> None:
    """The ``update`` was sent twice, as one retryable write (same transaction number)."""
    first, second = sent.named("update")
    assert first["txnNumber"] == second["txnNumber"]
    assert first["lsid"] == second["lsid"]


def assert_sent_once_unretryable(sent: CommandRecorder) -> None:
    (update,) = sent.named("update")
    assert "txnNumber" not in update


@pytest.mark.parametrize("cls", CLASSES)
async def test_network_error_before_the_update(faulty: Faulty, cls: type[Any]) -> None:
    db = faulty.db
    document, before = await loaded_with_a_push(db, cls)
    faulty.sent.clear()

    if faulty.retry_writes:
        async with faulty.fail_point.once("update", NETWORK_ERROR):
            await document.save_changes(db)
        assert_retried(faulty.sent)
    else:
        async with faulty.fail_point.once("update", NETWORK_ERROR):
            with pytest.raises(pymongo.errors.AutoReconnect):
                await document.save_changes(db)
        assert_sent_once_unretryable(faulty.sent)
        # Nothing stored, and the object still has the stored form it was loaded with,
        # and its change.
        assert await stored(db, cls) == before
        assert_in_sync(document, before)
        assert document.pushes == [1]
        # Sending it again stores it.
        await document.save_changes(db)

    row = await stored(db, cls)
    assert row["pushes"] == [1]
    assert row.get("version") == (2 if cls is Tally else None)
    assert_in_sync(document, row)


@pytest.mark.parametrize("cls", CLASSES)
async def test_write_concern_error_after_the_update(faulty: Faulty, cls: type[Any]) -> None:
    db = faulty.db
    document, before = await loaded_with_a_push(db, cls)
    faulty.sent.clear()

    if faulty.retry_writes:
        async with faulty.fail_point.once("update", WRITE_CONCERN_ERROR):
            await document.save_changes(db)
        # Sent twice, applied once: the server recognized the retry.
        assert_retried(faulty.sent)
    else:
        async with faulty.fail_point.once("update", WRITE_CONCERN_ERROR):
            with pytest.raises(pymongo.errors.WriteConcernError) as raised:
                await document.save_changes(db)
        assert raised.value.code == 91
        assert_sent_once_unretryable(faulty.sent)
        # Reported failed, yet applied: the object does not record it...
        applied = await stored(db, cls)
        assert applied["pushes"] == [1]
        assert_in_sync(document, before)
        # ...and reload gives the stored state, with the change once.
        await document.reload(db)
        faulty.sent.clear()
        await document.save_changes(db)
        assert faulty.sent.named("update") == []

    row = await stored(db, cls)
    assert row["pushes"] == [1]
    assert row.get("version") == (2 if cls is Tally else None)
    assert_in_sync(document, row)
    assert document.pushes == [1]


@pytest.mark.parametrize("faulty", [False], ids=["no-retry"], indirect=True)
@pytest.mark.parametrize("cls", CLASSES)
async def test_sending_again_after_an_applied_write_concern_error(
    faulty: Faulty, cls: type[Any]
) -> None:
    """Without ``reload`` after a write concern error, the object sends its change again:
    optimistic locking refuses it, and without locking it is applied twice."""
    db = faulty.db
    document, _ = await loaded_with_a_push(db, cls)
    async with faulty.fail_point.once("update", WRITE_CONCERN_ERROR):
        with pytest.raises(pymongo.errors.WriteConcernError):
            await document.save_changes(db)
    applied = await stored(db, cls)
    assert applied["pushes"] == [1]

    if cls is Tally:
        with pytest.raises(VersionConflictError):
            await document.save_changes(db)
        assert await stored(db, cls) == applied
        assert (document.version, applied["version"]) == (1, 2)
    else:
        await document.save_changes(db)
        assert (await stored(db, cls))["pushes"] == [1, 1]


# --------------------------------------------------------------------------------------------
# Transactions


@dataclass(frozen=True)
class TransactionFault:
    """One failure of a transaction's command, and how ``with_transaction`` recovers."""

    command: str
    fault: dict[str, Any]
    #: Times the callback runs, and ``commitTransaction`` is sent.
    callback_runs: int
    commits: int


TRANSACTION_FAULTS = {
    # The server labels a WriteConflict in a transaction TransientTransactionError.
    "write-conflict": TransactionFault("update", {"errorCode": 112}, callback_runs=2, commits=1),
    "transient-commit-error": TransactionFault(
        "commitTransaction",
        {"errorCode": 112, "errorLabels": ["TransientTransactionError"]},
        callback_runs=2,
        commits=2,
    ),
    "commit-network-error": TransactionFault(
        "commitTransaction", NETWORK_ERROR, callback_runs=1, commits=2
    ),
    "commit-shutdown-error": TransactionFault(
        "commitTransaction", {"errorCode": 91}, callback_runs=1, commits=2
    ),
}
#: The faults after which ``with_transaction`` runs the callback again.
RETRIED_CALLBACK_FAULTS = {
    name: fault for name, fault in TRANSACTION_FAULTS.items() if fault.callback_runs > 1
}

Callback = Callable[[Any], Awaitable[list[Tally]]]


async def two_tallies(db: Any) -> None:
    """Tallies 1 and 2, stored at version 1."""
    for _id in (1, 2):
        await Tally(_id=_id).save(db, do_insert=True)


def saving_both(
    faulty: Faulty, fault: TransactionFault, load: Callable[[Any], Awaitable[list[Tally]]]
) -> tuple[Callback, list[int]]:
    """A callback saving the changes of the two tallies ``load`` gives (in the session);
    its first run arms the fault once the first tally is saved. And its run count."""
    runs: list[int] = []

    async def callback(session: Any) -> list[Tally]:
        runs.append(len(runs) + 1)
        tallies = await load(session)
        for tally in tallies:
            await tally.save_changes(faulty.db, session=session)
            if len(runs) == 1 and tally._id == 1:
                await faulty.fail_point.arm(fault.command, fault.fault)
        return tallies

    return callback, runs


async def run_in_transaction(
    faulty: Faulty, callback: Callback
) -> tuple[list[Tally], list[pymongo.errors.OperationFailure]]:
    """``session.with_transaction(callback)``, called once more if it raises an error
    labelled ``TransientTransactionError``; and the errors it raised.

    Motor's ``with_transaction`` (3.6 and 3.7) commits when it leaves its
    ``start_transaction`` block, before its retry loop: a commit failing with a transient
    error is raised instead of making it run the callback again, as PyMongo's does.
    """
    raised: list[pymongo.errors.OperationFailure] = []
    async with await start_session(faulty.db.client) as session:
        while True:
            try:
                tallies: list[Tally] = await session.with_transaction(callback)
            except pymongo.errors.OperationFailure as error:
                if raised or not error.has_error_label("TransientTransactionError"):
                    raise
                raised.append(error)
            else:
                return tallies, raised


def raised_by_with_transaction(faulty: Faulty, fault: TransactionFault) -> list[int]:
    """The codes of the errors ``with_transaction`` raises for ``fault``."""
    if faulty.driver == "motor" and fault.command == "commitTransaction":
        return [112] if fault.callback_runs > 1 else []
    return []


async def assert_each_change_stored_once(db: Any, tallies: list[Tally]) -> None:
    for tally in tallies:
        row = await stored(db, Tally, tally._id)
        assert row == {"_id": tally._id, "pushes": [tally._id], "version": 2}
        assert_in_sync(tally, row)


@pytest.mark.parametrize("fault", TRANSACTION_FAULTS.values(), ids=TRANSACTION_FAULTS.keys())
async def test_transaction_retried_by_with_transaction(
    faulty: Faulty, fault: TransactionFault
) -> None:
    """The callback loads the tallies in the transaction, changes and saves them: each
    run starts from the stored state, whichever attempt commits."""
    db = faulty.db
    await two_tallies(db)

    async def load(session: Any) -> list[Tally]:
        tallies = [await Tally.q(db, session=session).get(i) for i in (1, 2)]
        for tally in tallies:
            tally.pushes.append(tally._id)
        return tallies

    callback, runs = saving_both(faulty, fault, load)
    tallies, raised = await run_in_transaction(faulty, callback)

    assert [error.code for error in raised] == raised_by_with_transaction(faulty, fault)
    assert len(runs) == fault.callback_runs
    assert len(faulty.sent_to_admin.named("commitTransaction")) == fault.commits
    await assert_each_change_stored_once(db, tallies)


@pytest.mark.parametrize("fault", TRANSACTION_FAULTS.values(), ids=TRANSACTION_FAULTS.keys())
async def test_run_transaction_retries_each_fault(faulty: Faulty, fault: TransactionFault) -> None:
    """The ODM's helper retries as PyMongo's ``with_transaction`` does, on Motor too (a
    transient commit error runs the callback again); the querysets in the callback use
    the transaction's session without being given it."""
    db = faulty.db
    await two_tallies(db)

    async def load(session: Any) -> list[Tally]:
        tallies = [await Tally.q(db).get(i) for i in (1, 2)]
        for tally in tallies:
            tally.pushes.append(tally._id)
        return tallies

    callback, runs = saving_both(faulty, fault, load)
    tallies = await run_transaction(db, callback)

    assert len(runs) == fault.callback_runs
    assert len(faulty.sent_to_admin.named("commitTransaction")) == fault.commits
    reads_and_writes = faulty.sent.named("find") + faulty.sent.named("update")
    assert all(command.get("autocommit") is False for command in reads_and_writes)
    await assert_each_change_stored_once(db, tallies)


@pytest.mark.parametrize(
    "fault", RETRIED_CALLBACK_FAULTS.values(), ids=RETRIED_CALLBACK_FAULTS.keys()
)
@pytest.mark.parametrize("start", ["run_transaction", "queryset"])
async def test_objects_changed_outside_a_retried_callback(
    faulty: Faulty, fault: TransactionFault, start: str
) -> None:
    """Tallies loaded and changed before the transaction, saved in the callback.

    The first attempt's ``save_changes`` of tally 1 succeeds in its transaction and the
    object records the write (version 2, ``_stored`` with the push); the attempt aborts,
    rolling the write back, and the object gets back what it recorded before it. The
    retried attempt sends the change again, and it is stored once.
    """
    db = faulty.db
    await two_tallies(db)
    tallies = [await Tally.q(db).get(i) for i in (1, 2)]
    for tally in tallies:
        tally.pushes.append(tally._id)

    async def load(session: Any) -> list[Tally]:
        assert await Tally.q(db).count_documents({}) == 2
        return tallies

    callback, runs = saving_both(faulty, fault, load)
    if start == "queryset":
        await Tally.q(db).transaction(callback)
    else:
        await run_transaction(db, callback)

    assert len(runs) == 2
    await assert_each_change_stored_once(db, tallies)
    # The objects' next writes are not conflicts.
    for tally in tallies:
        tally.pushes.append(0)
        await tally.save_changes(db)
    assert [(await stored(db, Tally, i))["version"] for i in (1, 2)] == [3, 3]


async def test_an_attempt_that_fails_for_good_leaves_the_objects_as_stored(
    faulty: Faulty,
) -> None:
    """A write conflict (transient) in every attempt: the first attempt stores tally 1
    before tally 2's update fails, the next ones fail on tally 1. The helper retries
    until its timeout, then raises the error; nothing is stored, and the objects record
    what is stored."""
    db = faulty.db
    await two_tallies(db)
    tallies = [await Tally.q(db).get(i) for i in (1, 2)]
    before = [await stored(db, Tally, i) for i in (1, 2)]
    runs: list[int] = []

    async def callback(session: Any) -> None:
        runs.append(1)
        for tally in tallies:
            tally.pushes = [tally._id]
            await tally.save_changes(db)

    # Every update but the first fails, with the error a write conflict gives.
    await faulty.fail_point.arm("update", {"errorCode": 112}, mode={"skip": 1})
    try:
        with pytest.raises(pymongo.errors.OperationFailure) as raised:
            await run_transaction(db, callback, timeout=0.5)
    finally:
        await faulty.fail_point.off()

    assert raised.value.has_error_label("TransientTransactionError")
    assert len(runs) > 1
    for tally, row in zip(tallies, before, strict=True):
        assert await stored(db, Tally, tally._id) == row
        assert_in_sync(tally, row)
    # They save as if the transaction had never run.
    tallies[0].pushes = [5]
    await tallies[0].save_changes(db)
    assert (await stored(db, Tally, 1))["pushes"] == [5]
