"""Deliberate mistakes that both type checkers must report (pytest does not collect this).

Each mistake carries the ignore comment of the error mypy reports (``# type:
ignore[code]``) and of the one pyright reports (``# pyright: ignore[rule]``). Both
checkers are set to report an ignore that is not needed, so each line proves that the
mistake is caught, by the right check; the rest of the file must type-check.
"""

# What a refused operator gives is unknown to pyright; that is the mistake, not another.
# pyright: reportUnknownVariableType=false

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bson import ObjectId

from aiomongodel.document import Database
from tests.typing.typed_app import Author, Comment, Post, Tag


def constructor_keywords(ann: Author) -> None:
    Post(title=3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post(titel="typo")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Post(author="not a reference")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post(tags=["a", 1])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    Post(comments=[ann])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    Post(views=None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post("positional")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    Comment(author=ann, votes="many")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Tag(_id=ObjectId())  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


async def create_keywords(db: Database) -> None:
    await Post.q(db).create(title=3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    await Post.q(db).create(titel="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def reading(post: Post) -> None:
    price: Decimal = post.price  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    author: Author = post.author  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    title: int = post.title  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    oid: str = post._id  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    post.views = "7"  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    del price, author, title, oid


def expressions() -> None:
    unused = Post.views > "x"  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue]
    unused = Post.created < "yesterday"  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue]
    Post.views.in_(["a"])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    unused = Post.tags > 3  # type: ignore[operator]  # pyright: ignore[reportOperatorIssue]
    Post.tags.all([1])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    Post.views.inc("one")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post.title.set(5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post.tags.push(5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Post.created.max(dt.date(2024, 1, 1))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    del unused


async def results(db: Database) -> None:
    found: Author = await Post.q(db).find_one({})  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    got: Author = await Post.q(db).get(ObjectId())  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    listed: list[Author] = await Post.q(db).find().to_list(None)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    async for post in Post.q(db).find():
        name: int = post.title  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
        del name
    rows: list[Post] = await Post.q(db).aggregate([]).to_list(None)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    post = await Post.q(db).get(ObjectId(), prefetch=Post.author)
    author: Tag = Post.author.fetched(post)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    Post.q(db).find().prefetch(3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    del found, got, listed, rows, author
