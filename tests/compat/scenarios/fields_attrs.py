"""Field types of the spec and their attributes, as a 0.2 user reads them."""

import re
from collections import OrderedDict

from scenario_helpers import check

from aiomongodel import Document, EmbeddedDocument
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
    SynonymField,
)


class Tag(EmbeddedDocument):
    label = StrField()
    weight = IntField(mongo_name="w")


class Category(EmbeddedDocument):
    name = StrField(mongo_name="n")
    main_tag = EmbDocField(Tag, mongo_name="mt")
    tags = ListField(EmbDocField(Tag), mongo_name="ts")


class Author(Document):
    _id = StrField()
    nick = SynonymField(_id)

    class Meta:
        collection = "authors"


class Item(Document):
    anything = AnyField()
    title = StrField(regex=r"^[a-z]+$", min_length=2, max_length=10, mongo_name="t")
    email = EmailField(required=False)
    count = IntField(gt=0, lte=100, default=1)
    ratio = FloatField(gte=0.0, lt=1.0, allow_none=True)
    price = DecimalField(required=False)
    flag = BoolField(default=False)
    created = DateTimeField(required=False)
    other = ObjectIdField(required=False)
    category = EmbDocField(Category, mongo_name="cat")
    categories = ListField(EmbDocField(Category), mongo_name="cats", min_length=1)
    words = ListField(StrField(), max_length=3, default=list)
    author = RefField(Author, mongo_name="by")
    author_s = RefField("__main__.Author", required=False)
    color = StrField(choices=["red", "green"], required=False)
    size = IntField(choices=OrderedDict([(1, "small"), (2, "big")]), required=False)
    shade = StrField(choices={"dark": "Dark", "light": "Light"}, required=False)
    heading = SynonymField(title)
    obj_id = SynonymField("_id")


FIELDS = [
    "anything",
    "title",
    "email",
    "count",
    "ratio",
    "price",
    "flag",
    "created",
    "other",
    "category",
    "categories",
    "words",
    "author",
    "author_s",
    "color",
    "size",
    "shade",
    "_id",
]

for name in FIELDS:
    field = Item.meta.fields[name]
    check(f"{name}.class", lambda f=field: type(f).__name__)
    check(f"{name}.name", lambda f=field: f.name)
    check(f"{name}.mongo_name", lambda f=field: f.mongo_name)
    check(f"{name}.s", lambda f=field: f.s)
    check(f"{name}.required", lambda f=field: f.required)
    check(f"{name}.allow_none", lambda f=field: f.allow_none)
    check(f"{name}.choices", lambda f=field: f.choices)
    check(f"{name}.choices_type", lambda f=field: type(f.choices).__name__)
    check(f"{name}.field_type", lambda f=field: f.field_type)
    check(f"{name}.is_class_attr", lambda f=field, n=name: getattr(Item, n) is f)

check("count.default", lambda: Item.count.default)
check("flag.default", lambda: Item.flag.default)
check("words.default", lambda: Item.words.default)
check("words.default_fresh", lambda: Item.words.default is not Item.words.default)
check("_id.default_type", lambda: type(Item._id.default).__name__)
check("title.default_missing", lambda: Item.title.default is Item.count._default)

check("title.regex", lambda: Item.title.regex)
check("title.regex_is_pattern", lambda: isinstance(Item.title.regex, re.Pattern))
check("title.min_length", lambda: Item.title.min_length)
check("title.max_length", lambda: Item.title.max_length)
check("title.allow_blank", lambda: Item.title.allow_blank)
check("email.regex", lambda: Item.email.regex)
check("email.min_length", lambda: Item.email.min_length)
check("count.gt", lambda: Item.count.gt)
check("count.gte", lambda: Item.count.gte)
check("count.lt", lambda: Item.count.lt)
check("count.lte", lambda: Item.count.lte)
check("ratio.gte", lambda: Item.ratio.gte)
check("ratio.lt", lambda: Item.ratio.lt)
check("price.gt", lambda: Item.price.gt)
check("words.item_field", lambda: type(Item.words.item_field).__name__)
check("words.min_length", lambda: Item.words.min_length)
check("words.max_length", lambda: Item.words.max_length)
check("categories.min_length", lambda: Item.categories.min_length)
check("category.document_class", lambda: Item.category.document_class)
check("categories.document_class", lambda: Item.categories.document_class)
check("words.document_class", lambda: Item.words.document_class)
check("author.document_class", lambda: Item.author.document_class)
check("author_s.document_class", lambda: Item.author_s.document_class)
check("heading.is_title", lambda: Item.heading is Item.title)
check("heading.s", lambda: Item.heading.s)
check("obj_id.is_id", lambda: Item.obj_id is Item._id)
check("obj_id.s", lambda: Item.obj_id.s)
check("nick.s", lambda: Author.nick.s)
check("synonym.original_field_name", lambda: Item.__dict__["heading"].original_field_name)
check("synonym_str.original_field_name", lambda: Item.__dict__["obj_id"].original_field_name)

