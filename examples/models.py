"""Modeling: documents, embedded documents, references, synonyms and mongo names."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bson import ObjectId
from pymongo import DESCENDING, IndexModel

from aiomongodel import Document, EmbeddedDocument
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


class User(Document):
    _id = StrField(regex=r"[a-zA-Z0-9_]{3,20}")
    is_active = BoolField(default=True)
    posts = ListField(RefField("examples.models.Post"), default=list)
    quote = StrField(required=False)

    name = SynonymField(_id)

    class Meta:
        collection = "users"


class Post(Document):
    # No _id declared: Post gets `_id = ObjectIdField(default=ObjectId)`.
    title = StrField(allow_blank=False, max_length=50)
    body = StrField()
    created = DateTimeField(default=lambda: datetime.now(timezone.utc))
    views = IntField(default=0)
    rate = FloatField(default=0.0)
    author = RefField(User, mongo_name="user")
    comments = ListField(EmbDocField("examples.models.Comment"), default=list)

    class Meta:
        collection = "posts"
        indexes = [IndexModel([("created", DESCENDING)])]
        default_sort = [("created", DESCENDING)]


class Comment(EmbeddedDocument):
    _id = ObjectIdField(default=ObjectId)
    author = RefField(User)
    body = StrField()


async def main(db: Any = None) -> None:
    """Show the MongoDB names that ``.s`` gives for queries (no database needed)."""
    names = {
        "User._id.s": User._id.s,
        "User.name.s (synonym of _id)": User.name.s,
        "Post.title.s": Post.title.s,
        "Post.author.s (mongo_name='user')": Post.author.s,
        "Post.comments.body.s (compound)": Post.comments.body.s,
    }
    for expression, value in names.items():
        print(f"  {expression} == {value!r}")
    assert User._id.s == "_id"
    assert User.name.s == "_id"
    assert Post.title.s == "title"
    assert Post.author.s == "user"
    assert Post.comments.body.s == "comments.body"
    post = Post(title="Hello", body="World", author="alexandro", comments=[{"body": "Nice"}])
    print(f"  a post as stored in MongoDB: {post.to_mongo()}")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
