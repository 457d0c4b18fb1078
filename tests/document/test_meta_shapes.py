"""``Meta.default_sort`` and ``Meta.indexes`` are checked when the class is created.

A shape the drivers would refuse at query time (or the server would) raises
``ValueError`` naming the class, the option and the bad value; so does a key that is the
attribute name of a field stored under another name. Every shape PyMongo's
``find(sort=...)`` and ``create_indexes`` take still passes, unchanged.
"""

from __future__ import annotations

import collections
from typing import Any

import pytest
from bson import SON
from bson.int64 import Int64
from pymongo import ASCENDING, DESCENDING, GEOSPHERE, TEXT, AsyncMongoClient, IndexModel

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.expressions import SortKey
from aiomongodel.fields import DateTimeField, IntField, StrField

Pair = collections.namedtuple("Pair", ["key", "direction"])


def define(meta: dict[str, Any], name: str = "Post", base: type[Any] = Document) -> type[Any]:
    """A document class with a renamed field (``user_name`` stored as ``'un'``)."""
    namespace = {
        "title": StrField(),
        "created": DateTimeField(required=False),
        "user_name": StrField(mongo_name="un"),
        "Meta": type("Meta", (), meta),
    }
    return type(name, (base,), namespace)


def driver_ordering(sort: Any) -> Any:
    """What PyMongo's ``find(sort=...)`` makes of ``sort``, wrapped as the queryset wraps a
    ``SortKey`` alone (no server needed: the cursor is only built)."""
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        "mongodb://127.0.0.1:1", connect=False
    )
    sort = [sort] if isinstance(sort, SortKey) else sort
    return client["db"]["posts"].find({}, sort=sort)._ordering


VALID_SORTS = [
    [("created", DESCENDING)],
    [("created", -1), ("title", 1)],
    (("created", DESCENDING),),
    ["created", "title"],
    ("created",),
    ("created", "title"),  # two keys, as PyMongo reads it
    ["created", ("title", -1)],
    [["created", -1]],
    [("created", Int64(-1))],
    [Pair("created", -1)],
    [SortKey("created", -1)],
    SortKey("created", -1),
    {"created": -1, "title": ASCENDING},
    SON([("created", -1)]),
    [("title", {"$meta": "textScore"})],
    [("title", TEXT), ("created", GEOSPHERE)],
    [("$natural", 1)],
    [("un", 1), ("un.first", -1)],
    [],
    {},
    (),
]


@pytest.mark.parametrize("sort", VALID_SORTS, ids=repr)
def test_valid_default_sorts_are_kept_as_given(sort: Any) -> None:
    assert define({"default_sort": sort}).meta.default_sort is sort


@pytest.mark.parametrize("sort", VALID_SORTS, ids=repr)
def test_every_accepted_default_sort_is_one_pymongo_takes(sort: Any) -> None:
    ordering = driver_ordering(sort)
    assert ordering is None if not sort else isinstance(ordering, dict)


def test_a_field_sort_key_alone_is_one_key() -> None:
    Post = define({})
    Sorted = define({"default_sort": Post.created.desc()}, name="Sorted")
    assert Sorted.meta.default_sort == ("created", -1)
    assert driver_ordering(Sorted.meta.default_sort) == {"created": -1}


BAD_SORTS = [
    # (default_sort, the end of the message)
    ("created", " (one key: write ['created'] or [('created', -1)])"),
    (("created", -1), " (one pair: write [('created', -1)])"),
    (["created", DESCENDING], " (one pair: write [('created', -1)])"),
    (Pair("created", -1), " (one pair: write [('created', -1)])"),
    (("title", {"$meta": "textScore"}), " (one pair: write [('title', {'$meta': 'textScore'})])"),
    ([("created", "desc")], ": the direction of 'created' is 'desc'; a direction is 1 (ASCENDING)"),
    ([("created", 2)], ": the direction of 'created' is 2; a direction is 1"),
    ([("created", 0)], ": the direction of 'created' is 0; a direction is 1"),
    ([("created", True)], ": the direction of 'created' is True; a direction is 1"),
    ([("created", -1.0)], ": the direction of 'created' is -1.0; a direction is 1"),
    ([SortKey("created", 2)], ": the direction of 'created' is 2; a direction is 1"),
    (SortKey("created", 2), ": the direction of 'created' is 2; a direction is 1"),
    ({"created": "descending"}, ": the direction of 'created' is 'descending'; a direction is"),
    ({1: -1}, ": the key 1 is not a string"),
    ([(1, -1)], ": the key of item 0 is 1, not a string"),
    (["title", ("created",)], ": item 1 (('created',)) is not a key or a (key, direction) pair"),
    ([{"created": -1}], ": item 0 ({'created': -1}) is not a key or a (key, direction) pair"),
    ([("created", -1, "x")], ": item 0 (('created', -1, 'x')) is not a key or a (key, direction)"),
    (5, ""),
    ({"created"}, ""),
    ({"created": -1}.items(), ""),
]


@pytest.mark.parametrize(("sort", "problem"), BAD_SORTS, ids=repr)
def test_bad_default_sorts_are_refused_naming_class_option_and_value(
    sort: Any, problem: str
) -> None:
    with pytest.raises(ValueError) as info:
        define({"default_sort": sort})
    text = str(info.value)
    expected = f"Post.Meta.default_sort must be a list of (key, direction) pairs, got {sort!r}"
    assert text.startswith(expected + problem)
    if not problem:
        assert text == expected


