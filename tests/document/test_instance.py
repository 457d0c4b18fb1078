"""The in-memory API of documents: building, converting, populating, validating."""

from __future__ import annotations

import itertools
from collections import OrderedDict
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from bson import SON, Decimal128, ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    RefField,
    StrField,
    SynonymField,
)
from tests.documents import assert_same_document

_counter = itertools.count()


class Author(Document):
    _id = StrField()
    name = SynonymField(_id)
    karma = IntField(default=0)


class Comment(EmbeddedDocument):
    author = RefField(Author)
    body = StrField(mongo_name="text")
    likes = IntField(default=0)


class Post(Document):
    title = StrField(max_length=20)
    price = DecimalField(required=False)
    is_draft = BoolField(default=True, mongo_name="draft")
    tags = ListField(StrField(), default=list)
    comments = ListField(EmbDocField(Comment), default=lambda: [])
    pinned = EmbDocField(Comment, required=False)
    serial = IntField(default=lambda: next(_counter))
    note = StrField(required=False, default="ignored: not required")


class TestInit:
    def test_values_are_set_and_defaults_fill_the_rest(self) -> None:
        post = Post(title="hello")
        data = post.to_data()
        assert data["title"] == "hello"
        assert data["is_draft"] is True
        assert data["tags"] == []
        assert data["comments"] == []
        assert isinstance(data["_id"], ObjectId)
        assert "price" not in data
        assert "pinned" not in data

    def test_default_of_a_field_that_is_not_required_is_ignored(self) -> None:
        post = Post(title="hello")
        assert "note" not in post.to_data()
        assert post.note is None

    def test_callable_defaults_are_called_for_every_instance(self) -> None:
        first, second = Post(title="a"), Post(title="b")
        assert first.tags == []
        assert first.tags is not second.tags
        assert first.comments is not second.comments
        assert second.serial == first.serial + 1
        first.tags.append("x")
        assert second.tags == []

    def test_given_values_win_over_defaults(self) -> None:
        post = Post(title="a", is_draft=False, tags=["x"], serial=-1)
        assert post.is_draft is False
        assert post.tags == ["x"]
        assert post.serial == -1

    def test_defaults_are_converted_like_given_values(self) -> None:
        class Invoice(EmbeddedDocument):
            total = DecimalField(default="0.00")
            first = EmbDocField(Comment, default=lambda: {"author": "ann", "body": "hi"})

        invoice = Invoice()
        assert invoice.total == Decimal("0.00")
        assert isinstance(invoice.total, Decimal)
        assert_same_document(invoice.first, Comment(author="ann", body="hi"))
        assert invoice.validate() is invoice

    def test_none_is_kept_rather_than_replaced_by_the_default(self) -> None:
        post = Post(title="a", is_draft=None)
        assert "is_draft" in post.to_data()
        assert post.is_draft is None

    def test_values_are_converted_from_user_data(self) -> None:
        post = Post(
            title="a",
            price="9.99",
            serial="7",
            comments=[{"author": "ann", "body": "hi"}],
            pinned={"author": "bob", "body": "top", "likes": "3"},
        )
        assert post.price == Decimal("9.99")
        assert post.serial == 7
        assert isinstance(post.comments[0], Comment)
        assert post.comments[0].body == "hi"
        assert post.comments[0].likes == 0
        assert_same_document(post.pinned, Comment(author="bob", body="top", likes=3))

    def test_values_are_converted_to_the_field_type(self) -> None:
        post = Post(title=12345, serial=7.9, is_draft=0)
        assert post.title == "12345"
        assert post.serial == 7
        assert post.is_draft is False

    def test_values_that_cannot_be_converted_are_kept_for_validate(self) -> None:
        post = Post(title="a", serial="not a number", tags="nope")
        assert post.serial == "not a number"
        assert post.tags == "nope"
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert info.value.as_dict() == {
            "serial": "invalid value type",
            "tags": "invalid value type",
        }

    def test_unknown_keywords_are_ignored(self) -> None:
        post = Post(title="a", subtitle="b")
        assert "subtitle" not in post.to_data()
        assert not hasattr(post, "subtitle")
        assert post.to_mongo().keys() == Post(title="a").to_mongo().keys()

    def test_mongo_name_is_not_a_constructor_keyword(self) -> None:
        post = Post(title="a", draft=False)
        assert post.is_draft is True

    def test_empty_sets_nothing(self) -> None:
        post = Post(_empty=True)
        assert post.to_data() == {}
        assert post.to_mongo() == {}
        assert post._id is None
        assert post.title is None
        assert post.tags is None

    def test_empty_ignores_values(self) -> None:
        assert Post(_empty=True, title="a").to_data() == {}

    def test_fields_are_keyword_only(self) -> None:
        with pytest.raises(TypeError):
            Post("a")  # type: ignore[misc]

    def test_unset_field_reads_none(self) -> None:
        assert Post(title="a").price is None

    def test_deleting_a_field_unsets_it(self) -> None:
        post = Post(title="a")
        del post.title
        assert "title" not in post.to_data()
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert info.value.as_dict() == {"title": "field is required"}


