"""Filters, updates and sort keys built from fields, against a real server on both drivers.

Each filter is checked against the same query written as a dict with the stored values,
and must match a non-empty, proper subset of the documents, so that a conversion that
went wrong cannot pass by matching nothing (or everything) both ways.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128, ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import QueryValueError
from aiomongodel.expressions import Filter, SortKey, Update
from aiomongodel.fields import (
    DateTimeField,
    DecimalField,
    EmbDocField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
)


class Author(Document):
    name = StrField()

    class Meta:
        collection = "authors"


class Comment(EmbeddedDocument):
    author = RefField(Author)
    text = StrField()
    votes = IntField(default=0)


class Product(EmbeddedDocument):
    title = StrField()
    price = DecimalField()


class Line(EmbeddedDocument):
    product = EmbDocField(Product)
    quantity = IntField()


class Post(Document):
    title = StrField(min_length=3)
    views = IntField(gte=0)
    price = DecimalField(required=False)
    created = DateTimeField()
    token = ObjectIdField(required=False)
    owner = RefField(Author)
    tags = ListField(StrField())
    comments = ListField(EmbDocField(Comment))
    lines = ListField(EmbDocField(Line))
    pinned = EmbDocField(Comment, required=False)
    rank = IntField(mongo_name="r", required=False)

    class Meta:
        collection = "posts"


ANN = Author(name="ann", _id=ObjectId("5f0000000000000000000001"))
BOB = Author(name="bob", _id=ObjectId("5f0000000000000000000002"))
TOKEN = ObjectId("60000000000000000000000a")
DAY = dt.datetime(2024, 5, 1, 12, 0)


def posts() -> list[Post]:
    def line(title: str, price: str, quantity: int) -> Line:
        return Line(product=Product(title=title, price=Decimal(price)), quantity=quantity)

    return [
        Post(
            title="first",
            views=1,
            price=Decimal("2.50"),
            created=DAY,
            token=TOKEN,
            owner=ANN,
            tags=["a", "b"],
            comments=[Comment(author=BOB, text="hi", votes=5)],
            lines=[line("pen", "1.5", 2), line("ink", "4", 1)],
            pinned=Comment(author=ANN, text="pin", votes=0),
            rank=3,
        ),
        Post(
            title="second",
            views=10,
            price=Decimal("7"),
            created=DAY + dt.timedelta(days=1),
            owner=BOB,
            tags=["b", "c"],
            comments=[Comment(author=ANN, text="yo", votes=1), Comment(author=BOB, text="x")],
            lines=[line("pad", "3.25", 4)],
            rank=1,
        ),
        Post(
            title="third",
            views=100,
            created=DAY + dt.timedelta(days=2),
            owner=ANN,
            tags=[],
            comments=[],
            lines=[],
        ),
    ]


@pytest.fixture
async def stored(db: Any) -> list[Post]:
    documents = posts()
    await Post.q(db).insert_many(documents)
    return documents


async def ids(db: Any, query: Any) -> list[Any]:
    return [p._id for p in await Post.q(db).find(query, sort=[("_id", 1)]).to_list(None)]


# Each case: the filter built from fields, and the dict a user would write by hand.
FILTERS = {
    "decimal": (Post.price < Decimal("5"), {"price": {"$lt": Decimal128("5")}}),
    "decimal from int": (Post.price >= 5, {"price": {"$gte": Decimal128("5")}}),
    "objectid as hex string": (Post.token == str(TOKEN), {"token": TOKEN}),
    "datetime": (Post.created > DAY, {"created": {"$gt": DAY}}),
    "reference by document": (Post.owner == ANN, {"owner": ANN._id}),
    "reference by id string": (Post.owner != str(ANN._id), {"owner": {"$ne": ANN._id}}),
    "reference in embedded list": (
        Post.comments.author == BOB,
        {"comments.author": BOB._id},
    ),
    "embedded document": (
        Post.pinned == Comment(author=ANN, text="pin", votes=0),
        {"pinned": {"author": ANN._id, "text": "pin", "votes": 0}},
    ),
    "compound path through lists": (
        Post.lines.product.price > 3,
        {"lines.product.price": {"$gt": Decimal128("3")}},
    ),
    "list item": (Post.tags == "c", {"tags": "c"}),
    "whole list": (Post.tags == ["a", "b"], {"tags": ["a", "b"]}),
    "in": (Post.views.in_([1, "100"]), {"views": {"$in": [1, 100]}}),
    "not in": (Post.tags.not_in(["a"]), {"tags": {"$nin": ["a"]}}),
    "all": (Post.tags.all(["b", "c"]), {"tags": {"$all": ["b", "c"]}}),
    "size": (Post.tags.size(0), {"tags": {"$size": 0}}),
    "exists": (Post.pinned.exists(), {"pinned": {"$exists": True}}),
    "is none": (Post.price == None, {"price": None}),  # noqa: E711
    "matches": (Post.title.matches("^s"), {"title": {"$regex": "^s"}}),
    "matches compiled": (Post.title.matches(re.compile("IR", re.I)), {"title": re.compile("ir")}),
    "elem match": (
        Post.comments.elem_match(Comment.author == BOB, Comment.votes > 1),
        {"comments": {"$elemMatch": {"author": BOB._id, "votes": {"$gt": 1}}}},
    ),
    "positional": (Post.lines[0].quantity == 4, {"lines.0.quantity": 4}),
    "mongo name": (Post.rank <= 1, {"r": {"$lte": 1}}),
    "and": ((Post.views > 1) & (Post.owner == ANN), {"views": {"$gt": 1}, "owner": ANN._id}),
    "or": ((Post.views < 5) | (Post.tags == "c"), {"$or": [{"views": {"$lt": 5}}, {"tags": "c"}]}),
    "not": (~(Post.views > 5), {"views": {"$lte": 5}}),
    "nor": (~(Post.title == "first"), {"title": {"$ne": "first"}}),
    "mixed with a dict": ((Post.views > 1) & {"title": "third"}, {"title": "third"}),
    "dict on the left": ({"title": "third"} | (Post.views == 1), {"views": {"$ne": 10}}),
}


@pytest.mark.parametrize("name", FILTERS)
async def test_filter_matches_as_the_dict_does(db: Any, stored: list[Post], name: str) -> None:
    expression, by_hand = FILTERS[name]
    assert isinstance(expression, Filter)
    expected = await ids(db, by_hand)
    assert 0 < len(expected) < len(stored)
    assert await ids(db, expression) == expected
    assert await Post.q(db).count_documents(expression) == len(expected)
    # A plain mapping: the driver takes it directly.
    assert [d["_id"] for d in await Post.coll(db).find(expression).sort("_id").to_list(None)] == (
        expected
    )


async def test_filters_are_accepted_by_every_method(db: Any, stored: list[Post]) -> None:
    _, second, third = stored
    queryset = Post.q(db)
    assert (await queryset.find_one(Post.owner == BOB))._id == second._id
    cursor = queryset.aggregate([{"$match": Post.views >= 10}, {"$sort": {"views": 1}}])
    assert [d["_id"] for d in await cursor.to_list(None)] == [second._id, third._id]
    assert await queryset.update_one(Post.title == "first", Post.views.inc(1)) == 1
    assert await queryset.update_many(Post.views > 1, Post.tags.push("new")) == 3
    replacement = posts()[2]
    replacement._id = third._id
    replacement.title = "replaced"
    assert await queryset.replace_one(Post._id == third._id, replacement) == 1
    assert (await queryset.get(third._id)).title == "replaced"
    assert await queryset.delete_one(Post.owner == BOB) == 1
    assert await queryset.delete_many(Post.tags == "new") == 1  # the replacement has no "new"
    assert [p.title for p in await queryset.find().to_list(None)] == ["replaced"]


async def test_default_query_still_applies(db: Any) -> None:
    class Visible(Post):
        class Meta:
            collection = "posts"
            default_query = Post.views < 50

    await Post.q(db).insert_many(posts())
    assert {p.title for p in await Visible.q(db).find(Post.owner == ANN).to_list(None)} == {"first"}
    assert await Visible.q(db).count_documents(Post.tags == "b") == 2


def stored_form(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "_id"}


# Each case: the update built from fields, and the dict a user would write by hand.
UPDATES = {
    "set decimal": (Post.price.set(Decimal("9.5")), {"$set": {"price": Decimal128("9.5")}}),
    "set reference": (Post.owner.set(BOB), {"$set": {"owner": BOB._id}}),
    "set embedded": (
        Post.pinned.set(Comment(author=BOB, text="new")),
        {"$set": {"pinned": {"author": BOB._id, "text": "new", "votes": 0}}},
    ),
    "set positional": (Post.lines[0].quantity.set("7"), {"$set": {"lines.0.quantity": 7}}),
    "set list": (Post.tags.set(("x", "y")), {"$set": {"tags": ["x", "y"]}}),
    "unset": (Post.pinned.unset(), {"$unset": {"pinned": ""}}),
    "inc and mul": (
        Post.views.inc(2) & Post.rank.mul(3),
        {"$inc": {"views": 2}, "$mul": {"r": 3}},
    ),
    "min max": (
        Post.views.max(50) & Post.created.min(DAY),
        {"$max": {"views": 50}, "$min": {"created": DAY}},
    ),
    "push": (Post.tags.push("z"), {"$push": {"tags": "z"}}),
    "push embedded": (
        Post.comments.push(Comment(author=ANN, text="new")),
        {"$push": {"comments": {"author": ANN._id, "text": "new", "votes": 0}}},
    ),
    "push all": (
        Post.tags.push_all(["z", "a"], position=0),
        {"$push": {"tags": {"$each": ["z", "a"], "$position": 0}}},
    ),
    "add to set": (
        Post.tags.add_to_set_all(["a", "q"]),
        {"$addToSet": {"tags": {"$each": ["a", "q"]}}},
    ),
    "pull value": (Post.tags.pull("b"), {"$pull": {"tags": "b"}}),
    "pull by condition": (
        Post.comments.pull(Comment.author == BOB),
        {"$pull": {"comments": {"author": BOB._id}}},
    ),
    "pull all": (Post.tags.pull_all(["a", "c"]), {"$pullAll": {"tags": ["a", "c"]}}),
    "pop": (Post.comments.pop_last(), {"$pop": {"comments": 1}}),
    "rename": (Post.rank.rename("rank2"), {"$rename": {"r": "rank2"}}),
    "positional operator": (
        Post.comments["$"].votes.inc(10),
        {"$inc": {"comments.$.votes": 10}},
    ),
    "list of updates": (
        [Post.views.inc(1), Post.title.set("renamed")],
        {"$inc": {"views": 1}, "$set": {"title": "renamed"}},
    ),
}


@pytest.mark.parametrize("name", UPDATES)
async def test_update_stores_what_the_dict_stores(db: Any, name: str) -> None:
    update, by_hand = UPDATES[name]
    built, written = posts(), posts()
    for twin in written:
        twin._id = ObjectId()
    await Post.q(db).insert_many(built + written)
    condition = {"comments.author": BOB._id} if "positional" in name else {}
    by_field = await Post.q(db).update_many(
        {"$and": [{"_id": {"$in": [p._id for p in built]}}, condition]}, update
    )
    by_dict = await Post.q(db).update_many(
        {"$and": [{"_id": {"$in": [p._id for p in written]}}, condition]}, by_hand
    )
    assert by_field == by_dict
    assert by_field
    coll = Post.coll(db)
    for one, other in zip(built, written, strict=True):
        assert stored_form(await coll.find_one({"_id": one._id})) == stored_form(
            await coll.find_one({"_id": other._id})
        )


async def test_document_update_takes_built_updates(db: Any, stored: list[Post]) -> None:
    first = stored[0]
    await first.update(db, Post.views.inc(5) & Post.comments.push(Comment(author=ANN, text="z")))
    assert first.views == 6
    assert [c.text for c in first.comments] == ["hi", "z"]
    assert first.comments[1].author == ANN._id


async def test_sort_keys(db: Any, stored: list[Post]) -> None:
    queryset = Post.q(db)
    newest_first = [p.title for p in await queryset.find(sort=Post.created.desc()).to_list(None)]
    assert newest_first == ["third", "second", "first"]
    listed = await queryset.find(sort=[Post.rank.asc(), Post.views.desc()]).to_list(None)
    assert [p.title for p in listed] == ["third", "second", "first"]
    chained = await queryset.find().sort(Post.views.desc()).limit(2).to_list(None)
    assert [p.title for p in chained] == ["third", "second"]
    chained = await queryset.find().sort([Post.title.asc()]).to_list(None)
    assert [p.title for p in chained] == ["first", "second", "third"]
    top = await queryset.find_one({}, sort=Post.views.desc())
    assert top.title == "third"


async def test_default_sort_from_fields(db: Any, stored: list[Post]) -> None:
    class Newest(Post):
        class Meta:
            collection = "posts"

    Newest.meta.default_sort = [Newest.created.desc()]
    assert [p.title for p in await Newest.q(db).find().to_list(None)] == [
        "third",
        "second",
        "first",
    ]
    Newest.meta.default_sort = Newest.views.asc()
    assert [p.title for p in await Newest.q(db).find().to_list(None)] == [
        "first",
        "second",
        "third",
    ]


async def test_projection_from_fields(db: Any, stored: list[Post]) -> None:
    (by_list,) = await Post.q(db).find(Post.views == 1, [Post.title, Post.rank]).to_list(None)
    assert set(by_list.to_mongo()) == {"_id", "title", "r"}
    by_dict = await Post.q(db).find_one(Post.views == 1, projection={Post.tags: 0, Post._id: 0})
    assert "tags" not in by_dict.to_mongo()
    assert by_dict._id is None
    assert by_dict.title == "first"


@pytest.mark.parametrize(
    ("build", "path"),
    [
        (lambda: Post.views > "many", "views"),
        (lambda: Post.views == 2**64, "views"),
        (lambda: Post.price < "cheap", "price"),
        (lambda: Post.token == "not-hex", "token"),
        (lambda: Post.owner == "not-an-id", "owner"),
        (lambda: Post.owner == Author(name="unsaved", _id=None), "owner"),
        (lambda: Post.created > "yesterday", "created"),
        (lambda: Post.pinned == 3, "pinned"),
        (lambda: Post.comments.votes > "x", "comments.votes"),
        (lambda: Post.lines.product.price.in_([1, "x"]), "lines.product.price"),
        (lambda: Post.comments.set([Comment(text="ok"), 1]), "comments"),
        (lambda: Post.comments.push(3), "comments"),
        (lambda: Post.views.inc("one"), "views"),
    ],
)
def test_a_value_the_field_cannot_store_is_refused_when_built(build: Any, path: str) -> None:
    with pytest.raises(QueryValueError) as raised:
        build()
    assert raised.value.path == path
    assert str(raised.value).startswith(f"{path}: cannot use ")


def test_the_message_names_the_attribute_of_a_renamed_field() -> None:
    with pytest.raises(QueryValueError) as raised:
        _ = Post.rank > "high"
    assert raised.value.path == "r"
    assert str(raised.value) == (
        "r (field 'rank'): cannot use 'high' as this field's value (invalid value type)"
    )


def test_value_rules_do_not_apply_to_queries() -> None:
    # Lengths, bounds and choices say which values are valid, not which can be stored:
    # looking for a shorter title or a negative count is a sensible query.
    assert (Post.title == "ab") == {"title": "ab"}
    assert (Post.views > -1) == {"views": {"$gt": -1}}


def test_updates_that_change_a_path_twice_are_refused() -> None:
    with pytest.raises(ValueError, match="'views'"):
        Post.views.inc(1) & Post.views.set(3)
    with pytest.raises(ValueError, match=r"'lines\.0\.quantity'"):
        Post.lines.set([]) & Post.lines[0].quantity.set(1)
    assert isinstance(Post.views.inc(1) & {"$set": {"title": "t"}}, Update)


def test_fields_stay_usable_as_keys_and_in_collections() -> None:
    assert Post.title in [Post.views, Post.title]
    assert Post.title not in [Post.views, Post.tags]
    assert {Post.title: 1, Post.views: 2}[Post.views] == 2
    assert len({Post.title, Post.title, Post.views}) == 2
    assert (Post.title == Post.title) is True
    assert (Post.title != Post.views) is True
    assert [Post.views, Post.title].index(Post.title) == 1
    assert Post.created.desc() == ("created", -1)
    assert isinstance(Post.created.desc(), SortKey)
