"""``aiomongodel-document`` without ``aiomongodel-queryset`` and without Motor.

Runs only in the environment where just ``aiomongodel-fields`` and ``aiomongodel-document``
are installed (``hatch run document:test``): documents are built, validated and converted
in memory, and querying says which distribution to install.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pymongo
import pytest
from bson import Decimal128, ObjectId
from pymongo.asynchronous.collection import AsyncCollection

import aiomongodel
from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import DecimalField, EmbDocField, IntField, ListField, StrField
from tests.documents import assert_same_document

INSTALL_HINT = "install aiomongodel-queryset"


class Line(EmbeddedDocument):
    sku = StrField(mongo_name="s")
    quantity = IntField(default=1)


class Order(Document):
    customer = StrField()
    total = DecimalField()
    lines = ListField(EmbDocField(Line), default=list)

    class Meta:
        collection = "orders"


@pytest.fixture
async def db() -> AsyncIterator[Any]:
    client: Any = pymongo.AsyncMongoClient("mongodb://127.0.0.1:1", connect=False)
    try:
        yield client["aiomongodel_alone"]
    finally:
        await client.close()


class TestEnvironment:
    @pytest.mark.parametrize("module", ["motor", "aiomongodel.queryset"])
    def test_is_not_installed(self, module: str) -> None:
        assert importlib.util.find_spec(module) is None

    def test_importing_documents_imports_no_queryset_and_no_motor(self) -> None:
        assert "aiomongodel.queryset" not in sys.modules
        assert not any(name == "motor" or name.startswith("motor.") for name in sys.modules)

    def test_aiomongodel_is_a_namespace_without_the_meta_package(self) -> None:
        assert aiomongodel.__file__ is None
        assert not hasattr(aiomongodel, "Document")


class TestQueryingNeedsTheQuerysetPackage:
    async def test_q_raises_import_error_naming_the_distribution(self, db: Any) -> None:
        with pytest.raises(ImportError, match=INSTALL_HINT):
            Order.q(db)

    async def test_persistence_methods_raise_the_same_error(self, db: Any) -> None:
        order = Order(customer="ann", total="1")
        with pytest.raises(ImportError, match=INSTALL_HINT):
            await order.save(db)
        with pytest.raises(ImportError, match=INSTALL_HINT):
            await order.delete(db)

    def test_the_default_queryset_class_is_resolved_when_first_needed(self) -> None:
        with pytest.raises(ImportError, match=INSTALL_HINT):
            Order.meta.queryset  # noqa: B018

    async def test_the_collection_needs_no_queryset(self, db: Any) -> None:
        collection = Order.coll(db)
        assert isinstance(collection, AsyncCollection)
        assert collection.name == "orders"


class TestInMemory:
    def test_build_and_validate(self) -> None:
        order = Order(customer="ann", total="12.50", lines=[{"sku": "A1", "quantity": "2"}])
        assert order.validate() is order
        assert isinstance(order._id, ObjectId)
        assert_same_document(order.lines, [Line(sku="A1", quantity=2)])

    def test_validation_errors(self) -> None:
        with pytest.raises(ValidationError) as info:
            Order(lines=[{"quantity": "x"}]).validate()
        assert info.value.as_dict() == {
            "customer": "field is required",
            "total": "field is required",
            "lines": {0: {"sku": "field is required", "quantity": "invalid value type"}},
        }

    def test_to_mongo_and_from_mongo(self) -> None:
        order = Order(customer="ann", total="12.50", lines=[{"sku": "A1"}])
        mongo = order.to_mongo()
        assert mongo == {
            "_id": order._id,
            "customer": "ann",
            "total": Decimal128("12.50"),
            "lines": [{"s": "A1", "quantity": 1}],
        }
        loaded = Order.from_mongo(mongo)
        assert_same_document(loaded, order)
        assert loaded.total == Decimal("12.50")