class TestToData:
    def test_returns_set_fields_by_field_name_with_python_values(self) -> None:
        comment = Comment(author="ann", body="hi")
        post = Post(title="a", is_draft=False, price=Decimal("1.5"), pinned=comment)
        data = post.to_data()
        assert data["is_draft"] is False
        assert "draft" not in data
        assert data["price"] == Decimal("1.5")
        assert data["pinned"] is comment

    def test_is_the_documents_own_data(self) -> None:
        post = Post(title="a")
        post.to_data()["title"] = "changed"
        assert post.title == "changed"


class TestToMongo:
    def test_only_set_fields_under_mongo_names(self) -> None:
        author = Author(name="ann")
        assert author.to_mongo() == {"_id": "ann", "karma": 0}
        post = Post(title="a", is_draft=False, _id=ObjectId("5f" * 12), serial=1)
        assert post.to_mongo() == {
            "_id": ObjectId("5f" * 12),
            "title": "a",
            "draft": False,
            "tags": [],
            "comments": [],
            "serial": 1,
        }

    def test_decimal_becomes_decimal128(self) -> None:
        mongo = Post(title="a", price=Decimal("12.30")).to_mongo()
        assert isinstance(mongo["price"], Decimal128)
        assert mongo["price"] == Decimal128("12.30")

    def test_nested_documents_and_lists_are_converted(self) -> None:
        post = Post(
            title="a",
            comments=[
                Comment(author=Author(name="ann"), body="one", likes=2),
                Comment(author="bob", body="two"),
            ],
            pinned=Comment(author="cid", body="top"),
        )
        mongo = post.to_mongo()
        assert mongo["comments"] == [
            {"author": "ann", "text": "one", "likes": 2},
            {"author": "bob", "text": "two", "likes": 0},
        ]
        assert mongo["pinned"] == {"author": "cid", "text": "top", "likes": 0}
        assert all(type(item) is dict for item in mongo["comments"])

    def test_result_is_a_plain_dict(self) -> None:
        assert type(Post(title="a").to_mongo()) is dict

    def test_unset_values_are_not_written_as_null(self) -> None:
        mongo = Post(title="a").to_mongo()
        assert "price" not in mongo
        assert "pinned" not in mongo
        assert "note" not in mongo

    def test_none_is_written(self) -> None:
        assert Post(title="a", price=None).to_mongo()["price"] is None

    def test_to_mongo_does_not_change_the_document(self) -> None:
        post = Post(title="a", price="1", pinned={"author": "x", "body": "y"})
        post.to_mongo()
        assert post.price == Decimal("1")
        assert isinstance(post.pinned, Comment)


