"""``$jsonSchema`` validators from document classes, on the real server with both drivers.

For every kind of rule, a raw insert (the driver's own collection, no ODM) of a stored
document that the model calls invalid is refused by the server's validator (code 121),
and one it calls valid is accepted; then a property test checks both directions on
generated documents; and the two ways of installing the validator (``create_collection``
and ``apply_json_schema`` on a collection holding data) are checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import math
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import bson
import pymongo.errors
import pytest
from bson import Decimal128, ObjectId
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
)
from tests.drivers import DRIVERS, close, open_client, start_session

DOCUMENT_VALIDATION_FAILURE = 121


def model_valid(cls: type[Any], stored: dict[str, Any]) -> bool:
    """Whether the model calls the stored document valid (loaded, then validated)."""
    try:
        cls.from_mongo(stored).validate()
    except ValidationError:
        return False
    return True


async def server_accepts(collection: Any, stored: dict[str, Any]) -> bool:
    """Whether a raw insert of ``stored`` passes the collection's validator."""
    try:
        await collection.insert_one(dict(stored))
    except pymongo.errors.WriteError as exc:
        if exc.code != DOCUMENT_VALIDATION_FAILURE:
            raise
        return False
    return True


def same_bson(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal as BSON (a NaN in a schema equals itself there)."""
    return bson.encode(a) == bson.encode(b)


# --- One model per kind of rule ---------------------------------------------------------


class Account(Document):
    _id = StrField(regex=r"[a-z]+")

    class Meta:
        collection = "accounts"


class Address(EmbeddedDocument):
    city = StrField(max_length=10)
    zip = StrField(regex=r"\d{5}", required=False)


class Types(Document):
    s = StrField(required=False)
    i = IntField(required=False)
    f = FloatField(required=False)
    d = DecimalField(required=False)
    b = BoolField(required=False)
    t = DateTimeField(required=False)
    o = ObjectIdField(required=False)

    class Meta:
        collection = "types"


class Required(Document):
    name = StrField(mongo_name="n")
    nick = StrField(required=False)

    class Meta:
        collection = "required"


class Nulls(Document):
    maybe = StrField(allow_none=True, required=False)
    never = StrField(required=False)
    anything = AnyField(required=False)

    class Meta:
        collection = "nulls"


class Choices(Document):
    color = StrField(choices=["red", "green"], required=False)
    size = IntField(choices={1: "small", 2: "large"}, required=False)
    price = DecimalField(choices=[Decimal("1.5"), Decimal("2")], required=False)

    class Meta:
        collection = "choices"


class Strings(Document):
    code = StrField(min_length=2, max_length=4, required=False)
    blank = StrField(allow_blank=True, min_length=3, required=False)
    slug = StrField(regex=r"\w+-\d+$", required=False)
    email = EmailField(required=False)
    word = StrField(regex=r"(?i)caf\u00e9\Z", required=False)

    class Meta:
        collection = "strings"


class Numbers(Document):
    age = IntField(gte=0, lt=150, required=False)
    ratio = FloatField(gt=0, lte=1.5, required=False)
    price = DecimalField(gte=Decimal("0.01"), lte=Decimal("9.99"), required=False)

    class Meta:
        collection = "numbers"


class Lists(Document):
    tags = ListField(StrField(max_length=3), min_length=1, max_length=2, required=False)
    scores = ListField(IntField(gte=0, allow_none=True), required=False)

    class Meta:
        collection = "lists"


class Embedded(Document):
    address = EmbDocField(Address, required=False)
    addresses = ListField(EmbDocField(Address), required=False)

    class Meta:
        collection = "embedded"


class References(Document):
    account = RefField(Account, required=False)
    other = RefField(Types, required=False, allow_none=True)

    class Meta:
        collection = "references"


NOW = datetime.datetime(2026, 1, 2, 3, 4, 5)
OID = ObjectId()

#: ``(model, stored valid document, stored invalid document)`` per rule.
CASES: dict[str, tuple[type[Any], dict[str, Any], dict[str, Any]]] = {
    "string": (Types, {"s": "x"}, {"s": 1}),
    "int": (Types, {"i": 5}, {"i": 5.0}),
    "long": (Types, {"i": 2**40}, {"i": "5"}),
    "double": (Types, {"f": 0.5}, {"f": 1}),
    "decimal": (Types, {"d": Decimal128("1.5")}, {"d": "1.5x"}),
    "bool": (Types, {"b": True}, {"b": 1}),
    "date": (Types, {"t": NOW}, {"t": "2026-01-02"}),
    "objectId": (Types, {"o": OID}, {"o": str(OID)}),
    "_id": (Account, {"_id": "ann"}, {"_id": OID}),
    "_id pattern": (Account, {"_id": "ann"}, {"_id": "Ann"}),
    "required": (Required, {"n": "Ann"}, {"nick": "Ann"}),
    "required by mongo name": (Required, {"n": "Ann"}, {"name": "Ann"}),
    "allow_none": (Nulls, {"maybe": None}, {"never": None}),
    "any value but null": (Nulls, {"anything": [1, "a"]}, {"anything": None}),
    "choices": (Choices, {"color": "red"}, {"color": "blue"}),
    "choices of a dict": (Choices, {"size": 2}, {"size": 3}),
    "choices as stored": (Choices, {"price": Decimal128("2")}, {"price": Decimal128("2.5")}),
    "min_length": (Strings, {"code": "ab"}, {"code": "a"}),
    "max_length": (Strings, {"code": "abcd"}, {"code": "abcde"}),
    "blank": (Strings, {"code": "ab"}, {"code": ""}),
    "allow_blank": (Strings, {"blank": ""}, {"blank": "ab"}),
    "regex": (Strings, {"slug": "abc-12"}, {"slug": "abc-x"}),
    "regex with Unicode classes": (Strings, {"slug": "é-٣"}, {"slug": "é-x"}),
    "regex from the start": (Strings, {"slug": "abc-12"}, {"slug": "-abc-12"}),
    "regex to the end": (Strings, {"slug": "abc-12"}, {"slug": "abc-12x"}),
    "email": (Strings, {"email": "ann@example.com"}, {"email": "ann@example"}),
    "regex flags and escapes": (Strings, {"word": "CAFÉ"}, {"word": "café\n"}),
    "gte": (Numbers, {"age": 0}, {"age": -1}),
    "lt": (Numbers, {"age": 149}, {"age": 150}),
    "gt": (Numbers, {"ratio": 0.001}, {"ratio": 0.0}),
    "lte": (Numbers, {"ratio": 1.5}, {"ratio": 1.5000001}),
    "decimal bounds": (Numbers, {"price": Decimal128("9.99")}, {"price": Decimal128("9.991")}),
    "float NaN passes bounds": (Numbers, {"ratio": math.nan}, {"ratio": math.inf}),
    "list min_length": (Lists, {"tags": ["a"]}, {"tags": []}),
    "list max_length": (Lists, {"tags": ["a", "b"]}, {"tags": ["a", "b", "c"]}),
    "list items": (Lists, {"tags": ["abc"]}, {"tags": ["abcd"]}),
    "list item null": (Lists, {"scores": [1, None]}, {"scores": [1, -1]}),
    "embedded": (Embedded, {"address": {"city": "Oslo"}}, {"address": {"city": 1}}),
    "embedded required": (Embedded, {"address": {"city": "Oslo"}}, {"address": {}}),
    "embedded type": (Embedded, {"address": {"city": "Oslo"}}, {"address": "Oslo"}),
    "embedded in a list": (
        Embedded,
        {"addresses": [{"city": "Oslo", "zip": "01234"}]},
        {"addresses": [{"city": "Oslo", "zip": "0123"}]},
    ),
    "reference _id type": (References, {"account": "ann"}, {"account": OID}),
    "reference _id rules": (References, {"account": "ann"}, {"account": "ANN"}),
    "reference to ObjectId": (References, {"other": OID}, {"other": "x"}),
    "reference null": (References, {"other": None}, {"account": None}),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_the_server_refuses_what_the_model_refuses(db: Any, case: str) -> None:
    model, valid, invalid = CASES[case]
    if model._has_collection and "_id" not in valid:
        valid = {"_id": "ann" if model is Account else ObjectId(), **valid}
        invalid = {"_id": "bob" if model is Account else ObjectId(), **invalid}
    required = {"n": "Ann"} if model is Required else {}
    valid, invalid = {**required, **valid}, {**required, **invalid}
    if case.startswith("required"):
        invalid.pop("n")
    assert model_valid(model, valid)
    assert not model_valid(model, invalid)
    collection = await model.create_collection(db, json_schema=True)
    assert await server_accepts(collection, valid)
    assert not await server_accepts(collection, invalid)


async def test_unknown_keys_are_accepted_by_default(db: Any) -> None:
    collection = await Embedded.create_collection(db, json_schema=True)
    assert await server_accepts(collection, {"legacy": 1, "address": {"city": "Oslo", "x": 2}})


async def test_additional_properties_false_refuses_unknown_keys(db: Any) -> None:
    schema = Embedded.meta.json_schema(additional_properties=False)
    collection = await Embedded.create_collection(db, json_schema=schema)
    assert await server_accepts(collection, {"_id": ObjectId(), "address": {"city": "Oslo"}})
    assert not await server_accepts(collection, {"legacy": 1})
    assert not await server_accepts(collection, {"address": {"city": "Oslo", "x": 2}})


async def test_documents_saved_by_the_odm_pass(db: Any) -> None:
    await Embedded.create_collection(db, json_schema=True)
    document = Embedded(address=Address(city="Oslo", zip="01234"), addresses=[])
    await document.validate().save(db)
    assert await Embedded.q(db).count_documents({}) == 1


async def test_the_error_names_the_class_and_the_rule(db: Any) -> None:
    await Strings.create_collection(db, json_schema=True)
    with pytest.raises(pymongo.errors.WriteError) as info:
        await Strings.q(db).insert_one({"code": "a"})
    details = info.value.details
    assert details is not None
    assert details["errInfo"]["details"]["title"] == "Strings"
    assert "minLength" in str(details["errInfo"])


# --- Installing the validator ------------------------------------------------------------


async def test_create_collection_without_json_schema_installs_nothing(db: Any) -> None:
    collection = await Strings.create_collection(db)
    assert await server_accepts(collection, {"code": 1})
    options = await collection.options()
    assert "validator" not in options


async def test_create_collection_with_level_and_action(db: Any) -> None:
    collection = await Strings.create_collection(
        db, json_schema=True, validation_level="moderate", validation_action="warn"
    )
    options = await collection.options()
    assert same_bson(options["validator"], {"$jsonSchema": Strings.meta.json_schema()})
    assert options["validationLevel"] == "moderate"
    assert options["validationAction"] == "warn"
    assert await server_accepts(collection, {"code": 1})  # warned and written


async def test_create_collection_refuses_unknown_level(db: Any) -> None:
    with pytest.raises(ValueError, match="validation_level"):
        await Strings.create_collection(db, json_schema=True, validation_level="lenient")
    assert "strings" not in await db.list_collection_names()


async def test_apply_json_schema_to_a_collection_with_data(db: Any) -> None:
    collection = Numbers.coll(db)
    await collection.insert_many([{"age": 30}, {"age": -4}])  # the second is invalid
    await Numbers.q(db).apply_json_schema()
    options = await collection.options()
    assert same_bson(options["validator"], {"$jsonSchema": Numbers.meta.json_schema()})
    # Stored documents stay; new writes are checked.
    assert await collection.count_documents({}) == 2
    assert not await server_accepts(collection, {"age": 200})
    assert await server_accepts(collection, {"age": 40})
    # The stored invalid document can be found, and strict level checks its updates.
    invalid = await collection.find(
        {"$nor": [{"$jsonSchema": Numbers.meta.json_schema()}]}
    ).to_list(None)
    assert [d["age"] for d in invalid] == [-4]
    with pytest.raises(pymongo.errors.WriteError):
        await collection.update_one({"age": -4}, {"$set": {"age": -5}})
    # Through the queryset, with a session of the queryset: the same.
    with pytest.raises(pymongo.errors.WriteError):
        await Numbers.q(db).update_one({"age": 30}, {"$set": {"age": 151}})


async def test_apply_json_schema_levels_and_actions(db: Any) -> None:
    collection = Numbers.coll(db)
    await collection.insert_one({"age": -4})
    await Numbers.q(db).apply_json_schema(validation_level="moderate")
    # Moderate: updates of documents that were invalid already are not checked.
    await collection.update_one({"age": -4}, {"$set": {"age": -5}})
    assert not await server_accepts(collection, {"age": -1})
    await Numbers.q(db).apply_json_schema(validation_action="warn")
    assert await server_accepts(collection, {"age": -1})
    options = await collection.options()
    assert options["validationLevel"] == "moderate"
    assert options["validationAction"] == "warn"


async def test_apply_json_schema_replaces_the_validator(db: Any) -> None:
    collection = await Strings.create_collection(db, json_schema=True)
    await Strings.q(db).apply_json_schema({"required": ["code"]})
    assert await server_accepts(collection, {"code": 1})
    assert not await server_accepts(collection, {"slug": "abc-1"})


async def test_with_a_session(db: Any) -> None:
    async with await start_session(db.client) as session:
        collection = await Numbers.create_collection(db, session, json_schema=True)
        await Strings.create_collection(db, session=session)
        await Strings.q(db, session=session).apply_json_schema(validation_action="error")
    assert not await server_accepts(collection, {"age": -1})
    assert not await server_accepts(Strings.coll(db), {"code": 1})


class Cat(Document):
    name = StrField()
    lives = IntField(lte=9)

    class Meta:
        collection = "pets"


class Dog(Document):
    name = StrField()
    good = BoolField()

    class Meta:
        collection = "pets"


async def test_classes_sharing_a_collection(db: Any) -> None:
    either = {"anyOf": [Cat.meta.json_schema(), Dog.meta.json_schema()]}
    pets = await Cat.create_collection(db, json_schema=either)
    await Cat(name="Tom", lives=9).save(db)
    await Dog(name="Rex", good=True).save(db)
    assert not await server_accepts(pets, {"name": "Tom", "lives": 10})
    assert not await server_accepts(pets, {"name": "Rex", "good": "very"})


async def test_apply_json_schema_needs_the_collection(db: Any) -> None:
    with pytest.raises(pymongo.errors.OperationFailure):
        await Strings.q(db).apply_json_schema()


async def test_apply_json_schema_refuses_unknown_action(db: Any) -> None:
    await Strings.create_collection(db)
    with pytest.raises(ValueError, match="validation_action"):
        await Strings.q(db).apply_json_schema(validation_action="ignore")


# --- Both directions, on generated documents -------------------------------------------


class Part(EmbeddedDocument):
    code = StrField(regex=r"[a-z]{1,3}\d?$", max_length=3)
    qty = IntField(gte=1, required=False)


class Owner(Document):
    _id = IntField(gte=0)

    class Meta:
        collection = "owners"


class Sample(Document):
    name = StrField(min_length=2, max_length=6, mongo_name="n")
    note = StrField(allow_blank=True, min_length=2, max_length=4, required=False, allow_none=True)
    word = StrField(regex=r"\w+", required=False)
    email = EmailField(required=False)
    count = IntField(gt=-5, lte=100, required=False)
    ratio = FloatField(gte=-1.5, lt=1, required=False, allow_none=True)
    price = DecimalField(gte=Decimal("0"), lte=Decimal("99.99"), required=False)
    flag = BoolField(required=False)
    when = DateTimeField(required=False)
    kind = StrField(choices=["a", "b", "c"], required=False)
    level = IntField(choices=[1, 2, 3], required=False)
    tags = ListField(StrField(max_length=2), min_length=1, max_length=3, required=False)
    part = EmbDocField(Part, required=False, allow_none=True)
    parts = ListField(EmbDocField(Part), required=False)
    owner = RefField(Owner, required=False)

    class Meta:
        collection = "samples"


#: Characters whose Unicode properties the server's regex engine knows as Python does (its
#: Unicode tables may be older: letters added since are no ``\w`` there).
characters = st.characters(max_codepoint=0x17F) | st.sampled_from("٣中αя")
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-10, max_value=160),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-2, max_value=2),
    st.decimals(min_value=-(10**20), max_value=10**20, places=3).map(Decimal128),
    st.sampled_from(["NaN", "-NaN", "Infinity", "-Infinity", "-0"]).map(Decimal128),
    st.decimals(min_value=-1, max_value=101, places=2).map(Decimal128),
    st.text(characters, max_size=7),
    st.text(alphabet="abcxyz019-_+.@ ٣é\n", max_size=8),
    st.sampled_from(["a", "b", "c", "ann@example.com", "a@b.c", "ab", "", "abc1", "x9"]),
    st.datetimes(min_value=datetime.datetime(1970, 1, 1)).map(
        lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)
    ),
    st.just(OID),
)
part_dicts = st.fixed_dictionaries({}, optional={"code": scalars, "qty": scalars, "x": scalars})
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    part_dicts,
    st.lists(st.one_of(part_dicts, scalars), max_size=3),
)
FIELD_NAMES = [str(f.mongo_name) for f in Sample.meta.fields.values() if f.name != "_id"]
raw_documents = st.fixed_dictionaries(
    {"_id": st.just(None)},
    optional={**dict.fromkeys(FIELD_NAMES, values), "legacy": values},
)


def holds_a_bool_as_an_int(stored: dict[str, Any]) -> bool:
    """Whether an integer field of ``stored`` (or of its parts) holds a bool.

    ``bool`` is an ``int`` to ``validate``, not to the schema: the documented difference
    (the ODM itself stores ``int(value)``), left out here.
    """
    listed = stored.get("parts")
    parts = [stored.get("part"), *(listed if isinstance(listed, list) else [])]
    return any(isinstance(stored.get(name), bool) for name in ("count", "level", "owner")) or any(
        isinstance(part, dict) and isinstance(part.get("qty"), bool) for part in parts
    )


def stored_form(raw: dict[str, Any]) -> dict[str, Any] | None:
    """What the ODM stores for what it loads from ``raw`` (``None`` if it cannot store
    it), when that is stable: loading and storing it again gives it back."""
    try:
        stored = Sample.from_mongo(raw).to_mongo()
        again = Sample.from_mongo(stored).to_mongo()
        if bson.encode(stored) != bson.encode(again):
            return None
    except Exception:
        return None
    return None if holds_a_bool_as_an_int(stored) else stored


@st.composite
def valid_samples(draw: st.DrawFn) -> Sample:
    """Documents built through the constructor from values that are mostly valid."""
    return Sample(
        name=draw(st.text(min_size=2, max_size=6)),  # any code points
        note=draw(st.one_of(st.none(), st.just(""), st.text(min_size=2, max_size=4))),
        word=draw(st.from_regex(r"\A\w+\Z", alphabet=characters)),
        email=draw(st.sampled_from(["ann@example.com", "a_b+c@x-y.example.org"])),
        count=draw(st.integers(min_value=-4, max_value=100)),
        ratio=draw(st.none() | st.floats(min_value=-1.5, max_value=1, exclude_max=True)),
        price=draw(st.decimals(min_value=0, max_value=Decimal("99.99"), places=2)),
        flag=draw(st.booleans()),
        when=draw(st.datetimes(min_value=datetime.datetime(1970, 1, 1))),
        kind=draw(st.sampled_from(["a", "b", "c"])),
        level=draw(st.sampled_from([1, 2, 3])),
        tags=draw(st.lists(st.text(min_size=1, max_size=2), min_size=1, max_size=3)),
        part=Part(
            code=draw(st.from_regex(r"\A[a-z]{1,2}\d?\Z", alphabet=characters)),
            qty=draw(st.integers(1, 9)),
        ),
        parts=[Part(code="ab")],
        owner=draw(st.integers(min_value=0, max_value=2**63 - 1)),
    )


@st.composite
def mutated_samples(draw: st.DrawFn) -> dict[str, Any]:
    """The stored form of a valid document with up to three keys replaced by any value,
    or removed; and perhaps a key that is no field."""
    stored = draw(valid_samples()).to_mongo()
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        key = draw(st.sampled_from(FIELD_NAMES))
        if draw(st.booleans()):
            stored.pop(key, None)
        else:
            stored[key] = draw(values)
    if draw(st.booleans()):
        stored["legacy"] = draw(values)
    return stored


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = asyncio.new_event_loop()
    yield event_loop
    event_loop.close()


@pytest.fixture(scope="module", params=DRIVERS)
def module_db(
    request: pytest.FixtureRequest, mongodb_uri: str, loop: asyncio.AbstractEventLoop
) -> Iterator[Any]:
    """A database of the module's on each driver, for the property tests (which run
    many examples in one test, on ``loop``); dropped afterwards."""
    client = open_client(request.param, mongodb_uri)
    name = f"test_{uuid.uuid4().hex}"
    yield client[name]
    loop.run_until_complete(client.drop_database(name))
    loop.run_until_complete(close(client))


@pytest.fixture(scope="module")
def samples(module_db: Any, loop: asyncio.AbstractEventLoop) -> Any:
    """The ``samples`` collection with ``Sample``'s validator."""
    return loop.run_until_complete(Sample.create_collection(module_db, json_schema=True))