# compound names through embedded documents and lists of them
check("compound.category.name", lambda: Item.category.name.s)
check("compound.category.main_tag", lambda: Item.category.main_tag.s)
check("compound.category.main_tag.weight", lambda: Item.category.main_tag.weight.s)
check("compound.category.tags.label", lambda: Item.category.tags.label.s)
check("compound.category.tags.weight", lambda: Item.category.tags.weight.s)
check("compound.categories.name", lambda: Item.categories.name.s)
check("compound.categories.tags.weight", lambda: Item.categories.tags.weight.s)
check("compound.categories.main_tag.label", lambda: Item.categories.main_tag.label.s)
check("compound.unknown", lambda: Item.category.nothing.s)
check("compound.words.unknown", lambda: Item.words.nothing)
check("compound.title.unknown", lambda: Item.title.nothing)
check("compound.leaf.unknown", lambda: Item.category.name.nothing)

# standalone fields (not in a document)
check("standalone.name", lambda: StrField().name)
check("standalone.mongo_name", lambda: StrField().mongo_name)
check("standalone.s", lambda: StrField(mongo_name="x").s)
check("standalone.named", lambda: (StrField(name="a").name, StrField(name="a").mongo_name))
check(
    "standalone.named_mongo",
    lambda: (StrField(name="a", mongo_name="b").name, StrField(name="a", mongo_name="b").s),
)
check("standalone.required", lambda: StrField().required)
check("standalone.allow_none", lambda: StrField().allow_none)
check("standalone.choices", lambda: StrField().choices)
check("standalone.choices_list", lambda: StrField(choices=["b", "a", "b"]).choices)
check("standalone.choices_tuple", lambda: IntField(choices=(3, 1, 2)).choices)
check("standalone.choices_dict", lambda: IntField(choices={2: "two", 1: "one"}).choices)
check(
    "standalone.choices_dict_type",
    lambda: type(IntField(choices={2: "two", 1: "one"}).choices).__name__,
)
check(
    "standalone.choices_od",
    lambda: IntField(choices=OrderedDict([(2, "b"), (1, "a")])).choices,
)
check("standalone.default_value", lambda: IntField(default=5).default)
check("standalone.default_callable", lambda: IntField(default=lambda: 7).default)
check("standalone.str_field_type", lambda: StrField().field_type)
check("standalone.int_field_type", lambda: IntField().field_type)
check("standalone.float_field_type", lambda: FloatField().field_type)
check("standalone.decimal_field_type", lambda: DecimalField().field_type)
check("standalone.bool_field_type", lambda: BoolField().field_type)
check("standalone.datetime_field_type", lambda: DateTimeField().field_type)
check("standalone.oid_field_type", lambda: ObjectIdField().field_type)
check("standalone.list_field_type", lambda: ListField(IntField()).field_type)
check("standalone.any_field_type", lambda: AnyField().field_type)
check("standalone.regex_compiled", lambda: StrField(regex=re.compile("^a")).regex)
check("standalone.regex_none", lambda: StrField().regex)
check("standalone.email_regex", lambda: EmailField().regex)
check("standalone.email_custom", lambda: EmailField(regex=r"^x@y$").regex)
check("standalone.min_length_none", lambda: StrField().min_length)
check("standalone.number_bounds", lambda: (IntField().gt, IntField().gte, IntField().lt))
check("standalone.list_bounds", lambda: (ListField(IntField()).min_length,))
check("standalone.list_not_field", lambda: ListField(int))
check("standalone.list_str", lambda: ListField("x"))
check("standalone.emb_not_class", lambda: EmbDocField(int))
check("standalone.emb_document", lambda: EmbDocField(Author))
check("standalone.ref_embedded", lambda: RefField(Tag))
check("standalone.emb_str_lazy", lambda: type(EmbDocField("no.such.Class")).__name__)
check("standalone.emb_str_bad", lambda: EmbDocField("no.such.Class").document_class)
check("standalone.emb_str_wrong_base", lambda: EmbDocField("__main__.Author").document_class)
check("standalone.ref_str_wrong_base", lambda: RefField("__main__.Tag").document_class)
check("standalone.emb_str_good", lambda: EmbDocField("__main__.Tag").document_class)
check("standalone.synonym_str", lambda: SynonymField("x").original_field_name)
check("standalone.positional", lambda: StrField(True))
