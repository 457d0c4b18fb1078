"""Bulk writes of documents (``queryset.bulk()``) on both drivers, against a real server.

The commands sent are read from a command listener on a client of the test's own: a bulk
of ``n`` operations of one kind is ``ceil(n / batch_size)`` commands. Failures name the
operation's index in the whole bulk and its document object; the result counts exactly
what was written; only the writes that succeeded update their objects.
"""

from __future__ import annotations

import asyncio
import math
import pickle
from collections.abc import AsyncIterator
from typing import Any

import bson.errors
import pymongo.errors
import pytest
from pymongo import IndexModel
from pymongo.write_concern import WriteConcern

from aiomongodel.bulk import Bulk, BulkResult
from aiomongodel.document import Document
from aiomongodel.errors import (
    BulkWriteError,
    DocumentNotFoundError,
    DuplicateKeyError,
    VersionConflictError,
)
from aiomongodel.fields import AnyField, IntField, ListField, ObjectIdField, StrField
from tests.commands import CommandRecorder, recorded_database
from tests.drivers import aggregate, start_session, transaction


class Item(Document[int]):
    _id = IntField()
    n = IntField()
    tags = ListField(IntField(), default=list)
    extra = AnyField(required=False)

    class Meta:
        collection = "items"
        track_changes = True


class Page(Document[int]):
    _id = IntField()
    title = StrField()

    class Meta:
        collection = "pages"
        track_changes = True
        version_field = "version"


class Note(Document):
    text = StrField()
    active = IntField(default=1)

    class Meta:
        collection = "notes"
        default_query = {"active": 1}


class Code(Document):
    code = StrField()

    class Meta:
        collection = "codes"
        indexes = [IndexModel("code", unique=True)]


class Fire(Document[int]):
    """Unacknowledged writes."""

    _id = IntField()
    n = IntField()

    class Meta:
        collection = "fire"
        track_changes = True
        write_concern = WriteConcern(w=0)


@pytest.fixture
async def recorded(driver: str, mongodb_uri: str) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    """A database on a client of the test's own whose commands are recorded."""
    async with recorded_database(driver, mongodb_uri) as (db, recorder):
        yield db, recorder


def items(numbers: range) -> list[Item]:
    return [Item(_id=i, n=i) for i in numbers]


async def stored_ids(db: Any, collection: str = "items") -> list[Any]:
    return [d["_id"] async for d in db[collection].find({}, {"_id": 1}, sort=[("_id", 1)])]


async def loaded(db: Any, cls: type[Any], ids: range) -> list[Any]:
    found = await cls.q(db).find({"_id": {"$in": list(ids)}}, sort=[("_id", 1)]).to_list(None)
    return list(found)


