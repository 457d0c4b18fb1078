"""A ``db`` that cannot be an asynchronous database is refused where it is passed.

``Document.q(db)`` (and so ``save``, ``reload``, ``update``, ``delete``) raises a
``TypeError`` naming the document class, what was given and what to pass instead:
a synchronous PyMongo database, a client or a collection of either driver, or an object
with no ``get_collection``. Any other object with ``get_collection`` is taken for a
database.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pymongo
import pytest

from aiomongodel._drivers import check_database
from aiomongodel.document import Document
from aiomongodel.fields import IntField, StrField

EXPECTED = "db must be an asynchronous database (a PyMongo AsyncDatabase or a Motor database), got "
A_CLIENT = "(a client: pass client['name'] or client.get_database('name'))"


class Post(Document):
    title = StrField()
    views = IntField(default=0)

    class Meta:
        collection = "posts"


class Draft(Post):
    class Meta:
        collection = "drafts"


def message(doc_class: type[Any], got: str) -> str:
    return f"{doc_class.__name__}.q(db): {EXPECTED}{got}"


@pytest.fixture
def sync_client(mongodb_uri: str) -> Iterator[pymongo.MongoClient[dict[str, Any]]]:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(mongodb_uri)
    try:
        yield client
    finally:
        client.close()


@pytest.mark.parametrize(
    ("bad", "got"),
    [
        ("mongodb://127.0.0.1/test", "a str, which has no get_collection method"),
        (None, "None, which has no get_collection method"),
        ({"posts": []}, "a dict, which has no get_collection method"),
        (42, "an int, which has no get_collection method"),
    ],
)
def test_objects_without_get_collection_are_refused_naming_their_type(bad: Any, got: str) -> None:
    with pytest.raises(TypeError) as info:
        Post.q(bad)
    assert str(info.value) == message(Post, got)


def test_the_message_names_the_class_queried() -> None:
    with pytest.raises(TypeError, match=r"^Draft\.q\(db\): db must be an asynchronous"):
        Draft.q(None)


def test_a_connection_string_is_not_repeated_in_the_message() -> None:
    with pytest.raises(TypeError) as info:
        Post.q("mongodb://user:secret@127.0.0.1/test")
    assert "secret" not in str(info.value)


def test_a_non_callable_get_collection_is_refused() -> None:
    class Lookalike:
        get_collection = "posts"

    with pytest.raises(TypeError) as info:
        Post.q(Lookalike())
    assert str(info.value) == message(
        Post, f"a {__name__}.{Lookalike.__qualname__}, which has no get_collection method"
    )


async def test_a_client_is_refused_with_how_to_get_a_database(db: Any, driver: str) -> None:
    name = (
        "pymongo.AsyncMongoClient"
        if driver == "pymongo"
        else "motor.motor_asyncio.AsyncIOMotorClient"
    )
    with pytest.raises(TypeError) as info:
        Post.q(db.client)
    assert str(info.value) == message(Post, f"a {name} {A_CLIENT}")
    # What the message says to pass works.
    assert Post.q(db.client[db.name]).collection.full_name == f"{db.name}.posts"
    assert Post.q(db.client.get_database(db.name)).collection.full_name == f"{db.name}.posts"


async def test_a_collection_is_refused_with_how_to_get_its_database(db: Any) -> None:
    collection = db["posts"]
    with pytest.raises(TypeError) as info:
        Post.q(collection)
    assert f"got a {type(collection).__module__}.{type(collection).__name__} " in str(info.value)
    assert str(info.value).endswith("(a collection: pass its database, collection.database)")
    assert Post.q(collection.database).collection.full_name == f"{db.name}.posts"


def test_a_synchronous_database_is_refused_as_synchronous(
    sync_client: pymongo.MongoClient[dict[str, Any]],
) -> None:
    with pytest.raises(TypeError) as info:
        Post.q(sync_client["test_sync"])
    assert str(info.value) == message(
        Post,
        "a pymongo.database.Database, which is synchronous: "
        "use pymongo.AsyncMongoClient(...)['name'] or Motor",
    )


def test_a_synchronous_client_is_refused_as_a_client_and_synchronous(
    sync_client: pymongo.MongoClient[dict[str, Any]],
) -> None:
    with pytest.raises(TypeError) as info:
        Post.q(sync_client)
    text = str(info.value)
    assert text.startswith(message(Post, "a pymongo.MongoClient (a client: "))
    assert "client['name'] or client.get_database('name')" in text
    assert "synchronous" in text


async def test_save_to_a_client_raises_and_stores_nothing(db: Any) -> None:
    post = Post(title="hello")
    with pytest.raises(TypeError, match=r"^Post\.q\(db\): .* \(a client: "):
        await post.save(db.client)
    assert await Post.coll(db).count_documents({}) == 0


async def test_reload_from_a_synchronous_database_raises_and_keeps_the_values(
    db: Any, sync_client: pymongo.MongoClient[dict[str, Any]]
) -> None:
    post = await Post(title="stored").save(db)
    post.title = "changed"
    with pytest.raises(TypeError, match=r"^Post\.q\(db\): .*which is synchronous"):
        await post.reload(sync_client[db.name])
    assert post.title == "changed"
    # reload still reads by _id alone from a real database.
    assert (await post.reload(db)).title == "stored"


async def test_update_and_delete_refuse_a_client_too(db: Any) -> None:
    post = await Post(title="kept").save(db)
    with pytest.raises(TypeError, match=r"\(a client: "):
        await post.update(db.client, {"$set": {"title": "x"}})
    with pytest.raises(TypeError, match=r"\(a client: "):
        await post.delete(db.client)
    assert (await Post.q(db).get(post._id)).title == "kept"


class _DatabaseWrapper:
    """A database of no known driver: it hands out the wrapped database's collections."""

    def __init__(self, db: Any) -> None:
        self._db = db
        self.calls: list[str] = []

    def get_collection(self, name: str, **options: Any) -> Any:
        self.calls.append(name)
        return self._db.get_collection(name, **options)


