"""Document and EmbeddedDocument instances: building, data, conversion, validation."""

import datetime
from collections import OrderedDict

from scenario_helpers import check, oid, show, typed

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
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

DT = datetime.datetime(2021, 5, 6, 7, 8, 9)
calls = []


def make_stamp():
    calls.append(1)
    return DT


class Address(EmbeddedDocument):
    city = StrField(max_length=5)
    zip_code = IntField(mongo_name="zip", required=False)


class User(Document):
    _id = StrField(regex=r"^[a-z]{3,20}$")
    name = SynonymField(_id)
    active = BoolField(default=True)
    stamp = DateTimeField(default=make_stamp)
    score = IntField(required=False, mongo_name="sc")
    ratio = FloatField(required=False, allow_none=True)
    address = EmbDocField(Address, required=False)
    tags = ListField(StrField(), default=lambda: ["t"])
    addresses = ListField(EmbDocField(Address), required=False)
    extra = AnyField(required=False)

    class Meta:
        collection = "users"


class Post(Document):
    title = StrField()
    author = RefField(User, mongo_name="by")
    pid = SynonymField("_id")
    views = IntField(default=0)


def validate_result(document):
    def run():
        try:
            result = document.validate()
        except ValidationError as exc:
            return ("invalid", exc.as_dict())
        return ("ok", result is document)

    return run


def exc_type(fn):
    def run():
        try:
            return ("ok", fn())
        except Exception as exc:
            return ("raises", type(exc).__name__)

    return run


# constructor
check("init.empty_kwargs", lambda: User())
check("init.default_calls", lambda: len(calls))
check("init.name", lambda: User(_id="bob"))
check("init.synonym", lambda: User(name="bob"))
check("init.both_name_and_synonym", lambda: User(_id="real", name="syn"))
check("init.unknown", lambda: User(name="bob", nope=1, other="x"))
check("init.unknown_attr", lambda: hasattr(User(nope=1), "nope"))
check("init.mongo_name_key", lambda: User(name="bob", sc=5))
check("init.converts", lambda: User(name="bob", score="12", active=0, ratio="1.5"))
check("init.none", lambda: User(name=None, active=None, nick=None))


class Profile(Document):
    """The one class with a default on a field that is not required."""

    _id = StrField()
    nick = StrField(required=False, default="nobody")


check("init.not_required_default", lambda: Profile(_id="bob").nick)
check("init.not_required_default_data", lambda: "nick" in Profile(_id="bob")._data)
check("init.explicit_default_override", lambda: User(name="bob", active=False, tags=[]))
check("init._empty", lambda: User(_empty=True))
check("init._empty_with_values", lambda: User(_empty=True, name="bob"))
check("init._empty_attr", lambda: User(_empty=True).active)
check("init.dict_for_embdoc", lambda: User(name="bob", address={"city": "Kyiv", "zz": 1}))
check("init.auto_id", lambda: type(Post()._id).__name__)
check("init.auto_id_fresh", lambda: Post()._id != Post()._id)
check("init.auto_id_synonym", lambda: Post(pid=oid(5)))
check("init.ref_document", lambda: Post(_id=oid(1), author=User(name="bob"), title="t"))
check("init.ref_value", lambda: Post(_id=oid(1), author="bob", title="t"))
check("init.positional", exc_type(lambda: User("bob")))
check("init.embedded", lambda: Address(city="Lviv", zip_code="79000"))
check("init.embedded_unknown", lambda: Address(city="Lviv", street="x"))
check("init.embedded_empty", lambda: Address(_empty=True))

# from_data
check("from_data.extra_keys", lambda: User.from_data({"name": "bob", "x": 1, "sc": 2}))
check("from_data.synonym", lambda: Post.from_data({"pid": oid(3), "title": "t"}))
check("from_data.ordered", lambda: User.from_data(OrderedDict([("score", 1), ("name", "bob")])))
nested = User.from_data(
    {
        "name": "BOB",
        "address": {"city": "Kharkiv", "zip_code": "x", "unknown": 1},
        "addresses": [{"city": "a"}, {"zip_code": 1}, "junk", {"city": 5}],
        "tags": ["a", 5, None],
        "score": "abc",
        "ratio": None,
    }
)
check("from_data.nested", lambda: nested)
check("from_data.nested.address_type", lambda: type(nested.address).__name__)
check("from_data.nested.validate", validate_result(nested))
check("from_data.embedded", lambda: Address.from_data({"city": "a", "zip_code": "1", "q": 2}))


