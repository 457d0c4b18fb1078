"""Change streams of document classes (``queryset.watch()``) on both drivers, against a
real single-member replica set.

Every change is seen once and in order with its documents loaded as the class; filters
built from fields and ``Meta.default_query`` select events by their documents; a stream
resumed with the token of a cancelled consumer misses nothing and repeats nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from bson import Timestamp

from aiomongodel.changestreams import ChangeEvent, ChangeStream, UpdateDescription, event_filter
from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import EmbDocField, IntField, StrField
from tests.drivers import run_on_motor_tornado, start_session

#: Seconds a test waits for an event before failing.
TIMEOUT = 30.0
#: Short waits of the server for changes, so that ``try_next`` answers "none" quickly.
QUICK = {"max_await_time_ms": 50}


class Stats(EmbeddedDocument):
    likes = IntField(default=0)


class Post(Document[int]):
    _id = IntField()
    title = StrField()
    views = IntField(default=0)
    stats = EmbDocField(Stats, default=Stats)

    class Meta:
        collection = "posts"


class Cat(Document[int]):
    _id = IntField()
    kind = StrField(default="cat")
    name = StrField()

    class Meta:
        collection = "animals"
        default_query = {"kind": "cat"}


class Dog(Document[int]):
    _id = IntField()
    kind = StrField(default="dog")
    name = StrField()

    class Meta:
        collection = "animals"
        default_query = {"kind": "dog"}


async def take(stream: ChangeStream[Any], count: int) -> list[ChangeEvent[Any]]:
    """The next ``count`` events of ``stream``; fails after :data:`TIMEOUT` seconds."""

    async def events() -> list[ChangeEvent[Any]]:
        return [await stream.next() for _ in range(count)]

    return await asyncio.wait_for(events(), TIMEOUT)


async def assert_no_more(stream: ChangeStream[Any]) -> None:
    """No event follows those already taken (the writes are done and acknowledged)."""
    event = await stream.try_next()
    assert event is None, f"unexpected event {event!r}"


def summary(events: list[ChangeEvent[Any]]) -> list[tuple[str, Any]]:
    return [(event.operation_type, event.document_id) for event in events]


# --------------------------------------------------------------------------------------------
# Every change, typed


async def test_every_change_once_in_order_with_typed_documents(db: Any) -> None:
    async with Post.q(db).watch(full_document="updateLookup", **QUICK) as stream:
        post = await Post.q(db).create(_id=1, title="First")
        await Post.q(db).update_one({"_id": 1}, Post.views.inc(5) & Post.stats.likes.set(2))
        # read before the next writes: an update event's document is looked up when read
        events = await take(stream, 2)
        post.title = "Replaced"
        await post.save(db)
        await Post.q(db).create(_id=2, title="Second")
        await post.delete(db)

        events += await take(stream, 3)
        await assert_no_more(stream)

    assert summary(events) == [
        ("insert", 1),
        ("update", 1),
        ("replace", 1),
        ("insert", 2),
        ("delete", 1),
    ]
    insert, update, replace, second, delete = events

    assert isinstance(insert.full_document, Post)
    assert (insert.full_document._id, insert.full_document.title) == (1, "First")
    assert isinstance(insert.full_document.stats, Stats)
    assert insert.update_description is None

    assert isinstance(update.full_document, Post)
    assert (update.full_document.views, update.full_document.stats.likes) == (5, 2)
    assert update.update_description == UpdateDescription(
        updated_fields={"views": 5, "stats.likes": 2}
    )

    assert isinstance(replace.full_document, Post)
    # save() stores the object as it was built: views and likes as the object has them
    assert (replace.full_document.title, replace.full_document.views) == ("Replaced", 0)
    assert second.full_document is not None
    assert second.full_document.title == "Second"

    assert delete.full_document is None
    assert delete.document_key == {"_id": 1}

    for event in events:
        assert event.resume_token == event.raw["_id"]
        assert isinstance(event.cluster_time, Timestamp)
        assert event.namespace == {"db": db.name, "coll": "posts"}
        assert event.full_document_before_change is None
    times = [event.cluster_time for event in events]
    assert times == sorted(times)
    assert not stream.alive  # closed by ``async with``


async def test_updates_carry_no_document_unless_asked(db: Any) -> None:
    async with Post.q(db).watch(**QUICK) as stream:
        await Post.q(db).create(_id=1, title="First")
        await Post.q(db).update_one({"_id": 1}, Post.views.inc(1))
        insert, update = await take(stream, 2)
    assert insert.full_document is not None
    assert update.full_document is None
    assert update.update_description == UpdateDescription(updated_fields={"views": 1})


async def test_a_stream_awaited_or_entered_sees_the_changes_made_after(db: Any) -> None:
    """The driver's stream is opened by ``await`` or ``async with``, under both drivers
    (Motor's own would open only when first read, after the insert)."""
    stream = await Post.q(db).watch()
    try:
        assert stream.driver_stream is not None
        await Post.q(db).create(_id=1, title="After await")
        (event,) = await take(stream, 1)
        assert event.full_document is not None
        assert event.full_document.title == "After await"
    finally:
        await stream.close()
    assert not stream.alive
    assert await stream.try_next() is None
    with pytest.raises(StopAsyncIteration):
        await stream.next()


async def test_a_stream_opens_on_first_use(db: Any) -> None:
    await Post.q(db).create(_id=1, title="Before")
    stream = Post.q(db).watch(**QUICK)
    assert stream.driver_stream is None
    assert stream.resume_token is None
    try:
        assert await stream.try_next() is None  # opened now: the insert came before
        assert stream.resume_token is not None
        await Post.q(db).create(_id=2, title="After")
        (event,) = await take(stream, 1)
        assert event.document_id == 2
    finally:
        await stream.close()


async def test_close_ends_an_async_for(db: Any) -> None:
    stream = await Post.q(db).watch(**QUICK)
    titles: list[str] = []

    async def consume() -> None:
        async for event in stream:
            assert event.full_document is not None
            titles.append(event.full_document.title)
            if len(titles) == 2:
                await stream.close()

    consumer = asyncio.create_task(consume())
    await Post.q(db).create(_id=1, title="a")
    await Post.q(db).create(_id=2, title="b")
    await Post.q(db).create(_id=3, title="c")
    await asyncio.wait_for(consumer, TIMEOUT)
    assert titles == ["a", "b"]
    with pytest.raises(RuntimeError, match="closed"):
        await stream.open()


async def test_close_from_another_task_ends_a_waiting_async_for(db: Any) -> None:
    stream = await Post.q(db).watch(**QUICK)
    waiting = asyncio.Event()
    titles: list[str] = []

    async def consume() -> None:
        waiting.set()
        async for event in stream:
            assert event.full_document is not None
            titles.append(event.full_document.title)

    consumer = asyncio.create_task(consume())
    await Post.q(db).create(_id=1, title="a")
    await waiting.wait()
    await stream.close()
    await asyncio.wait_for(consumer, TIMEOUT)
    assert titles in (["a"], [])


# --------------------------------------------------------------------------------------------
# Filters


async def test_filter_built_from_fields_applies_to_the_document(db: Any) -> None:
    """Inserts, updates and replaces pass when the document after the change matches;
    deletes carry no document and pass; updates default to ``updateLookup``.

    An update's document is looked up when the server reads the event, so the events
    are read after each write here, as a consumer keeping up with the writes would."""
    async with Post.q(db).watch(query=Post.views > 10, **QUICK) as stream:
        assert stream.options["full_document"] == "updateLookup"
        await Post.q(db).create(_id=1, title="quiet", views=5)  # not seen
        await Post.q(db).create(_id=2, title="popular", views=20)
        events = await take(stream, 1)
        await Post.q(db).update_one({"_id": 1}, Post.views.set(15))  # now matches
        events += await take(stream, 1)
        await Post.q(db).update_one({"_id": 2}, Post.views.set(3))  # leaves: not seen
        await assert_no_more(stream)
        await Post.q(db).replace_one({"_id": 2}, {"title": "back", "views": 30})
        await Post.q(db).delete_one({"_id": 1})  # no document: seen
        events += await take(stream, 2)
        await assert_no_more(stream)
    assert summary(events) == [("insert", 2), ("update", 1), ("replace", 2), ("delete", 1)]
    assert [e.full_document.views for e in events[:3] if e.full_document] == [20, 15, 30]


async def test_dict_filter_and_user_pipeline_after_it(db: Any) -> None:
    stream = Post.q(db).watch(
        [{"$match": {"operationType": "insert"}}],
        query={"title": {"$regex": "^a"}},
        **QUICK,
    )
    assert stream.options["pipeline"][1] == {"$match": {"operationType": "insert"}}
    async with stream:
        for number, title in enumerate(["apple", "banana", "avocado"]):
            await Post.q(db).create(_id=number, title=title)
        await Post.q(db).update_one({"_id": 0}, Post.views.inc(1))  # matches, not an insert
        events = await take(stream, 2)
        await assert_no_more(stream)
    assert [e.full_document.title for e in events if e.full_document] == ["apple", "avocado"]


async def test_default_query_selects_the_class_in_a_shared_collection(db: Any) -> None:
    async with (
        Cat.q(db).watch(**QUICK) as cats,
        Cat.q(db).watch(query=Cat.name == "Tom", **QUICK) as toms,
    ):
        await Cat.q(db).create(_id=1, name="Tom")
        await Dog.q(db).create(_id=2, name="Rex")
        await Cat.q(db).create(_id=3, name="Kitty")
        await Dog.q(db).update_one({"_id": 2}, Dog.name.set("Max"))
        await Cat.q(db).update_one({"_id": 3}, Cat.name.set("Tom"))

        cat_events = await take(cats, 3)
        await assert_no_more(cats)
        tom_events = await take(toms, 2)
        await assert_no_more(toms)
    assert summary(cat_events) == [("insert", 1), ("insert", 3), ("update", 3)]
    assert all(isinstance(e.full_document, Cat) for e in cat_events)
    assert summary(tom_events) == [("insert", 1), ("update", 3)]


async def test_pre_images_filter_deletes_and_updates_leaving_the_filter(db: Any) -> None:
    """With pre-images, a delete passes when its document matched, and an update that
    takes a document out of the filter is seen, with the document before and after
    (post-images: as it was right after the change, not when the event is read)."""
    await db.create_collection("posts", changeStreamPreAndPostImages={"enabled": True})
    await Post.q(db).create(_id=1, title="quiet", views=5)
    await Post.q(db).create(_id=2, title="popular", views=20)
    stream = Post.q(db).watch(
        query=Post.views > 10,
        full_document="whenAvailable",
        full_document_before_change="whenAvailable",
        **QUICK,
    )
    async with stream:
        await Post.q(db).update_one({"_id": 2}, Post.views.set(3))  # leaves: seen
        await Post.q(db).delete_one({"_id": 1})  # never matched: not seen
        await Post.q(db).delete_one({"_id": 2})  # matched before the update only: not seen
        await Post.q(db).create(_id=3, title="hit", views=50)
        await Post.q(db).delete_one({"_id": 3})  # seen
        events = await take(stream, 3)
        await assert_no_more(stream)
    assert summary(events) == [("update", 2), ("insert", 3), ("delete", 3)]
    leaving, _, delete = events
    assert leaving.full_document is not None
    assert leaving.full_document.views == 3
    assert isinstance(leaving.full_document_before_change, Post)
    assert leaving.full_document_before_change.views == 20
    assert isinstance(delete.full_document_before_change, Post)
    assert delete.full_document_before_change.title == "hit"


async def test_events_about_no_document_pass_a_filter(db: Any) -> None:
    """A dropped collection invalidates the stream, which then ends."""
    async with Post.q(db).watch(query=Post.views > 10, **QUICK) as stream:
        await Post.q(db).create(_id=1, title="popular", views=20)
        await db.drop_collection("posts")
        events = await take(stream, 3)
        with pytest.raises(StopAsyncIteration):
            await stream.next()
    assert [e.operation_type for e in events] == ["insert", "drop", "invalidate"]
    assert not stream.alive
    assert events[1].full_document is None
    assert events[1].document_id is None


def test_event_filter_moves_paths_into_the_event() -> None:
    query = (Post.views > 10) | {"title": "x", "stats.likes": {"$gte": 1}}
    assert event_filter(query) == {
        "$or": [
            {
                "$or": [
                    {"fullDocument.views": {"$gt": 10}},
                    {"fullDocument.title": "x", "fullDocument.stats.likes": {"$gte": 1}},
                ]
            },
            {"operationType": "delete", "fullDocumentBeforeChange": None},
            {"operationType": {"$nin": ["insert", "update", "replace", "delete"]}},
        ]
    }
    before = event_filter({"$nor": [{"views": 1}]}, before_change=True)["$or"][:2]
    assert before == [
        {"$nor": [{"fullDocument.views": 1}]},
        {"$nor": [{"fullDocumentBeforeChange.views": 1}]},
    ]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda q: q.watch(query={"$expr": {"$gt": ["$views", 1]}}),
            ValueError,
            "'\\$expr'",
        ),
        (
            lambda q: q.watch(query=Post.views > 1, full_document="default"),
            ValueError,
            "full_document must be one of",
        ),
        (lambda q: q.watch(Post.views > 1), TypeError, "query="),
    ],
)
def test_refused_filters(make: Callable[[Any], Any], error: type[Exception], message: str) -> None:
    queryset = Post.q(_UnusedDatabase())
    with pytest.raises(error, match=message):
        make(queryset)


