"""``save_changes`` sends only what changed, on both drivers, against a real server.

Documents of a class with ``Meta.track_changes`` keep their stored form; ``save_changes``
turns the difference into ``$set``/``$unset``/``$push`` of the changed paths. What it
stores must be what ``save()`` would have stored, which a property-based test checks for
random mutations of loaded documents, reading the update sent from a command listener.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import DocumentNotFoundError
from aiomongodel.fields import AnyField, EmbDocField, FloatField, IntField, ListField, StrField
from tests.commands import CommandRecorder, recorded_database
from tests.drivers import DRIVERS, close, open_client


class Note(EmbeddedDocument):
    text = StrField(required=False)
    stars = IntField(required=False)
    tags = ListField(StrField(), required=False)


class Article(Document):
    title = StrField(required=False)
    views = IntField(required=False)
    score = FloatField(required=False)
    tags = ListField(StrField(), required=False)
    note = EmbDocField(Note, required=False)
    notes = ListField(EmbDocField(Note), required=False)
    extra = AnyField(required=False)

    class Meta:
        collection = "articles"
        track_changes = True


class Untracked(Document):
    title = StrField()


def article() -> Article:
    return Article(
        title="t",
        views=1,
        score=0.5,
        tags=["a", "b"],
        note=Note(text="n", stars=3, tags=["x"]),
        notes=[Note(text="one"), Note(text="two", tags=["y"])],
        extra={"k": [1, {"deep": "v"}]},
    )


@pytest.fixture
async def recorded(driver: str, mongodb_uri: str) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    async with recorded_database(driver, mongodb_uri) as recorded:
        yield recorded


def updates(recorder: CommandRecorder) -> list[dict[str, Any]]:
    """The update documents sent, one per ``update`` statement."""
    return [statement["u"] for c in recorder.named("update") for statement in c["updates"]]


class TestWhatIsSent:
    async def test_only_changed_paths_are_sent(self, recorded: tuple[Any, CommandRecorder]) -> None:
        db, recorder = recorded
        await article().save(db)
        loaded = await Article.q(db).find_one({})
        loaded.views = 2
        loaded.tags.append("c")
        loaded.note.stars = 4
        loaded.notes[1].tags.append("z")
        del loaded.score
        recorder.clear()
        await loaded.save_changes(db)
        assert updates(recorder) == [
            {
                "$set": {"views": 2, "note.stars": 4},
                "$unset": {"score": ""},
                "$push": {"tags": {"$each": ["c"]}, "notes.1.tags": {"$each": ["z"]}},
            }
        ]
        [command] = recorder.named("update")
        assert command["updates"][0]["q"] == {"_id": loaded._id}
        stored = await db.articles.find_one({})
        assert stored == loaded.to_mongo()

    async def test_nothing_is_sent_when_nothing_changed(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        await article().save(db)
        loaded = await Article.q(db).find_one({})
        loaded.views = 1  # the same value again
        loaded.tags[0] = "a"
        recorder.clear()
        await loaded.save_changes(db)
        assert recorder.writes() == []

    async def test_a_second_call_sends_nothing_more(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        document = article()
        await document.save(db)
        document.title = "new"
        await document.save_changes(db)
        recorder.clear()
        await document.save_changes(db)
        assert recorder.writes() == []

    async def test_a_new_document_is_inserted(self, recorded: tuple[Any, CommandRecorder]) -> None:
        db, recorder = recorded
        document = article()
        await document.save_changes(db)
        [insert] = recorder.named("insert")
        assert insert["documents"] == [document.to_mongo()]
        document.views = 7
        recorder.clear()
        await document.save_changes(db)
        assert updates(recorder) == [{"$set": {"views": 7}}]

    async def test_replacing_an_embedded_document_sets_what_differs(self, db: Any) -> None:
        document = article()
        await document.save(db)
        document.note = Note(text="n", stars=5)
        document.notes[0] = Note(text="uno")
        await document.save_changes(db)
        assert await db.articles.find_one({}) == document.to_mongo()

    async def test_every_way_of_loading_tracks_changes(self, db: Any) -> None:
        document = article()
        await document.save(db)
        queryset = Article.q(db)
        loaded = [
            await queryset.get(document._id),
            await queryset.find_one({"_id": document._id}),
            (await queryset.find({}).to_list(1))[0],
            Article.from_mongo(await db.articles.find_one({})),
            await Article(_id=document._id).reload(db),
        ]
        async for item in queryset.find({}):
            loaded.append(item)
        for number, item in enumerate(loaded):
            item.views = 100 + number
            await item.save_changes(db)
            assert (await db.articles.find_one({}))["views"] == 100 + number

    async def test_fields_the_class_does_not_know_are_kept(self, db: Any) -> None:
        document = article()
        await document.save(db)
        await db.articles.update_one({}, {"$set": {"legacy": 1, "note.legacy": 2}})
        loaded = await Article.q(db).get(document._id)
        loaded.title = "changed"
        await loaded.save_changes(db)
        stored = await db.articles.find_one({})
        assert stored["legacy"] == 1
        assert stored["note"]["legacy"] == 2
        assert stored["title"] == "changed"


class TestErrors:
    async def test_a_class_without_tracking_is_refused(self, db: Any) -> None:
        document = Untracked(title="x")
        await document.save(db)
        with pytest.raises(TypeError, match=r"track_changes = True to Untracked\.Meta"):
            await document.save_changes(db)

    async def test_a_changed_id_is_refused_and_nothing_written(self, db: Any) -> None:
        document = article()
        await document.save(db)
        stored = await db.articles.find_one({})
        document._id = type(document._id)()
        document.title = "lost?"
        with pytest.raises(ValueError, match="the _id changed"):
            await document.save_changes(db)
        assert await db.articles.find_one({}) == stored

    async def test_a_deleted_document_raises_not_found(self, db: Any) -> None:
        document = article()
        await document.save(db)
        await db.articles.delete_many({})
        document.title = "gone"
        with pytest.raises(DocumentNotFoundError):
            await document.save_changes(db)
        assert await db.articles.count_documents({}) == 0


#: A document with one field for each of 50 concurrent writers, ``f0`` to ``f49``.
FieldPerTask: Any = type(
    "FieldPerTask",
    (Document,),
    {
        **{f"f{number}": IntField(required=False) for number in range(50)},
        "Meta": type("Meta", (), {"collection": "shared", "track_changes": True}),
        "__module__": __name__,
    },
)


class TestConcurrentWriters:
    async def test_fifty_writers_of_different_fields_lose_nothing(self, db: Any) -> None:
        document = FieldPerTask()
        await document.save(db)

        async def write(number: int) -> None:
            loaded = await FieldPerTask.q(db).get(document._id)
            setattr(loaded, f"f{number}", number)
            await asyncio.sleep(0)  # let the others load the same version
            await loaded.save_changes(db)

        await asyncio.gather(*(write(number) for number in range(50)))
        stored = await db.shared.find_one({})
        assert {key: value for key, value in stored.items() if key != "_id"} == {
            f"f{number}": number for number in range(50)
        }


# Property-based: random mutations of loaded documents. Hypothesis runs examples one
# after the other in a plain function, so each example runs on an event loop of its own
# test (not pytest-asyncio's), on a client opened on that loop.

texts = st.text(alphabet="abcxyz", max_size=3)
small_ints = st.integers(-3, 3)
json_values = st.recursive(
    st.none() | st.booleans() | small_ints | texts | st.floats(allow_nan=False, width=32),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from("pqrs"), children, max_size=3)
    ),
    max_leaves=6,
)
notes = st.builds(
    Note,
    text=texts,
    stars=small_ints,
    tags=st.lists(texts, max_size=3),
)

#: A mutation: (operation, argument); applied by :func:`mutate`, skipped where the
#: document's state does not allow it (an index out of range, a field not set).
mutations = st.one_of(
    st.tuples(st.just("set_title"), texts),
    st.tuples(st.just("set_views"), small_ints),
    st.tuples(st.just("set_score"), st.floats(allow_nan=False, width=32)),
    st.tuples(st.just("delete"), st.sampled_from(["title", "views", "score", "note", "extra"])),
    st.tuples(st.just("tags_append"), texts),
    st.tuples(st.just("tags_pop"), small_ints),
    st.tuples(st.just("tags_insert"), st.tuples(small_ints, texts)),
    st.tuples(st.just("tags_replace"), st.tuples(small_ints, texts)),
    st.tuples(st.just("tags_assign"), st.lists(texts, max_size=4)),
    st.tuples(st.just("tags_reverse"), st.none()),
    st.tuples(st.just("note_assign"), notes),
    st.tuples(st.just("note_text"), texts),
    st.tuples(st.just("note_stars_delete"), st.none()),
    st.tuples(st.just("note_tags_append"), texts),
    st.tuples(st.just("notes_append"), notes),
    st.tuples(st.just("notes_pop"), small_ints),
    st.tuples(st.just("notes_replace"), st.tuples(small_ints, notes)),
    st.tuples(st.just("notes_text"), st.tuples(small_ints, texts)),
    st.tuples(st.just("notes_tags_append"), st.tuples(small_ints, texts)),
    st.tuples(st.just("notes_tags_clear"), small_ints),
    st.tuples(st.just("extra_assign"), json_values),
    st.tuples(st.just("extra_in_place"), st.tuples(st.sampled_from("pqrs"), json_values)),
)


def mutate(document: Article, operation: str, argument: Any) -> None:
    """Apply one mutation, in place or by assignment, as application code would."""
    tags, note, items = document.tags, document.note, document.notes
    if operation == "set_title":
        document.title = argument
    elif operation == "set_views":
        document.views = argument
    elif operation == "set_score":
        document.score = argument
    elif operation == "delete":
        delattr(document, argument)
    elif operation == "note_assign":
        document.note = argument
    elif operation == "extra_assign":
        document.extra = argument
    elif operation == "extra_in_place":
        key, value = argument
        if isinstance(document.extra, dict):
            document.extra[key] = value
        elif isinstance(document.extra, list):
            document.extra.append(value)
    elif operation.startswith("tags_") and tags is not None:
        mutate_list(tags, operation[5:], argument)
    elif operation.startswith("note_") and note is not None:
        if operation == "note_text":
            note.text = argument
        elif operation == "note_stars_delete":
            del note.stars
        elif note.tags is not None:
            note.tags.append(argument)
    elif operation.startswith("notes_") and items is not None:
        mutate_notes(items, operation[6:], argument)


def mutate_list(tags: list[str], operation: str, argument: Any) -> None:
    if operation == "append":
        tags.append(argument)
    elif operation == "pop" and tags:
        tags.pop(argument % len(tags))
    elif operation == "insert":
        tags.insert(*argument)
    elif operation == "replace" and tags:
        tags[argument[0] % len(tags)] = argument[1]
    elif operation == "assign":
        tags[:] = argument
    elif operation == "reverse":
        tags.reverse()


def mutate_notes(items: list[Note], operation: str, argument: Any) -> None:
    if operation == "append":
        items.append(argument)
        return
    index = argument[0] if isinstance(argument, tuple) else argument
    if not items:
        return
    item = items[index % len(items)]
    if operation == "pop":
        items.remove(item)
    elif operation == "replace":
        items[index % len(items)] = argument[1]
    elif operation == "text":
        item.text = argument[1]
    elif item.tags is not None:
        if operation == "tags_append":
            item.tags.append(argument[1])
        else:
            item.tags.clear()


def paths_of(update: dict[str, Any]) -> list[str]:
    return [path for operator in update.values() for path in operator]


def value_at(document: Any, path: str) -> Any:
    """The value at a dotted path of a stored dict; ``KeyError`` if there is none."""
    value = document
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def differs_at(before: dict[str, Any], after: dict[str, Any], path: str) -> bool:
    from aiomongodel.changes import same

    try:
        old = value_at(before, path)
    except (KeyError, IndexError):
        return True
    try:
        new = value_at(after, path)
    except (KeyError, IndexError):
        return True
    return not same(old, new)


def ordered(value: Any) -> Any:
    """``value`` with the key order of embedded documents made comparable (the stored
    order below the top level matters to MongoDB; at the top level it does not)."""
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.mark.parametrize("driver_name", DRIVERS)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.builds(article), changes=st.lists(mutations, max_size=6))
def test_save_changes_stores_what_save_would_store_and_sends_only_changes(
    driver_name: str,
    mongodb_uri: str,
    loop: asyncio.AbstractEventLoop,
    start: Article,
    changes: list[tuple[str, Any]],
) -> None:
    if driver_name == "motor":
        pytest.importorskip("motor.motor_asyncio")
    loop.run_until_complete(check_mutations(driver_name, mongodb_uri, start, changes))


async def check_mutations(
    driver_name: str, uri: str, start: Article, changes: list[tuple[str, Any]]
) -> None:
    recorder = CommandRecorder(f"test_{uuid.uuid4().hex}")
    client = open_client(driver_name, uri, event_listeners=[recorder])
    try:
        db = client[recorder.database]
        await start.save(db)
        loaded = await Article.q(db).get(start._id)
        before = await db.articles.find_one({})
        for operation, argument in changes:
            mutate(loaded, operation, argument)
        expected = loaded.to_mongo()
        recorder.clear()
        await loaded.save_changes(db)
        stored = await db.articles.find_one({})
        assert stored == expected
        assert all(ordered(stored[key]) == ordered(expected[key]) for key in expected)
        sent = updates(recorder)
        assert len(sent) <= 1
        for update in sent:
            assert update, "an empty update was sent"
            for path in paths_of(update):
                assert differs_at(before, stored, path), f"{path} was sent but did not change"
        if not sent:
            assert stored == before
    finally:
        await client.drop_database(recorder.database)
        await close(client)
