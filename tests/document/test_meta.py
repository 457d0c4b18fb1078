"""``DocClass.meta``: the options of ``class Meta`` and what the metaclass adds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone
from typing import Any

import pymongo
import pytest
from bson.codec_options import CodecOptions
from pymongo import ASCENDING, DESCENDING, IndexModel, ReadPreference, WriteConcern
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.read_concern import ReadConcern

from aiomongodel.document import Document, EmbeddedDocument, Meta
from aiomongodel.fields import BoolField, DateTimeField, IntField, StrField, SynonymField


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# The "Define models" example of the API documentation.


class User(Document):
    name = StrField(regex=r"^[a-zA-Z]{6,20}$")
    is_active = BoolField(default=True)
    created = DateTimeField(default=lambda: utcnow())

    class Meta:
        collection = "users"
        indexes = [
            IndexModel([("name", ASCENDING)], unique=True),
            IndexModel([("created", DESCENDING)]),
        ]
        default_sort = [("created", DESCENDING)]


class ActiveUser(User):
    is_active = BoolField(default=True, choices=[True])

    class Meta:
        collection = "users"
        default_query = {"is_active": True}


class RecordingQuerySet:
    """A queryset class of the application's own, as ``Meta.queryset`` allows."""

    def __init__(self, doc_class: type[Any], db: Any, session: Any = None) -> None:
        self.doc_class = doc_class
        self.db = db
        self.session = session


class WithQuerySet(Document):
    class Meta:
        queryset = RecordingQuerySet


class WithQuerySetPath(Document):
    class Meta:
        queryset = f"{__name__}.RecordingQuerySet"


@pytest.fixture
async def db() -> AsyncIterator[Any]:
    """A real PyMongo database object; creating it with ``connect=False`` sends nothing."""
    client: Any = pymongo.AsyncMongoClient("mongodb://127.0.0.1:1", connect=False)
    try:
        yield client["aiomongodel_meta"]
    finally:
        await client.close()


class TestOptions:
    def test_options_of_the_define_models_example(self) -> None:
        meta = User.meta
        assert meta.collection_name == "users"
        assert [index.document["key"] for index in meta.indexes] == [
            {"name": ASCENDING},
            {"created": DESCENDING},
        ]
        assert meta.indexes[0].document["unique"] is True
        assert meta.default_sort == [("created", DESCENDING)]
        assert not meta.default_query

    def test_subclass_sets_its_own_options(self) -> None:
        meta = ActiveUser.meta
        assert meta.collection_name == "users"
        assert meta.default_query == {"is_active": True}
        assert list(meta.fields) == ["name", "is_active", "created", "_id"]
        assert meta.fields["is_active"].choices == {True}

    def test_meta_options_are_not_inherited(self) -> None:
        class Guest(User):
            pass

        assert Guest.meta.collection_name == "guest"
        assert not Guest.meta.indexes
        assert not Guest.meta.default_sort
        assert not ActiveUser.meta.indexes
        assert not ActiveUser.meta.default_sort

    def test_fields_are_inherited_while_options_are_not(self) -> None:
        class Guest(ActiveUser):
            pass

        assert list(Guest.meta.fields) == list(ActiveUser.meta.fields)
        assert not Guest.meta.default_query

    def test_the_inner_meta_class_stays_and_meta_describes_the_class(self) -> None:
        assert isinstance(vars(User)["Meta"], type)  # as in 0.2
        assert isinstance(User.meta, Meta)

    @pytest.mark.parametrize(
        ("class_name", "collection"),
        [("Post", "post"), ("BlogPost", "blog_post"), ("HTTPRequestLog", "http_request_log")],
    )
    def test_collection_defaults_to_the_snake_case_class_name(
        self, class_name: str, collection: str
    ) -> None:
        cls = type(class_name, (Document,), {"title": StrField()})
        assert cls.meta.collection_name == collection

    def test_every_documented_option_is_accepted(self) -> None:
        codec_options = CodecOptions(tz_aware=True)
        write_concern = WriteConcern(w="majority")
        read_concern = ReadConcern("majority")

        class Full(Document):
            class Meta:
                collection = "full"
                indexes = [IndexModel([("x", ASCENDING)])]
                queryset = RecordingQuerySet
                default_query = {"x": 1}
                default_sort = [("x", ASCENDING)]
                codec_options = CodecOptions(tz_aware=True)
                read_preference = ReadPreference.SECONDARY
                write_concern = WriteConcern(w="majority")
                read_concern = ReadConcern("majority")

        meta = Full.meta
        assert meta.collection_name == "full"
        assert meta.indexes is not None
        assert len(meta.indexes) == 1
        assert meta.queryset is RecordingQuerySet
        assert meta.default_query == {"x": 1}
        assert meta.default_sort == [("x", ASCENDING)]
        assert meta.codec_options == codec_options
        assert meta.read_preference == ReadPreference.SECONDARY
        assert meta.write_concern == write_concern
        assert meta.read_concern == read_concern

    def test_unset_options_have_their_defaults(self) -> None:
        meta = type("Plain", (Document,), {}).meta
        assert meta.default_query == {}
        assert meta.default_sort is None
        assert meta.indexes is None
        assert meta.codec_options is None
        assert meta.read_preference is None
        assert meta.write_concern is None
        assert meta.read_concern is None

    def test_unknown_option_is_a_value_error_naming_it(self) -> None:
        with pytest.raises(ValueError, match=r"^Unrecognized Meta options: colection\.$"):

            class Typo(Document):
                class Meta:
                    colection = "typo"

    def test_fields_given_as_an_option_are_replaced_by_the_class_fields(self) -> None:
        class Sneaky(Document):
            name = StrField()

            class Meta:
                fields = {}
                fields_synonyms = {"name": "alias"}

        assert list(Sneaky.meta.fields) == ["name", "_id"]
        assert Sneaky.meta.fields_synonyms == {}

    def test_default_query_must_be_a_dict(self) -> None:
        with pytest.raises(ValueError, match="default_query"):

            class Broken(Document):
                class Meta:
                    default_query = [("x", 1)]

    def test_embedded_documents_have_no_collection(self) -> None:
        class Point(EmbeddedDocument):
            x = IntField()

        assert Point.meta.collection_name is None
        assert Point.meta.queryset is None
        assert Point.meta.default_query == {}


