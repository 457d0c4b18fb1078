"""Errors: ValidationError's text and detail, StopValidation, DocumentNotFoundError,
DuplicateKeyError from a real unique index violation (Motor)."""

import asyncio
from collections import OrderedDict

import pymongo.errors
from motor.motor_asyncio import AsyncIOMotorClient
from pymongo import IndexModel
from scenario_helpers import acheck, check, database_name, mongo_uri, oid

from aiomongodel import Document
from aiomongodel.errors import (
    AioMongodelException,
    DocumentNotFoundError,
    DuplicateKeyError,
    Error,
    StopValidation,
    ValidationError,
)
from aiomongodel.fields import IntField, ListField, StrField

DB_NAME = database_name("compat_errors")
TRANSLATION = {
    "field is required": "Required!",
    "length is greater than {constraint}": "Longer than {constraint} chars",
    "value should be greater than {constraint}": "Must be > {constraint}",
    "invalid value type": "Bad type",
}

plain = ValidationError("field is required")
constrained = ValidationError("length is greater than {constraint}", constraint=7)
constrained_none = ValidationError("value is {constraint}", constraint=None)
empty = ValidationError()
nested = ValidationError(
    {
        "name": ValidationError("length is greater than {constraint}", constraint=7),
        "value": ValidationError("value should be greater than {constraint}", constraint=5),
        "data": ValidationError("field is required"),
        "items": ValidationError(
            {0: ValidationError("invalid value type"), 2: ValidationError({"x": plain})}
        ),
    }
)
ordered = ValidationError(OrderedDict([("b", plain), ("a", constrained)]))

ERRORS = {
    "plain": plain,
    "constrained": constrained,
    "constrained_none": constrained_none,
    "empty": empty,
    "nested": nested,
    "ordered": ordered,
    "int_error": ValidationError(5),
    "braces_no_constraint": ValidationError("value {constraint}"),
}
for name, err in ERRORS.items():
    check(f"{name}.str", lambda e=err: str(e))
    check(f"{name}.repr", lambda e=err: repr(e))
    check(f"{name}.as_dict", lambda e=err: e.as_dict())
    check(f"{name}.as_dict_translated", lambda e=err: e.as_dict(translation=TRANSLATION))
    check(f"{name}.as_dict_translated_positional", lambda e=err: e.as_dict(TRANSLATION))
    check(f"{name}.as_dict_empty_translation", lambda e=err: e.as_dict({}))
    check(f"{name}.error_type", lambda e=err: type(e.error).__name__)
    check(f"{name}.args", lambda e=err: e.args)
    check(
        f"{name}.isinstance",
        lambda e=err: (isinstance(e, Error), isinstance(e, AioMongodelException)),
    )

check("constrained.constraint", lambda: constrained.constraint)
check("constrained.error", lambda: constrained.error)
check("plain.constraint_is_default", lambda: plain.constraint is empty.constraint)
check("nested.error_keys", lambda: list(nested.error))
check("nested.error_values", lambda: [type(v).__name__ for v in nested.error.values()])
check("nested.inner", lambda: nested.error["items"].error[2].error["x"] is plain)
check("validation_error.keyword", lambda: ValidationError(error="x", constraint=1).as_dict())
check("validation_error.raise", lambda: (_ for _ in ()).throw(constrained))


class Model(Document):
    name = StrField(max_length=7)
    value = IntField(gt=5, lte=13)
    data = ListField(IntField(), required=False)


def model_error(**kwargs):
    def run():
        try:
            Model(**kwargs).validate()
        except ValidationError as exc:
            return (str(exc), repr(exc), exc.as_dict(), exc.as_dict(TRANSLATION), list(exc.error))
        return "valid"

    return run


check("model.readme", model_error(name="too long string", value=0))
check("model.list", model_error(name="x", value=6, data=[1, "a", 3.5]))
check("model.valid", model_error(name="x", value=6))