def check_both_directions(
    samples: Any, loop: asyncio.AbstractEventLoop, raw: dict[str, Any]
) -> None:
    stored = stored_form(raw)
    assume(stored is not None)
    assert stored is not None
    valid = model_valid(Sample, stored)
    event("valid" if valid else "invalid")
    accepted = loop.run_until_complete(server_accepts(samples, stored))
    assert accepted == valid, (stored, Sample.meta.json_schema())


SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(SETTINGS, max_examples=300)
@given(raw=mutated_samples())
def test_the_server_accepts_what_the_model_accepts_and_refuses_the_rest(
    samples: Any, loop: asyncio.AbstractEventLoop, raw: dict[str, Any]
) -> None:
    """Valid documents, and the same with a few values changed (valid or not)."""
    check_both_directions(samples, loop, raw)


@settings(SETTINGS, max_examples=150)
@given(raw=raw_documents)
def test_the_server_agrees_with_the_model_on_any_document(
    samples: Any, loop: asyncio.AbstractEventLoop, raw: dict[str, Any]
) -> None:
    """Documents of any values (mostly invalid)."""
    raw["_id"] = ObjectId()
    check_both_directions(samples, loop, raw)


# --- Both directions, on generated fields ------------------------------------------------

small_ints = st.integers(min_value=-3, max_value=3)
limits = st.none() | small_ints | st.floats(-3, 3) | st.decimals(-3, 3, places=1)
lengths = st.none() | st.integers(min_value=0, max_value=4)
regexes = st.none() | st.sampled_from(
    [r"[a-c]+", r"\d", r"x?y$", r"(?i)ab", r"\w+\Z", r"a|b\.", r"[^a]*"]
)