# only the type: 0.2's message is Python's own for a bad `**` argument
check("from_data.not_a_dict", exc_type(lambda: User.from_data([("name", "bob")])))
check("from_data.none", exc_type(lambda: User.from_data(None)))

# populate_with_data
check("populate.fields", lambda: User(name="bob").populate_with_data({"score": "3", "ratio": 2}))
check("populate.synonym", lambda: User(name="bob").populate_with_data({"name": "ann"}))
check("populate.returns_self", lambda: (lambda u: u.populate_with_data({}) is u)(User()))
check("populate.embedded", lambda: Address().populate_with_data({"city": "c", "zip_code": "2"}))
populated = User(name="bob")
check("populate.unknown", lambda: populated.populate_with_data({"score": 1, "wrong": 2}))
check("populate.unknown_after", lambda: populated)
check("populate.unknown_attr", lambda: getattr(populated, "wrong", "<missing>"))
populated2 = User(name="bob")
check("populate.method_name", lambda: populated2.populate_with_data({"validate": 1}))
check("populate.method_name_after", lambda: callable(populated2.validate))

# to_data / to_mongo / from_mongo
full = User(
    name="bob",
    stamp=DT,
    score=5,
    ratio=None,
    address=Address(city="Lviv", zip_code=1),
    addresses=[Address(city="a"), Address(zip_code=2)],
    extra={"k": [1, 2]},
)
check("to_data", lambda: full.to_data())
check("to_data.type", lambda: full.to_data(), typed)
check("to_data.is_internal", lambda: full.to_data() is full._data)
check("to_mongo", lambda: full.to_mongo())
check("to_mongo.type", lambda: full.to_mongo(), typed)
check("to_mongo.key_order", lambda: list(full.to_mongo()))
check("to_mongo.empty", lambda: User(_empty=True).to_mongo())
check("to_mongo.partial", lambda: User(_empty=True, name="x").to_mongo())
check("to_mongo.post", lambda: Post(_id=oid(1), author=User(name="bob"), title="t").to_mongo())
check("to_mongo.embedded", lambda: Address(city="x", zip_code=3).to_mongo())
check("to_mongo.invalid_values", lambda: User(name=5, score="x", tags="abc").to_mongo())
check(
    "from_mongo.full",
    lambda: User.from_mongo(
        {
            "_id": "bob",
            "active": False,
            "sc": 3,
            "address": {"city": "c", "zip": 1},
            "addresses": [{"city": "d"}],
            "stamp": DT,
            "tags": ["x"],
        }
    ),
)
check(
    "from_mongo.key_order",
    lambda: list(User.from_mongo({"tags": [], "sc": 1, "_id": "bob", "active": True})._data),
)


class Auto(Document):
    name = StrField()
    flag = BoolField(required=False)


check(
    "from_mongo.stored_order",
    lambda: list(Auto.from_mongo({"_id": oid(3), "flag": True, "name": "x"})._data),
)
check("from_mongo.missing_keys", lambda: User.from_mongo({"_id": "bob"}))
check("from_mongo.extra_keys", lambda: User.from_mongo({"_id": "bob", "zzz": 1, "score": 7}))
check("from_mongo.field_name_not_mongo_name", lambda: User.from_mongo({"score": 7}).score)
check("from_mongo.empty", lambda: User.from_mongo({}))
check("from_mongo.no_defaults", lambda: User.from_mongo({}).active)
check("from_mongo.none_values", lambda: User.from_mongo({"_id": None, "address": None}))
check("from_mongo.post", lambda: Post.from_mongo({"_id": oid(2), "by": "bob", "title": "t"}))
check("from_mongo.embedded", lambda: Address.from_mongo({"city": "x", "zip": 9, "zip_code": 1}))
check("from_mongo.type", lambda: type(Address.from_mongo({})).__name__)
check("from_mongo.roundtrip", lambda: show(User.from_mongo(full.to_mongo())) == show(full))
check("eq.same_data", lambda: Address(city="a") == Address(city="a"))
check("eq.self", lambda: (lambda a: a == a)(Address(city="a")))