class TestFromMongo:
    def test_mongo_names_are_mapped_back_and_values_converted(self) -> None:
        oid = ObjectId()
        post = Post.from_mongo(
            {
                "_id": oid,
                "title": "a",
                "draft": False,
                "price": Decimal128("3.10"),
                "comments": [{"author": "ann", "text": "hi", "likes": 1}],
                "pinned": {"author": "bob", "text": "top", "likes": 0},
            }
        )
        assert post._id == oid
        assert post.is_draft is False
        assert post.price == Decimal("3.10")
        assert isinstance(post.price, Decimal)
        assert_same_document(post.comments, [Comment(author="ann", body="hi", likes=1)])
        assert_same_document(post.pinned, Comment(author="bob", body="top", likes=0))

    def test_unknown_keys_are_ignored(self) -> None:
        post = Post.from_mongo({"_id": ObjectId(), "title": "a", "legacy": 1, "is_draft": 0})
        data = post.to_data()
        assert set(data) == {"_id", "title"}
        assert "legacy" not in post.to_mongo()

    def test_unknown_keys_are_ignored_in_a_class_without_renamed_fields(self) -> None:
        author = Author.from_mongo({"_id": "ann", "karma": 3, "extra": True})
        assert author.to_data() == {"_id": "ann", "karma": 3}

    def test_missing_fields_stay_unset(self) -> None:
        post = Post.from_mongo({"_id": ObjectId()})
        assert post.title is None
        assert post.tags is None
        assert post.is_draft is None
        assert "tags" not in post.to_mongo()

    def test_no_defaults_and_no_validation(self) -> None:
        post = Post.from_mongo({"title": 42})
        assert post.to_data() == {"title": 42}
        assert post._id is None

    def test_accepts_any_mapping(self) -> None:
        author = Author.from_mongo(SON([("_id", "ann"), ("karma", 1)]))
        assert_same_document(author, Author(name="ann", karma=1))
        assert Author.from_mongo(OrderedDict(_id="bob")).name == "bob"

    def test_rejects_a_non_mapping(self) -> None:
        with pytest.raises(TypeError):
            Author.from_mongo([("_id", "ann")])  # type: ignore[arg-type]

    def test_returns_an_instance_of_the_class(self) -> None:
        assert type(Comment.from_mongo({"text": "x"})) is Comment

    def test_changing_the_document_leaves_the_given_data_alone(self) -> None:
        class Note(EmbeddedDocument):
            text = StrField()

        class Board(Document):
            top = EmbDocField(Note)
            notes = ListField(EmbDocField(Note))

        stored = {"_id": ObjectId(), "top": {"text": "a"}, "notes": [{"text": "b"}]}
        board = Board.from_mongo(stored)
        board.top.text = "changed"
        board.notes[0].text = "changed"
        board.notes.append(Note(text="c"))
        assert stored["top"] == {"text": "a"}
        assert stored["notes"] == [{"text": "b"}]


class TestFromData:
    def test_creates_a_document_with_defaults(self) -> None:
        post = Post.from_data({"title": "a", "serial": "5"})
        assert post.title == "a"
        assert post.serial == 5
        assert post.tags == []
        assert isinstance(post._id, ObjectId)

    def test_uses_field_names_and_synonyms(self) -> None:
        assert Author.from_data({"name": "ann"}).to_data() == {"_id": "ann", "karma": 0}

    def test_unknown_names_are_ignored(self) -> None:
        post = Post.from_data({"title": "a", "draft": False, "views": 3})
        assert post.is_draft is True
        assert "views" not in post.to_data()
        assert not hasattr(post, "views")


