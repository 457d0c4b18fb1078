"""Querying: filters and updates from fields, projections, cursor modifiers, find_one,
update_many, delete_many."""

from __future__ import annotations

from typing import Any

from examples.models import User


async def main(db: Any) -> None:
    for name, active in (("Alexandro", True), ("Ihor", True), ("Maria", False)):
        await User.q(db).create(name=name, is_active=active)

    # find() returns a cursor; modifiers chain. With a projection, the fields left
    # out are simply unset.
    cursor = User.q(db).find({}, {"_id": 1}).sort(User.name.asc()).skip(1).limit(2)
    names = []
    async for user in cursor:
        assert user.is_active is None
        names.append(user.name)
    assert names == ["Ihor", "Maria"]
    print(f"  sorted, skip 1, limit 2: {names}")

    user = await User.q(db).find_one(User.name == "Alexandro")
    assert user.name == "Alexandro"
    # The same filter, written as a dict:
    assert (User.name == "Alexandro") == {User.name.s: "Alexandro"}

    active = User.is_active == True  # noqa: E712  (a filter, not a comparison)
    modified = await User.q(db).update_many(active, User.is_active.set(False))
    assert modified == 2
    print(f"  deactivated {modified} users")

    deleted = await User.q(db).delete_many({})
    assert deleted == 3
    print(f"  deleted {deleted} users")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
