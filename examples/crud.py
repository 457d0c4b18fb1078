"""CRUD: create, read, update and delete documents on PyMongo's async client."""

from __future__ import annotations

from typing import Any

from bson import ObjectId

from examples.models import User


async def main(db: Any) -> None:
    await User.q(db).create_indexes()

    # CREATE. save() replaces the document with the same _id (upsert) unless
    # do_insert=True, which inserts and fails on an existing _id.
    user = await User(name="Alexandro").save(db, do_insert=True)
    assert user.name == "Alexandro"
    assert user._id == "Alexandro"
    assert user.is_active is True
    assert user.posts == []
    assert user.quote is None
    print(f"  saved {user}")
    # create() validates, then inserts.
    user = await User.q(db).create(name="Ihor", is_active=False)
    print(f"  created {user}")

    # READ
    user = await User.q(db).get("Alexandro")
    assert user.name == "Alexandro"
    active = await User.q(db).find({User.is_active.s: True}).to_list(10)
    assert [u.name for u in active] == ["Alexandro"]
    inactive = [u async for u in User.q(db).find({User.is_active.s: False})]
    assert [u.name for u in inactive] == ["Ihor"]
    everyone = [u async for u in User.q(db).find({})]
    print(f"  found {len(everyone)} users: {sorted(u.name for u in everyone)}")

    # UPDATE: change and save (replaces the stored document) ...
    user = await User.q(db).get("Ihor")
    user.is_active = True
    await user.save(db)
    assert (await User.q(db).get("Ihor")).is_active is True
    # ... or send an update; the object is reloaded afterwards.
    await user.update(db, {"$push": {User.posts.s: ObjectId()}})
    assert len(user.posts) == 1
    print(f"  updated {user}")

    # DELETE
    user = await User.q(db).get("Ihor")
    await user.delete(db)
    assert await User.q(db).count_documents({}) == 1
    print("  deleted Ihor; 1 user left")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