class TestBatches:
    @pytest.mark.parametrize("ordered", [True, False])
    async def test_twenty_thousand_of_each_kind_are_ceil_n_over_batch_size_commands(
        self, recorded: tuple[Any, CommandRecorder], ordered: bool
    ) -> None:
        db, recorder = recorded
        n, batch_size = 20_000, 1000
        documents = items(range(n))
        bulk = Item.q(db).bulk(ordered=ordered, batch_size=batch_size)
        for document in documents:
            bulk.insert(document)
        result = await bulk.execute()
        batches = math.ceil(n / batch_size)
        assert len(recorder.named("insert")) == batches == result.batches
        assert result.inserted_count == n
        assert result.inserted_ids == tuple(range(n))
        assert await db.items.count_documents({}) == n

        recorder.clear()
        for document in documents:
            document.n = -document.n - 1
        async with Item.q(db).bulk(ordered=ordered, batch_size=batch_size) as replaces:
            for document in documents:
                replaces.replace(document)
        assert len(recorder.named("update")) == batches == replaces.result.batches
        assert (replaces.result.matched_count, replaces.result.modified_count) == (n, n)
        total = await aggregate(db.items, [{"$group": {"_id": None, "n": {"$sum": "$n"}}}])
        assert [row["n"] async for row in total] == [-sum(range(n)) - n]

        recorder.clear()
        deletes = Item.q(db).bulk(ordered=ordered, batch_size=batch_size)
        for document in documents:
            deletes.delete(document)
        result = await deletes.execute()
        assert len(recorder.named("delete")) == batches == result.batches
        assert result.deleted_count == n
        assert await db.items.count_documents({}) == 0

    async def test_a_partial_last_batch_and_mixed_kinds(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        await Item.q(db).insert_many(items(range(100, 105)))
        recorder.clear()
        bulk = Item.q(db).bulk(batch_size=3)
        for document in items(range(7)):
            bulk.insert(document)
        bulk.delete({"_id": {"$gte": 100}}, many=True)
        bulk.update({"_id": 0}, {"$set": {"n": 10}})
        result = await bulk.execute()
        assert [next(iter(c)) for c in recorder.writes()] == [*["insert"] * 3, "delete", "update"]
        assert [len(c["documents"]) for c in recorder.named("insert")] == [3, 3, 1]
        assert (result.inserted_count, result.deleted_count, result.modified_count) == (7, 5, 1)
        assert result.batches == 5
        assert await stored_ids(db) == list(range(7))

    async def test_unordered_groups_the_kinds(self, recorded: tuple[Any, CommandRecorder]) -> None:
        db, recorder = recorded
        bulk = Item.q(db).bulk(ordered=False, batch_size=10)
        for document in items(range(6)):
            bulk.insert(document).delete({"_id": -1})
        result = await bulk.execute()
        assert [next(iter(c)) for c in recorder.writes()] == ["insert", "delete"]
        assert all(c["ordered"] is False for c in recorder.writes())
        assert (result.inserted_count, result.deleted_count, result.batches) == (6, 0, 2)

    async def test_an_empty_bulk_sends_nothing(self, recorded: tuple[Any, CommandRecorder]) -> None:
        db, recorder = recorded
        result = await Item.q(db).bulk().execute()
        assert result == BulkResult()
        assert (result.inserted_count, result.deleted_count, result.batches) == (0, 0, 0)
        assert recorder.writes() == []
        async with Item.q(db).bulk() as bulk:
            pass
        assert bulk.result == BulkResult()


class TestOperations:
    async def test_chained_calls_and_the_result(self, db: Any) -> None:
        first, second, third = items(range(3))
        await first.save(db)
        await second.save(db)
        bulk = Item.q(db).bulk()
        assert isinstance(bulk, Bulk)
        first.n = 100
        result = await (
            bulk.insert(third)
            .replace(first)
            .delete(second)
            .update({"_id": 9}, {"$set": {"n": 9}}, upsert=True)
            .execute()
        )
        assert result == BulkResult(
            inserted_count=1,
            matched_count=1,
            modified_count=1,
            deleted_count=1,
            upserted_count=1,
            inserted_ids=(2,),
            upserted_ids={3: 9},
            batches=4,
        )
        assert bulk.result is result
        assert len(bulk) == 4
        assert await stored_ids(db) == [0, 2, 9]
        assert (await db.items.find_one({"_id": 0}))["n"] == 100

    async def test_driver_assigned_ids_are_set_on_the_objects(self, db: Any) -> None:
        class Loose(Document):
            _id = ObjectIdField()
            name = StrField()

            class Meta:
                collection = "loose"
                track_changes = True

        documents = [Loose(name=str(i)) for i in range(3)]
        assert all("_id" not in d._data for d in documents)
        result = await Loose.q(db).bulk().insert(documents[0]).replace(documents[1]).execute()
        assert result.inserted_count == 2
        assert [d._id for d in documents[:2]] == list(result.inserted_ids)
        stored = await db.loose.find({}, sort=[("name", 1)]).to_list(None)
        assert [s["_id"] for s in stored] == list(result.inserted_ids)
        assert documents[0].to_mongo() == stored[0]
        documents[0].name = "changed"
        await documents[0].save_changes(db)
        assert (await db.loose.find_one({"_id": documents[0]._id}))["name"] == "changed"

    async def test_filters_and_updates_built_from_fields(self, db: Any) -> None:
        await Item.q(db).insert_many(items(range(6)))
        result = await (
            Item.q(db)
            .bulk()
            .update(Item.n >= 3, [Item.n.inc(10), Item.tags.push(1)], many=True)
            .update(Item._id == 0, Item.n.set(-1))
            .delete((Item.n > 13) | (Item._id == 1), many=True)
            .execute()
        )
        assert (result.matched_count, result.modified_count, result.deleted_count) == (4, 4, 3)
        stored = {d["_id"]: (d["n"], d["tags"]) async for d in db.items.find({})}
        assert stored == {0: (-1, []), 2: (2, []), 3: (13, [1])}

    async def test_default_query_applies_to_filters_not_to_documents(self, db: Any) -> None:
        active, inactive = Note(text="a"), Note(text="b", active=0)
        await active.save(db)
        await inactive.save(db)
        result = await (
            Note.q(db)
            .bulk()
            .update({}, {"$set": {"text": "x"}}, many=True)
            .delete({"text": "b"})
            .execute()
        )
        assert (result.modified_count, result.deleted_count) == (1, 0)
        assert (await db.notes.find_one({"_id": inactive._id}))["text"] == "b"
        result = await Note.q(db).bulk().delete(inactive).execute()
        assert result.deleted_count == 1

    async def test_the_queryset_session_is_used(self, db: Any) -> None:
        await db.create_collection("items")

        async def insert_then_abort(session: Any) -> None:
            async with transaction(session):
                await Item.q(db, session=session).bulk().insert(Item(_id=1, n=1)).execute()
                assert await db.items.count_documents({}, session=session) == 1
                assert await db.items.count_documents({}) == 0
                raise ZeroDivisionError

        async with await start_session(db.client) as session:
            with pytest.raises(ZeroDivisionError):
                await insert_then_abort(session)
        assert await db.items.count_documents({}) == 0

    async def test_unacknowledged_writes(self, db: Any) -> None:
        documents = [Fire(_id=i, n=i) for i in range(5)]
        bulk = Fire.q(db).bulk(batch_size=2)
        for document in documents:
            bulk.insert(document)
        result = await bulk.execute()
        assert result.acknowledged is False
        assert (result.inserted_count, result.matched_count, result.deleted_count) == (
            None,
            None,
            None,
        )
        assert (result.inserted_ids, result.batches) == (tuple(range(5)), 3)
        assert all(d._stored == d.to_mongo() for d in documents)
        for _ in range(100):
            if await db.fire.count_documents({}) == 5:
                break
            await asyncio.sleep(0.02)
        assert await db.fire.count_documents({}) == 5


class TestDuplicates:
    async def test_ordered_stops_at_the_duplicate(self, db: Any) -> None:
        await Item(_id=7, n=-7).save(db)
        documents = items(range(10))
        bulk = Item.q(db).bulk(batch_size=3)
        for document in documents:
            bulk.insert(document)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        error = caught.value
        assert isinstance(error, pymongo.errors.BulkWriteError)
        (failure,) = error.failures
        assert (failure.index, failure.operation, failure.code) == (7, "insert", 11000)
        assert failure.document is documents[7]
        assert isinstance(failure.error, DuplicateKeyError)
        assert failure.error.index_name == "_id_"
        assert "dup key" in failure.message
        assert "_id: 7" in failure.message
        assert error.not_attempted == (8, 9)
        assert error.result.inserted_count == 7
        assert error.result.inserted_ids == tuple(range(7))
        assert error.result.batches == 3
        assert bulk.result is error.result
        assert error.details["writeErrors"][0]["index"] == 7
        assert error.details["nInserted"] == 7
        assert "operation 7 (insert of Item _id 7)" in str(error)
        assert "2 operations (8-9) were not attempted" in str(error)
        copy = pickle.loads(pickle.dumps(error))
        assert (str(copy), copy.not_attempted, copy.result) == (str(error), (8, 9), error.result)
        assert await stored_ids(db) == list(range(8))
        assert (await db.items.find_one({"_id": 7}))["n"] == -7
        assert all(d._stored is not None for d in documents[:7])
        assert all(d._stored is None for d in documents[7:])

    async def test_unordered_writes_everything_else(self, db: Any) -> None:
        await Item(_id=4, n=-4).save(db)
        await Item(_id=8, n=-8).save(db)
        documents = items(range(10))
        bulk = Item.q(db).bulk(ordered=False, batch_size=3)
        for document in documents:
            bulk.insert(document)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        error = caught.value
        assert [(f.index, f.document) for f in error.failures] == [
            (4, documents[4]),
            (8, documents[8]),
        ]
        assert error.not_attempted == ()
        assert error.result.inserted_count == 8
        assert error.result.inserted_ids == (0, 1, 2, 3, 5, 6, 7, 9)
        assert error.result.batches == 4
        assert await stored_ids(db) == list(range(10))
        assert [d._stored is None for d in documents] == [i in (4, 8) for i in range(10)]

    async def test_a_unique_index_names_the_index_and_key(self, db: Any) -> None:
        await Code.q(db).create_indexes()
        codes = [Code(code=c) for c in ("a", "b", "a", "c")]
        bulk = Code.q(db).bulk(ordered=False)
        for code in codes:
            bulk.insert(code)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.document) == (2, codes[2])
        assert isinstance(failure.error, DuplicateKeyError)
        assert failure.error.index_name == "code_1"
        assert 'code: "a"' in failure.message
        assert caught.value.result.inserted_count == 3

    async def test_a_duplicate_by_update_in_a_filter_operation(self, db: Any) -> None:
        await Code.q(db).create_indexes()
        await Code.q(db).insert_many([Code(code="a"), Code(code="b")])
        bulk = Code.q(db).bulk().update({"code": "b"}, {"$set": {"code": "a"}})
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.operation, failure.document) == (0, "update", None)
        assert "operation 0 (update): E11000" in str(caught.value)


