"""The order of a document's fields, as aiomongodel 0.2 had it.

The automatic ``_id`` comes after the declared fields. ``to_mongo()`` (and so the stored
document) always lists the fields in declaration order, whatever order they were set in;
``to_data()`` is in declaration order for new and loaded documents (MongoDB stores
``_id`` first: it is put back in its place), then lists values set later after them.
"""

from __future__ import annotations

from bson import ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import EmbDocField, IntField, StrField


class Point(EmbeddedDocument):
    x = IntField(required=False)
    y = IntField(required=False)
    z = IntField(required=False)


class Shape(Document):
    name = StrField()
    corner = EmbDocField(Point, required=False)
    sides = IntField(required=False)


class Tagged(Shape):
    label = StrField(required=False)


OID = ObjectId("5f" * 12)


def test_the_automatic_id_comes_after_the_declared_fields() -> None:
    assert list(Shape.meta.fields) == ["name", "corner", "sides", "_id"]
    assert list(Tagged.meta.fields) == ["name", "corner", "sides", "_id", "label"]
    assert list(Shape(name="a", sides=3, _id=OID).to_data()) == ["name", "sides", "_id"]


def test_assigned_values_are_stored_in_declared_order() -> None:
    point = Point(z=3)
    point.x = 1
    point.y = 2
    assert list(point.to_data()) == ["z", "x", "y"]
    assert list(point.to_mongo()) == ["x", "y", "z"]
    point.x = 5  # a value already set keeps its place
    assert list(point.to_mongo().items()) == [("x", 5), ("y", 2), ("z", 3)]
    shape = Shape(name="a", _id=OID)
    shape.corner = point
    assert list(shape.to_mongo()) == ["name", "corner", "_id"]
    assert list(shape.to_mongo()["corner"]) == ["x", "y", "z"]


def test_populated_values_are_stored_in_declared_order() -> None:
    point = Point(y=2).populate_with_data({"z": 3, "x": 1})
    assert list(point.to_data()) == ["y", "z", "x"]
    assert list(point.to_mongo()) == ["x", "y", "z"]


def test_constructor_and_from_data_use_declared_order() -> None:
    assert list(Point(z=3, x=1).to_data()) == ["x", "z"]
    assert list(Point.from_data({"z": 3, "y": 2, "x": 1}).to_data()) == ["x", "y", "z"]


def test_loaded_documents_are_in_declared_order() -> None:
    stored = {"_id": OID, "name": "a", "corner": {"x": 1, "y": 2}, "sides": 4}
    for loaded in (Shape.from_mongo(stored), Shape.meta.compiled.adopt(dict(stored))):
        assert list(loaded.to_data()) == ["name", "corner", "sides", "_id"]
        assert list(loaded.corner.to_data()) == ["x", "y"]
    tagged = Tagged.from_mongo({**stored, "label": "t"})
    assert list(tagged.to_data()) == ["name", "corner", "sides", "_id", "label"]
    # Stored in another order (or missing fields): still the declared order.
    odd = Point.from_mongo({"z": 3, "x": 1})
    assert list(odd.to_data()) == ["x", "z"]


def test_from_mongo_leaves_its_input_unchanged() -> None:
    stored = {"_id": OID, "name": "a", "sides": 4}
    Shape.from_mongo(stored)
    assert list(stored) == ["_id", "name", "sides"]


def test_a_round_trip_through_to_mongo_keeps_declared_order() -> None:
    shape = Shape(name="a", corner=Point(x=1, y=2), sides=4, _id=OID)
    for loaded in (Shape.from_mongo(shape.to_mongo()), Shape.meta.compiled.adopt(shape.to_mongo())):
        assert list(loaded.to_data()) == ["name", "corner", "sides", "_id"]
        assert loaded.to_mongo() == shape.to_mongo()