class _UnusedDatabase:
    """A database that is never used: ``watch`` sends nothing before the stream opens."""

    def get_collection(self, name: str, **options: Any) -> Any:
        return _UnusedCollection()


class _UnusedCollection:
    def watch(self, **options: Any) -> Any:
        raise AssertionError("nothing should be sent")


# --------------------------------------------------------------------------------------------
# Resuming after the consumer is cancelled


class Item(Document[int]):
    _id = IntField()
    n = IntField()

    class Meta:
        collection = "items"


#: Writes made while consumers are cancelled and restarted, and when they are cancelled.
WRITES = 150
CANCEL_AFTER = (*range(10, 200, 12), 200)


@pytest.mark.parametrize("resume_with", ["resume_after", "start_after"])
async def test_resumed_after_cancellation_misses_and_repeats_nothing(
    db: Any, resume_with: str
) -> None:
    """A consumer stores ``stream.resume_token`` after each event (and when it is
    cancelled); a new consumer resumes with it. The writes go on meanwhile."""
    written: list[tuple[str, int]] = []
    seen: list[tuple[str, int]] = []
    checkpoint: dict[str, Any] = {}
    progress = asyncio.Event()

    async def consume(opened: asyncio.Event) -> None:
        token = checkpoint.get("token")
        options = {resume_with: token} if token is not None else {}
        async with Item.q(db).watch(max_await_time_ms=20, **options) as stream:
            checkpoint["token"] = stream.resume_token
            opened.set()
            try:
                async for event in stream:
                    seen.append((event.operation_type, event.document_id))
                    checkpoint["token"] = stream.resume_token
                    progress.set()
                    await asyncio.sleep(0)  # the consumer's other work
            finally:
                checkpoint["token"] = stream.resume_token

    async def write() -> None:
        for number in range(1, WRITES + 1):
            await Item.q(db).insert_one(Item(_id=number, n=number))
            written.append(("insert", number))
            if number % 3 == 0:
                await Item.q(db).update_one({"_id": number}, Item.n.inc(1))
                written.append(("update", number))
            if number % 5 == 0:
                await Item.q(db).delete_one({"_id": number - 1})
                written.append(("delete", number - 1))
            await asyncio.sleep(0)  # let the consumer run while the writes go on

    async def wait_until(condition: Callable[[], bool]) -> None:
        while not condition():
            progress.clear()
            await progress.wait()

    async def start() -> asyncio.Task[None]:
        opened = asyncio.Event()
        task = asyncio.create_task(consume(opened))
        await asyncio.wait_for(opened.wait(), TIMEOUT)
        return task

    consumer = await start()
    writer = asyncio.create_task(write())
    try:
        for count in CANCEL_AFTER:
            await asyncio.wait_for(wait_until(lambda count=count: len(seen) >= count), TIMEOUT)
            consumer.cancel()
            with pytest.raises(asyncio.CancelledError):
                await consumer
            assert checkpoint["token"] is not None
            consumer = await start()
        await asyncio.wait_for(writer, TIMEOUT)
        await asyncio.wait_for(wait_until(lambda: len(seen) >= len(written)), TIMEOUT)
    finally:
        consumer.cancel()
        writer.cancel()
        await asyncio.gather(consumer, writer, return_exceptions=True)

    assert seen == written
    async with Item.q(db).watch(**{resume_with: checkpoint["token"]}, **QUICK) as stream:
        await assert_no_more(stream)