async def test_an_object_with_get_collection_is_taken_for_a_database(db: Any) -> None:
    wrapper = _DatabaseWrapper(db)
    assert check_database(wrapper, Post) is None
    post = await Post(title="through the wrapper").save(wrapper)
    assert wrapper.calls == ["posts"]
    assert (await Post.q(db).get(post._id)).title == "through the wrapper"
    assert (await post.reload(wrapper)).title == "through the wrapper"


async def test_real_databases_pass_the_check(db: Any) -> None:
    assert check_database(db, Post) is None


def test_motor_tornado_client_and_database() -> None:
    motor_tornado = pytest.importorskip("motor.motor_tornado")
    client = motor_tornado.MotorClient("mongodb://127.0.0.1:1", connect=False)
    try:
        assert check_database(client["test"], Post) is None
        with pytest.raises(TypeError) as info:
            check_database(client, Post)
        assert str(info.value) == message(Post, f"a motor.motor_tornado.MotorClient {A_CLIENT}")
    finally:
        client.close()


def test_the_check_does_not_import_motor() -> None:
    """Motor is optional: refusing a client must not import it to look for its classes."""
    code = textwrap.dedent(
        """
        import sys
        from pymongo import AsyncMongoClient
        from aiomongodel._drivers import check_database
        from aiomongodel.document import Document

        class Post(Document):
            pass

        client = AsyncMongoClient("mongodb://127.0.0.1:1", connect=False)
        check_database(client["test"], Post)
        for bad in (client, "db", None):
            try:
                check_database(bad, Post)
            except TypeError:
                pass
            else:
                raise SystemExit(f"{bad!r} accepted")
        motor = [m for m in sys.modules if m == "motor" or m.startswith("motor.")]
        print(motor)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
