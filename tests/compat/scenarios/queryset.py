"""Querysets and documents against MongoDB through Motor, as the spec's README uses them.

Stored documents are shown by reading them back with the raw Motor collection.
"""

import asyncio
import datetime

from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import ASCENDING, DESCENDING, IndexModel, WriteConcern
from scenario_helpers import acheck, check, database_name, mongo_uri, oid, show

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.errors import DocumentNotFoundError, ValidationError
from aiomongodel.fields import (
    BoolField,
    DateTimeField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    RefField,
    StrField,
    SynonymField,
)

DB_NAME = database_name("compat_queryset")
T0 = datetime.datetime(2020, 1, 1)


def at(n):
    return T0 + datetime.timedelta(days=n)


class User(Document):
    _id = StrField(regex=r"[a-zA-Z0-9_]{3,20}")
    is_active = BoolField(default=True)
    posts = ListField(RefField("__main__.Post"), default=lambda: list())
    quote = StrField(required=False)
    name = SynonymField(_id)

    class Meta:
        collection = "users"


class Strict(Document):
    _id = StrField(regex=r"^[a-z]{3,20}$")
    is_active = BoolField(default=True)
    name = SynonymField(_id)

    class Meta:
        collection = "strict"


class TxUser(Document):
    _id = StrField(regex=r"[a-zA-Z0-9_]{3,20}")
    is_active = BoolField(default=True)
    name = SynonymField(_id)

    class Meta:
        collection = "tx_users"


class Comment(EmbeddedDocument):
    _id = IntField()
    author = RefField(User)
    body = StrField()


class Post(Document):
    title = StrField(allow_blank=False, max_length=50)
    body = StrField()
    created = DateTimeField(default=lambda: T0)
    views = IntField(default=0)
    rate = FloatField(default=0.0)
    author = RefField(User, mongo_name="user")
    comments = ListField(EmbDocField(Comment), default=lambda: list())

    class Meta:
        collection = "posts"
        indexes = [IndexModel([("created", DESCENDING)], name="created_desc")]
        default_sort = [("created", DESCENDING)]


class Person(Document):
    name = StrField(regex=r"^[a-zA-Z]{3,20}$")
    is_active = BoolField(default=True)
    created = DateTimeField(default=lambda: T0)

    class Meta:
        collection = "people"
        indexes = [
            IndexModel([("name", ASCENDING)], unique=True, name="name_1"),
            IndexModel([("created", DESCENDING)], name="created_-1"),
        ]
        default_sort = [("created", DESCENDING)]


class ActivePerson(Person):
    is_active = BoolField(default=True, choices=[True])

    class Meta:
        collection = "people"
        default_query = {"is_active": True}


class Note(Document):
    _id = IntField()
    text = StrField()
    n = IntField(default=0)

    class Meta:
        collection = "notes"


class Plain(Document):
    value = IntField()


def shows(docs):
    return [show(d) for d in docs]


async def main():
    client = AsyncIOMotorClient(mongo_uri())
    await client.drop_database(DB_NAME)
    db = client[DB_NAME]
    try:
        await scenario(db)
    finally:
        await client.drop_database(DB_NAME)
        client.close()


async def stored(db, name, cls, sort=None):
    """The raw documents of cls's collection, read back with Motor."""
    cursor = cls.coll(db).find({}, sort=sort or [("_id", 1)])
    await acheck(name, lambda: cursor.to_list(None))