def options(choices: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "allow_none": st.booleans(),
            "choices": st.lists(choices, min_size=0, max_size=3),
        },
    )


def bounds() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(["gt", "gte", "lt", "lte"], limits))


def joined(*parts: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(*parts).map(lambda dicts: {k: v for d in dicts for k, v in d.items()})


str_options = joined(
    options(st.text("abc", max_size=2)),
    st.fixed_dictionaries(
        {},
        optional={
            "min_length": lengths,
            "max_length": lengths,
            "allow_blank": st.booleans(),
            "regex": regexes,
        },
    ),
)
fields = st.one_of(
    str_options.map(lambda o: StrField(**o)),
    joined(options(small_ints), bounds()).map(lambda o: IntField(**o)),
    joined(options(st.floats(-3, 3)), bounds()).map(lambda o: FloatField(**o)),
    joined(options(st.decimals(-3, 3, places=1)), bounds()).map(lambda o: DecimalField(**o)),
    options(st.booleans()).map(lambda o: BoolField(**o)),
    st.tuples(
        st.one_of(
            str_options.map(lambda o: StrField(**o)),
            joined(options(small_ints), bounds()).map(lambda o: IntField(**o)),
        ),
        st.fixed_dictionaries({}, optional={"min_length": lengths, "max_length": lengths}),
        st.booleans(),
    ).map(lambda t: ListField(t[0], allow_none=t[2], **t[1])),
)
field_values = st.one_of(
    st.none(),
    st.booleans(),
    small_ints,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(-4, 4),
    st.floats(),
    st.decimals(-4, 4, places=2).map(Decimal128),
    st.just(Decimal128("NaN")),
    st.text(characters, max_size=5),
    st.text("abcxy19.AB\n", max_size=5),
)
field_values = field_values | st.lists(field_values, max_size=5)


@pytest.fixture(scope="module")
def generated(module_db: Any, loop: asyncio.AbstractEventLoop) -> Any:
    """The module's database with the (empty) ``generated`` collection."""
    loop.run_until_complete(module_db.create_collection("generated"))
    return module_db


def holds_ints(field: Any) -> bool:
    return isinstance(field, IntField) or isinstance(getattr(field, "item_field", None), IntField)


def bools_in(value: Any) -> bool:
    items = value if isinstance(value, list) else [value]
    return any(isinstance(item, bool) for item in items)


@settings(SETTINGS, max_examples=200)
@given(field=fields, tried=st.lists(field_values, min_size=1, max_size=6))
def test_each_rule_on_generated_fields(
    generated: Any, loop: asyncio.AbstractEventLoop, field: Any, tried: list[Any]
) -> None:
    """A field with generated options; the server and the model agree on every value."""
    model = type("Generated", (Document,), {"v": field, "Meta": type("Meta", (), {})})
    model.meta.collection_name = "generated"
    loop.run_until_complete(model.q(generated).apply_json_schema())
    collection = model.coll(generated)
    for value in tried:
        stored = None
        with contextlib.suppress(Exception):
            stored = model.from_mongo({"_id": ObjectId(), "v": value}).to_mongo()
        if stored is None or (holds_ints(field) and bools_in(stored["v"])):
            continue
        valid = model_valid(model, stored)
        event(f"{type(field).__name__} {'valid' if valid else 'invalid'}")
        accepted = loop.run_until_complete(server_accepts(collection, stored))
        assert accepted == valid, (stored, model.meta.json_schema())
