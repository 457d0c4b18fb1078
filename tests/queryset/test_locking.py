"""Optimistic locking (``Meta.version_field``) on both drivers, against a real server.

Every write of a document through the ODM carries the version the object was loaded
with and stores the next one; a document stored at another version is not written and
the write raises ``VersionConflictError``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo import IndexModel

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import DuplicateKeyError, VersionConflictError
from aiomongodel.fields import IntField, StrField


class Page(Document):
    title = StrField()
    body = StrField(required=False)
    slug = StrField(required=False)

    class Meta:
        collection = "pages"
        version_field = "version"
        track_changes = True
        indexes = [IndexModel("slug", unique=True, sparse=True)]


class Counter(Document):
    """Locking without change tracking, and a version field declared by the class."""

    value = IntField()
    revision = IntField(mongo_name="rev", required=False)

    class Meta:
        collection = "counters"
        version_field = "revision"


async def stored(db: Any, collection: str = "pages") -> dict[str, Any]:
    document: dict[str, Any] = await db[collection].find_one({})
    return document


async def two_copies(db: Any) -> tuple[Page, Page]:
    page = Page(title="t", body="b")
    await page.save(db)
    return await Page.q(db).get(page._id), await Page.q(db).get(page._id)


class TestVersions:
    async def test_a_class_without_the_field_gets_one(self) -> None:
        assert isinstance(Page.meta.fields["version"], IntField)
        assert Page(title="t").version == 0

    async def test_every_write_increments_the_version(self, db: Any) -> None:
        page = Page(title="t")
        await page.save(db)
        assert (page.version, (await stored(db))["version"]) == (1, 1)
        page.body = "b"
        await page.save_changes(db)
        assert (page.version, (await stored(db))["version"]) == (2, 2)
        await page.save(db)
        assert (page.version, (await stored(db))["version"]) == (3, 3)
        await page.update(db, {"$set": {"body": "c"}})
        assert (page.version, page.body, (await stored(db))["version"]) == (4, "c", 4)

    async def test_created_documents_start_at_one(self, db: Any) -> None:
        page = await Page.q(db).create(title="t")
        assert page.version == 1
        inserted = Page(title="u")
        await inserted.save(db, do_insert=True)
        assert inserted.version == 1

    async def test_a_declared_field_under_another_name(self, db: Any) -> None:
        counter = Counter(value=1)
        await counter.save(db)
        assert counter.revision == 1
        assert (await stored(db, "counters"))["rev"] == 1
        await counter.update(db, {"$inc": {"value": 1}})
        assert (counter.revision, counter.value) == (2, 2)
        assert await stored(db, "counters") == {"_id": counter._id, "value": 2, "rev": 2}

    async def test_a_document_stored_without_a_version_is_versioned_on_its_first_write(
        self, db: Any
    ) -> None:
        await db.pages.insert_one({"title": "legacy"})
        page = await Page.q(db).find_one({})
        assert page.version is None
        page.title = "now versioned"
        await page.save_changes(db)
        assert (await stored(db))["version"] == 1
        assert page.version == 1


class TestConflicts:
    async def test_save_changes(self, db: Any) -> None:
        first, second = await two_copies(db)
        first.title = "first"
        await first.save_changes(db)
        before = await stored(db)
        second.body = "second"
        with pytest.raises(VersionConflictError) as raised:
            await second.save_changes(db)
        assert await stored(db) == before
        error = raised.value
        assert (error.document_class, error.version, error.stored_version) == (Page, 1, 2)
        assert error.query == {"_id": second._id}
        assert "Page {'_id': ObjectId(" in str(error)
        assert "stored at version 2, this object has version 1" in str(error)
        assert second.version == 1  # the object did not record a write

    async def test_save(self, db: Any) -> None:
        first, second = await two_copies(db)
        await first.save(db)
        before = await stored(db)
        second.title = "overwrite?"
        with pytest.raises(VersionConflictError):
            await second.save(db)
        assert await stored(db) == before
        assert await db.pages.count_documents({}) == 1

    async def test_update(self, db: Any) -> None:
        first, second = await two_copies(db)
        await first.update(db, {"$set": {"body": "first"}})
        before = await stored(db)
        with pytest.raises(VersionConflictError):
            await second.update(db, {"$set": {"body": "second"}})
        assert await stored(db) == before

    async def test_delete(self, db: Any) -> None:
        first, second = await two_copies(db)
        await first.save(db)
        with pytest.raises(VersionConflictError):
            await second.delete(db)
        assert await db.pages.count_documents({}) == 1
        assert await first.delete(db) == 1
        assert await db.pages.count_documents({}) == 0

    async def test_after_reloading_the_write_goes_through(self, db: Any) -> None:
        first, second = await two_copies(db)
        await first.save(db)
        await second.reload(db)
        second.body = "after reload"
        await second.save_changes(db)
        assert (await stored(db))["body"] == "after reload"

    async def test_a_missing_document_is_not_a_conflict(self, db: Any) -> None:
        page, _ = await two_copies(db)
        await db.pages.delete_many({})
        assert await page.delete(db) == 0
        await page.update(db, {"$set": {"body": "x"}})  # nothing to update, as in 0.2
        await page.save(db)  # save() stores the document again
        assert (await stored(db))["version"] == 2

    async def test_another_unique_index_still_raises_duplicate_key(self, db: Any) -> None:
        await Page.q(db).create_indexes()
        await Page.q(db).create(title="a", slug="same")
        page = await Page.q(db).create(title="b")
        page.slug = "same"
        with pytest.raises(DuplicateKeyError):
            await page.save(db)


class TestConcurrentWritersOfOneField:
    async def test_conflicts_instead_of_silent_overwrites(self, db: Any) -> None:
        page = Page(title="start")
        await page.save(db)
        written: dict[int, str] = {}
        conflicts = 0

        async def write(number: int) -> None:
            nonlocal conflicts
            loaded = await Page.q(db).get(page._id)
            loaded.title = f"task {number}"
            await asyncio.sleep(0)
            try:
                await loaded.save_changes(db)
            except VersionConflictError:
                conflicts += 1
            else:
                written[loaded.version] = loaded.title

        await asyncio.gather(*(write(number) for number in range(50)))
        final = await stored(db)
        assert conflicts + len(written) == 50
        assert conflicts > 0
        # Each successful write moved the version by one, from 1.
        assert sorted(written) == list(range(2, 2 + len(written)))
        assert final["version"] == max(written)
        assert final["title"] == written[max(written)]


class TestClassDefinition:
    def test_the_version_field_must_be_an_int_field(self) -> None:
        with pytest.raises(ValueError, match=r"version_field: 'version' is a StrField"):

            class Bad(Document):
                version = StrField()

                class Meta:
                    version_field = "version"

    def test_the_version_field_must_be_a_name(self) -> None:
        with pytest.raises(ValueError, match="must be a field name, got 1"):

            class Bad(Document):
                class Meta:
                    version_field = 1

    @pytest.mark.parametrize("option", ["version_field", "track_changes", "shard_key"])
    def test_embedded_documents_do_not_take_collection_options(self, option: str) -> None:
        with pytest.raises(ValueError, match=f"Bad.Meta.{option}: only Document classes"):
            type(
                "Bad",
                (EmbeddedDocument,),
                {"x": IntField(), "Meta": type("Meta", (), {option: "x"})},
            )

    def test_the_version_field_cannot_shadow_a_document_attribute(self) -> None:
        with pytest.raises(ValueError, match="clashes with the document attribute 'save'"):

            class Bad(Document):
                class Meta:
                    version_field = "save"
