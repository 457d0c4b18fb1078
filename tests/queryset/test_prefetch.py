"""Prefetching references against a real server, counting the ``find`` commands sent.

Every test runs on PyMongo async and on Motor, with a ``pymongo.monitoring`` listener on
the client: the number of ``find`` commands must be 1 (the documents) plus one per path
and level, however many documents there are.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from bson import ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import MissingReferenceError
from aiomongodel.fields import BoolField, EmbDocField, IntField, ListField, RefField, StrField
from tests.commands import CommandRecorder, recorded_database
from tests.drivers import start_session, transaction


class Company(Document):
    name = StrField()

    class Meta:
        collection = "companies"


class Author(Document):
    name = StrField()
    active = BoolField(default=True)
    company = RefField(Company, required=False)

    class Meta:
        collection = "authors"


class ActiveAuthor(Author):
    class Meta:
        collection = "authors"
        default_query = {"active": True}


class Tag(Document[str]):
    _id = StrField()

    class Meta:
        collection = "tags"


class Reply(EmbeddedDocument):
    author = RefField(Author)
    text = StrField()


class Comment(EmbeddedDocument):
    author = RefField(Author)
    text = StrField()
    replies = ListField(EmbDocField(Reply), default=list)


class Post(Document):
    title = StrField()
    number = IntField()
    author = RefField(Author)
    tags = ListField(RefField(Tag), default=list)
    comments = ListField(EmbDocField(Comment), default=list)
    pinned = EmbDocField(Comment, required=False)
    reviewer = RefField(ActiveAuthor, required=False)

    class Meta:
        collection = "posts"


@pytest.fixture
async def counted(driver: str, mongodb_uri: str) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    """A database on a client whose commands are recorded."""
    async with recorded_database(driver, mongodb_uri) as recorded:
        yield recorded


async def blog(db: Any, posts: int, authors: int = 100) -> dict[str, Any]:
    """``posts`` posts by ``authors`` authors (reused in turn), with tags, comments,
    replies and one company per ten authors."""
    companies = [Company(name=f"c{i}") for i in range(max(1, authors // 10))]
    await Company.q(db).insert_many(companies)
    people = [Author(name=f"a{i}", company=companies[i % len(companies)]) for i in range(authors)]
    await Author.q(db).insert_many(people)
    tags = [Tag(_id=name) for name in ("db", "py", "go")]
    await Tag.q(db).insert_many(tags)
    documents = [
        Post(
            title=f"p{i}",
            number=i,
            author=people[i % authors],
            tags=[tags[i % 3], tags[(i + 1) % 3]],
            comments=[
                Comment(
                    author=people[(i + 1) % authors],
                    text="c",
                    replies=[Reply(author=people[(i + 2) % authors], text="r")],
                )
            ],
        )
        for i in range(posts)
    ]
    await Post.q(db).insert_many(documents)
    return {"authors": people, "companies": companies, "posts": documents}


EVERY_PATH = (
    Post.author,
    Post.tags,
    Post.comments.author,
    Post.comments.replies.author,
    Post.author.company,
)
# Four references on the posts, and the authors' companies one level further.
QUERIES_FOR_EVERY_PATH = 5


def check_loaded(post: Post) -> None:
    assert isinstance(post.author, Author)
    assert post.author.name == f"a{post.number % 100}"
    assert isinstance(post.author.company, Company)
    assert post.author.company.name == f"c{post.number % 100 % 10}"
    assert [tag._id for tag in post.tags] == [
        ["db", "py", "go"][post.number % 3],
        ["db", "py", "go"][(post.number + 1) % 3],
    ]
    (comment,) = post.comments
    assert isinstance(comment.author, Author)
    assert comment.author.name == f"a{(post.number + 1) % 100}"
    assert comment.replies[0].author.name == f"a{(post.number + 2) % 100}"


@pytest.mark.parametrize("n", [1, 10, 1000])
async def test_one_query_per_path_and_level(counted: tuple[Any, CommandRecorder], n: int) -> None:
    db, counter = counted
    await blog(db, n)
    counter.clear()
    posts = await Post.q(db).find(sort=[("number", 1)]).prefetch(*EVERY_PATH).to_list(None)
    assert len(posts) == n
    for post in posts:
        check_loaded(post)
    assert len(counter.finds()) == 1 + QUERIES_FOR_EVERY_PATH
    for command in counter.finds("authors") + counter.finds("companies") + counter.finds("tags"):
        ids = command["filter"]["_id"]["$in"]
        assert len(ids) == len(set(ids))  # each id once, however often it is referenced
    assert len(counter.finds("authors")) == 3  # post authors, comment and reply authors
    assert len(counter.finds("companies")) == 1


@pytest.mark.parametrize(("batch_size", "batches"), [(1000, 1), (300, 4)])
async def test_async_for_loads_a_batch_at_a_time(
    counted: tuple[Any, CommandRecorder], batch_size: int, batches: int
) -> None:
    db, counter = counted
    await blog(db, 1000)
    counter.clear()
    cursor = Post.q(db).find(sort=[("number", 1)]).prefetch(*EVERY_PATH, batch_size=batch_size)
    numbers = []
    async for post in cursor:
        check_loaded(post)
        numbers.append(post.number)
    assert numbers == list(range(1000))
    assert len(counter.finds()) == 1 + batches * QUERIES_FOR_EVERY_PATH


async def test_duplicates_share_one_document(counted: tuple[Any, CommandRecorder]) -> None:
    db, counter = counted
    await blog(db, 30, authors=3)
    counter.clear()
    posts = await Post.q(db).find(sort=[("number", 1)]).prefetch(Post.author).to_list(None)
    (command,) = counter.finds("authors")
    assert len(command["filter"]["_id"]["$in"]) == 3
    assert posts[0].author is posts[3].author is posts[27].author
    assert posts[0].author is not posts[1].author


async def test_saving_a_prefetched_document_stores_what_was_loaded(db: Any) -> None:
    await blog(db, 3)
    stored = await Post.coll(db).find_one({"number": 1})
    post = await Post.q(db).find_one({"number": 1}, prefetch=EVERY_PATH)
    check_loaded(post)
    await post.save(db)
    assert await Post.coll(db).find_one({"number": 1}) == stored
    assert post.validate() is post


async def test_missing_references_keep_their_id_or_raise(db: Any) -> None:
    made = await blog(db, 10, authors=5)
    gone = made["authors"][2]
    await Author.q(db).delete_one({"_id": gone._id})
    posts = await Post.q(db).find(sort=[("number", 1)]).prefetch(Post.author).to_list(None)
    assert posts[2].author == gone._id  # kept as it was loaded
    assert posts[7].author == gone._id
    assert isinstance(posts[3].author, Author)

    cursor = Post.q(db).find().prefetch(Post.author, Post.comments.author, on_missing="error")
    with pytest.raises(MissingReferenceError) as raised:
        await cursor.to_list(None)
    assert raised.value.path in {"Post.author", "Post.comments.author"}
    assert raised.value.ids == [gone._id]
    assert raised.value.document_class is Author
    assert str(gone._id) in str(raised.value)


async def test_the_referenced_class_default_query_applies(db: Any) -> None:
    made = await blog(db, 2, authors=2)
    away, here = made["authors"]
    await Author.q(db).update_one({"_id": away._id}, {"$set": {"active": False}})
    for number, reviewer in ((0, away), (1, here)):
        await Post.q(db).update_one({"number": number}, {"$set": {"reviewer": reviewer._id}})
    posts = await Post.q(db).find(sort=[("number", 1)]).prefetch(Post.reviewer).to_list(None)
    assert posts[0].reviewer == away._id  # hidden by ActiveAuthor's default_query
    assert isinstance(posts[1].reviewer, ActiveAuthor)
    assert posts[1].reviewer.name == here.name


async def test_documents_in_hand_find_one_and_get(counted: tuple[Any, CommandRecorder]) -> None:
    db, counter = counted
    made = await blog(db, 10)
    loaded = await Post.q(db).find({}).to_list(None)
    counter.clear()
    same = await Post.q(db).prefetch(loaded, Post.comments.author, Post.author.company)
    assert same is loaded
    assert len(counter.finds()) == 3  # comment authors, post authors, their companies
    assert all(isinstance(post.comments[0].author, Author) for post in loaded)

    counter.clear()
    first = made["posts"][4]
    by_get = await Post.q(db).get(first._id, prefetch=Post.author)
    assert isinstance(by_get.author, Author)
    assert by_get.author.name == "a4"
    by_path_name = await Post.q(db).find_one({"number": 5}, prefetch=["author.company", "tags"])
    assert by_path_name.author.company.name == "c5"
    assert len(counter.finds()) == 2 + 4
    assert Post.author.fetched(by_get).name == "a4"


async def test_paths_through_an_embedded_document(db: Any) -> None:
    made = await blog(db, 1)
    people = made["authors"]
    pinned = Comment(author=people[9], text="pinned", replies=[Reply(author=people[8], text="r")])
    await Post.q(db).update_one({"number": 0}, {"$set": {"pinned": pinned.to_mongo()}})
    post = await Post.q(db).find_one({}, prefetch=[Post.pinned.author, Post.pinned.replies.author])
    assert post.pinned.author.name == "a9"
    assert post.pinned.replies[0].author.name == "a8"


async def test_prefetch_in_a_transaction_reads_through_the_session(
    counted: tuple[Any, CommandRecorder],
) -> None:
    db, counter = counted
    await blog(db, 2)
    async with await start_session(db.client) as session, transaction(session):
        newcomer = Author(name="new")
        await newcomer.save(db, do_insert=True, session=session)
        post = Post(title="t", number=99, author=newcomer)
        await post.save(db, do_insert=True, session=session)
        counter.clear()
        queryset = Post.q(db, session=session)
        posts = await queryset.find({}).prefetch(Post.author, Post.author.company).to_list(None)
        assert {p.author.name for p in posts} == {"a0", "a1", "new"}
        assert len(counter.finds()) == 3
        assert all("lsid" in command and "txnNumber" in command for command in counter.finds())
        # Outside the transaction, the new author does not exist yet.
        outside = await Post.q(db).find({"number": 99}).to_list(None)
        assert outside == []


def test_paths_that_are_no_references_are_refused() -> None:
    cursor_free = [
        (Post.title, "Post.title is not a reference"),
        (Post.comments, "ends inside embedded documents"),
        (Post.comments[0].author, "no positions"),
        ("author.nickname", "Author has no field 'nickname'"),
        ("comments.text", "Comment.text is not a reference"),
        (Comment.author, "not a field of Post"),
    ]
    from aiomongodel.prefetch import plan

    for path, message in cursor_free:
        with pytest.raises(ValueError, match=message):
            plan(Post, [path])
    with pytest.raises(TypeError, match="a prefetch path is a field or a dotted name"):
        plan(Post, [3])  # type: ignore[list-item]
    with pytest.raises(AttributeError, match="no attribute 'nickname'"):
        _ = Post.author.nickname


def test_fetched_needs_a_prefetched_reference() -> None:
    post = Post(author=ObjectId())
    with pytest.raises(LookupError, match="prefetch it first"):
        Post.author.fetched(post)
