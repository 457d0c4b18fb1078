"""The ODM's transaction helper, ``run_transaction`` and ``queryset.transaction``, on both
drivers: it commits, binds querysets to its session, refuses what cannot work, and keeps
document objects in step with what a transaction that does not commit left stored.

Retries after injected faults are in ``tests/reliability/test_fail_points.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiomongodel.document import Document
from aiomongodel.fields import IntField, ListField, StrField
from aiomongodel.transactions import run_transaction
from tests.commands import CommandRecorder, recorded_database
from tests.drivers import close, open_client, start_session, transaction


class Account(Document[int]):
    _id = IntField()
    owner = StrField()
    balance = IntField(default=0)
    log = ListField(StrField(), default=list)
    version = IntField(default=0)

    class Meta:
        collection = "accounts"
        track_changes = True
        version_field = "version"


class Entry(Document):
    """A document whose ``_id`` the driver assigns on insert."""

    text = StrField()

    class Meta:
        collection = "entries"


class Rollback(Exception):
    """Raised by a callback to give the transaction up."""


@pytest.fixture
async def recorded(driver: str, mongodb_uri: str) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    async with recorded_database(driver, mongodb_uri) as (db, recorder):
        await Account.create_collection(db)
        await Entry.create_collection(db)
        yield db, recorder


async def two_accounts(db: Any) -> tuple[Account, Account]:
    for _id, owner in ((1, "ann"), (2, "bob")):
        await Account(_id=_id, owner=owner, balance=100).save(db, do_insert=True)
    return await Account.q(db).get(1), await Account.q(db).get(2)


async def rows(db: Any) -> list[dict[str, Any]]:
    return await Account.coll(db).find({}, sort=[("_id", 1)]).to_list(None)


def in_transaction(command: dict[str, Any]) -> bool:
    return command.get("autocommit") is False


async def test_commits_and_returns_the_callbacks_result(db: Any) -> None:
    ann, bob = await two_accounts(db)

    async def transfer(session: Any) -> int:
        ann.balance -= 30
        bob.balance += 30
        await ann.save_changes(db)
        await bob.save_changes(db)
        return ann.balance

    assert await run_transaction(db, transfer) == 70
    assert [(row["balance"], row["version"]) for row in await rows(db)] == [(70, 2), (130, 2)]
    assert (ann.version, bob.version) == (2, 2)
    assert ann._stored == (await rows(db))[0]


async def test_querysets_and_documents_in_the_callback_use_its_session(
    recorded: tuple[Any, CommandRecorder],
) -> None:
    db, recorder = recorded
    await two_accounts(db)
    recorder.clear()
    session_ids: list[Any] = []

    async def callback(session: Any) -> None:
        session_ids.append(session.session_id)
        ann = await Account.q(db).get(1)
        ann.log.append("seen")
        await ann.save_changes(db)
        await Account.q(db).update_one({"_id": 2}, {"$inc": {"balance": 1}})
        await Entry(text="x").save(db)
        await ann.reload(db)
        assert await Account.q(db).count_documents({}) == 2

    await run_transaction(db, callback)

    commands = [c for c in recorder.commands if next(iter(c)) != "commitTransaction"]
    assert [next(iter(c)) for c in commands] == [
        "find",
        "update",
        "update",
        "update",  # save(): a replace with upsert
        "find",
        "aggregate",
    ]
    assert all(in_transaction(command) for command in commands)
    assert all(command["lsid"] == session_ids[0] for command in commands)
    # Nothing of it stays bound once the transaction is over.
    assert Account.q(db).session is None


async def test_an_explicit_session_and_other_clients_are_left_alone(
    recorded: tuple[Any, CommandRecorder], driver: str, mongodb_uri: str
) -> None:
    db, recorder = recorded
    await two_accounts(db)
    other_client = open_client(driver, mongodb_uri)
    other_db = other_client[db.name]
    try:
        async with await start_session(db.client) as own_session:

            async def callback(session: Any) -> None:
                assert Account.q(other_db).session is None
                assert Account.q(db, session=own_session).session is own_session
                recorder.clear()
                await Account.q(db, session=own_session).update_one(
                    {"_id": 1}, {"$set": {"owner": "outside"}}
                )
                raise Rollback

            with pytest.raises(Rollback):
                await run_transaction(db, callback)
        (update,) = recorder.named("update")
        assert not in_transaction(update)
        # Written outside the transaction, it stays although the transaction aborted.
        assert (await rows(db))[0]["owner"] == "outside"
    finally:
        await close(other_client)


async def test_a_failed_callback_leaves_the_objects_describing_what_is_stored(db: Any) -> None:
    ann, bob = await two_accounts(db)
    before = await rows(db)
    entry = Entry.from_mongo({"text": "new"})  # no _id: the driver assigns one on insert
    assert "_id" not in entry._data

    async def callback(session: Any) -> None:
        ann.log.append("a")
        await ann.save_changes(db)
        await ann.save(db)
        await bob.update(db, {"$inc": {"balance": 5}})
        assert bob.balance == 105
        async with Account.q(db).bulk() as bulk:
            bulk.save_changes(ann)
        await Entry.q(db).insert_one(Entry(text="other"))
        await entry.save(db)
        assert "_id" in entry._data
        raise Rollback

    with pytest.raises(Rollback):
        await run_transaction(db, callback)

    assert await rows(db) == before
    assert await Entry.q(db).count_documents({}) == 0
    assert (ann.version, ann._stored) == (1, before[0])
    assert ann.log == ["a"]  # the object's own change stays, unsaved
    assert (bob.version, bob.balance, bob._stored) == (1, 100, before[1])
    assert "_id" not in entry._data
    # The next writes go through: no version conflict, and the change is sent again.
    await ann.save_changes(db)
    await bob.save_changes(db)
    assert [(row["log"], row["version"]) for row in await rows(db)] == [(["a"], 2), ([], 1)]


async def test_a_callback_that_succeeds_after_a_failed_one_sends_its_changes(db: Any) -> None:
    ann, _ = await two_accounts(db)
    ann.balance = 1

    async def give_up(session: Any) -> None:
        await ann.save_changes(db)
        raise Rollback

    with pytest.raises(Rollback):
        await run_transaction(db, give_up)

    async def save(session: Any) -> None:
        await ann.save_changes(db)

    await run_transaction(db, save)
    assert (await rows(db))[0]["balance"] == 1
    assert ann.version == 2


async def test_queryset_transaction_runs_on_the_querysets_session(db: Any) -> None:
    await two_accounts(db)
    async with await start_session(db.client) as session:
        seen: list[Any] = []

        async def callback(given: Any) -> str:
            seen.append(given)
            await Account.q(db).update_one({"_id": 1}, {"$set": {"owner": "carl"}})
            return "done"

        assert await Account.q(db, session=session).transaction(callback) == "done"
        assert seen == [session]
        assert not session.in_transaction
        # The session is still usable: the helper does not end a session it was given.
        assert await Account.q(db, session=session).count_documents({}) == 2
    assert (await rows(db))[0]["owner"] == "carl"


async def test_transaction_options_reach_the_server(
    recorded: tuple[Any, CommandRecorder],
) -> None:
    from pymongo import WriteConcern
    from pymongo.read_concern import ReadConcern

    db, recorder = recorded
    await two_accounts(db)
    recorder.clear()

    async def callback(session: Any) -> None:
        await Account.q(db).update_one({"_id": 1}, {"$set": {"owner": "dan"}})

    await run_transaction(
        db,
        callback,
        read_concern=ReadConcern("snapshot"),
        write_concern=WriteConcern(w="majority"),
        max_commit_time_ms=5000,
    )
    (update,) = recorder.named("update")
    assert update["readConcern"]["level"] == "snapshot"
    assert (await rows(db))[0]["owner"] == "dan"


async def test_cancelling_the_callback_aborts(db: Any) -> None:
    ann, _ = await two_accounts(db)
    started = asyncio.Event()

    async def callback(session: Any) -> None:
        ann.balance = 0
        await ann.save_changes(db)
        started.set()
        await asyncio.sleep(60)

    task = asyncio.ensure_future(run_transaction(db, callback))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await rows(db))[0]["balance"] == 100
    assert ann.version == 1
    await ann.save_changes(db)
    assert (await rows(db))[0]["balance"] == 0


class TestRefused:
    async def test_a_nested_transaction(self, db: Any) -> None:
        async def inner(session: Any) -> None:
            pass

        async def outer(session: Any) -> None:
            await run_transaction(db, inner)

        with pytest.raises(RuntimeError, match="no nested transactions"):
            await run_transaction(db, outer)

    async def test_a_session_in_a_transaction(self, db: Any) -> None:
        async def callback(session: Any) -> None:
            pass

        async with await start_session(db.client) as session, transaction(session):
            with pytest.raises(RuntimeError, match="in a transaction already"):
                await run_transaction(db, callback, session=session)

    @pytest.mark.parametrize("timeout", [0, -1, "60", True])
    async def test_a_bad_timeout(self, db: Any, timeout: Any) -> None:
        async def callback(session: Any) -> None:
            pass

        with pytest.raises(ValueError, match="timeout must be a positive number"):
            await run_transaction(db, callback, timeout=timeout)

    async def test_a_client_instead_of_a_database(self, db: Any) -> None:
        async def callback(session: Any) -> None:
            pass

        with pytest.raises(TypeError, match=r"^run_transaction\(db, \.\.\.\): db must be"):
            await run_transaction(db.client, callback)
