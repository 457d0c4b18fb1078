"""Transactions: pass the session to querysets and document methods.

Sessions and transactions need a replica set. PyMongo's async API and Motor spell the
session calls differently; both are shown.
"""

from __future__ import annotations

import uuid
from typing import Any

from examples.connect import mongodb_uri
from examples.models import User


class SimulatedFailure(Exception):
    """Raised inside the transaction to roll it back."""


async def work_in_transaction(db: Any, session: Any) -> None:
    """Writes that all belong to ``session``'s transaction, then a failure."""
    # The session given to q() is used by every operation of that queryset ...
    await User.q(db, session=session).create(name="user")
    # ... or pass it to one call.
    await User.q(db).update_one(
        {User.name.s: "user"}, {"$set": {User.is_active.s: False}}, session=session
    )
    assert await User.q(db, session).count_documents({User.name.s: "user"}) == 1
    # Document methods take it too.
    other = await User(name="user2").save(db, session=session)
    await other.delete(db, session=session)
    raise SimulatedFailure


async def main(db: Any) -> None:
    """PyMongo async: ``start_session()`` is a context manager, ``start_transaction()`` awaited."""
    await User.create_collection(db)  # collections are created before transactions
    async with db.client.start_session() as session:
        try:
            async with await session.start_transaction():
                await work_in_transaction(db, session)
        except SimulatedFailure:
            pass
    assert await User.q(db).count_documents({User.name.s: "user"}) == 0
    print("  PyMongo: the failed transaction left nothing behind")

    async with db.client.start_session() as session, await session.start_transaction():
        await User.q(db, session=session).create(name="committed")
    assert await User.q(db).count_documents({}) == 1
    print("  PyMongo: the committed transaction's document is stored")

    await motor_main()


async def motor_main() -> None:
    """Motor: ``start_session()`` awaited, ``start_transaction()`` a plain context manager."""
    try:
        from motor.motor_asyncio import AsyncIOMotorClient
    except ImportError:
        print("  Motor is not installed: skipping its variant")
        return
    client: Any = AsyncIOMotorClient(mongodb_uri())
    db = client[f"aiomongodel_example_{uuid.uuid4().hex[:12]}"]
    try:
        await User.create_collection(db)
        async with await client.start_session() as session:
            try:
                async with session.start_transaction():
                    await work_in_transaction(db, session)
            except SimulatedFailure:
                pass
        assert await User.q(db).count_documents({User.name.s: "user"}) == 0
        print("  Motor: the failed transaction left nothing behind")
    finally:
        await client.drop_database(db.name)
        client.close()


if __name__ == "__main__":
    from examples.connect import run

    run(main)
