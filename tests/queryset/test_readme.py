"""The README's models, CRUD, querying and transaction examples, end to end.

They run on PyMongo async and Motor asyncio through the ``db`` fixture, and the CRUD
walkthrough also runs on Motor's Tornado client. Fixes to the README as written: the ``_id``
regex reads ``{3,20}``; the walkthrough stores a third user, which its counts assume; the
transaction example uses each driver's real session API.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import pytest
from bson import ObjectId
from pymongo import DESCENDING, IndexModel

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import DocumentNotFoundError
from aiomongodel.fields import (
    BoolField,
    DateTimeField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
    SynonymField,
)
from tests.drivers import run_on_motor_tornado, start_session, transaction


class User(Document):
    _id = StrField(regex=r"[a-zA-Z0-9_]{3,20}")
    is_active = BoolField(default=True)
    posts = ListField(RefField(f"{__name__}.Post"), default=list)
    quote = StrField(required=False)

    name = SynonymField(_id)

    class Meta:
        collection = "users"


class Post(Document):
    title = StrField(allow_blank=False, max_length=50)
    body = StrField()
    created = DateTimeField(default=lambda: datetime.now(timezone.utc))
    views = IntField(default=0)
    rate = FloatField(default=0.0)
    author = RefField(User, mongo_name="user")
    comments = ListField(EmbDocField(f"{__name__}.Comment"), default=list)

    class Meta:
        collection = "posts"
        indexes = [IndexModel([("created", DESCENDING)])]
        default_sort = [("created", DESCENDING)]


class Comment(EmbeddedDocument):
    _id = ObjectIdField(default=ObjectId)
    author = RefField(User)
    body = StrField()


async def crud_walkthrough(db: Any) -> None:
    """The README's CRUD section, plus a post with a comment."""
    assert await User.q(db).create_indexes() is None

    # CREATE
    u = await User(name="Alexandro").save(db, do_insert=True)
    assert u.name == "Alexandro"
    assert u._id == "Alexandro"
    assert u.is_active is True
    assert u.posts == []
    assert u.quote is None
    u = await User.q(db).create(name="Ihor", is_active=False)
    await User(name="Francesco").save(db)

    # READ
    u = await User.q(db).get("Alexandro")
    assert u.name == "Alexandro"
    users = await User.q(db).find({User.is_active.s: True}).to_list(10)
    assert len(users) == 2
    users = []
    async for user in User.q(db).find({User.is_active.s: False}):
        users.append(user)
    assert len(users) == 1
    users = [user async for user in User.q(db).find({})]
    assert len(users) == 3

    # UPDATE
    u = await User.q(db).get("Ihor")
    u.is_active = True
    await u.save(db)
    assert (await User.q(db).get("Ihor")).is_active is True
    post_id = ObjectId()
    await u.update(db, {"$push": {User.posts.s: post_id}})
    assert u.posts == [post_id]

    # A post referencing its author, with an embedded comment
    await Post.q(db).create_indexes()
    assert "created_-1" in await Post.coll(db).index_information()
    post = await Post.q(db).create(title="Hello", body="First post", author=u)
    post.comments.append(Comment(author="Alexandro", body="Welcome"))
    await post.validate().save(db)
    loaded = await Post.q(db).find_one({Post.author.s: "Ihor"})
    assert loaded.author == "Ihor"
    assert loaded.title == "Hello"
    assert [(c.author, c.body) for c in loaded.comments] == [("Alexandro", "Welcome")]
    assert isinstance(loaded.comments[0], Comment)
    found = await Post.q(db).find({Post.comments.body.s: "Welcome"}).to_list(None)
    assert [p._id for p in found] == [post._id]

    # DELETE
    u = await User.q(db).get("Ihor")
    await u.delete(db)
    with pytest.raises(DocumentNotFoundError):
        await User.q(db).get("Ihor")
    assert await User.q(db).count_documents({}) == 2


async def querying_walkthrough(db: Any) -> None:
    """The README's Querying section, on the users of ``crud_walkthrough``."""
    cursor = User.q(db).find({}, {"_id": 1}).skip(1).limit(2)
    names = []
    async for user in cursor:
        names.append(user.name)
        assert user.is_active is None
    assert len(names) == 1

    user = await User.q(db).find_one({User.name.s: "Alexandro"})
    assert user.name == "Alexandro"

    assert (
        await User.q(db).update_many({User.is_active.s: True}, {"$set": {User.is_active.s: False}})
        == 2
    )
    assert await User.q(db).count_documents({User.is_active.s: True}) == 0

    assert await User.q(db).delete_many({}) == 2
    assert await User.q(db).count_documents({}) == 0


def test_readme_model_names() -> None:
    assert User._id.s == "_id"
    assert User.name.s == "_id"
    assert Post.title.s == "title"
    assert Post.author.s == "user"
    assert Post.comments.body.s == "comments.body"


async def test_readme_crud_and_querying(db: Any) -> None:
    await crud_walkthrough(db)
    await querying_walkthrough(db)


def test_readme_crud_on_motor_tornado(mongodb_uri: str) -> None:
    async def body(db: Any) -> None:
        import motor.motor_tornado

        assert type(db).__name__ == "MotorDatabase"
        await crud_walkthrough(db)
        cursor_class = motor.motor_tornado.MotorLatentCommandCursor
        assert type(User.q(db).aggregate([])) is cursor_class
        assert [doc["_id"] async for doc in User.q(db).aggregate([])] == [
            "Alexandro",
            "Francesco",
        ]
        await querying_walkthrough(db)

    run_on_motor_tornado(mongodb_uri, body)


# --- Transaction ---------------------------------------------------------------------------


class Rollback(Exception):
    """Simulates an error in the transaction block."""


@contextlib.asynccontextmanager
async def in_transaction(db: Any, is_motor: bool) -> AsyncIterator[Any]:
    """A session in a transaction, opened with the driver's own API."""
    if is_motor:
        async with await db.client.start_session() as session, session.start_transaction():
            yield session
    else:
        async with await start_session(db.client) as session, transaction(session):
            yield session


async def transaction_body(db: Any, session: Any) -> None:
    """The statements of the README's transaction example."""
    await User.q(db, session=session).create(name="user")
    await User.q(db).update_one(
        {User.name.s: "user"}, {"$set": {User.is_active.s: False}}, session=session
    )
    assert await User.q(db, session).count_documents({User.name.s: "user"}) == 1
    assert await User.q(db).count_documents({User.name.s: "user"}) == 0

    u = await User(name="user2").save(db, session=session)
    assert (await User.q(db, session).get("user2")).name == "user2"
    await u.delete(db, session=session)
    assert await User.q(db, session).count_documents({}) == 1


async def test_readme_transaction_rolls_back_on_error(db: Any, is_motor: bool) -> None:
    await User.create_collection(db)
    try:
        async with in_transaction(db, is_motor) as session:
            await transaction_body(db, session)
            raise Rollback
    except Rollback:
        assert await User.q(db).count_documents({User.name.s: "user"}) == 0
    else:
        pytest.fail("the transaction block did not raise")
    assert await User.q(db).count_documents({}) == 0


async def test_readme_transaction_commits(db: Any, is_motor: bool) -> None:
    await User.create_collection(db)
    async with in_transaction(db, is_motor) as session:
        await transaction_body(db, session)
        assert await User.q(db).count_documents({}) == 0
    user = await User.q(db).get("user")
    assert user.is_active is False
    assert await User.q(db).count_documents({}) == 1
