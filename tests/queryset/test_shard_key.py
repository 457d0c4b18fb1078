"""``Meta.shard_key``: every filter the ODM builds for one document carries the shard key.

A sharded cluster routes a single-document write by its shard key and refuses an upsert
(``save``) whose filter lacks it. No ``mongos`` runs here, so the filters are read from
a command listener on a replica set: the commands are the ones a ``mongos`` receives.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import EmbDocField, IntField, StrField
from tests.commands import CommandRecorder, recorded_database


class Region(EmbeddedDocument):
    code = StrField()


class Order(Document):
    customer = StrField(mongo_name="cust")
    region = EmbDocField(Region)
    total = IntField()

    class Meta:
        collection = "orders"
        shard_key = ("customer", "region.code")
        track_changes = True


class Event(Document):
    """Without a shard key."""

    tenant = IntField()
    name = StrField()

    class Meta:
        collection = "events"


class Tenanted(Document):
    """With locking."""

    tenant = IntField()
    name = StrField()

    class Meta:
        collection = "tenanted"
        shard_key = "tenant"
        version_field = "version"


@pytest.fixture
async def recorded(driver: str, mongodb_uri: str) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    async with recorded_database(driver, mongodb_uri) as recorded:
        yield recorded


def filters(recorder: CommandRecorder) -> list[tuple[str, dict[str, Any]]]:
    """``(command, filter)`` of every write and read sent, in order."""
    sent: list[tuple[str, dict[str, Any]]] = []
    for command in recorder.commands:
        name = next(iter(command))
        if name == "update":
            sent.extend((name, dict(statement["q"])) for statement in command["updates"])
        elif name == "delete":
            sent.extend((name, dict(statement["q"])) for statement in command["deletes"])
        elif name == "find":
            sent.append((name, dict(command["filter"])))
    return sent


class TestFilters:
    async def test_every_single_document_write_carries_the_shard_key(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        order = Order(customer="ann", region=Region(code="eu"), total=1)
        await order.save(db, do_insert=True)
        key = {"_id": order._id, "cust": "ann", "region.code": "eu"}
        recorder.clear()
        await order.save(db)
        order.total = 2
        await order.save_changes(db)
        await order.reload(db)
        await order.update(db, {"$inc": {"total": 1}})  # then reloads
        await order.delete(db)
        assert filters(recorder) == [
            ("update", key),  # save: replace with upsert
            ("update", key),  # save_changes
            ("find", key),  # reload
            ("update", key),  # update
            ("find", key),  # its reload
            ("delete", key),
        ]
        [replace] = recorder.named("update")[0]["updates"]
        assert replace["upsert"] is True

    async def test_a_changed_shard_key_is_matched_by_its_stored_value(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        order = Order(customer="ann", region=Region(code="eu"), total=1)
        await order.save(db)
        order.customer = "bob"
        recorder.clear()
        await order.save_changes(db)
        assert filters(recorder) == [
            ("update", {"_id": order._id, "cust": "ann", "region.code": "eu"})
        ]
        assert order.write_filter == {"_id": order._id, "cust": "bob", "region.code": "eu"}
        assert (await db.orders.find_one({}))["cust"] == "bob"

    async def test_the_version_follows_the_shard_key(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        item = Tenanted(tenant=7, name="x")
        await item.save(db)
        recorder.clear()
        item.name = "y"
        await item.save(db)
        await item.delete(db)
        assert filters(recorder) == [
            ("update", {"_id": item._id, "tenant": 7, "version": 1}),
            ("delete", {"_id": item._id, "tenant": 7, "version": 2}),
        ]

    async def test_a_missing_shard_key_value_is_null(
        self, recorded: tuple[Any, CommandRecorder]
    ) -> None:
        db, recorder = recorded
        order = Order(customer="ann", total=1)  # no region
        await order.save(db)
        assert order.write_filter == {"_id": order._id, "cust": "ann", "region.code": None}
        recorder.clear()
        await order.delete(db)
        assert filters(recorder) == [("delete", order.write_filter)]

    def test_without_a_shard_key_the_filter_is_the_id(self) -> None:
        event = Event(tenant=1, name="e")
        assert event.write_filter == event.query_id == {"_id": event._id}


class TestClassDefinition:
    def test_an_unknown_name_is_refused(self) -> None:
        with pytest.raises(ValueError, match="'owner' does not start with a field name of Bad"):

            class Bad(Document):
                name = StrField()

                class Meta:
                    shard_key = "owner"

    def test_a_key_must_be_a_name_or_a_field(self) -> None:
        with pytest.raises(ValueError, match=r"must be a field name or a tuple .*, got 3"):

            class Bad(Document):
                class Meta:
                    shard_key = 3

    def test_stored_paths(self) -> None:
        assert Order.meta.shard_key_paths == ("cust", "region.code")
        assert Tenanted.meta.shard_key_paths == ("tenant",)