@pytest.mark.parametrize(
    "sort",
    ["created", ("created", -1), [("created", 2.5)], [(1, -1)], 5, {"created"}],
    ids=repr,
)
def test_what_pymongo_itself_refuses_is_refused(sort: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        driver_ordering(sort)
    with pytest.raises(ValueError, match=r"^Post\.Meta\.default_sort must be"):
        define({"default_sort": sort})


def test_the_class_name_is_the_one_being_defined() -> None:
    with pytest.raises(ValueError, match=r"^Article\.Meta\.default_sort must be .* got 'x'"):
        define({"default_sort": "x"}, name="Article")


def test_embedded_documents_are_checked_too() -> None:
    with pytest.raises(ValueError, match=r"^Line\.Meta\.default_sort must be"):
        define({"default_sort": ("title", 1)}, name="Line", base=EmbeddedDocument)


# --- indexes ---------------------------------------------------------------------------------


def test_valid_indexes_are_kept_as_given() -> None:
    indexes = [
        IndexModel([("created", DESCENDING)]),
        IndexModel("title", unique=True),
        IndexModel([("un", ASCENDING), ("title", TEXT)]),
        IndexModel([("$**", 1)]),
    ]
    assert define({"indexes": indexes}).meta.indexes is indexes
    assert define({"indexes": []}, name="Empty").meta.indexes == []


def test_one_index_model_alone_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        define({"indexes": IndexModel("title")})
    assert str(info.value) == (
        "Post.Meta.indexes must be a list of pymongo.IndexModel, "
        "got one IndexModel (write [IndexModel(...)])"
    )


def test_a_tuple_of_indexes_is_refused_as_create_indexes_refuses_it() -> None:
    with pytest.raises(ValueError) as info:
        define({"indexes": (IndexModel("title"),)})
    assert str(info.value) == (
        "Post.Meta.indexes must be a list of pymongo.IndexModel, "
        "got a tuple (create_indexes takes a list: write [...])"
    )


@pytest.mark.parametrize("indexes", ["title", {"title": 1}, 3], ids=repr)
def test_indexes_of_another_type_are_refused_naming_the_value(indexes: Any) -> None:
    with pytest.raises(ValueError) as info:
        define({"indexes": indexes})
    assert str(info.value) == (
        f"Post.Meta.indexes must be a list of pymongo.IndexModel, got {indexes!r}"
    )


@pytest.mark.parametrize(
    ("item", "shown"),
    [
        ([("title", 1)], "list [('title', 1)]"),
        ({"key": {"title": 1}}, "dict {'key': {'title': 1}}"),
        ("title", "str 'title'"),
    ],
)
def test_an_item_that_is_no_index_model_is_named_with_its_position(item: Any, shown: str) -> None:
    with pytest.raises(ValueError) as info:
        define({"indexes": [IndexModel("title"), item]})
    assert str(info.value) == (
        f"Post.Meta.indexes must be a list of pymongo.IndexModel, got {shown} at index 1 "
        "(write IndexModel([(key, direction), ...], ...))"
    )


# --- attribute names instead of mongo names --------------------------------------------------

RENAMED = "'user_name' is the attribute name of a field stored as 'un'"


@pytest.mark.parametrize(
    "sort",
    [
        [("user_name", 1)],
        ["title", "user_name"],
        {"user_name": -1},
        SortKey("user_name", -1),
        [SortKey("title", 1), SortKey("user_name", -1)],
    ],
    ids=repr,
)
def test_a_sort_by_the_attribute_name_of_a_renamed_field_is_refused(sort: Any) -> None:
    with pytest.raises(ValueError) as info:
        define({"default_sort": sort})
    assert str(info.value) == (
        f"Post.Meta.default_sort: {RENAMED}; sort by 'un' (or Post.user_name.s)"
    )


def test_what_the_message_suggests_is_accepted() -> None:
    Post = define({"default_sort": [("un", 1)]})
    assert Post.user_name.s == "un"
    assert define({"default_sort": [Post.user_name.desc()]}, name="Other").meta.default_sort == [
        ("un", -1)
    ]


def test_a_dotted_path_starting_with_the_attribute_name_is_refused() -> None:
    with pytest.raises(ValueError) as info:
        define({"default_sort": [("user_name.first", 1)]})
    assert str(info.value) == (
        "Post.Meta.default_sort: 'user_name.first' starts with 'user_name', the attribute "
        "name of a field stored as 'un'; sort by 'un.first'"
    )


def test_an_index_on_the_attribute_name_of_a_renamed_field_is_refused() -> None:
    indexes = [IndexModel("title"), IndexModel([("title", 1), ("user_name", -1)])]
    with pytest.raises(ValueError) as info:
        define({"indexes": indexes})
    assert str(info.value) == (f"Post.Meta.indexes[1]: {RENAMED}; index 'un' (or Post.user_name.s)")


def test_an_attribute_name_that_is_also_another_fields_mongo_name_is_accepted() -> None:
    class Swapped(Document):
        a = IntField(mongo_name="b")
        b = IntField(mongo_name="c")

        class Meta:
            default_sort = [("b", 1)]
            indexes = [IndexModel([("b", 1), ("c", -1)])]

    assert Swapped.meta.default_sort == [("b", 1)]


def test_keys_that_are_no_field_are_left_alone() -> None:
    """Paths inside embedded documents, or of fields not declared, are not checked."""
    Post = define({"default_sort": [("extra", 1), ("un.x", 1)], "indexes": [IndexModel("missing")]})
    assert Post.meta.default_sort == [("extra", 1), ("un.x", 1)]


def test_default_query_keys_are_not_checked() -> None:
    Post = define({"default_query": {"user_name": "ann"}})
    assert Post.meta.default_query == {"user_name": "ann"}
