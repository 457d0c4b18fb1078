"""Document persistence: save, reload, update, delete, create, create_collection, coll, q."""

from __future__ import annotations

import re
from typing import Any

import pymongo.errors
import pytest
from bson import CodecOptions
from pymongo import ReadPreference, WriteConcern
from pymongo.read_concern import ReadConcern

from aiomongodel.document import Document
from aiomongodel.errors import DocumentNotFoundError, DuplicateKeyError, ValidationError
from aiomongodel.fields import IntField, ListField, StrField, SynonymField
from aiomongodel.queryset import MotorQuerySet


class Person(Document):
    name = StrField(max_length=10)
    age = IntField(default=0)
    tags = ListField(StrField(), default=list)

    class Meta:
        collection = "people"


class Tagged(Document):
    _id = StrField()
    label = StrField(required=False)
    slug = SynonymField(_id)

    class Meta:
        collection = "tagged"


class Journal(Document):
    entry = StrField()

    class Meta:
        collection = "journal"
        write_concern = WriteConcern(w="majority", j=True)
        read_concern = ReadConcern("majority")
        read_preference = ReadPreference.PRIMARY_PREFERRED
        codec_options = CodecOptions(tz_aware=True)


class PersonQuerySet(MotorQuerySet[Any]):
    pass


class Member(Document):
    name = StrField()

    class Meta:
        collection = "members"
        queryset = f"{__name__}.PersonQuerySet"


async def stored(db: Any, document: Document) -> dict[str, Any] | None:
    found: dict[str, Any] | None = await type(document).coll(db).find_one(document.query_id)
    return found


# --- coll and q ----------------------------------------------------------------------------


async def test_coll_is_the_drivers_collection_with_the_meta_options(db: Any) -> None:
    collection = Journal.coll(db)
    assert type(collection) is type(db.get_collection("x"))
    assert collection.name == "journal"
    assert collection.database.name == db.name
    assert collection.write_concern == WriteConcern(w="majority", j=True)
    assert collection.read_concern == ReadConcern("majority")
    assert collection.read_preference == ReadPreference.PRIMARY_PREFERRED
    assert collection.codec_options.tz_aware is True
    assert Person.coll(db).name == "people"


async def test_q_returns_the_meta_queryset_class(db: Any) -> None:
    assert type(Person.q(db)) is MotorQuerySet
    qs = Member.q(db)
    assert type(qs) is PersonQuerySet
    assert qs.doc_class is Member
    await qs.create(name="m")
    assert (await Member.q(db).find_one({})).name == "m"


# --- save ------------------------------------------------------------------------------------


async def test_save_inserts_a_new_document_and_returns_it(db: Any) -> None:
    person = Person(name="ann", age=30)
    assert await person.save(db) is person
    assert await stored(db, person) == {"_id": person._id, "name": "ann", "age": 30, "tags": []}


async def test_save_replaces_the_stored_document_and_last_save_wins(db: Any) -> None:
    person = await Person(name="ann", age=30, tags=["x"]).save(db)
    copy = await Person.q(db).get(person._id)
    person.age = 31
    await person.save(db)
    copy.name = "bob"
    del copy.tags
    await copy.save(db)
    assert await stored(db, person) == {"_id": person._id, "name": "bob", "age": 30}
    assert await Person.q(db).count_documents({}) == 1


async def test_save_do_insert_raises_duplicate_key_on_an_existing_id(db: Any) -> None:
    person = await Person(name="ann").save(db, do_insert=True)
    person.name = "other"
    with pytest.raises(DuplicateKeyError) as info:
        await person.save(db, do_insert=True)
    assert isinstance(info.value, pymongo.errors.DuplicateKeyError)
    assert info.value.index_name == "_id_"
    assert (await stored(db, person))["name"] == "ann"


async def test_save_does_not_validate(db: Any) -> None:
    person = Person(name="far too long a name", age="old")
    with pytest.raises(ValidationError):
        person.validate()
    await person.save(db)
    assert (await stored(db, person))["age"] == "old"


async def test_save_with_a_string_id_and_synonym(db: Any) -> None:
    tagged = await Tagged(slug="hello", label="Hi").save(db, do_insert=True)
    assert tagged._id == "hello"
    assert (await Tagged.q(db).get("hello")).to_mongo() == tagged.to_mongo()
    assert await stored(db, tagged) == {"_id": "hello", "label": "Hi"}


# --- reload ----------------------------------------------------------------------------------


async def test_reload_reads_the_stored_values(db: Any) -> None:
    person = await Person(name="ann", age=30).save(db)
    await Person.coll(db).update_one(person.query_id, {"$set": {"age": 40}, "$unset": {"tags": 1}})
    person.name = "unsaved"
    assert await person.reload(db) is person
    assert (person.name, person.age, person.tags) == ("ann", 40, None)


async def test_reload_of_a_deleted_document_raises_and_keeps_the_values(db: Any) -> None:
    person = await Person(name="ann").save(db)
    await Person.coll(db).delete_one(person.query_id)
    with pytest.raises(DocumentNotFoundError, match=r"^Person ") as info:
        await person.reload(db)
    assert info.value.query == person.query_id
    assert person.name == "ann"


class ActivePerson(Person):
    class Meta:
        collection = "people"
        default_query = {"active": True}