class TestPopulateWithData:
    def test_sets_and_converts_values(self) -> None:
        post = Post(title="a")
        result = post.populate_with_data({"title": "b", "price": "2.5", "pinned": {"body": "x"}})
        assert result is post
        assert post.title == "b"
        assert post.price == Decimal("2.5")
        assert_same_document(post.pinned, Comment(body="x", likes=0))

    def test_keeps_other_fields(self) -> None:
        post = Post(title="a", tags=["x"])
        post.populate_with_data({"title": "b"})
        assert post.tags == ["x"]

    def test_does_not_apply_defaults(self) -> None:
        post = Post(_empty=True).populate_with_data({"title": "a"})
        assert post.to_data() == {"title": "a"}

    def test_unknown_name_raises_and_sets_nothing(self) -> None:
        post = Post(title="a")
        before = post.to_data()
        with pytest.raises(AttributeError, match="subtitle"):
            post.populate_with_data({"title": "b", "subtitle": "c"})
        assert post.to_data() == before
        assert not hasattr(post, "subtitle")

    def test_mongo_name_is_not_a_field_name(self) -> None:
        post = Post(title="a")
        with pytest.raises(AttributeError, match="draft"):
            post.populate_with_data({"draft": False})
        assert post.is_draft is True

    def test_document_methods_cannot_be_overwritten(self) -> None:
        post = Post(title="a")
        with pytest.raises(AttributeError, match="save"):
            post.populate_with_data({"save": 1})
        assert callable(post.save)
        assert post.save.__func__ is Document.save

    @pytest.mark.parametrize(
        "name", ["meta", "to_mongo", "validate", "_data", "__class__", "__dict__"]
    )
    def test_attributes_are_never_set(self, name: str) -> None:
        post = Post(title="a")
        meta = Post.meta
        with pytest.raises(AttributeError):
            post.populate_with_data({name: {}})
        assert post.meta is meta
        assert type(post) is Post
        assert post.to_mongo()["title"] == "a"
        assert "meta" not in vars(post)

    def test_non_string_keys_are_refused(self) -> None:
        with pytest.raises(AttributeError):
            Post(title="a").populate_with_data({1: "x"})  # type: ignore[dict-item]

    def test_embedded_documents_refuse_unknown_names_too(self) -> None:
        comment = Comment(body="x")
        with pytest.raises(AttributeError, match="nope"):
            comment.populate_with_data({"nope": 1})
        assert comment.to_data() == {"body": "x", "likes": 0}


class TestValidate:
    def test_valid_document_returns_itself(self) -> None:
        post = Post(title="a", comments=[{"author": "ann", "body": "hi"}])
        assert post.validate() is post

    def test_required_field_missing(self) -> None:
        with pytest.raises(ValidationError) as info:
            Post().validate()
        assert info.value.as_dict() == {"title": "field is required"}

    def test_every_invalid_field_is_reported(self) -> None:
        post = Post(title="x" * 21, serial="abc", price="1.1")
        post.is_draft = None
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert info.value.as_dict() == {
            "title": "length is greater than 20",
            "serial": "invalid value type",
            "is_draft": "none value is not allowed",
        }

    def test_nested_errors_in_embedded_documents_and_lists(self) -> None:
        post = Post(
            title="a",
            comments=[{"author": "ann", "body": "ok"}, {"body": ""}, {"author": "cid"}],
            pinned={"author": "bob", "body": None},
            tags=["fine", None],
        )
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert info.value.as_dict() == {
            "comments": {
                1: {"author": "field is required", "body": "blank value is not allowed"},
                2: {"body": "field is required"},
            },
            "pinned": {"body": "none value is not allowed"},
            "tags": {1: "none value is not allowed"},
        }

    def test_error_keys_are_field_names(self) -> None:
        post = Post(title="a", is_draft=None)
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert set(info.value.as_dict()) == {"is_draft"}  # type: ignore[arg-type]

    def test_validation_does_not_change_values(self) -> None:
        post = Post(title="a", serial="oops")
        with pytest.raises(ValidationError):
            post.validate()
        assert post.serial == "oops"

    def test_reference_to_a_document_without_id(self) -> None:
        comment = Comment(author=Author(_empty=True), body="x")
        with pytest.raises(ValidationError) as info:
            comment.validate()
        assert info.value.as_dict() == {"author": "none value is not allowed"}