class TestSaveChanges:
    async def test_only_changed_paths_are_sent(self, recorded: tuple[Any, CommandRecorder]) -> None:
        db, recorder = recorded
        await Item.q(db).insert_many(items(range(5)))
        documents = await loaded(db, Item, range(5))
        documents[1].n = 10
        documents[3].tags.append(7)
        new = Item(_id=5, n=5)
        recorder.clear()
        async with Item.q(db).bulk() as bulk:
            for document in [*documents, new]:
                bulk.save_changes(document)
        assert len(bulk) == 3
        (update,) = recorder.named("update")
        assert [(u["q"], u["u"]) for u in update["updates"]] == [
            ({"_id": 1}, {"$set": {"n": 10}}),
            ({"_id": 3}, {"$push": {"tags": {"$each": [7]}}}),
        ]
        (insert,) = recorder.named("insert")
        assert insert["documents"] == [new.to_mongo()]
        assert (bulk.result.modified_count, bulk.result.inserted_count) == (2, 1)
        recorder.clear()
        async with Item.q(db).bulk() as again:
            for document in [*documents, new]:
                again.save_changes(document)
        assert recorder.writes() == []
        assert again.result.batches == 0

    async def test_locked_conflicts_are_reported_and_versions_move_on_success_only(
        self, db: Any
    ) -> None:
        for i in range(4):
            await Page(_id=i, title=f"t{i}").save(db)
        mine = await loaded(db, Page, range(4))
        theirs = await loaded(db, Page, range(4))
        theirs[1].title = "theirs"
        await theirs[1].save_changes(db)
        await theirs[3].save(db)
        for page in mine:
            page.title = page.title + " mine"
        bulk = Page.q(db).bulk(batch_size=2)
        for page in mine:
            bulk.save_changes(page)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        error = caught.value
        (failure,) = error.failures
        assert (failure.index, failure.document, failure.code) == (1, mine[1], None)
        assert isinstance(failure.error, VersionConflictError)
        assert (failure.error.version, failure.error.stored_version) == (1, 2)
        assert error.not_attempted == (2, 3)
        assert (error.result.matched_count, error.result.batches) == (1, 1)
        assert [p.version for p in mine] == [2, 1, 1, 1]
        assert mine[0]._stored == await db.pages.find_one({"_id": 0})
        assert (await db.pages.find_one({"_id": 1}))["title"] == "theirs"

        bulk = Page.q(db).bulk(ordered=False, batch_size=2)
        for page in mine[1:]:
            bulk.save_changes(page)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        assert [(f.index, f.document) for f in caught.value.failures] == [
            (0, mine[1]),
            (2, mine[3]),
        ]
        assert [p.version for p in mine] == [2, 1, 2, 1]
        assert (await db.pages.find_one({"_id": 2}))["title"] == "t2 mine"

    async def test_a_gone_document_is_not_found(self, db: Any) -> None:
        await Item.q(db).insert_many(items(range(3)))
        documents = await loaded(db, Item, range(3))
        await db.items.delete_one({"_id": 1})
        for document in documents:
            document.n += 100
        bulk = Item.q(db).bulk(ordered=False)
        for document in documents:
            bulk.save_changes(document)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.document) == (1, documents[1])
        assert isinstance(failure.error, DocumentNotFoundError)
        assert documents[1]._stored is not None
        assert documents[1]._stored["n"] == 1
        assert documents[2]._stored is not None
        assert documents[2]._stored["n"] == 102

    async def test_a_conflict_beside_an_update_by_filter(self, db: Any) -> None:
        for i in range(3):
            await Page(_id=i, title="t").save(db)
        mine = await loaded(db, Page, range(3))
        theirs = await Page.q(db).get(0)
        await theirs.save(db)
        for page in mine:
            page.title = "mine"
        bulk = Page.q(db).bulk()
        bulk.update({"title": "t"}, {"$set": {"tag": 1}}, many=True)
        for page in mine:
            bulk.save_changes(page)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.document) == (1, mine[0])
        assert [p.version for p in mine] == [1, 2, 2]

    async def test_the_same_change_stored_by_another_writer_is_of_unknown_outcome(
        self, db: Any
    ) -> None:
        """Their write stored the version and the values this bulk would have: the
        counts show that the bulk's own update matched nothing."""
        await Page(_id=1, title="t").save(db)
        mine, theirs = await loaded(db, Page, range(2)), await loaded(db, Page, range(2))
        theirs[0].title = mine[0].title = "same"
        await theirs[0].save_changes(db)
        with pytest.raises(BulkWriteError) as caught:
            await Page.q(db).bulk().save_changes(mine[0]).execute()
        assert (caught.value.failures, caught.value.unknown) == ((), (0,))
        assert caught.value.result.matched_count == 0
        assert (mine[0].version, mine[0].title) == (1, "same")
        assert mine[0]._stored is not None
        assert mine[0]._stored["title"] == "t"

    async def test_a_class_without_tracking_is_refused(self, db: Any) -> None:
        note = Note(text="a")
        with pytest.raises(TypeError) as own:
            await note.save_changes(db)
        with pytest.raises(TypeError) as in_bulk:
            Note.q(db).bulk().save_changes(note)
        assert str(in_bulk.value) == str(own.value)
        assert "track_changes = True" in str(own.value)

    async def test_a_changed_id_is_refused(self, db: Any) -> None:
        await Item(_id=1, n=1).save(db)
        (document,) = await loaded(db, Item, range(2))
        document._id = 2
        with pytest.raises(ValueError, match="the _id changed from 1 to 2"):
            Item.q(db).bulk().save_changes(document)


