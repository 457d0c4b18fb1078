"""The README's examples that need no database, as written there."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from bson import ObjectId
from pymongo import DESCENDING, IndexModel

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    BoolField,
    DateTimeField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
    SynonymField,
)
from tests.documents import assert_same_document

# "Modeling" (``models.`` paths point at this module).


class User(Document):
    _id = StrField(regex=r"[a-zA-Z0-9_]{3, 20}")
    is_active = BoolField(default=True)
    posts = ListField(RefField(f"{__name__}.Post"), default=lambda: list())
    quote = StrField(required=False)

    name = SynonymField(_id)

    class Meta:
        collection = "users"


class Post(Document):
    title = StrField(allow_blank=False, max_length=50)
    body = StrField()
    created = DateTimeField(default=lambda: datetime.now(timezone.utc).replace(tzinfo=None))
    views = IntField(default=0)
    rate = FloatField(default=0.0)
    author = RefField(User, mongo_name="user")
    comments = ListField(EmbDocField(f"{__name__}.Comment"), default=lambda: list())

    class Meta:
        collection = "posts"
        indexes = [IndexModel([("created", DESCENDING)])]
        default_sort = [("created", DESCENDING)]


class Comment(EmbeddedDocument):
    _id = ObjectIdField(default=lambda: ObjectId())
    author = RefField(User)
    body = StrField()


class TestModeling:
    def test_mongo_names_for_queries(self) -> None:
        assert User._id.s == "_id"
        assert User.name.s == "_id"
        assert Post.title.s == "title"
        assert Post.author.s == "user"
        assert Post.comments.body.s == "comments.body"

    def test_user_built_by_its_synonym(self) -> None:
        user = User(name="Alexandro")
        assert user.name == "Alexandro"
        assert user._id == "Alexandro"
        assert user.is_active is True
        assert user.posts == []
        assert user.quote is None
        assert user.to_mongo() == {"_id": "Alexandro", "is_active": True, "posts": []}

    def test_post_with_comments_and_references(self) -> None:
        user = User(name="Alexandro")
        post = Post(
            title="Hi",
            body="text",
            author=user,
            comments=[{"author": "Ihor", "body": "nice"}],
        )
        assert isinstance(post.comments[0], Comment)
        assert isinstance(post.comments[0]._id, ObjectId)
        mongo = post.to_mongo()
        assert mongo["user"] == "Alexandro"
        assert "author" not in mongo
        assert mongo["comments"] == [
            {"_id": post.comments[0]._id, "author": "Ihor", "body": "nice"}
        ]
        assert Post.meta.collection_name == "posts"
        assert Post.meta.default_sort == [("created", DESCENDING)]

    def test_post_loaded_from_mongo(self) -> None:
        oid = ObjectId()
        post = Post.from_mongo(
            {"_id": oid, "title": "Hi", "user": "Ihor", "comments": [{"body": "x"}]}
        )
        assert post.author == "Ihor"
        assert_same_document(post.comments, [Comment.from_mongo({"body": "x"})])
        assert post.views is None


class Model(Document):
    name = StrField(max_length=7)
    value = IntField(gt=5, lte=13)
    data = FloatField()


class TestValidationExample:
    def test_valid_model(self) -> None:
        m = Model(name="xxx", value=10, data=1.6)
        assert m.validate() is m

    def test_invalid_model_does_not_raise_until_validated(self) -> None:
        invalid = Model(name="too long string", value=0)
        assert invalid.name == "too long string"
        with pytest.raises(ValidationError) as info:
            invalid.validate()
        assert info.value.as_dict() == {
            "name": "length is greater than 7",
            "value": "value should be greater than 5",
            "data": "field is required",
        }

    def test_translation(self) -> None:
        translation = {
            "field is required": "This field is required",
            "length is greater than {constraint}": (
                "Length of the field is greater than {constraint} characters"
            ),
        }
        with pytest.raises(ValidationError) as info:
            Model(name="too long string", value=0).validate()
        assert info.value.as_dict(translation=translation) == {
            "name": "Length of the field is greater than 7 characters",
            "value": "value should be greater than 5",
            "data": "This field is required",
        }

    def test_upper_bound(self) -> None:
        with pytest.raises(ValidationError) as info:
            Model(name="x", value=14, data=0.0).validate()
        assert info.value.as_dict() == {"value": "value is greater than 13"}
        Model(name="x", value=13, data=0.0).validate()
