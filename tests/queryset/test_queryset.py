"""MotorQuerySet on a real MongoDB, under PyMongo async and under Motor."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import re
from collections.abc import Awaitable, Callable
from types import MappingProxyType
from typing import Any

import pymongo.errors
import pytest
from bson import CodecOptions, Decimal128, ObjectId
from pymongo import ASCENDING, DESCENDING, IndexModel, ReadPreference, WriteConcern

from aiomongodel.document import Document
from aiomongodel.errors import DocumentNotFoundError, DuplicateKeyError, ValidationError
from aiomongodel.fields import BoolField, DateTimeField, DecimalField, IntField, StrField
from aiomongodel.queryset import MotorQuerySet, MotorQuerySetCursor


class Item(Document):
    name = StrField(regex=r"^[a-z]+$")
    n = IntField(default=0)

    class Meta:
        collection = "items"
        default_sort = [("n", DESCENDING)]


class Account(Document):
    email = StrField()
    nick = StrField(required=False)

    class Meta:
        collection = "accounts"
        indexes = [
            IndexModel([("email", ASCENDING)], unique=True, name="uniq_email"),
            IndexModel([("nick", ASCENDING)]),
        ]


class Task(Document):
    title = StrField()
    done = BoolField(default=False)

    class Meta:
        collection = "tasks"


class OpenTask(Task):
    class Meta:
        collection = "tasks"
        default_query = {"done": False}


class Event(Document):
    at = DateTimeField()

    class Meta:
        collection = "events"


class ItemQuerySet(MotorQuerySet[Any]):
    async def names(self) -> list[str]:
        return [item.name async for item in self.find()]


class CustomItem(Document):
    name = StrField()

    class Meta:
        collection = "custom_items"
        queryset = ItemQuerySet


class Keyed(Document):
    _id = StrField()
    label = StrField(required=False)

    class Meta:
        collection = "keyed"


class Priced(Document):
    _id = DecimalField()

    class Meta:
        collection = "priced"


class Stamped(Document):
    name = StrField()
    saves = IntField(default=0)

    class Meta:
        collection = "stamped"

    async def save(self, db: Any, do_insert: bool = False, session: Any = None) -> Stamped:
        self.saves = (self.saves or 0) + 1
        return await super().save(db, do_insert=do_insert, session=session)


class FireAndForget(Document):
    name = StrField()

    class Meta:
        collection = "fire_and_forget"
        write_concern = WriteConcern(w=0)


class SoftDeleteQuerySet(MotorQuerySet[Any]):
    """A 0.2-style custom queryset: it narrows every query through ``_update_query``."""

    def _update_query(self, query: Any) -> Any:
        return super()._update_query({"$and": [{"deleted": {"$ne": True}}, query or {}]})

    async def raw_titles(self, query: Any) -> list[str]:
        cursor = self.collection.find(self._update_query(query), **self._update_query_params({}))
        return sorted([doc["title"] async for doc in cursor])


class SoftTask(Document):
    title = StrField()
    done = BoolField(default=False)

    class Meta:
        collection = "tasks"
        default_query = {"done": False}
        queryset = SoftDeleteQuerySet


# aiomongodel 0.2's text, which code may filter warnings on.
COUNT_DEPRECATED = "^" + re.escape("Use `count_documents` instead") + "$"


async def until(read: Callable[[], Awaitable[Any]], expected: Any) -> None:
    """Wait until ``await read()`` gives ``expected``: an unacknowledged write is sent,
    not confirmed, so its effect shows a little later.
    """
    for _ in range(200):
        if await read() == expected:
            return
        await asyncio.sleep(0.05)
    assert await read() == expected


async def insert_items(db: Any, *names: str) -> list[Item]:
    items = [Item(name=name, n=i) for i, name in enumerate(names, start=1)]
    await Item.q(db).insert_many(items)
    return items


async def insert_tasks(db: Any) -> None:
    await Task.q(db).insert_many(
        [
            Task(title="write", done=False),
            Task(title="test", done=False),
            Task(title="ship", done=True),
            Task(title="plan", done=True),
        ]
    )


async def raw_tasks(db: Any) -> dict[str, dict[str, Any]]:
    return {doc["title"]: doc async for doc in Task.coll(db).find({})}


# --- construction, clone, with_options -------------------------------------------------


async def test_q_builds_a_queryset_on_the_class_collection(db: Any) -> None:
    qs = Item.q(db)
    assert isinstance(qs, MotorQuerySet)
    assert qs.doc_class is Item
    assert qs.db is db
    assert qs.session is None
    assert qs.collection.name == "items"


async def test_clone_is_an_independent_copy(db: Any) -> None:
    await insert_items(db, "a", "b")
    qs = Item.q(db)
    clone = qs.clone()
    assert clone is not qs
    assert type(clone) is MotorQuerySet
    assert (clone.doc_class, clone.db, clone.session) == (qs.doc_class, qs.db, qs.session)
    assert await clone.count_documents({}) == 2
    clone.default_query = {"name": "a"}
    assert await clone.count_documents({}) == 1
    assert await qs.count_documents({}) == 2


async def test_with_options_changes_the_collection_of_a_copy_only(db: Any) -> None:
    await insert_items(db, "a", "b")
    qs = Item.q(db)
    secondary = qs.with_options(read_preference=ReadPreference.SECONDARY_PREFERRED)
    assert secondary is not qs
    assert secondary.collection.read_preference == ReadPreference.SECONDARY_PREFERRED
    assert qs.collection.read_preference == ReadPreference.PRIMARY
    assert [item.name for item in await secondary.find().to_list(None)] == ["b", "a"]


async def test_with_options_codec_options_apply_to_reads(db: Any) -> None:
    await Event.q(db).insert_one(Event(at=dt.datetime(2024, 5, 1, 12, 30)))
    naive = await Event.q(db).find_one({})
    assert naive.at == dt.datetime(2024, 5, 1, 12, 30)
    assert naive.at.tzinfo is None
    aware_qs = Event.q(db).with_options(codec_options=CodecOptions(tz_aware=True))
    aware = await aware_qs.find_one({})
    assert aware.at == dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.timezone.utc)


async def test_custom_queryset_class_survives_clone_and_with_options(db: Any) -> None:
    qs = CustomItem.q(db)
    assert type(qs) is ItemQuerySet
    await qs.insert_many([CustomItem(name="x"), CustomItem(name="y")])
    assert type(qs.clone()) is ItemQuerySet
    copy = qs.with_options(read_preference=ReadPreference.PRIMARY_PREFERRED)
    assert type(copy) is ItemQuerySet
    assert sorted(await copy.names()) == ["x", "y"]


# --- inserts and create ------------------------------------------------------------------


async def test_insert_one_takes_a_model_object_and_returns_its_id(db: Any) -> None:
    item = Item(name="a", n=1)
    inserted_id = await Item.q(db).insert_one(item)
    assert inserted_id == item._id
    assert isinstance(inserted_id, ObjectId)
    assert await Item.coll(db).find_one({"_id": inserted_id}) == {
        "_id": item._id,
        "name": "a",
        "n": 1,
    }


async def test_insert_one_takes_a_raw_dict(db: Any) -> None:
    inserted_id = await Item.q(db).insert_one({"name": "raw", "n": 7})
    assert isinstance(inserted_id, ObjectId)
    stored = await Item.q(db).get(inserted_id)
    assert (stored.name, stored.n) == ("raw", 7)


async def test_insert_many_returns_the_ids_in_order(db: Any) -> None:
    first, second = Item(name="a"), Item(name="b")
    ids = await Item.q(db).insert_many([first, {"name": "c", "n": 3}, second])
    assert isinstance(ids, list)
    assert len(ids) == 3
    assert ids[0] == first._id
    assert ids[2] == second._id
    assert (await Item.q(db).get(ids[1])).name == "c"


async def test_create_validates_inserts_and_returns_the_document(db: Any) -> None:
    item = await Item.q(db).create(name="fresh", n=5)
    assert isinstance(item, Item)
    assert item.name == "fresh"
    assert isinstance(item._id, ObjectId)
    assert (await Item.q(db).get(item._id)).to_mongo() == item.to_mongo()


async def test_create_with_a_stored_id_replaces_that_document(db: Any) -> None:
    # As in 0.2, create saves: a replace with upsert on the _id, not an insert.
    first = await Keyed.q(db).create(_id="k", label="first")
    second = await Keyed.q(db).create(_id="k", label="second")
    assert (first.label, second.label) == ("first", "second")
    assert await Keyed.coll(db).find({}).to_list(None) == [{"_id": "k", "label": "second"}]


async def test_create_stores_through_the_documents_save(db: Any) -> None:
    stamped = await Stamped.q(db).create(name="x")
    assert stamped.saves == 1
    assert await Stamped.coll(db).find_one({}, {"_id": 0}) == {"name": "x", "saves": 1}


async def test_create_with_invalid_data_raises_and_stores_nothing(db: Any) -> None:
    with pytest.raises(ValidationError) as info:
        await Item.q(db).create(name="Not Lowercase", n="many")
    assert set(info.value.as_dict()) == {"name", "n"}
    with pytest.raises(ValidationError):
        await Item.q(db).create(n=1)
    assert await Item.coll(db).count_documents({}) == 0


async def test_create_indexes_creates_meta_indexes(db: Any) -> None:
    assert await Account.q(db).create_indexes() is None  # as in 0.2
    info = await Account.coll(db).index_information()
    assert info["uniq_email"]["unique"] is True
    assert info["uniq_email"]["key"] == [("email", ASCENDING)]
    assert "nick_1" in info


async def test_create_indexes_without_meta_indexes_does_nothing(db: Any) -> None:
    assert await Item.q(db).create_indexes() is None
    assert "items" not in await db.list_collection_names()


# --- duplicate keys ------------------------------------------------------------------------


async def test_duplicate_key_error_names_the_unique_index(db: Any) -> None:
    qs = Account.q(db)
    await qs.create_indexes()
    await qs.insert_one(Account(email="ann@example.com"))
    with pytest.raises(DuplicateKeyError) as info:
        await qs.insert_one(Account(email="ann@example.com"))
    error = info.value
    assert error.index_name == "uniq_email"
    assert isinstance(error, pymongo.errors.DuplicateKeyError)
    assert error.code == 11000
    assert error.details is not None
    assert error.details["keyValue"] == {"email": "ann@example.com"}
    # As in 0.2: the driver's text, also as ``message``.
    assert str(error) == f"{error.details['errmsg']}, full error: {error.details}"
    assert error.message == str(error)
    assert error.args == (str(error),)
    assert isinstance(error.__cause__, pymongo.errors.DuplicateKeyError)
    assert str(error) == str(error.__cause__)
    assert await qs.count_documents({}) == 1


async def test_duplicate_id_is_reported_on_the_id_index(db: Any) -> None:
    item = Item(name="a")
    await Item.q(db).insert_one(item)
    with pytest.raises(DuplicateKeyError) as info:
        await Item.q(db).insert_one({"_id": item._id, "name": "b"})
    assert info.value.index_name == "_id_"


async def test_create_on_a_taken_unique_key_raises_duplicate_key_error(db: Any) -> None:
    await Account.q(db).create_indexes()
    await Account.q(db).create(email="ann@example.com")
    with pytest.raises(pymongo.errors.DuplicateKeyError) as info:
        await Account.q(db).create(email="ann@example.com")
    assert isinstance(info.value, DuplicateKeyError)


async def test_replace_and_updates_raise_duplicate_key_error(db: Any) -> None:
    qs = Account.q(db)
    await qs.create_indexes()
    await qs.insert_many([Account(email="ann@example.com"), Account(email="bob@example.com")])
    duplicate = {"$set": {"email": "ann@example.com"}}
    with pytest.raises(DuplicateKeyError) as info:
        await qs.update_one({"email": "bob@example.com"}, duplicate)
    assert info.value.index_name == "uniq_email"
    assert info.value.message == str(info.value) == str(info.value.__cause__)
    with pytest.raises(DuplicateKeyError):
        await qs.update_many({"email": "bob@example.com"}, duplicate)
    with pytest.raises(DuplicateKeyError) as info:
        await qs.replace_one({"email": "bob@example.com"}, {"email": "ann@example.com"})
    assert info.value.index_name == "uniq_email"
    assert info.value.message == str(info.value) == str(info.value.__cause__)
    assert sorted(await Account.coll(db).distinct("email")) == [
        "ann@example.com",
        "bob@example.com",
    ]


async def test_insert_many_reports_duplicates_as_the_drivers_bulk_write_error(db: Any) -> None:
    # As in 0.2: insert_many does not convert it (code catching BulkWriteError works).
    qs = Account.q(db)
    await qs.create_indexes()
    await qs.insert_one(Account(email="ann@example.com"))
    with pytest.raises(pymongo.errors.BulkWriteError) as info:
        await qs.insert_many([Account(email="bob@example.com"), Account(email="ann@example.com")])
    assert not isinstance(info.value, pymongo.errors.DuplicateKeyError)
    assert [error["code"] for error in info.value.details["writeErrors"]] == [11000]
    assert sorted(await Account.coll(db).distinct("email")) == [
        "ann@example.com",
        "bob@example.com",
    ]


# --- unacknowledged writes -----------------------------------------------------------------


async def test_unacknowledged_writes_return_none(db: Any) -> None:
    qs = Item.q(db).with_options(write_concern=WriteConcern(w=0))
    coll = Item.coll(db)

    async def count(query: dict[str, Any]) -> int:
        counted: int = await coll.count_documents(query)
        return counted

    assert await qs.insert_one(Item(name="a", n=1)) is None
    await until(lambda: count({"name": "a"}), 1)
    assert await qs.insert_many([Item(name="b", n=2), {"name": "c", "n": 3}]) is None
    await until(lambda: count({}), 3)
    assert await qs.update_one({"name": "a"}, {"$set": {"n": 10}}) is None
    await until(lambda: count({"n": 10}), 1)
    assert await qs.update_many({}, {"$inc": {"n": 100}}) is None
    await until(lambda: count({"n": {"$gt": 100}}), 3)
    assert await qs.replace_one({"name": "b"}, {"name": "b", "n": 0}) is None
    await until(lambda: count({"n": 0}), 1)
    assert await qs.delete_one({"name": "b"}) is None
    await until(lambda: count({}), 2)
    assert await qs.delete_many({}) is None
    await until(lambda: count({}), 0)
    # Acknowledged writes on the same queryset class still return their results.
    assert await Item.q(db).insert_one(Item(name="d")) is not None
    assert await Item.q(db).delete_many({}) == 1


async def test_meta_write_concern_w0_makes_writes_unacknowledged(db: Any) -> None:
    qs = FireAndForget.q(db)
    coll = FireAndForget.coll(db).with_options(write_concern=WriteConcern(w=1))

    async def names() -> list[str]:
        return sorted(await coll.distinct("name"))

    doc = FireAndForget(name="a")
    assert await qs.insert_one(doc) is None
    assert await qs.insert_many([FireAndForget(name="b")]) is None
    await until(names, ["a", "b"])
    assert await qs.update_one({"name": "a"}, {"$set": {"name": "c"}}) is None
    await until(names, ["b", "c"])
    created = await qs.create(name="d")
    assert created.name == "d"
    await until(names, ["b", "c", "d"])
    assert await qs.delete_many({}) is None
    await until(names, [])


# --- reads ---------------------------------------------------------------------------------


async def test_find_returns_a_cursor_of_documents_in_the_default_sort(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    cursor = Item.q(db).find({})
    assert isinstance(cursor, MotorQuerySetCursor)
    items = await cursor.to_list(None)
    assert all(isinstance(item, Item) for item in items)
    assert [item.name for item in items] == ["c", "b", "a"]
    assert [item.name for item in await Item.q(db).find().to_list(None)] == ["c", "b", "a"]


async def test_find_explicit_sort_wins_over_the_default_sort(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    by_kwarg = await Item.q(db).find({}, sort=[("n", ASCENDING)]).to_list(None)
    assert [item.name for item in by_kwarg] == ["a", "b", "c"]
    by_cursor = await Item.q(db).find({}).sort("name", ASCENDING).to_list(None)
    assert [item.name for item in by_cursor] == ["a", "b", "c"]


async def test_find_without_default_sort_uses_natural_order(db: Any) -> None:
    await insert_tasks(db)
    titles = [task.title async for task in Task.q(db).find({})]
    assert titles == ["write", "test", "ship", "plan"]


async def test_find_passes_projection_and_driver_options(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    items = await Item.q(db).find({"n": {"$gte": 2}}, {"name": 1}).to_list(None)
    assert [item.name for item in items] == ["c", "b"]
    assert all(item.n is None for item in items)
    limited = await Item.q(db).find({}, limit=1, skip=1).to_list(None)
    assert [item.name for item in limited] == ["b"]


async def test_find_one_returns_a_document(db: Any) -> None:
    await insert_items(db, "a", "b")
    item = await Item.q(db).find_one({Item.name.s: "b"})
    assert isinstance(item, Item)
    assert (item.name, item.n) == ("b", 2)
    only_name = await Item.q(db).find_one({"name": "a"}, {"name": 1})
    assert only_name.n is None


async def test_find_one_does_not_apply_the_default_sort(db: Any) -> None:
    # As in 0.2: Meta.default_sort is for find() only; find_one takes sort= from the caller.
    await insert_items(db, "a", "b", "c")
    assert (await Item.q(db).find_one({})).name == "a"
    assert (await Item.q(db).find_one({}, sort=[("n", DESCENDING)])).name == "c"
    assert (await Item.q(db).find_one({"n": {"$gt": 1}})).name == "b"
    assert (await Item.q(db).find().to_list(1))[0].name == "c"


async def test_find_one_raises_document_not_found(db: Any) -> None:
    await insert_items(db, "a")
    with pytest.raises(DocumentNotFoundError):
        await Item.q(db).find_one({"name": "zzz"})
    with pytest.raises(DocumentNotFoundError):
        await Task.q(db).find_one()


async def test_get_by_the_stored_id(db: Any) -> None:
    (item,) = await insert_items(db, "a")
    assert (await Item.q(db).get(item._id)).to_mongo() == item.to_mongo()
    with pytest.raises(DocumentNotFoundError):
        await Item.q(db).get(ObjectId())
    await Keyed.q(db).insert_one(Keyed(_id="k1", label="one"))
    assert (await Keyed.q(db).get("k1")).label == "one"


async def test_get_does_not_convert_a_hex_string_to_an_object_id(db: Any) -> None:
    # As in 0.2, the filter is {'_id': <_id field>.to_mongo(_id)}: no from_data.
    (item,) = await insert_items(db, "a")
    with pytest.raises(DocumentNotFoundError) as info:
        await Item.q(db).get(str(item._id))
    assert info.value.query == {"_id": str(item._id)}


async def test_get_applies_the_id_fields_to_mongo(db: Any) -> None:
    await Priced.q(db).insert_one(Priced(_id=decimal.Decimal("1.50")))
    found = await Priced.q(db).get(decimal.Decimal("1.50"))
    assert found._id == decimal.Decimal("1.50")
    with pytest.raises(DocumentNotFoundError) as info:
        await Priced.q(db).get(decimal.Decimal("2"))
    assert info.value.query == {"_id": Decimal128("2")}


async def test_document_not_found_names_the_class_not_the_filter(db: Any) -> None:
    await insert_items(db, "a")
    with pytest.raises(DocumentNotFoundError) as info:
        await Item.q(db).find_one({"name": "secret-value"})
    error = info.value
    assert str(error) == "Item matching the query was not found"
    assert "secret" not in str(error)
    assert "secret" not in repr(error)
    assert error.document_class is Item
    assert error.query == {"name": "secret-value"}
    with pytest.raises(DocumentNotFoundError) as info:
        await OpenTask.q(db).find_one({"title": "x"})
    assert str(info.value) == "OpenTask matching the query was not found"
    assert info.value.query == {"$and": [{"done": False}, {"title": "x"}]}
    missing = ObjectId()
    with pytest.raises(DocumentNotFoundError) as info:
        await Item.q(db).get(missing)
    assert str(info.value) == "Item matching the query was not found"
    assert info.value.query == {"_id": missing}


async def test_count_documents(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    qs = Item.q(db)
    assert await qs.count_documents({}) == 3
    assert await qs.count_documents() == 3
    assert await qs.count_documents({"n": {"$gt": 1}}) == 2
    assert await qs.count_documents({}, limit=2) == 2


async def test_count_is_deprecated_but_counts(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    with pytest.warns(DeprecationWarning, match=COUNT_DEPRECATED):
        assert await Item.q(db).count({"n": {"$lt": 3}}) == 2
    with pytest.warns(DeprecationWarning, match=COUNT_DEPRECATED) as record:
        assert await Item.q(db).count() == 3
    assert [str(warning.message) for warning in record] == ["Use `count_documents` instead"]
    assert record[0].filename == __file__


# --- writes --------------------------------------------------------------------------------


async def test_replace_one_returns_the_modified_count(db: Any) -> None:
    a, _ = await insert_items(db, "a", "b")
    qs = Item.q(db)
    a.n = 42
    assert await qs.replace_one({"_id": a._id}, a) == 1
    loaded = await qs.get(a._id)
    assert loaded.n == 42
    # The server counts a replacement identical to the stored document as unmodified.
    stored = await Item.coll(db).find_one({"_id": a._id})
    assert await qs.replace_one({"_id": a._id}, stored) == 0
    assert await qs.replace_one({"name": "nobody"}, {"name": "x"}) == 0
    assert await qs.count_documents({}) == 2


async def test_replace_one_with_upsert_inserts(db: Any) -> None:
    item = Item(name="new")
    assert await Item.q(db).replace_one({"_id": item._id}, item, upsert=True) == 0
    assert (await Item.q(db).get(item._id)).to_mongo() == item.to_mongo()


async def test_update_one_and_update_many_return_modified_counts(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    qs = Item.q(db)
    assert await qs.update_one({"n": {"$gte": 2}}, {"$inc": {"n": 10}}) == 1
    assert await qs.update_many({}, {"$set": {"name": "z"}}) == 3
    assert await qs.update_many({}, {"$set": {"name": "z"}}) == 0
    assert await qs.update_one({}, {"$set": {"name": "z"}}) == 0
    assert await qs.update_one({"name": "nobody"}, {"$set": {"n": 0}}) == 0
    assert sorted([doc["n"] async for doc in Item.coll(db).find({})]) == [1, 3, 12]


async def test_delete_one_and_delete_many_return_deleted_counts(db: Any) -> None:
    await insert_items(db, "a", "b", "c", "d")
    qs = Item.q(db)
    assert await qs.delete_one({"n": {"$gt": 1}}) == 1
    assert await qs.count_documents({}) == 3
    assert await qs.delete_many({"n": {"$gt": 1}}) == 2
    assert await qs.delete_many({"n": {"$gt": 1}}) == 0
    assert await qs.delete_one({"name": "nobody"}) == 0
    assert [item.name for item in await qs.find().to_list(None)] == ["a"]


# --- Meta.default_query ----------------------------------------------------------------


async def test_default_query_limits_reads(db: Any) -> None:
    await insert_tasks(db)
    qs = OpenTask.q(db)
    assert sorted([task.title async for task in qs.find({})]) == ["test", "write"]
    assert [task.title async for task in qs.find({"done": True})] == []
    assert await qs.count_documents({}) == 2
    assert await qs.count_documents({"title": "ship"}) == 0
    with pytest.warns(DeprecationWarning, match=COUNT_DEPRECATED):
        assert await qs.count() == 2
    assert (await qs.find_one({"title": "write"})).title == "write"
    with pytest.raises(DocumentNotFoundError):
        await qs.find_one({"title": "ship"})
    shipped = await Task.q(db).find_one({"title": "ship"})
    with pytest.raises(DocumentNotFoundError):
        await qs.get(shipped._id)
    assert await Task.q(db).count_documents({}) == 4


async def test_default_query_limits_updates(db: Any) -> None:
    await insert_tasks(db)
    qs = OpenTask.q(db)
    assert await qs.update_many({}, {"$set": {"tag": "x"}}) == 2
    assert await qs.update_one({"title": "ship"}, {"$set": {"tag": "y"}}) == 0
    assert await qs.replace_one({"title": "plan"}, {"title": "plan", "done": False}) == 0
    tasks = await raw_tasks(db)
    assert {title: doc.get("tag") for title, doc in tasks.items()} == {
        "write": "x",
        "test": "x",
        "ship": None,
        "plan": None,
    }
    assert tasks["plan"]["done"] is True


async def test_default_query_limits_deletes(db: Any) -> None:
    await insert_tasks(db)
    qs = OpenTask.q(db)
    assert await qs.delete_one({"title": "ship"}) == 0
    assert await qs.delete_many({}) == 2
    assert sorted(await raw_tasks(db)) == ["plan", "ship"]


# --- aggregate -------------------------------------------------------------------------


async def test_aggregate_returns_raw_results(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    cursor = Item.q(db).aggregate(
        [
            {"$match": {"n": {"$gte": 2}}},
            {"$project": {"_id": 0, "name": 1}},
            {"$sort": {"name": 1}},
        ]
    )
    assert await cursor.to_list(None) == [{"name": "b"}, {"name": "c"}]


async def test_aggregate_cursor_works_with_async_for_without_another_await(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    pipeline = [{"$sort": {"n": 1}}, {"$project": {"_id": 0, "n": 1}}]
    assert [doc async for doc in Item.q(db).aggregate(pipeline)] == [{"n": 1}, {"n": 2}, {"n": 3}]
    results = []
    async for doc in Item.q(db).aggregate(pipeline):
        results.append(doc["n"])
    assert results == [1, 2, 3]
    assert await Item.q(db).aggregate(pipeline).to_list(2) == [{"n": 1}, {"n": 2}]
    assert await Item.q(db).aggregate([{"$match": {"n": 99}}]).to_list(None) == []


async def test_aggregate_passes_options_to_the_driver(db: Any) -> None:
    await insert_items(db, "a", "b", "c")
    cursor = Item.q(db).aggregate(
        [{"$sort": {"n": 1}}, {"$project": {"_id": 0, "n": 1}}], batchSize=1, allowDiskUse=True
    )
    assert await cursor.to_list(None) == [{"n": 1}, {"n": 2}, {"n": 3}]
    with pytest.raises(pymongo.errors.OperationFailure):
        await Item.q(db).aggregate([{"$sort": {"n": 1}}], hint="no_such_index").to_list(None)


async def test_aggregate_under_motor_returns_motors_cursor(db: Any, is_motor: bool) -> None:
    await insert_items(db, "a")
    cursor = Item.q(db).aggregate([{"$project": {"_id": 0, "name": 1}}])
    if is_motor:
        from motor.motor_asyncio import AsyncIOMotorLatentCommandCursor

        assert type(cursor) is AsyncIOMotorLatentCommandCursor
    assert await cursor.to_list(1) == [{"name": "a"}]
    await cursor.close()


async def test_aggregate_under_pymongo_can_be_awaited_for_the_driver_cursor(
    pymongo_db: Any,
) -> None:
    from pymongo.asynchronous.command_cursor import AsyncCommandCursor

    await Item.q(pymongo_db).insert_one(Item(name="a"))
    pending = Item.q(pymongo_db).aggregate([{"$project": {"_id": 0, "name": 1}}])
    driver_cursor = await pending
    assert isinstance(driver_cursor, AsyncCommandCursor)
    assert await pending is driver_cursor
    assert await driver_cursor.to_list(None) == [{"name": "a"}]
    await pending.close()


async def test_aggregate_merges_the_default_query_into_a_leading_match(db: Any) -> None:
    await insert_tasks(db)
    pipeline = [
        {"$match": {"title": {"$in": ["write", "ship"]}}},
        {"$project": {"_id": 0, "title": 1}},
    ]
    cursor = OpenTask.q(db).aggregate(pipeline)
    assert await cursor.to_list(None) == [{"title": "write"}]
    # As in 0.2, the caller's leading $match stage now holds the merged filter; running
    # the pipeline again merges once more, with the same results.
    merged = {"$and": [{"done": False}, {"title": {"$in": ["write", "ship"]}}]}
    assert pipeline[0] == {"$match": merged}
    assert await OpenTask.q(db).aggregate(pipeline).to_list(None) == [{"title": "write"}]
    # A stage the caller cannot change (an immutable mapping) is replaced in a copy.
    frozen = [MappingProxyType({"$match": {"title": "ship"}})]
    assert await OpenTask.q(db).aggregate(frozen).to_list(None) == []
    assert dict(frozen[0]) == {"$match": {"title": "ship"}}


async def test_aggregate_prepends_the_default_query_as_a_match(db: Any) -> None:
    await insert_tasks(db)
    counted = await OpenTask.q(db).aggregate([{"$count": "n"}]).to_list(None)
    assert counted == [{"n": 2}]
    titles = (
        await OpenTask.q(db)
        .aggregate([{"$sort": {"title": 1}}, {"$match": {}}, {"$project": {"_id": 0, "title": 1}}])
        .to_list(None)
    )
    assert titles == [{"title": "test"}, {"title": "write"}]
    everything = await OpenTask.q(db).aggregate([]).to_list(None)
    assert sorted(doc["title"] for doc in everything) == ["test", "write"]
    assert len(await Task.q(db).aggregate([]).to_list(None)) == 4


# --- helpers of custom querysets (0.2's names) -------------------------------------------


async def test_update_query_combines_the_default_query_with_and(db: Any) -> None:
    assert OpenTask.q(db)._update_query({"title": "x"}) == {
        "$and": [{"done": False}, {"title": "x"}]
    }
    assert Task.q(db)._update_query({"title": "x"}) == {"title": "x"}


async def test_update_query_params_adds_the_querysets_session(db: Any) -> None:
    session, other = object(), object()
    assert Task.q(db)._update_query_params({"limit": 1}) == {"limit": 1}
    params = {"limit": 1}
    assert Task.q(db, session=session)._update_query_params(params) is params
    assert params == {"limit": 1, "session": session}
    assert Task.q(db, session=session)._update_query_params({"session": other}) == {
        "session": other
    }
    assert Task.q(db, session=session)._update_query_params({"session": None}) == {"session": None}


async def test_custom_queryset_uses_the_helpers_on_the_collection(db: Any) -> None:
    await insert_tasks(db)
    await Task.coll(db).update_one({"title": "test"}, {"$set": {"deleted": True}})
    qs = SoftTask.q(db)
    assert type(qs) is SoftDeleteQuerySet
    assert await qs.raw_titles({}) == ["write"]
    assert await qs.raw_titles({"title": "test"}) == []


async def test_every_method_goes_through_update_query(db: Any) -> None:
    # Overriding _update_query in a custom queryset reaches every filtered operation.
    await insert_tasks(db)
    await Task.coll(db).update_one({"title": "test"}, {"$set": {"deleted": True}})
    qs = SoftTask.q(db)
    assert [task.title async for task in qs.find({})] == ["write"]
    assert await qs.count_documents({}) == 1
    with pytest.raises(DocumentNotFoundError):
        await qs.find_one({"title": "test"})
    deleted = await Task.q(db).find_one({"title": "test"})
    with pytest.raises(DocumentNotFoundError):
        await qs.get(deleted._id)
    assert await qs.update_many({}, {"$set": {"tag": 1}}) == 1
    assert await qs.update_one({"title": "test"}, {"$set": {"tag": 1}}) == 0
    assert await qs.replace_one({"title": "test"}, {"title": "test"}) == 0
    assert await qs.aggregate([{"$match": {}}, {"$count": "n"}]).to_list(None) == [{"n": 1}]
    assert await qs.aggregate([{"$count": "n"}]).to_list(None) == [{"n": 1}]
    assert await qs.delete_many({"title": "test"}) == 0
    assert await qs.delete_one({}) == 1
    assert sorted(await raw_tasks(db)) == ["plan", "ship", "test"]