# validate / validate_document
check("validate.ok", validate_result(User(name="bob", stamp=DT)))
check("validate.bad", validate_result(User(name="B", score="x", tags=[1, "a", None])))
check("validate.missing_required", validate_result(User(_empty=True)))
check("validate.none_required", validate_result(User(name=None)))
check("validate.not_required_missing", validate_result(User(name="bob", score=None)))
check("validate.allow_none", validate_result(User(name="bob", ratio=None)))
check("validate.embedded", validate_result(User(name="bob", address=Address(city="toolong"))))
check(
    "validate.list_embedded",
    validate_result(User(name="bob", addresses=[Address(city="ok"), Address(), Address(city=1)])),
)
check("validate.post_ref", validate_result(Post(title="t", author=User(name="X"))))
check("validate.post_ref_value", validate_result(Post(title="t", author="ab")))
check("validate.embedded_doc", validate_result(Address(city=1)))
check("validate.readme_model", validate_result(Post(title=None, views="1")))


def validate_document(cls, document):
    def run():
        try:
            cls.validate_document(document)
        except ValidationError as exc:
            return ("invalid", exc.as_dict())
        return "ok"

    return run


class Mixin:
    is_active = BoolField(default=True)


class Base(Mixin, Document):
    _id = StrField()
    role = StrField()
    name = SynonymField(_id)

    class Meta:
        collection = "people"


class Customer(Base):
    role = StrField(default="customer", choices=["customer"])
    address = StrField()

    class Meta:
        collection = "people"


class Admin(Base):
    role = StrField(default="admin", choices=["admin"])
    rights = ListField(StrField(), default=lambda: [])

    class Meta:
        collection = "people"


class DraftDoc(Document):
    _id = StrField()
    body = StrField(required=False)

    class Meta:
        collection = "people"


check("validate_document.same_class", validate_document(Customer, Customer(name="c", address="a")))
check("validate_document.admin_as_customer", validate_document(Customer, Admin(name="a")))
check("validate_document.customer_as_admin", validate_document(Admin, Customer(name="c")))
check("validate_document.draft_other", validate_document(DraftDoc, Admin(name="a")))
check("validate_document.base_customer", validate_document(Base, Customer(name="c")))
check("inherit.admin", lambda: Admin(name="a"))
check("inherit.customer_fields", lambda: list(Customer.meta.fields))

# attributes
u = User(name="bob", score=1)
check("attr.get", lambda: (u.name, u._id, u.score, u.address, u.ratio))
check("attr.get_unset", lambda: User(_empty=True).score)


def set_and_show(obj, name, value):
    def run():
        setattr(obj, name, value)
        return obj

    return run


check("attr.set_converts", set_and_show(User(name="bob"), "score", "42"))
check("attr.set_synonym", set_and_show(User(name="bob"), "name", "ann"))
check("attr.set_none", set_and_show(User(name="bob"), "score", None))
check("attr.set_unknown", set_and_show(User(name="bob"), "whatever", 1))
check("attr.set_embedded_dict", set_and_show(User(name="bob"), "address", {"city": "x"}))
check("attr.set_list_tuple", set_and_show(User(name="bob"), "tags", ("a", "b")))


def delete(obj, name):
    def run():
        delattr(obj, name)
        return obj

    return run


check("attr.del_field", delete(User(name="bob", score=1), "score"))
check("attr.del_synonym", delete(User(name="bob"), "name"))
check("attr.class_access", lambda: show(User.score) + " " + show(User.name))

# query_id
check("query_id.str", lambda: User(name="bob").query_id)
check("query_id.oid", lambda: Post(_id=oid(9)).query_id)
check("query_id.none", lambda: User(_empty=True).query_id)
