"""Class creation: definition errors, Meta defaults, inheritance of fields and not of Meta."""

from bson.codec_options import CodecOptions
from pymongo import ASCENDING, DESCENDING, IndexModel, ReadPreference, WriteConcern
from pymongo.read_concern import ReadConcern
from scenario_helpers import check, show

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.document import Meta
from aiomongodel.fields import (
    BoolField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    StrField,
    SynonymField,
)


def define(name, bases, namespace):
    def run():
        cls = type(name, bases, dict(namespace))
        return (
            "created",
            list(cls.meta.fields),
            {k: v.mongo_name for k, v in cls.meta.fields.items()},
        )

    return run


def meta_class(**options):
    return type("Meta", (), options)


# definition errors
check("error.id_not_required", define("D1", (Document,), {"_id": StrField(required=False)}))
check("error.id_not_required_int", define("D2", (Document,), {"_id": IntField(required=False)}))
check("error.meta_unknown", define("D3", (Document,), {"Meta": meta_class(colection="x")}))
check(
    "error.meta_unknown_two",
    define("D4", (Document,), {"Meta": meta_class(colection="x", sort=1)}),
)
check("error.embedded_meta_unknown", define("E1", (EmbeddedDocument,), {"Meta": meta_class(x=1)}))
check("error.mongo_name_dollar", define("D5", (Document,), {"a": StrField(mongo_name="$a")}))
check("error.mongo_name_dot", define("D6", (Document,), {"a": StrField(mongo_name="a.b")}))
check("error.mongo_name_nul", define("D7", (Document,), {"a": StrField(mongo_name="a\0")}))
check("error.attr_name_dollar", define("D8", (Document,), {"$a": StrField()}))
check(
    "error.shared_mongo_name",
    define("D9", (Document,), {"a": StrField(mongo_name="x"), "b": IntField(mongo_name="x")}),
)
check(
    "error.mongo_name_is_other_name",
    define("D10", (Document,), {"a": StrField(), "b": IntField(mongo_name="a")}),
)
check("error.embedded_dollar", define("E2", (EmbeddedDocument,), {"a": StrField(mongo_name="$x")}))
check("ok.id_mongo_name", define("D11", (Document,), {"_id": StrField(mongo_name="_id")}))
check("ok.meta_private", define("D12", (Document,), {"Meta": meta_class(_private=1)}))
check(
    "ok.embedded_with_id", define("E3", (EmbeddedDocument,), {"_id": ObjectIdField(required=False)})
)
check("ok.meta_fields_option", define("D13", (Document,), {"Meta": meta_class(fields=1)}))
# The options 0.2 knows are all still options (new versions add more).
OPTIONS_OF_0_2 = {"codec_options", "collection", "default_query", "default_sort", "fields"}
OPTIONS_OF_0_2 |= {"fields_synonyms", "indexes", "queryset", "read_concern", "read_preference"}
OPTIONS_OF_0_2 |= {"write_concern"}
check("ok.meta_class_attribute", lambda: OPTIONS_OF_0_2 <= Meta.OPTIONS)
check("meta.direct_unknown", lambda: Meta(nope=1))
check(
    "meta.direct",
    lambda: {
        a: getattr(Meta(collection="c"), a)
        for a in (
            "collection_name",
            "queryset",
            "default_query",
            "default_sort",
            "indexes",
            "codec_options",
            "read_preference",
            "write_concern",
            "read_concern",
        )
    },
)


# collection names
NAMES = [
    "User",
    "HTTPRequest",
    "ABTest",
    "Doc2Doc",
    "Test_Doc",
    "getHTTPResponseCode",
    "UserProfile",
    "A",
    "ABC",
    "XMLHttpRequest",
    "IPv4Address",
    "Snake_Case_Name",
    "already_snake",
]
for name in NAMES:
    check(f"collection_name.{name}", lambda n=name: type(n, (Document,), {}).meta.collection_name)


class Plain(Document):
    name = StrField()
    flag = BoolField(default=True)


class Embedded(EmbeddedDocument):
    value = IntField()


IDX = [IndexModel([("name", ASCENDING)], unique=True), IndexModel([("created", DESCENDING)])]