async def scenario(db):
    check("q.type", lambda: type(User.q(db)).__name__)
    check("q.doc_class", lambda: User.q(db).doc_class)
    check("q.db", lambda: User.q(db).db is db)
    check("q.session", lambda: User.q(db).session)
    check("q.default_query", lambda: ActivePerson.q(db).default_query)
    check("q.default_sort", lambda: Person.q(db).default_sort)
    check("q.collection_type", lambda: type(User.q(db).collection).__name__)
    check("q.collection_name", lambda: User.q(db).collection.name)
    check("coll.type", lambda: type(User.coll(db)).__name__)
    check("coll.name", lambda: (User.coll(db).name, Plain.coll(db).name))
    check("clone.type", lambda: type(User.q(db).clone()).__name__)
    check("clone.default_query", lambda: ActivePerson.q(db).clone().default_query)

    # indexes
    await acheck("create_indexes.posts", lambda: Post.q(db).create_indexes())
    await acheck("create_indexes.people", lambda: Person.q(db).create_indexes())
    await acheck("create_indexes.none", lambda: User.q(db).create_indexes())

    async def index_names(cls):
        info = await cls.coll(db).index_information()
        return sorted(info)

    await acheck("indexes.posts", lambda: index_names(Post))
    await acheck("indexes.people", lambda: index_names(Person))

    # create / save
    await acheck("save.insert", lambda: User(name="Alexandro").save(db, do_insert=True))
    await acheck("save.insert_dup", lambda: User(name="Alexandro").save(db, do_insert=True))
    await acheck("create.readme", lambda: User.q(db).create(name="Ihor", is_active=False))
    await acheck("create.unknown_kwarg", lambda: User.q(db).create(name="Petro", foo=1))
    await acheck("create.deprecated", lambda: User.create(db, name="Olena"))
    await stored(db, "stored.users_after_create", User)
    # invalid data: a collection of its own, so that the difference stays in these labels
    await acheck("create.invalid", lambda: Strict.q(db).create(name="x!", is_active="maybe"))
    await acheck("create.deprecated_invalid", lambda: Strict.create(db, name=5, is_active="no"))
    await acheck("create.strict_valid", lambda: Strict.q(db).create(name="good"))
    await stored(db, "stored.strict_after_create", Strict)

    await acheck("save.upsert_new", lambda: Note(_id=1, text="one").save(db))
    await acheck("save.upsert_existing", lambda: Note(_id=1, text="uno", n=5).save(db))
    await acheck("save.returns_self", lambda: _same(Note(_id=2, text="two"), db))
    await acheck("save.invalid_not_validated", lambda: Note(_id=3, text=33).save(db))
    await stored(db, "stored.notes_after_save", Note)

    # insert
    await acheck("insert_one", lambda: Note.q(db).insert_one({"_id": 10, "text": "ten"}))
    await acheck("insert_one.doc", lambda: Note.q(db).insert_one(Note(_id=11, text="x").to_mongo()))
    await acheck(
        "insert_many",
        lambda: Note.q(db).insert_many([{"_id": 20, "text": "a"}, {"_id": 21, "text": "b"}]),
    )
    await acheck(
        "insert_many.ordered_false", lambda: Note.q(db).insert_many([{"_id": 22}], ordered=False)
    )
    w0 = Note.q(db).with_options(write_concern=WriteConcern(w=0))
    check("with_options.type", lambda: type(w0).__name__)
    check("with_options.write_concern", lambda: w0.collection.write_concern.document)
    check("with_options.original_untouched", lambda: Note.q(db).collection.write_concern.document)
    await acheck("w0.insert_one", lambda: w0.insert_one({"_id": 30, "text": "w0"}))
    await acheck("w0.insert_many", lambda: w0.insert_many([{"_id": 31}, {"_id": 32}]))
    await acheck("w0.update_one", lambda: w0.update_one({"_id": 30}, {"$set": {"n": 1}}))
    await acheck("w0.update_many", lambda: w0.update_many({"_id": 30}, {"$set": {"n": 2}}))
    await acheck("w0.replace_one", lambda: w0.replace_one({"_id": 31}, {"text": "r"}))
    await acheck("w0.delete_one", lambda: w0.delete_one({"_id": 32}))
    await acheck("w0.delete_many", lambda: w0.delete_many({"_id": 999}))
    await acheck("after_w0.count", lambda: Note.q(db).count_documents({}))
    await stored(db, "stored.notes_after_w0", Note)

    # update / replace / delete return values
    await acheck("update_one.match", lambda: Note.q(db).update_one({"_id": 10}, {"$set": {"n": 7}}))
    await acheck("update_one.same", lambda: Note.q(db).update_one({"_id": 10}, {"$set": {"n": 7}}))
    await acheck("update_one.none", lambda: Note.q(db).update_one({"_id": 404}, {"$set": {"n": 7}}))
    await acheck(
        "update_one.upsert",
        lambda: Note.q(db).update_one({"_id": 40}, {"$set": {"text": "up"}}, upsert=True),
    )
    await acheck(
        "update_many", lambda: Note.q(db).update_many({"_id": {"$gte": 20}}, {"$inc": {"n": 1}})
    )
    await acheck("replace_one", lambda: Note.q(db).replace_one({"_id": 21}, {"text": "B"}))
    await acheck("replace_one.none", lambda: Note.q(db).replace_one({"_id": 404}, {"text": "B"}))
    await acheck("delete_one", lambda: Note.q(db).delete_one({"_id": 40}))
    await acheck("delete_one.none", lambda: Note.q(db).delete_one({"_id": 40}))
    await acheck("delete_many", lambda: Note.q(db).delete_many({"_id": {"$in": [30, 31, 32]}}))
    await stored(db, "stored.notes_after_updates", Note)

    # count
    await acheck("count_documents", lambda: Note.q(db).count_documents({}))
    await acheck("count_documents.default", lambda: Note.q(db).count_documents())
    await acheck("count_documents.query", lambda: Note.q(db).count_documents({"n": {"$gt": 0}}))
    await acheck("count_documents.limit", lambda: Note.q(db).count_documents({}, limit=2))
    await acheck("count.deprecated", lambda: Note.q(db).count({}))
    await acheck("count.deprecated_default", lambda: Note.q(db).count())

    # find
    people = [
        ("Alice", True, 3),
        ("Bobby", False, 1),
        ("Carol", True, 2),
        ("David", True, 5),
        ("Ernest", False, 4),
    ]
    for i, (name, active, day) in enumerate(people):
        await Person(_id=oid(100 + i), name=name, is_active=active, created=at(day)).save(db)
    await stored(db, "stored.people", Person)
    await acheck("find.all", lambda: _names(Person.q(db).find({})))
    await acheck("find.default", lambda: _names(Person.q(db).find()))
    await acheck("find.query", lambda: _names(Person.q(db).find({Person.is_active.s: False})))
    await acheck("find.sort", lambda: _names(Person.q(db).find({}, sort=[("name", DESCENDING)])))
    await acheck("find.sort_method", lambda: _names(Person.q(db).find({}).sort("name", 1)))
    await acheck("find.skip_limit", lambda: _names(Person.q(db).find({}).skip(1).limit(2)))
    await acheck("find.projection", lambda: _docs(Person.q(db).find({}, {"name": 1}).limit(2)))
    await acheck(
        "find.projection_no_id",
        lambda: _docs(Person.q(db).find({}, {"_id": 0, "created": 1}).limit(2)),
    )
    await acheck("find.to_list_length", lambda: _to_list(Person.q(db).find({}), 2))
    await acheck("find.to_list_none", lambda: _to_list(Person.q(db).find({}), None))
    await acheck("find.async_for", lambda: _async_for(Person.q(db).find({"is_active": True})))
    await acheck(
        "find.comprehension",
        lambda: _comprehension(Person.q(db).find({"is_active": False})),
    )
    check("find.cursor_type", lambda: type(Person.q(db).find({})).__name__)
    check("find.cursor_doc_class", lambda: Person.q(db).find({}).doc_class)
    check("find.chain_returns_cursor", lambda: type(Person.q(db).find({}).limit(1)).__name__)
    check("find.chain_same_cursor", lambda: (lambda c: c.limit(1) is c)(Person.q(db).find({})))

    async def cloned():
        cursor = Person.q(db).find({}).limit(2)
        copy = cursor.clone()
        first = [p.name for p in await cursor.to_list(None)]
        second = [p.name for p in await copy.to_list(None)]
        return (type(copy).__name__, copy is cursor, first, second)

    await acheck("cursor.clone", cloned)
    await acheck("cursor.distinct", lambda: Person.q(db).find({}).distinct("is_active"))
    await acheck("cursor.distinct_query", lambda: ActivePerson.q(db).find({}).distinct("name"))

    async def explain_keys():
        plan = await Person.q(db).find({"name": "Alice"}).explain()
        return sorted(
            k
            for k in plan
            if k in {"queryPlanner", "executionStats", "serverInfo", "ok", "command"}
        )

    await acheck("cursor.explain_keys", explain_keys)

    # default_query and default_sort
    await acheck("active.find", lambda: _names(ActivePerson.q(db).find({})))
    await acheck(
        "active.find_query", lambda: _names(ActivePerson.q(db).find({"name": {"$gt": "B"}}))
    )
    await acheck("active.find_type", lambda: _types(ActivePerson.q(db).find({})))
    await acheck("active.count_documents", lambda: ActivePerson.q(db).count_documents({}))
    await acheck(
        "active.count_documents_query",
        lambda: ActivePerson.q(db).count_documents({"name": "Bobby"}),
    )
    await acheck("active.find_one_inactive", lambda: ActivePerson.q(db).find_one({"name": "Bobby"}))
    await acheck("active.get_inactive", lambda: _name_or_error(ActivePerson.q(db).get(oid(101))))
    await acheck("active.get_active", lambda: _name_or_error(ActivePerson.q(db).get(oid(100))))
    await acheck(
        "active.update_many",
        lambda: ActivePerson.q(db).update_many({}, {"$set": {"created": at(9)}}),
    )
    await stored(db, "stored.people_after_active_update", Person)
    await acheck(
        "active.update_one_inactive",
        lambda: ActivePerson.q(db).update_one({"name": "Bobby"}, {"$set": {"created": at(9)}}),
    )
    await acheck(
        "active.delete_one_inactive", lambda: ActivePerson.q(db).delete_one({"name": "Bobby"})
    )
    await acheck(
        "active.replace_one_inactive",
        lambda: ActivePerson.q(db).replace_one({"name": "Bobby"}, {"name": "Bob"}),
    )
    await acheck("person.find_after", lambda: _names(Person.q(db).find({})))
    await acheck(
        "person.find_sort_override",
        lambda: _names(Person.q(db).find({}, sort=[("name", ASCENDING)])),
    )
    await acheck(
        "person.find_sort_none", lambda: _names(Person.q(db).find({}, sort=None).sort("name", 1))
    )

    # aggregate
    pipeline_group = [{"$group": {"_id": "$is_active", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}]

    async def aggregated(qs, pipeline):
        cursor = qs.aggregate(pipeline)
        return (type(cursor).__name__, await cursor.to_list(None))

    await acheck("aggregate.plain", lambda: aggregated(Person.q(db), list(pipeline_group)))
    await acheck(
        "aggregate.default_query", lambda: aggregated(ActivePerson.q(db), list(pipeline_group))
    )
    match_pipeline = [
        {"$match": {"name": {"$lt": "D"}}},
        {"$project": {"name": 1, "_id": 0}},
        {"$sort": {"name": 1}},
    ]
    await acheck(
        "aggregate.match_plain", lambda: aggregated(Person.q(db), [dict(s) for s in match_pipeline])
    )
    given = [dict(s) for s in match_pipeline]
    await acheck("aggregate.match_default_query", lambda: aggregated(ActivePerson.q(db), given))
    check("aggregate.pipeline_after", lambda: given)
    given_group = [dict(s) for s in pipeline_group]
    await acheck(
        "aggregate.group_default_query_again", lambda: aggregated(ActivePerson.q(db), given_group)
    )
    check("aggregate.group_pipeline_after", lambda: given_group)

    # find_one / get
    await acheck("find_one.found", lambda: Person.q(db).find_one({"name": "Carol"}))
    await acheck("find_one.sorted", lambda: Person.q(db).find_one({}, sort=[("name", -1)]))
    await acheck(
        "find_one.projection", lambda: Person.q(db).find_one({"name": "Carol"}, {"name": 1})
    )
    await acheck(
        "find_one.not_found", lambda: _name_or_error(Person.q(db).find_one({"name": "Zed"}))
    )
    await acheck("find_one.default", lambda: _name_or_error(Note.q(db).find_one({"_id": 1})))
    await acheck("get.found", lambda: User.q(db).get("Alexandro"))
    await acheck("get.not_found", lambda: _name_or_error(User.q(db).get("Nobody")))
    await acheck("get.oid_str", lambda: _name_or_error(Person.q(db).get(str(oid(102)))))
    await acheck("get.oid", lambda: _name_or_error(Person.q(db).get(oid(102))))
    await acheck("get.int", lambda: Note.q(db).get(1))
    await acheck("get.projection", lambda: Note.q(db).get(1, {"text": 1}))

    # readme CRUD: update with reload, delete
    u = await User.q(db).get("Ihor")
    u.is_active = True
    await acheck("readme.save_update", lambda: u.save(db))
    await acheck("readme.get_after_save", lambda: _attr(User.q(db).get("Ihor"), "is_active"))
    await acheck("readme.update_push", lambda: u.update(db, {"$push": {User.posts.s: oid(77)}}))
    check("readme.update_reloaded", lambda: u.posts)
    await acheck("readme.update_nothing", lambda: u.update(db, {"$set": {User.quote.s: None}}))
    await acheck(
        "readme.update_noop",
        lambda: u.update(db, {"$set": {User.is_active.s: True}}),
    )
    await acheck(
        "readme.find_projection", lambda: _docs(User.q(db).find({}, {"_id": 1}).skip(1).limit(2))
    )
    await acheck(
        "readme.update_many",
        lambda: User.q(db).update_many(
            {User.is_active.s: True}, {"$set": {User.is_active.s: False}}
        ),
    )
    await acheck("readme.delete", lambda: u.delete(db))
    await acheck("readme.delete_again", lambda: u.delete(db))
    await stored(db, "stored.users_after_readme", User)

    # reload
    note = await Note.q(db).get(10)
    await Note.coll(db).update_one(
        {"_id": 10}, {"$set": {"text": "changed", "extra": 1}, "$unset": {"n": ""}}
    )
    await acheck("reload.changed", lambda: note.reload(db))
    await acheck("reload.returns_self", lambda: _is(note.reload(db), note))
    ghost = Note(_id=12345, text="ghost")
    await acheck("reload.missing", lambda: ghost.reload(db))
    check("reload.missing_after", lambda: ghost)

    # document update that makes it leave the default query
    carol = await ActivePerson.q(db).find_one({"name": "Carol"})
    await acheck("leave.update", lambda: carol.update(db, {"$set": {"is_active": False}}))
    check("leave.after", lambda: carol)
    await acheck("leave.person_view", lambda: Person.q(db).find_one({"name": "Carol"}))
    await acheck("leave.update_again", lambda: carol.update(db, {"$set": {"is_active": True}}))
    check("leave.after_again", lambda: carol)
    await acheck("leave.save", lambda: carol.save(db))
    await acheck("leave.reload", lambda: carol.reload(db))
    await acheck("leave.delete", lambda: carol.delete(db))
    await acheck("leave.person_after_delete", lambda: _names(Person.q(db).find({})))
    dave = await ActivePerson.q(db).find_one({"name": "David"})
    await Person.coll(db).update_one({"name": "David"}, {"$set": {"is_active": False}})
    await acheck("leave.delete_inactive", lambda: dave.delete(db))
    await acheck("leave.reload_inactive", lambda: dave.reload(db))

    # Post with refs and embedded comments
    post = Post(
        _id=oid(500),
        title="Hello",
        body="b",
        author="Alexandro",
        comments=[
            Comment(_id=1, author="Ihor", body="c1"),
            {"_id": 2, "author": "Olena", "body": "c2"},
        ],
    )
    await acheck("post.save", lambda: post.save(db, do_insert=True))
    await stored(db, "stored.posts", Post)
    await acheck("post.get", lambda: Post.q(db).get(oid(500)))
    await acheck("post.find_compound", lambda: _docs(Post.q(db).find({Post.comments.body.s: "c2"})))
    await acheck("post.find_author", lambda: _docs(Post.q(db).find({Post.author.s: "Alexandro"})))

    # create_collection
    await acheck("create_collection", lambda: _coll_name(Plain.create_collection(db)))
    await acheck("create_collection.exists", lambda: _coll_name(Plain.create_collection(db)))
    await acheck("collections", lambda: _sorted(db.list_collection_names()))

    # sessions and a transaction, as in the README (with the driver's real API)
    await acheck("transaction.create_collection", lambda: _coll_name(TxUser.create_collection(db)))
    await transaction(db)
    await acheck("insert_one.invalid_document_type", lambda: Note.q(db).insert_one(Note(_id=77)))


async def transaction(db):
    async with await db.client.start_session() as session:

        async def body():
            async with session.start_transaction():
                created = await TxUser.q(db, session=session).create(name="tuser")
                await TxUser.q(db).update_one(
                    {TxUser.name.s: "tuser"}, {"$set": {TxUser.is_active.s: False}}, session=session
                )
                inside = await TxUser.q(db, session).count_documents({TxUser.name.s: "tuser"})
                outside = await TxUser.q(db).count_documents({TxUser.name.s: "tuser"})
                u2 = await TxUser(name="tuser2").save(db, session=session)
                in_tx = await TxUser.q(db, session=session).get("tuser")
                deleted = await u2.delete(db, session=session)
                raise RuntimeError(
                    show(
                        (
                            created,
                            inside,
                            outside,
                            in_tx,
                            deleted,
                            TxUser.q(db, session).session is session,
                        )
                    )
                )

        try:
            await body()
        except RuntimeError as exc:
            from scenario_helpers import out

            out("transaction.inside", str(exc))
        await acheck(
            "transaction.after", lambda: TxUser.q(db).count_documents({TxUser.name.s: "tuser"})
        )

        async def committed():
            async with session.start_transaction():
                await TxUser.q(db, session=session).create(name="tuser3")
                await Note.q(db, session=session).insert_one({"_id": 900})
                await Note.q(db, session=session).update_one({"_id": 900}, {"$set": {"n": 1}})
                await Note(_id=901).save(db, session=session)
                n = await Note.q(db, session=session).get(900)
                m = await Note(_id=901, text="t").reload(db, session=session)
                await m.update(db, {"$set": {"text": "u"}}, session=session)
                c = await Note.q(db, session=session).find({"_id": {"$gte": 900}}).to_list(None)
                return (n, m, c)

        await acheck("transaction.committed", committed)
        await acheck(
            "transaction.committed_after",
            lambda: _to_list(Note.q(db).find({"_id": {"$gte": 900}}), None),
        )


async def _same(doc, db):
    return (await doc.save(db)) is doc


async def _is(coro, obj):
    return (await coro) is obj


async def _names(cursor):
    return [d.name for d in await cursor.to_list(None)]


async def _types(cursor):
    return [type(d).__name__ for d in await cursor.to_list(None)]


async def _docs(cursor):
    return await cursor.to_list(None)


async def _to_list(cursor, length):
    return await cursor.to_list(length)


async def _async_for(cursor):
    result = []
    async for doc in cursor:
        result.append(doc.name)
    return result


async def _comprehension(cursor):
    return [doc.name async for doc in cursor]


async def _name_or_error(coro):
    try:
        doc = await coro
    except DocumentNotFoundError as exc:
        return ("not found", type(exc).__name__)
    return ("found", getattr(doc, "name", None) or doc._id)


async def _attr(coro, name):
    return getattr(await coro, name)


async def _coll_name(coro):
    coll = await coro
    return (type(coll).__name__, coll.name)


async def _sorted(coro):
    return sorted(await coro)


check("ValidationError.imported", lambda: ValidationError.__name__)
asyncio.run(main())
