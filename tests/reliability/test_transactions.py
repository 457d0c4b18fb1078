"""Errors inside a multi-document transaction abort all of it, on both drivers.

Each test writes through the ODM inside a transaction (an update of a stored document,
an insert, a ``save()``), then hits an error: a duplicate ``_id``, invalid data, a write
the server refuses, or an exception of the application. The transaction aborts and the
collection is exactly as it was before it started.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pymongo.errors
import pytest

from aiomongodel import Document, IntField, StrField, ValidationError
from aiomongodel.errors import DuplicateKeyError
from tests.drivers import start_session, transaction


class Account(Document):
    _id = IntField()
    owner = StrField()
    balance = IntField()


class ApplicationError(Exception):
    """Raised by the application itself in the middle of a transaction."""


async def _duplicate_id(db: Any, session: Any) -> None:
    await Account.q(db, session=session).insert_one(Account(_id=1, owner="Bob", balance=0))


async def _invalid_data(db: Any, session: Any) -> None:
    await Account.q(db, session=session).create(_id=4, owner="Eve", balance="a lot")


async def _refused_by_server(db: Any, session: Any) -> None:
    account = await Account.q(db, session=session).get(1)
    await account.update(db, {"$inc": {Account.owner.s: 1}}, session=session)


async def _application_error(db: Any, session: Any) -> None:
    raise ApplicationError("the payment provider said no")


async def _transfer_then_fail(
    db: Any, session: Any, fail: Callable[[Any, Any], Awaitable[None]]
) -> None:
    """In one transaction: update account 1, insert 2, save 3, then ``fail``."""
    async with transaction(session):
        account = await Account.q(db, session=session).get(1)
        await account.update(db, {"$inc": {Account.balance.s: -30}}, session=session)
        assert account.balance == 70
        await Account.q(db, session=session).insert_one(Account(_id=2, owner="Bob", balance=30))
        await Account(_id=3, owner="Cid", balance=0).save(db, session=session)
        assert await Account.q(db, session=session).count_documents({}) == 3
        await fail(db, session)


async def _create_two(db: Any, session: Any, first: int, second: int) -> None:
    """Create accounts ``first`` then ``second`` in one transaction."""
    async with transaction(session):
        await Account.q(db, session=session).create(_id=first, owner="Bob", balance=5)
        await Account(_id=second, owner="Bob", balance=5).save(db, do_insert=True, session=session)


FAILURES: list[Any] = [
    pytest.param(_duplicate_id, DuplicateKeyError, id="duplicate-key"),
    pytest.param(_invalid_data, ValidationError, id="validation-error"),
    pytest.param(_refused_by_server, pymongo.errors.OperationFailure, id="server-write-error"),
    pytest.param(_application_error, ApplicationError, id="application-error"),
]


@pytest.mark.parametrize(("fail", "error"), FAILURES)
async def test_error_in_transaction_leaves_nothing_behind(
    db: Any, fail: Callable[[Any, Any], Awaitable[None]], error: type[Exception]
) -> None:
    await Account.q(db).create(_id=1, owner="Ann", balance=100)
    stored_before = await Account.coll(db).find({}).to_list(None)

    async with await start_session(db.client) as session:
        with pytest.raises(error):
            await _transfer_then_fail(db, session, fail)
        assert not session.in_transaction

    assert await Account.coll(db).find({}).to_list(None) == stored_before
    assert (await Account.q(db).get(1)).balance == 100


async def test_duplicate_key_in_transaction_is_the_odm_error(db: Any) -> None:
    await Account.q(db).create(_id=1, owner="Ann", balance=100)

    async with await start_session(db.client) as session:
        with pytest.raises(DuplicateKeyError) as raised:
            await _create_two(db, session, 2, 1)

    assert isinstance(raised.value, pymongo.errors.DuplicateKeyError)
    assert raised.value.code == 11000
    assert raised.value.index_name == "_id_"
    assert await Account.coll(db).find({}).to_list(None) == [
        {"_id": 1, "owner": "Ann", "balance": 100}
    ]


async def test_session_works_after_an_aborted_transaction(db: Any) -> None:
    await Account.q(db).create(_id=1, owner="Ann", balance=100)

    async with await start_session(db.client) as session:
        with pytest.raises(DuplicateKeyError):
            await _create_two(db, session, 2, 1)
        await _create_two(db, session, 2, 3)

    assert await Account.q(db).count_documents({}) == 3
    assert (await Account.q(db).get(2)).owner == "Bob"
