"""``from_mongo(to_mongo(doc))`` has ``doc``'s class and fields, for every field type.

Each round trip is checked twice: directly, and through BSON encoding and decoding as
the driver does it (no database involved), which is what ``save`` then ``find`` does to
a document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import bson
import pytest
from bson import Decimal128, ObjectId
from hypothesis import given
from hypothesis import strategies as st

from aiomongodel.document import BaseDocument, Document, EmbeddedDocument
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
)
from tests.documents import assert_same_document

B = TypeVar("B", bound=BaseDocument)


def through_bson(document: BaseDocument) -> dict[str, Any]:
    """What the driver would give back after storing ``document``."""
    return bson.decode(bson.encode(document.to_mongo()))


def assert_round_trips(document: B) -> B:
    cls = type(document)
    direct = cls.from_mongo(document.to_mongo())
    assert_same_document(direct, document)
    stored = cls.from_mongo(through_bson(document))
    assert_same_document(stored, document)
    assert stored.to_mongo() == document.to_mongo()
    return stored


class Account(Document):
    _id = StrField()
    karma = IntField(default=0)


class Leaf(EmbeddedDocument):
    amount = DecimalField(mongo_name="amt")
    when = DateTimeField(required=False)
    labels = ListField(StrField(), required=False)


class Branch(EmbeddedDocument):
    leaf = EmbDocField(Leaf)
    leaves = ListField(EmbDocField(Leaf), mongo_name="ls")
    owner = RefField(Account, required=False)


class Tree(Document):
    name = StrField()
    root = EmbDocField(Branch, mongo_name="r")
    branches = ListField(EmbDocField(Branch))
    matrix = ListField(ListField(DecimalField()), required=False)


def holder(field: Field[Any], base: type[BaseDocument] = Document) -> type[BaseDocument]:
    return type("Holder", (base,), {"value": field})


FIELD_CASES: list[tuple[str, Callable[..., Field[Any]], Any]] = [
    ("str", StrField, "héllo wörld ✓"),
    ("email", EmailField, "someone.else+tag@example-mail.co.uk"),
    ("int", IntField, 2**62),
    ("negative int", IntField, -(2**31) - 1),
    ("float", FloatField, 3.141592653589793),
    ("float inf", FloatField, float("-inf")),
    ("decimal", DecimalField, Decimal("12345678901234567890.123456789")),
    ("decimal trailing zeros", DecimalField, Decimal("1.500")),
    ("decimal infinity", DecimalField, Decimal("Infinity")),
    ("bool", BoolField, False),
    ("datetime", DateTimeField, datetime(2017, 5, 19, 12, 30, 45, 123000)),
    ("objectid", ObjectIdField, ObjectId("5f0c4ad6a7c3f1b2d3e4f5a6")),
    ("any dict", AnyField, {"nested": [1, "two", {"three": 3.0}], "none": None}),
    ("any list", AnyField, [1, [2, [3]]]),
    ("list of ints", lambda **kw: ListField(IntField(), **kw), [3, 1, 2]),
    ("list of decimals", lambda **kw: ListField(DecimalField(), **kw), [Decimal("0.1")]),
    ("empty list", lambda **kw: ListField(StrField(), **kw), []),
    ("reference by str id", lambda **kw: RefField(Account, **kw), "ann"),
]


class TestEachFieldType:
    @pytest.mark.parametrize(
        ("make_field", "value"),
        [case[1:] for case in FIELD_CASES],
        ids=[case[0] for case in FIELD_CASES],
    )
    @pytest.mark.parametrize("mongo_name", [None, "stored_as"])
    def test_round_trip(
        self, make_field: Callable[..., Field[Any]], value: Any, mongo_name: str | None
    ) -> None:
        cls = holder(make_field(mongo_name=mongo_name))
        document = cls(value=value)
        assert document.validate() is document
        key = mongo_name or "value"
        assert key in document.to_mongo()
        stored = assert_round_trips(document)
        assert isinstance(stored.value, type(value))  # type: ignore[attr-defined]

    def test_decimal_is_stored_as_decimal128(self) -> None:
        document = holder(DecimalField())(value="2.50")
        assert through_bson(document)["value"] == Decimal128("2.50")
        assert assert_round_trips(document).value == Decimal("2.50")  # type: ignore[attr-defined]

    def test_datetime_keeps_milliseconds(self) -> None:
        when = datetime(2020, 2, 29, 23, 59, 59, 999000)
        document = holder(DateTimeField())(value=when)
        assert assert_round_trips(document).value == when  # type: ignore[attr-defined]

    def test_datetime_loses_what_mongodb_does_not_keep(self) -> None:
        document = holder(DateTimeField())(value=datetime(2020, 1, 1, 0, 0, 0, 123456))
        stored = type(document).from_mongo(through_bson(document))
        assert stored.value == datetime(2020, 1, 1, 0, 0, 0, 123000)  # type: ignore[attr-defined]

    def test_reference_by_object_id(self) -> None:
        class Target(Document):
            pass

        target = Target()
        document = holder(RefField(Target))(value=target._id)
        stored = assert_round_trips(document)
        assert stored.value == target._id  # type: ignore[attr-defined]

    def test_reference_given_as_a_document_is_stored_as_its_id(self) -> None:
        account = Account(_id="ann")
        document = holder(RefField(Account))(value=account)
        assert document.to_mongo()["value"] == "ann"
        stored = type(document).from_mongo(through_bson(document))
        assert stored.value == "ann"  # type: ignore[attr-defined]

    def test_synonym_field_round_trips(self) -> None:
        account = Account(_id="bob", karma=5)
        assert assert_round_trips(account).to_data() == {"_id": "bob", "karma": 5}

    def test_embedded_document_field(self) -> None:
        document = holder(EmbDocField(Leaf))(value={"amount": "1.25", "labels": ["a"]})
        stored = assert_round_trips(document)
        assert isinstance(stored.value, Leaf)  # type: ignore[attr-defined]
        assert stored.value.amount == Decimal("1.25")  # type: ignore[attr-defined]

    def test_none_values(self) -> None:
        document = holder(DecimalField(allow_none=True))(value=None)
        assert document.validate() is document
        assert assert_round_trips(document).to_data()["value"] is None


class TestNestedThreeLevels:
    def make_tree(self) -> Tree:
        return Tree(
            name="oak",
            root={
                "leaf": {"amount": "1.1", "when": datetime(2001, 1, 1, 1, 1, 1, 1000)},
                "leaves": [{"amount": 2}, {"amount": "3.3", "labels": ["x", "y"]}],
                "owner": "ann",
            },
            branches=[
                {"leaf": {"amount": "4"}, "leaves": []},
                {"leaf": {"amount": "5.5"}, "leaves": [{"amount": "6.6", "labels": []}]},
            ],
            matrix=[[Decimal("1"), Decimal("2.5")], []],
        )

    def test_tree_is_valid(self) -> None:
        tree = self.make_tree()
        assert tree.validate() is tree

    def test_stored_form_uses_mongo_names_at_every_level(self) -> None:
        mongo = self.make_tree().to_mongo()
        assert mongo["r"]["leaf"]["amt"] == Decimal128("1.1")
        assert mongo["r"]["ls"][1] == {"amt": Decimal128("3.3"), "labels": ["x", "y"]}
        assert mongo["branches"][1]["ls"][0]["amt"] == Decimal128("6.6")
        assert mongo["matrix"] == [[Decimal128("1"), Decimal128("2.5")], []]
        assert "root" not in mongo

    def test_tree_round_trips(self) -> None:
        tree = self.make_tree()
        stored = assert_round_trips(tree)
        assert isinstance(stored.root, Branch)
        assert isinstance(stored.root.leaves[1], Leaf)
        assert stored.branches[1].leaves[0].amount == Decimal("6.6")
        assert stored.matrix == [[Decimal("1"), Decimal("2.5")], []]
        assert stored.validate() is stored

    def test_stored_form_survives_bson_unchanged(self) -> None:
        tree = self.make_tree()
        assert through_bson(tree) == tree.to_mongo()


# Hypothesis: any valid document survives storage unchanged.

ms_datetimes = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20)
int64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
decimals = st.decimals(
    min_value=-(10**15), max_value=10**15, places=6, allow_nan=False, allow_infinity=False
)
object_ids = st.binary(min_size=12, max_size=12).map(ObjectId)
json_like = st.recursive(
    st.none() | st.booleans() | int64 | st.floats(allow_nan=False) | texts,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text("abcxyz", min_size=1, max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


class Sample(EmbeddedDocument):
    text = StrField(mongo_name="t")
    email = EmailField()
    number = IntField()
    ratio = FloatField()
    price = DecimalField(mongo_name="p")
    flag = BoolField()
    at = DateTimeField()
    oid = ObjectIdField()
    anything = AnyField(allow_none=True)
    ints = ListField(IntField())


class Middle(EmbeddedDocument):
    sample = EmbDocField(Sample)
    samples = ListField(EmbDocField(Sample))


class Big(Document):
    middle = EmbDocField(Middle, mongo_name="m")
    middles = ListField(EmbDocField(Middle))
    owner = RefField(Account)
    optional = StrField(required=False, allow_none=True)


samples = st.builds(
    Sample,
    text=texts,
    email=st.from_regex(EmailField.EMAIL_REGEX, fullmatch=True),
    number=int64,
    ratio=st.floats(allow_nan=False),
    price=decimals,
    flag=st.booleans(),
    at=ms_datetimes,
    oid=object_ids,
    anything=json_like,
    ints=st.lists(int64, max_size=4),
)
middles = st.builds(Middle, sample=samples, samples=st.lists(samples, max_size=2))
bigs = st.builds(
    Big,
    _id=object_ids,
    middle=middles,
    middles=st.lists(middles, max_size=2),
    owner=st.text("abcdef", min_size=1, max_size=8),
    optional=st.none() | texts,
)


@given(bigs)
def test_any_valid_document_round_trips(document: Big) -> None:
    assert document.validate() is document
    stored = assert_round_trips(document)
    assert stored.validate() is stored


@given(samples)
def test_any_valid_embedded_document_round_trips(document: Sample) -> None:
    assert document.validate() is document
    assert assert_round_trips(document).to_mongo().keys() == document.to_mongo().keys()