class TestMetaAttributes:
    def test_options_constant(self) -> None:
        assert {
            "collection",
            "indexes",
            "read_preference",
            "read_concern",
            "fields",
            "default_query",
            "queryset",
            "codec_options",
            "write_concern",
            "fields_synonyms",
            "default_sort",
            "track_changes",
            "version_field",
            "shard_key",
        } == Meta.OPTIONS

    def test_meta_can_be_built_directly(self) -> None:
        name = StrField()
        name.__set_name__(object, "name")
        meta = Meta(collection="things", fields={"name": name}, default_sort=[("name", 1)])
        assert meta.collection_name == "things"
        assert meta.fields == {"name": name}
        assert meta.default_sort == [("name", 1)]
        assert meta.fields_synonyms == {}

    def test_meta_refuses_unknown_keywords(self) -> None:
        with pytest.raises(ValueError, match=r"^Unrecognized Meta options: collection_name\.$"):
            Meta(collection_name="things")

    def test_fields_map_names_to_fields_in_declaration_order(self) -> None:
        fields = User.meta.fields
        assert list(fields) == ["name", "is_active", "created", "_id"]
        assert all(field.name == name for name, field in fields.items())
        assert fields["name"] is User.name

    def test_fields_synonyms_map_field_names_to_synonym_names(self) -> None:
        class Account(Document):
            _id = StrField()
            login = SynonymField(_id)
            email = StrField()
            mail = SynonymField("email")

        assert Account.meta.fields_synonyms == {"_id": "login", "email": "mail"}
        assert list(Account.meta.fields) == ["_id", "email"]


class TestCollection:
    async def test_collection_uses_the_name_and_the_options(self, db: Any) -> None:
        codec_options = CodecOptions(tz_aware=True)

        class Tuned(Document):
            class Meta:
                collection = "tuned_docs"
                codec_options = CodecOptions(tz_aware=True)
                read_preference = ReadPreference.SECONDARY_PREFERRED
                write_concern = WriteConcern(w=2, wtimeout=100)
                read_concern = ReadConcern("majority")

        collection = Tuned.meta.collection(db)
        assert isinstance(collection, AsyncCollection)
        assert collection.name == "tuned_docs"
        assert collection.database.name == "aiomongodel_meta"
        assert collection.codec_options == codec_options
        assert collection.read_preference == ReadPreference.SECONDARY_PREFERRED
        assert collection.write_concern == WriteConcern(w=2, wtimeout=100)
        assert collection.read_concern == ReadConcern("majority")

    async def test_collection_without_options_inherits_the_database_ones(self, db: Any) -> None:
        collection = User.meta.collection(db)
        assert collection.name == "users"
        assert collection.codec_options == db.codec_options
        assert collection.read_preference == db.read_preference
        assert collection.write_concern == db.write_concern
        assert collection.read_concern == db.read_concern

    async def test_default_collection_name_is_used(self, db: Any) -> None:
        class BlogPost(Document):
            pass

        assert BlogPost.meta.collection(db).name == "blog_post"

    async def test_coll_returns_the_same_collection(self, db: Any) -> None:
        assert User.coll(db) == User.meta.collection(db)
        assert ActiveUser.coll(db).name == "users"


class TestQuerySetOption:
    async def test_q_builds_the_queryset_class_of_meta(self, db: Any) -> None:
        queryset: Any = WithQuerySet.q(db)
        assert isinstance(queryset, RecordingQuerySet)
        assert queryset.doc_class is WithQuerySet
        assert queryset.db is db
        assert queryset.session is None

    async def test_q_passes_the_session(self, db: Any) -> None:
        session = object()
        queryset: Any = WithQuerySet.q(db, session=session)
        assert queryset.session is session
        assert WithQuerySet.q(db, session).session is session

    async def test_queryset_may_be_an_import_path(self, db: Any) -> None:
        queryset: Any = WithQuerySetPath.q(db)
        assert isinstance(queryset, RecordingQuerySet)
        assert queryset.doc_class is WithQuerySetPath