check("stop.str", lambda: str(StopValidation()))
check("stop.repr", lambda: repr(StopValidation("why")))
check("stop.bases", lambda: [c.__name__ for c in StopValidation.__mro__])
check("stop.not_error", lambda: issubclass(StopValidation, Error))
check("validation.bases", lambda: [c.__name__ for c in ValidationError.__mro__])
check("notfound.bases", lambda: [c.__name__ for c in DocumentNotFoundError.__mro__])
check("duplicate.bases", lambda: [c.__name__ for c in DuplicateKeyError.__mro__])
check(
    "duplicate.is_pymongo", lambda: issubclass(DuplicateKeyError, pymongo.errors.DuplicateKeyError)
)
check("notfound.plain", lambda: (str(DocumentNotFoundError()), DocumentNotFoundError().args))
check(
    "duplicate.manual",
    lambda: (
        DuplicateKeyError(
            "E11000 duplicate key error collection: db.c index: idx_1 dup key: { x: 1 }"
        ).index_name
    ),
)
check("duplicate.manual_message", lambda: DuplicateKeyError("abc").message)
check("duplicate.manual_no_index", lambda: DuplicateKeyError("abc").index_name)


class Unique(Document):
    _id = IntField()
    key = StrField()

    class Meta:
        collection = "unique_things"
        indexes = [IndexModel([("key", 1)], unique=True, name="key_unique")]


async def database_part():
    client = AsyncIOMotorClient(mongo_uri())
    db = client[DB_NAME]
    await client.drop_database(DB_NAME)
    try:
        await Unique.q(db).create_indexes()
        await Unique.q(db).insert_one({"_id": 1, "key": "a"})

        async def dup_insert():
            await Unique.q(db).insert_one({"_id": 2, "key": "a"})

        async def dup_save():
            await Unique(_id=3, key="a").save(db, do_insert=True)

        async def dup_id():
            await Unique(_id=1, key="b").save(db, do_insert=True)

        async def dup_update():
            await Unique.q(db).insert_one({"_id": 4, "key": "b"})
            await Unique.q(db).update_one({"_id": 4}, {"$set": {"key": "a"}})

        async def dup_replace():
            await Unique.q(db).replace_one({"_id": 4}, {"key": "a"})

        async def dup_update_many():
            await Unique.q(db).update_many({"_id": 4}, {"$set": {"key": "a"}})

        for name, fn in [
            ("insert", dup_insert),
            ("save", dup_save),
            ("id", dup_id),
            ("update", dup_update),
            ("replace", dup_replace),
            ("update_many", dup_update_many),
        ]:

            async def describe(fn=fn):
                try:
                    await fn()
                except DuplicateKeyError as exc:
                    return (
                        type(exc).__name__,
                        isinstance(exc, pymongo.errors.DuplicateKeyError),
                        exc.index_name,
                        "E11000" in exc.message,
                        "dup key" in exc.message,
                        str(exc) == exc.message,
                        type(exc.__cause__).__name__,
                    )
                return "no error"

            await acheck(f"duplicate.{name}", describe)

        async def insert_many_dup():
            try:
                await Unique.q(db).insert_many([{"_id": 10, "key": "z"}, {"_id": 11, "key": "z"}])
            except Exception as exc:
                return type(exc).__name__
            return "no error"

        await acheck("duplicate.insert_many", insert_many_dup)

        async def not_found(q):
            try:
                await q
            except DocumentNotFoundError as exc:
                return (type(exc).__name__, str(exc), isinstance(exc, Error))
            return "found"

        await acheck("notfound.find_one", lambda: not_found(Unique.q(db).find_one({"key": "nope"})))
        await acheck("notfound.get", lambda: not_found(Unique.q(db).get(99)))
        await acheck("notfound.get_oid", lambda: not_found(Unique.q(db).get(oid(1))))
    finally:
        await client.drop_database(DB_NAME)
        client.close()


asyncio.run(database_part())
