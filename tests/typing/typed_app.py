"""A small typed application, checked by ``mypy --strict`` and pyright (strict) with no
error at all (pytest does not collect this module; ``tests/typing/test_typed_app.py``
runs it against a real server).

Its classes use ``@typed`` with annotated fields, so that the checkers know the
constructor's and ``create``'s keywords; reading fields, filters, updates, sort keys,
querysets and cursors are all precisely typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bson import ObjectId
from typing_extensions import assert_type

from aiomongodel import (
    ChangeEvent,
    ChangeStream,
    DateTimeField,
    DecimalField,
    Document,
    EmbDocField,
    EmbeddedDocument,
    Field,
    Filter,
    IntField,
    ListField,
    RefField,
    SortKey,
    StrField,
    Update,
    typed,
)
from aiomongodel.document import Database
from aiomongodel.queryset import MotorQuerySet, MotorQuerySetCursor


@typed
class Author(Document):
    name: StrField = StrField()
    email: StrField[str | None] = StrField(required=False)


@typed
class Tag(Document[str]):
    _id: Field[str] = StrField()  # declared as Document[str] declares it
    label: StrField = StrField()


@typed
class Comment(EmbeddedDocument):
    author: RefField[Author] = RefField(Author)
    text: StrField = StrField()
    votes: IntField = IntField(default=0)


@typed
class Post(Document):
    title: StrField = StrField(min_length=3)
    views: IntField = IntField(default=0)
    price: DecimalField[Decimal | None] = DecimalField(required=False)
    created: DateTimeField = DateTimeField(default=dt.datetime.now)
    author: RefField[Author] = RefField(Author)
    tag: RefField[Tag, Tag | str | None] = RefField(Tag, required=False)
    tags: ListField[str] = ListField(StrField())
    comments: ListField[Comment] = ListField(EmbDocField(Comment), default=list)


def reading(post: Post) -> None:
    assert_type(post.title, str)
    assert_type(post.views, int)
    assert_type(post.price, Decimal | None)
    assert_type(post.created, dt.datetime)
    assert_type(post.author, Author | ObjectId)
    assert_type(post.tag, Tag | str | None)
    assert_type(post.tags, list[str])
    assert_type(post.comments, list[Comment])
    assert_type(post._id, ObjectId)
    assert_type(Tag(_id="python", label="Python")._id, str)
    for comment in post.comments:
        assert_type(comment.author, Author | ObjectId)
        assert_type(comment.votes, int)


def building() -> Post:
    ann = Author(name="ann")
    post = Post(title="Typed", author=ann, tags=["a"], comments=[Comment(author=ann, text="hi")])
    post.views = 3
    post.price = None
    return post


def expressions(ann: Author) -> None:
    popular: Filter = (Post.views > 100) & (Post.author == ann)
    recent: Filter = Post.created >= dt.datetime(2024, 1, 1)
    tagged: Filter = Post.tags.all(["a", "b"]) | Post.tags.in_(["c"]) | (Post.tags == "d")
    cheap: Filter = ~(Post.price > Decimal("10"))
    by_comment: Filter = Post.comments.elem_match(Comment.votes > 3, Comment.author == ann)
    update: Update = Post.views.inc(1) & Post.title.set("New") & Post.tags.push("e")
    newest: SortKey = Post.created.desc()
    del popular, recent, tagged, cheap, by_comment, update, newest


async def querying(db: Database) -> dict[str, Any]:
    """Write and read through the typed API; returns what the run test checks."""
    ann: Author = await Author.q(db).create(name="ann")
    python: Tag = await Tag.q(db).create(_id="python", label="Python")
    queryset = Post.q(db)
    plain: MotorQuerySet[Post] = queryset  # the constructor's keywords are extra
    del plain
    await queryset.create(title="Typed", author=ann, tag=python, tags=["a", "b"], views=5)
    await queryset.create(title="Second", author=ann._id, tags=["c"], views=50)
    cursor = queryset.find(Post.views > 1, sort=Post.views.desc())
    assert_type(cursor, MotorQuerySetCursor[Post])
    titles: list[str] = [post.title for post in await cursor.limit(10).to_list(10)]
    tagged: list[str] = []
    async for post in queryset.find(Post.tags == "a").sort([Post.views.desc()]):
        assert_type(post, Post)
        tagged.append(post.title)
    one: Post = await queryset.find_one(Post.title == "Typed")
    again: Post = await queryset.get(one._id)
    modified: int | None = await queryset.update_many(Post.views < 10, Post.views.set(10))
    count: int = await queryset.count_documents(Post.author == again.author)
    rows: list[dict[str, Any]] = await queryset.aggregate(
        [{"$match": Post.views >= 10}, {"$group": {"_id": None, "n": {"$sum": 1}}}]
    ).to_list(None)
    updated: Post = await again.update(db, Post.views.inc(1) & Post.tags.push("d"))
    with_authors: list[Post] = (
        await queryset.find(sort=Post.views.asc()).prefetch(Post.author, Post.tag).to_list(None)
    )
    author: Author = Post.author.fetched(with_authors[0])
    in_hand = await queryset.prefetch(with_authors, Post.comments.author)
    assert_type(in_hand, Sequence[Post])
    return {
        "author": author.name,
        "titles": titles,
        "tagged": tagged,
        "modified": modified,
        "count": count,
        "rows": rows,
        "views": updated.views,
        "tags": updated.tags,
        "tag": updated.tag,
    }


async def watching(db: Database) -> list[str]:
    """Change events carry documents of the watched class; returns what was seen."""
    ann: Author = await Author.q(db).create(name="watcher")
    seen: list[str] = []
    async with Post.q(db).watch(query=Post.views > 10, max_await_time_ms=50) as stream:
        assert_type(stream, ChangeStream[Post])
        await Post.q(db).create(title="Seen", author=ann, tags=["w"], views=20)
        event = await stream.next()
        assert_type(event, ChangeEvent[Post])
        assert_type(event.full_document, Post | None)
        if event.full_document is not None:
            seen.append(f"{event.operation_type} {event.full_document.title}")
        nothing: ChangeEvent[Post] | None = await stream.try_next()
        seen.append(repr(nothing))
    return seen
