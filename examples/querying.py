"""Querying: projections, cursor modifiers, find_one, update_many, delete_many."""

from __future__ import annotations

from typing import Any

from examples.models import User


async def main(db: Any) -> None:
    for name, active in (("Alexandro", True), ("Ihor", True), ("Maria", False)):
        await User.q(db).create(name=name, is_active=active)

    # find() returns a cursor; modifiers chain. With a projection, the fields left
    # out are simply unset.
    cursor = User.q(db).find({}, {"_id": 1}).sort(User.name.s).skip(1).limit(2)
    names = []
    async for user in cursor:
        assert user.is_active is None
        names.append(user.name)
    assert names == ["Ihor", "Maria"]
    print(f"  sorted, skip 1, limit 2: {names}")

    user = await User.q(db).find_one({User.name.s: "Alexandro"})
    assert user.name == "Alexandro"

    modified = await User.q(db).update_many(
        {User.is_active.s: True}, {"$set": {User.is_active.s: False}}
    )
    assert modified == 2
    print(f"  deactivated {modified} users")

    deleted = await User.q(db).delete_many({})
    assert deleted == 3
    print(f"  deleted {deleted} users")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
