"""``@typed`` and ``Document[IdT]`` at run time: for type checkers, and one check."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from aiomongodel.document import Document, EmbeddedDocument, typed
from aiomongodel.fields import Field, IntField, StrField, SynonymField


def test_typed_returns_the_class_unchanged() -> None:
    @typed
    class Post(Document):
        title: StrField = StrField()
        views: IntField[int | None] = IntField(required=False)
        label: SynonymField[str] = SynonymField(title)
        registry: ClassVar[dict[str, Any]] = {}

    post = Post(label="Hello", views=3)
    assert post.title == "Hello"
    assert post.to_mongo() == {"title": "Hello", "views": 3, "_id": post._id}
    assert list(Post.meta.fields) == ["title", "views", "_id"]
    assert Post.registry == {}


def test_typed_refuses_an_annotation_that_is_no_field() -> None:
    # The constructor ignores names that are not fields: without this check, the
    # checker would accept Post(title=...) and the title would be silently dropped.
    with pytest.raises(TypeError, match=r"Post\.title is annotated but is not a field"):

        @typed
        class Post(Document):
            title: str
            views: IntField = IntField()

    with pytest.raises(TypeError, match=r"Note\.text is annotated but is not a field"):

        @typed
        class Note(EmbeddedDocument):
            text: str = "default"


def test_document_subscripted_by_its_id_type_is_document() -> None:
    assert Document[str] is Document

    class Tag(Document[str]):
        _id: Field[str] = StrField()

    assert Tag.__mro__[1] is Document
    assert Tag(_id="python").to_mongo() == {"_id": "python"}
    assert Tag.meta.fields["_id"] is Tag._id
