"""Multi-document transactions on the test replica set, through PyMongo's async client."""

from __future__ import annotations

from typing import Any

import pytest

from tests.drivers import start_session, transaction


class Rollback(Exception):
    """Raised inside a transaction to abort it."""


async def test_committed_transaction_is_visible(pymongo_client: Any, pymongo_db: Any) -> None:
    async with await start_session(pymongo_client) as session:
        async with transaction(session):
            await pymongo_db.orders.insert_one({"_id": 1, "total": 10}, session=session)
            await pymongo_db.ledger.insert_one({"_id": 1, "order": 1}, session=session)
        assert not session.in_transaction
    assert await pymongo_db.orders.find_one({"_id": 1}) == {"_id": 1, "total": 10}
    assert await pymongo_db.ledger.find_one({"_id": 1}) == {"_id": 1, "order": 1}


async def test_aborted_transaction_leaves_nothing(pymongo_client: Any, pymongo_db: Any) -> None:
    await pymongo_db.create_collection("orders")

    async def insert_both_then_fail(session: Any) -> None:
        async with transaction(session):
            await pymongo_db.orders.insert_one({"_id": 1}, session=session)
            await pymongo_db.ledger.insert_one({"_id": 1}, session=session)
            raise Rollback

    async with await start_session(pymongo_client) as session:
        with pytest.raises(Rollback):
            await insert_both_then_fail(session)
        assert not session.in_transaction
    assert await pymongo_db.orders.count_documents({}) == 0
    assert await pymongo_db.ledger.count_documents({}) == 0


async def test_transaction_reads_its_own_writes_in_isolation(
    pymongo_client: Any, pymongo_db: Any
) -> None:
    await pymongo_db.create_collection("orders")
    async with await start_session(pymongo_client) as session:
        async with transaction(session):
            await pymongo_db.orders.insert_one({"_id": 1}, session=session)
            assert await pymongo_db.orders.find_one({"_id": 1}, session=session) == {"_id": 1}
            assert await pymongo_db.orders.find_one({"_id": 1}) is None
            assert await pymongo_db.orders.count_documents({}) == 0
        assert await pymongo_db.orders.find_one({"_id": 1}) == {"_id": 1}