class TestLockedReplaceAndDelete:
    async def test_a_replace_conflict_is_a_version_conflict(self, db: Any) -> None:
        for i in range(3):
            await Page(_id=i, title="t").save(db)
        mine = await loaded(db, Page, range(3))
        theirs = await Page.q(db).get(1)
        await theirs.save(db)
        bulk = Page.q(db).bulk(ordered=False)
        for page in mine:
            bulk.replace(page)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.operation, failure.code) == (1, "replace", 11000)
        assert isinstance(failure.error, VersionConflictError)
        assert (failure.error.version, failure.error.stored_version) == (1, 2)
        assert "was changed since it was loaded" in str(caught.value)
        assert [p.version for p in mine] == [2, 1, 2]
        assert caught.value.result.matched_count == 2

    async def test_a_delete_conflict(self, db: Any) -> None:
        for i in range(3):
            await Page(_id=i, title="t").save(db)
        mine = await loaded(db, Page, range(3))
        theirs = await Page.q(db).get(2)
        await theirs.save(db)
        await db.pages.delete_one({"_id": 0})
        bulk = Page.q(db).bulk()
        for page in mine:
            bulk.delete(page)
        with pytest.raises(BulkWriteError) as caught:
            await bulk.execute()
        (failure,) = caught.value.failures
        assert (failure.index, failure.operation, failure.document) == (2, "delete", mine[2])
        assert isinstance(failure.error, VersionConflictError)
        assert caught.value.result.deleted_count == 1
        assert await stored_ids(db, "pages") == [2]


