"""Client sessions through querysets and documents, proven with real transactions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from aiomongodel.document import Document
from aiomongodel.errors import DocumentNotFoundError
from aiomongodel.fields import IntField, StrField
from tests.drivers import start_session, transaction


class Note(Document):
    title = StrField()
    n = IntField(default=0)

    class Meta:
        collection = "notes"


class Rollback(Exception):
    """Raised inside a transaction to abort it."""


async def snapshot(db: Any) -> dict[str, int]:
    """``{title: n}`` of every stored note, read without a session."""
    return {note.title: note.n async for note in Note.q(db).find({})}


async def seed(db: Any) -> dict[str, int]:
    await Note.create_collection(db)
    await Note.q(db).insert_many([Note(title="a", n=1), Note(title="b", n=2), Note(title="c", n=3)])
    return await snapshot(db)


async def write_through_queryset(qs: Any) -> None:
    """One of every queryset write, all through ``qs`` and its session."""
    assert await qs.insert_one(Note(title="t1", n=10))
    assert len(await qs.insert_many([Note(title="t2", n=20), {"title": "t3", "n": 30}])) == 2
    await qs.create(title="t4", n=40)
    assert await qs.update_one({"title": "a"}, {"$set": {"n": 100}}) == 1
    assert await qs.update_many({"title": {"$in": ["b", "t1"]}}, {"$inc": {"n": 1000}}) == 2
    assert await qs.replace_one({"title": "c"}, {"title": "c", "n": 300}) == 1
    assert await qs.delete_one({"title": "t2"}) == 1
    assert await qs.delete_many({"title": {"$in": ["t3", "t4"]}}) == 2


async def abort_after(session: Any, body: Callable[[], Awaitable[None]]) -> None:
    """Run ``body`` in a transaction on ``session``, then abort the transaction."""

    async def run() -> None:
        async with transaction(session):
            await body()
            raise Rollback

    with pytest.raises(Rollback):
        await run()
    assert not session.in_transaction


AFTER_WRITES = {"a": 100, "b": 1002, "c": 300, "t1": 1010}


async def read_through_queryset(qs: Any) -> None:
    """Every queryset read sees the writes of ``write_through_queryset``."""
    assert {note.title: note.n async for note in qs.find({})} == AFTER_WRITES
    assert len(await qs.find({"n": {"$gte": 1000}}).to_list(None)) == 2
    t1 = await qs.find_one({"title": "t1"})
    assert (await qs.get(t1._id)).n == 1010
    assert await qs.count_documents({}) == 4
    with pytest.warns(DeprecationWarning, match="count_documents"):
        assert await qs.count({"title": "t1"}) == 1
    totals = await qs.aggregate([{"$group": {"_id": None, "n": {"$sum": "$n"}}}]).to_list(None)
    assert totals[0]["n"] == sum(AFTER_WRITES.values())
    assert await qs.find({}).distinct("title") == sorted(AFTER_WRITES)


async def test_queryset_session_reaches_every_operation(db: Any) -> None:
    before = await seed(db)

    async def body() -> None:
        qs = Note.q(db, session=session)
        assert qs.session is session
        await write_through_queryset(qs)
        await read_through_queryset(qs)
        assert await snapshot(db) == before
        assert await Note.q(db).count_documents({}) == 3

    async with await start_session(db.client) as session:
        await abort_after(session, body)
    assert await snapshot(db) == before


async def test_committed_queryset_writes_are_visible_afterwards(db: Any) -> None:
    before = await seed(db)
    async with await start_session(db.client) as session, transaction(session):
        await write_through_queryset(Note.q(db, session=session))
        assert await snapshot(db) == before
    assert await snapshot(db) == AFTER_WRITES


async def test_clone_and_with_options_keep_the_session(db: Any) -> None:
    before = await seed(db)

    async def body() -> None:
        qs = Note.q(db, session=session)
        await qs.clone().insert_one(Note(title="cloned"))
        await qs.with_options().insert_one(Note(title="optioned"))
        assert await qs.count_documents({}) == 5

    async with await start_session(db.client) as session:
        await abort_after(session, body)
    assert await snapshot(db) == before


async def test_a_session_given_to_one_call_wins_for_that_call(db: Any) -> None:
    before = await seed(db)

    async def body() -> None:
        qs = Note.q(db, session=in_txn)
        await qs.insert_one(Note(title="inside"))
        await qs.insert_one(Note(title="outside"), session=other)
        assert await qs.find({}).distinct("title") == ["a", "b", "c", "inside"]
        by_other = await qs.find({}, session=other).distinct("title")
        assert by_other == ["a", "b", "c", "outside"]
        assert await qs.count_documents({"title": "inside"}, session=other) == 0
        with pytest.raises(DocumentNotFoundError):
            await qs.find_one({"title": "inside"}, session=other)

    client = db.client
    async with await start_session(client) as in_txn, await start_session(client) as other:
        await abort_after(in_txn, body)
    assert await snapshot(db) == {**before, "outside": 0}


async def test_document_methods_use_the_session(db: Any) -> None:
    before = await seed(db)

    async def body() -> None:
        note = await Note(title="saved", n=5).save(db, session=session)
        inserted = await Note(title="inserted").save(db, do_insert=True, session=session)
        a = await Note.q(db, session=session).find_one({"title": "a"})
        await a.update(db, {"$inc": {"n": 10}}, session=session)
        assert a.n == 11
        a.n = 0
        await a.reload(db, session=session)
        assert a.n == 11
        assert await inserted.delete(db, session=session) == 1
        with pytest.warns(DeprecationWarning, match="create"):
            await Note.create(db, session=session, title="created")
        visible = {n.title: n.n async for n in Note.q(db, session=session).find()}
        assert visible == {**before, "a": 11, "saved": 5, "created": 0}
        assert note.title == "saved"
        assert await snapshot(db) == before

    async with await start_session(db.client) as session:
        await abort_after(session, body)
    assert await snapshot(db) == before
