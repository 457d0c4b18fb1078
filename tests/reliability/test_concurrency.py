"""Many coroutines writing one document at once, on PyMongo async and on Motor.

Atomic update operators (``Document.update`` with ``$inc``) are applied by the server
one after the other, so none is lost however many run at once. ``save()`` replaces the
whole stored document: of two objects loaded from one document and saved, the last save
wins entirely, including fields the last object did not change.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiomongodel import Document, IntField, StrField

CONCURRENT_UPDATES = 300


class Counter(Document):
    name = StrField()
    value = IntField()


class Profile(Document):
    name = StrField()
    city = StrField()
    visits = IntField()


async def test_concurrent_inc_updates_are_all_counted(db: Any) -> None:
    counter = await Counter.q(db).create(name="hits", value=0)
    handles = [await Counter.q(db).get(counter._id) for _ in range(CONCURRENT_UPDATES)]

    await asyncio.gather(*(handle.update(db, {"$inc": {Counter.value.s: 1}}) for handle in handles))

    stored = await Counter.q(db).get(counter._id)
    assert stored.value == CONCURRENT_UPDATES, (
        f"{CONCURRENT_UPDATES} concurrent $inc updates, stored value {stored.value}"
    )
    assert stored.name == "hits"
    # Each object was reloaded after its own update and saw at least its own increment.
    assert all(1 <= handle.value <= CONCURRENT_UPDATES for handle in handles)


async def test_concurrent_inc_on_one_object_are_all_counted(db: Any) -> None:
    counter = await Counter.q(db).create(name="hits", value=0)

    await asyncio.gather(
        *(counter.update(db, {"$inc": {Counter.value.s: 1}}) for _ in range(CONCURRENT_UPDATES))
    )

    await counter.reload(db)
    assert counter.value == CONCURRENT_UPDATES


async def test_save_is_last_write_wins(db: Any) -> None:
    original = await Profile.q(db).create(name="Ann", city="Oslo", visits=1)
    first = await Profile.q(db).get(original._id)
    second = await Profile.q(db).get(original._id)

    first.city = "Bergen"
    second.visits = 2
    await first.save(db)
    await second.save(db)

    stored = await Profile.coll(db).find_one({"_id": original._id})
    assert stored == second.to_mongo()
    assert stored == {"_id": original._id, "name": "Ann", "city": "Oslo", "visits": 2}
    # The first object's change is gone: save() replaces the whole document.
    assert (await Profile.q(db).get(original._id)).city == "Oslo"


async def test_concurrent_saves_leave_one_whole_version(db: Any) -> None:
    original = await Profile.q(db).create(name="Ann", city="Oslo", visits=0)
    versions = [await Profile.q(db).get(original._id) for _ in range(50)]
    for number, version in enumerate(versions):
        version.city = f"city {number}"
        version.visits = number

    await asyncio.gather(*(version.save(db) for version in versions))

    stored = await Profile.coll(db).find_one({"_id": original._id})
    assert stored in [version.to_mongo() for version in versions], (
        f"stored document {stored} mixes the fields of several saves"
    )
    assert await Profile.q(db).count_documents({}) == 1