async def test_resume_token_of_a_stream_given_one(db: Any) -> None:
    async with Item.q(db).watch() as first:
        await Item.q(db).insert_one(Item(_id=1, n=1))
        await Item.q(db).insert_one(Item(_id=2, n=2))
        one, _ = await take(first, 2)
    stream = Item.q(db).watch(resume_after=one.resume_token, **QUICK)
    assert stream.resume_token == one.resume_token
    async with stream:
        (event,) = await take(stream, 1)
        await assert_no_more(stream)
    assert event.document_id == 2


async def test_start_at_operation_time(db: Any) -> None:
    async with Item.q(db).watch() as first:
        for number in (1, 2, 3):
            await Item.q(db).insert_one(Item(_id=number, n=number))
        _, second, _ = await take(first, 3)
    assert second.cluster_time is not None
    async with Item.q(db).watch(start_at_operation_time=second.cluster_time, **QUICK) as stream:
        events = await take(stream, 2)
        await assert_no_more(stream)
    assert [e.document_id for e in events] == [2, 3]


async def test_the_querysets_session_is_used(db: Any) -> None:
    async with await start_session(db.client) as session:
        stream = Item.q(db, session=session).watch()
        assert stream.options["session"] is session
        async with stream:
            await Item.q(db, session=session).insert_one(Item(_id=1, n=1))
            (event,) = await take(stream, 1)
    assert event.document_id == 1
    other = Item.q(db, session=session).watch(session=None)
    assert "session" not in other.options  # the driver's default: an implicit session


