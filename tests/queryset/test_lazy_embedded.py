"""Documents loaded by queries build their embedded documents when first read.

A query keeps the driver's decoded dict as a document's storage and leaves its embedded
documents (and lists of them) as stored until one of them is read, or the document is
written, validated or dumped: reading scalar fields of many documents then costs no
object per embedded document. Everything else behaves as for a document built at once.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import EmbDocField, IntField, ListField, RefField, StrField


class Author(Document):
    name = StrField()

    class Meta:
        collection = "lazy_authors"


class Comment(EmbeddedDocument):
    text = StrField(max_length=20)
    author = RefField(Author)


class Stats(EmbeddedDocument):
    views = IntField(default=0)


class Article(Document):
    title = StrField()
    stats = EmbDocField(Stats)
    comments = ListField(EmbDocField(Comment), default=list)
    tags = ListField(StrField(), default=list)

    class Meta:
        collection = "lazy_articles"


class TrackedArticle(Article):
    class Meta:
        collection = "lazy_articles"
        track_changes = True


async def stored_article(db: Any) -> Article:
    author = await Author.q(db).create(name="ann")
    article = Article(
        title="t",
        stats=Stats(views=3),
        comments=[Comment(text="a", author=author), Comment(text="b", author=author)],
        tags=["x"],
    )
    await article.save(db)
    return article


def pending(document: Any) -> bool:
    return document._pending and type(document._data["stats"]) is dict


async def test_every_query_leaves_embedded_documents_stored_until_read(db: Any) -> None:
    article = await stored_article(db)
    loaded = [
        await Article.q(db).get(article._id),
        await Article.q(db).find_one({}),
        *(await Article.q(db).find({}).to_list(None)),
        *[document async for document in Article.q(db).find({})],
    ]
    for document in loaded:
        assert pending(document)
        assert (document.title, document.tags) == ("t", ["x"])
        assert pending(document)  # scalars and lists of scalars are read as they are
        assert document.stats.views == 3
        assert not document._pending
        assert [comment.text for comment in document.comments] == ["a", "b"]
        assert document.to_mongo() == article.to_mongo()


@pytest.mark.parametrize(
    "first",
    [
        "read comments",
        "set stats",
        "delete stats",
        "to_mongo",
        "to_data",
        "validate",
        "populate",
        "pickle",
        "reload",
    ],
)
async def test_whatever_comes_first_the_document_is_the_stored_one(db: Any, first: str) -> None:
    article = await stored_article(db)
    document = await Article.q(db).get(article._id)
    expected = Article.from_mongo(await Article.coll(db).find_one({"_id": article._id}))
    if first == "read comments":
        assert [c.text for c in document.comments] == ["a", "b"]
    elif first == "set stats":
        document.stats = Stats(views=9)
        expected.stats = Stats(views=9)
    elif first == "delete stats":
        del document.stats
        del expected.stats
    elif first == "to_mongo":
        assert document.to_mongo() == expected.to_mongo()
    elif first == "to_data":
        assert isinstance(document.to_data()["stats"], Stats)
    elif first == "validate":
        document.validate()
    elif first == "populate":
        document.populate_with_data({"title": "u"})
        expected.title = "u"
    elif first == "pickle":
        document = pickle.loads(pickle.dumps(document))
    else:
        await document.reload(db)
    assert document.to_mongo() == expected.to_mongo()
    assert [type(c) for c in document.comments] == [Comment, Comment]
    await document.save(db)
    assert await Article.coll(db).find_one({"_id": article._id}) == expected.to_mongo()


async def test_validation_errors_name_embedded_fields(db: Any) -> None:
    article = await stored_article(db)
    await Article.coll(db).update_one({"_id": article._id}, {"$set": {"comments.1.text": "x" * 30}})
    document = await Article.q(db).get(article._id)
    with pytest.raises(ValidationError) as raised:
        document.validate()
    assert raised.value.as_dict() == {"comments": {1: {"text": "length is greater than 20"}}}


async def test_prefetching_through_embedded_documents(db: Any) -> None:
    await stored_article(db)
    (document,) = await Article.q(db).find({}).prefetch(Article.comments.author).to_list(None)
    assert [comment.author.name for comment in document.comments] == ["ann", "ann"]


async def test_tracked_documents_and_their_minimal_updates(db: Any) -> None:
    article = await stored_article(db)
    document = await TrackedArticle.q(db).get(article._id)
    assert not document._pending  # its copy of the stored form is taken on loading
    document.comments[0].text = "edited"
    await document.save_changes(db)
    stored = await Article.coll(db).find_one({"_id": article._id})
    assert [comment["text"] for comment in stored["comments"]] == ["edited", "b"]


async def test_bulk_writes_of_documents_loaded_by_queries(db: Any) -> None:
    article = await stored_article(db)
    document = await Article.q(db).get(article._id)
    async with Article.q(db).bulk() as bulk:
        bulk.replace(document)
    assert await Article.coll(db).find_one({"_id": article._id}) == article.to_mongo()