class TestValidateDocument:
    def test_valid_instance_passes(self) -> None:
        Comment.validate_document(Comment(author="ann", body="hi"))

    def test_invalid_instance_raises_its_field_errors(self) -> None:
        with pytest.raises(ValidationError) as info:
            Comment.validate_document(Comment(body="hi"))
        assert info.value.as_dict() == {"author": "field is required"}

    @pytest.mark.parametrize("value", [{"author": "ann", "body": "hi"}, "text", None])
    def test_objects_that_are_not_documents_are_invalid(self, value: Any) -> None:
        with pytest.raises(ValidationError) as info:
            Comment.validate_document(value)
        assert info.value.as_dict() == "invalid value type"

    def test_a_document_of_another_class_is_checked_by_this_classs_fields(self) -> None:
        class Reply(EmbeddedDocument):
            author = StrField()
            body = StrField(required=False)
            likes = AnyField()

        Comment.validate_document(Reply(author="ann", body="hi", likes=3))
        with pytest.raises(ValidationError) as info:
            Comment.validate_document(Reply(author="ann", likes="many"))
        assert info.value.as_dict() == {
            "body": "field is required",
            "likes": "invalid value type",
        }
        with pytest.raises(ValidationError) as info:
            Comment.validate_document(Author(name="ann"))
        assert info.value.as_dict() == {
            "author": "field is required",
            "body": "field is required",
            "likes": "field is required",
        }


class TestQueryId:
    def test_is_a_filter_on_the_stored_id(self) -> None:
        oid = ObjectId()
        assert Post(title="a", _id=oid).query_id == {"_id": oid}
        assert Author(name="ann").query_id == {"_id": "ann"}

    def test_uses_the_stored_form_of_the_id(self) -> None:
        class Priced(Document):
            _id = DecimalField()

        assert Priced(_id="1.5").query_id == {"_id": Decimal128("1.5")}

    def test_follows_changes_of_the_id(self) -> None:
        author = Author(name="ann")
        author.name = "bob"
        assert author.query_id == {"_id": "bob"}


class TestIdentity:
    """Documents compare and hash by identity, as in 0.2: sets and dict keys work."""

    def test_a_document_equals_only_itself(self) -> None:
        oid = ObjectId()
        post = Post(title="a", _id=oid, serial=1)
        assert post == post
        assert post != Post(title="a", _id=oid, serial=1)
        assert post.to_data() == Post(title="a", _id=oid, serial=1).to_data()

    def test_documents_are_hashable(self) -> None:
        first, second = Comment(body="x"), Comment(body="x")
        assert len({first, second, first}) == 2
        assert {first: 1}[first] == 1


class TestOtherFieldTypes:
    def test_datetime_and_float_and_any(self) -> None:
        class Reading(EmbeddedDocument):
            at = DateTimeField()
            value = FloatField()
            raw = AnyField(required=False)

        reading = Reading(at=datetime(2024, 5, 6, 7, 8, 9, 123000), value=3, raw={"k": [1, 2]})
        assert type(reading.value) is float
        assert reading.to_mongo() == {
            "at": datetime(2024, 5, 6, 7, 8, 9, 123000),
            "value": 3.0,
            "raw": {"k": [1, 2]},
        }
        assert reading.validate() is reading
        # Strings are not parsed: they stay as they are, and are invalid.
        text = Reading(at="2024-05-06T07:08:09", value=1.5)
        assert text.at == "2024-05-06T07:08:09"
        with pytest.raises(ValidationError) as info:
            text.validate()
        assert info.value.as_dict() == {"at": "invalid value type"}


class TestOverriddenValidateDocument:
    def test_validate_goes_through_the_classs_validate_document(self) -> None:
        class Range(EmbeddedDocument):
            low = IntField()
            high = IntField()

            @classmethod
            def validate_document(cls, document: Any) -> None:
                super().validate_document(document)
                if document.low > document.high:
                    raise ValidationError({"high": ValidationError("less than low")})

        assert Range(low=1, high=2).validate().high == 2
        with pytest.raises(ValidationError) as info:
            Range(low=3, high=2).validate()
        assert info.value.as_dict() == {"high": "less than low"}

        class Holder(EmbeddedDocument):
            range = EmbDocField(Range)

        with pytest.raises(ValidationError) as info:
            Holder(range={"low": 3, "high": 2}).validate()
        assert info.value.as_dict() == {"range": {"high": "less than low"}}