def test_motor_tornado(mongodb_uri: str) -> None:
    async def body(db: Any) -> None:
        async with Item.q(db).watch(**QUICK) as stream:
            await Item.q(db).insert_one(Item(_id=1, n=1))
            await Item.q(db).update_one({"_id": 1}, Item.n.inc(1))
            events = await take(stream, 2)
            await assert_no_more(stream)
        assert summary(events) == [("insert", 1), ("update", 1)]
        assert isinstance(events[0].full_document, Item)

    run_on_motor_tornado(mongodb_uri, body)


class _WrappedDatabase:
    """A database wrapper (instrumentation, say): its collections are of no known driver."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def get_collection(self, name: str, **options: Any) -> _WrappedCollection:
        return _WrappedCollection(self.db.get_collection(name, **options))


class _WrappedCollection:
    def __init__(self, collection: Any) -> None:
        self.collection = collection

    def __getattr__(self, name: str) -> Any:
        return getattr(self.collection, name)


async def test_a_collection_of_no_known_driver(db: Any) -> None:
    """The adapter that looks at each call opens the stream as the driver's own does."""
    wrapped = _WrappedDatabase(db)
    async with Item.q(wrapped).watch(**QUICK) as stream:
        assert stream.driver_stream is not None
        await Item.q(db).insert_one(Item(_id=1, n=1))
        (event,) = await take(stream, 1)
        await assert_no_more(stream)
    assert isinstance(event.full_document, Item)