class TestContextManager:
    async def test_an_exception_in_the_block_sends_nothing(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        bulk = Item.q(db).bulk()

        async def fail_in_the_block() -> None:
            async with bulk:
                bulk.insert(Item(_id=1, n=1))
                raise ZeroDivisionError

        with pytest.raises(ZeroDivisionError):
            await fail_in_the_block()
        assert recorder.writes() == []
        with pytest.raises(RuntimeError, match="discarded"):
            bulk.result  # noqa: B018
        with pytest.raises(RuntimeError, match="discarded"):
            await bulk.execute()

    async def test_leaving_the_block_sends_and_sets_the_result(self, db: Any) -> None:
        async with Item.q(db).bulk() as bulk:
            bulk.insert(Item(_id=1, n=1))
            with pytest.raises(RuntimeError, match="not been executed"):
                bulk.result  # noqa: B018
            assert await db.items.count_documents({}) == 0
        assert bulk.result.inserted_count == 1

    async def test_executing_twice_is_an_error(self, db: Any) -> None:
        bulk = Item.q(db).bulk().insert(Item(_id=1, n=1))
        await bulk.execute()
        with pytest.raises(RuntimeError, match="already executed"):
            await bulk.execute()
        with pytest.raises(RuntimeError, match="already executed"):
            bulk.insert(Item(_id=2, n=2))
        with pytest.raises(RuntimeError, match="already executed"):
            async with bulk:
                pass

    async def test_a_failing_block_raises_the_bulk_write_error(self, db: Any) -> None:
        await Item(_id=1, n=1).save(db)
        with pytest.raises(BulkWriteError):
            async with Item.q(db).bulk() as bulk:
                bulk.insert(Item(_id=1, n=1))
        assert bulk.result.inserted_count == 0


class TestArguments:
    async def test_batch_size_and_ordered(self, db: Any) -> None:
        for bad in (0, -1, 100_001):
            with pytest.raises(ValueError, match="Item bulk: batch_size must be from 1 to 100000"):
                Item.q(db).bulk(batch_size=bad)
        with pytest.raises(TypeError, match="batch_size must be an int, got True"):
            Item.q(db).bulk(batch_size=True)
        with pytest.raises(TypeError, match="ordered must be True or False"):
            Item.q(db).bulk(ordered=1)  # type: ignore[arg-type]

    async def test_documents_of_another_class(self, db: Any) -> None:
        bulk = Item.q(db).bulk()
        for method in (bulk.insert, bulk.replace, bulk.save_changes, bulk.delete):
            with pytest.raises(TypeError, match=r"Item bulk: .* takes a Item document, got a Note"):
                method(Note(text="x"))  # type: ignore[arg-type]

        class Other(Item):
            class Meta:
                collection = "others"

        with pytest.raises(TypeError, match="stored in collection 'others'"):
            bulk.insert(Other(_id=1, n=1))
        assert len(bulk) == 0

    async def test_filters_and_updates(self, db: Any) -> None:
        bulk = Item.q(db).bulk()
        with pytest.raises(TypeError, match=r"update\(\) takes a filter mapping .* got a list"):
            bulk.update([("_id", 1)], {"$set": {"n": 1}})  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"delete\(\) takes a Item document or a filter"):
            bulk.delete("x")  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=r"update\(\) takes an update document"):
            bulk.update({}, "x")
        with pytest.raises(ValueError, match=r"Item bulk: update\(\): update only works with"):
            bulk.update({}, {"n": 1})
        with pytest.raises(TypeError, match="many must be True or False"):
            bulk.update({}, {"$set": {"n": 1}}, many=None)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="many=True deletes by a filter"):
            bulk.delete(Item(_id=1, n=1), many=True)
        assert len(bulk) == 0

    async def test_an_object_is_added_once(self, db: Any) -> None:
        document = Item(_id=1, n=1)
        bulk = Item.q(db).bulk().insert(document)
        with pytest.raises(ValueError, match="this Item object is already operation 0"):
            bulk.delete(document)
        assert len(bulk) == 1


class TestUnencodable:
    async def test_the_path_and_operation_are_named(self, db: Any) -> None:
        documents = items(range(5))
        documents[3].extra = {"inner": [1, object()]}
        bulk = Item.q(db).bulk(batch_size=2)
        for document in documents:
            bulk.insert(document)
        with pytest.raises(bson.errors.InvalidDocument) as caught:
            await bulk.execute()
        message = str(caught.value)
        assert message.startswith("Item: cannot store the value at 'extra.inner.1' in MongoDB")
        assert "(operation 3 of the bulk, insert)" in message
        assert bulk.result.inserted_ids == (0, 1)
        assert await stored_ids(db) == [0, 1]
        assert documents[1]._stored is not None
        assert documents[2]._stored is None