class Configured(Document):
    name = StrField()
    other = SynonymField(name)
    obj = SynonymField("_id")

    class Meta:
        collection = "things"
        indexes = IDX
        default_query = {"name": "x"}
        default_sort = [("name", ASCENDING)]
        codec_options = CodecOptions(tz_aware=True)
        read_preference = ReadPreference.SECONDARY_PREFERRED
        write_concern = WriteConcern(w=1)
        read_concern = ReadConcern("majority")


ATTRS = [
    "collection_name",
    "queryset",
    "default_query",
    "default_sort",
    "indexes",
    "fields_synonyms",
    "codec_options",
    "read_preference",
    "write_concern",
    "read_concern",
]
for cls in (Plain, Embedded, Configured):
    for attr in ATTRS:
        check(f"meta.{cls.__name__}.{attr}", lambda c=cls, a=attr: getattr(c.meta, a))
    check(f"meta.{cls.__name__}.fields", lambda c=cls: list(c.meta.fields))
    check(
        f"meta.{cls.__name__}.fields_types",
        lambda c=cls: [type(f).__name__ for f in c.meta.fields.values()],
    )
    check(
        f"meta.{cls.__name__}.fields_mapping",
        lambda c=cls: type(c.meta.fields).__name__ in {"dict", "OrderedDict"},
    )
    check(f"meta.{cls.__name__}.type", lambda c=cls: type(c.meta).__name__)
    check(f"meta.{cls.__name__}.is_meta", lambda c=cls: isinstance(c.meta, Meta))
    check(f"meta.{cls.__name__}.has_Meta", lambda c=cls: "Meta" in c.__dict__)

check("meta.default_id", lambda: (Plain._id.name, Plain._id.mongo_name, Plain._id.required))
check("meta.default_id_class", lambda: type(Plain._id).__name__)
check("meta.default_id_shared", lambda: Plain._id is Embedded.meta.fields.get("_id", Plain._id))
check("meta.default_id_last", lambda: list(Plain.meta.fields)[-1])
check("meta.queryset_name", lambda: Plain.meta.queryset.__name__)
check(
    "meta.default_query_fresh",
    lambda: Plain.meta.default_query is not type("X1", (Document,), {}).meta.default_query,
)


# inheritance
class Mixin:
    value = IntField()


class Parent(Document):
    name = StrField()

    class Meta:
        collection = "parents"
        default_sort = [("name", 1)]
        default_query = {"name": "p"}
        indexes = [IndexModel([("name", 1)])]


class Child(Mixin, Parent):
    rate = FloatField()


class OtherChild(Child):
    value = FloatField()


class SubDoc(Mixin, EmbeddedDocument):
    pass


class WithList(EmbeddedDocument):
    subs = ListField(EmbDocField(SubDoc))


for cls in (Parent, Child, OtherChild, SubDoc, WithList):
    check(
        f"inherit.{cls.__name__}.fields",
        lambda c=cls: [(n, type(f).__name__) for n, f in c.meta.fields.items()],
    )
    for attr in ("collection_name", "default_sort", "default_query", "indexes"):
        check(f"inherit.{cls.__name__}.{attr}", lambda c=cls, a=attr: getattr(c.meta, a))
check("inherit.value_field_shared", lambda: Child.value is Mixin.__dict__["value"])
check("inherit.name_field_shared", lambda: Child.name is Parent.name)
check("inherit.overridden", lambda: show(OtherChild.value) + " " + show(Child.value))
check("inherit.is_subclass", lambda: issubclass(OtherChild, Parent))
check("inherit.field_named", lambda: (Mixin.__dict__["value"].name, OtherChild.value.name))


def renamed():
    cls = type(
        "Renamed",
        (Document,),
        {"first": StrField(mongo_name="f"), "second": StrField(name="custom")},
    )
    return (
        {k: (f.name, f.mongo_name) for k, f in cls.meta.fields.items()},
        cls(second="v").second,
        cls(second="v", first="a"),
    )


check("named.field_given_a_name", renamed)


# a field object shared by two classes keeps the first name given
def shared_field():
    shared = StrField()
    a1 = type("A1", (Document,), {"one": shared})
    a2 = type("A2", (Document,), {"two": shared})
    return (a1.one.name, a2.two.name, a2.two.mongo_name, list(a2.meta.fields), a2(two="x"))


check("shared_field", shared_field)