async def test_reload_and_update_ignore_the_default_query(db: Any) -> None:
    """A document an update takes out of ``Meta.default_query`` still reloads (as in 0.2)."""
    person = await ActivePerson(name="ann").save(db)
    await ActivePerson.coll(db).update_one(person.query_id, {"$set": {"active": True}})
    await person.update(db, {"$set": {"active": False, ActivePerson.age.s: 3}})
    assert person.age == 3
    await person.reload(db)
    assert person.age == 3


# --- update ----------------------------------------------------------------------------------


async def test_update_applies_the_update_and_reloads(db: Any) -> None:
    person = await Person(name="ann", age=1).save(db)
    result = await person.update(
        db, {"$set": {Person.name.s: "bob"}, "$inc": {Person.age.s: 1}, "$push": {"tags": "t"}}
    )
    assert result is person
    assert (person.name, person.age, person.tags) == ("bob", 2, ["t"])
    assert await stored(db, person) == {"_id": person._id, "name": "bob", "age": 2, "tags": ["t"]}


async def test_update_is_not_validated(db: Any) -> None:
    person = await Person(name="ann").save(db)
    await person.update(db, {"$set": {"age": "not a number"}})
    assert person.age == "not a number"


async def test_update_that_modifies_nothing_keeps_the_object(db: Any) -> None:
    person = await Person(name="ann", age=5).save(db)
    person.tags = ["local"]
    await person.update(db, {"$set": {"age": 5}})
    assert person.tags == ["local"]
    await Person.coll(db).delete_one(person.query_id)
    assert await person.update(db, {"$set": {"age": 6}}) is person
    assert await Person.q(db).count_documents({}) == 0


# --- delete ----------------------------------------------------------------------------------


async def test_delete_removes_the_document_and_returns_the_count(db: Any) -> None:
    person, other = Person(name="ann"), Person(name="bob")
    await Person.q(db).insert_many([person, other])
    assert await person.delete(db) == 1
    assert await stored(db, person) is None
    assert await person.delete(db) == 0
    assert await stored(db, other) is not None


# --- create (deprecated) ---------------------------------------------------------------------

# aiomongodel 0.2's text, which code may filter warnings on.
CREATE_DEPRECATED = "^" + re.escape("Use `create` method of `queryset` instead") + "$"


async def test_create_is_deprecated_and_inserts_a_valid_document(db: Any) -> None:
    with pytest.warns(DeprecationWarning, match=CREATE_DEPRECATED):
        person = await Person.create(db, name="ann", age=3)
    assert isinstance(person, Person)
    assert (await Person.q(db).get(person._id)).to_mongo() == person.to_mongo()


async def test_create_validates_and_stores_nothing_on_invalid_data(db: Any) -> None:
    with (
        pytest.warns(DeprecationWarning, match=CREATE_DEPRECATED),
        pytest.raises(ValidationError) as info,
    ):
        await Person.create(db, name="far too long a name")
    assert info.value.as_dict() == {"name": "length is greater than 10"}
    assert await Person.q(db).count_documents({}) == 0


async def test_create_raises_duplicate_key_error(db: Any) -> None:
    # As in 0.2, the deprecated classmethod inserts (the queryset's create replaces).
    with pytest.warns(DeprecationWarning, match=CREATE_DEPRECATED):
        await Tagged.create(db, slug="taken")
    with (
        pytest.warns(DeprecationWarning, match=CREATE_DEPRECATED),
        pytest.raises(DuplicateKeyError),
    ):
        await Tagged.create(db, slug="taken")


# --- create_collection -----------------------------------------------------------------------


async def test_create_collection_uses_the_meta_options(db: Any) -> None:
    collection = await Journal.create_collection(db)
    assert "journal" in await db.list_collection_names()
    assert type(collection) is type(Journal.coll(db))
    assert collection.name == "journal"
    assert collection.write_concern == WriteConcern(w="majority", j=True)
    assert collection.read_concern == ReadConcern("majority")
    assert collection.read_preference == ReadPreference.PRIMARY_PREFERRED
    assert collection.codec_options.tz_aware is True
    await collection.insert_one({"entry": "first"})
    assert (await Journal.q(db).find_one({})).entry == "first"


async def test_create_collection_twice_fails(db: Any) -> None:
    await Person.create_collection(db)
    with pytest.raises(pymongo.errors.CollectionInvalid):
        await Person.create_collection(db)


async def test_saving_an_unchanged_document_writes_nothing(db: Any) -> None:
    """``save()`` sends its replacement with ``_id`` first, as the server stores it: the
    server recognizes an unchanged document and writes nothing (no oplog entry, so no
    change stream event and no replication), as it does for a raw ``replace_one`` of
    the document it returned."""

    class Unchanged(Document):
        title = StrField()
        views = IntField(default=0)

        class Meta:
            collection = "unchanged"

    document = Unchanged(title="t")
    await document.save(db)
    namespace = f"{db.name}.unchanged"
    oplog = db.client["local"]["oplog.rs"]

    async def entries() -> int:
        count: int = await oplog.count_documents({"ns": namespace})
        return count

    written = await entries()
    loaded = await Unchanged.q(db).get(document._id)
    await loaded.save(db)
    await document.save(db)
    assert await entries() == written
    loaded.views = 1
    await loaded.save(db)
    assert await entries() == written + 1
    assert await Unchanged.coll(db).find_one({"_id": document._id}) == {
        "_id": document._id,
        "title": "t",
        "views": 1,
    }
