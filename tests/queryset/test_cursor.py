"""MotorQuerySetCursor: documents out of the driver's cursor, modifiers passed through."""

from __future__ import annotations

import inspect
from typing import Any

import pymongo.errors
import pytest
from pymongo import ASCENDING, DESCENDING, IndexModel

from aiomongodel.document import Document
from aiomongodel.fields import IntField, StrField
from aiomongodel.queryset import MotorQuerySetCursor


class Card(Document):
    name = StrField()
    x = IntField()
    suit = StrField(required=False)

    class Meta:
        collection = "cards"
        indexes = [IndexModel([("x", ASCENDING)])]


@pytest.fixture
async def cards(db: Any) -> list[Card]:
    made = [
        Card(name="b", x=2, suit="hearts"),
        Card(name="d", x=4, suit="spades"),
        Card(name="a", x=1, suit="hearts"),
        Card(name="e", x=5, suit="clubs"),
        Card(name="c", x=3, suit="spades"),
    ]
    await Card.q(db).insert_many(made)
    await Card.q(db).create_indexes()
    return made


def xs(documents: list[Card]) -> list[int | None]:
    return [card.x for card in documents]


async def test_to_list_returns_up_to_length_documents(db: Any, cards: list[Card]) -> None:
    cursor = Card.q(db).find({}).sort("x", ASCENDING)
    first = await cursor.to_list(2)
    assert all(type(card) is Card for card in first)
    assert xs(first) == [1, 2]
    assert xs(await cursor.to_list(2)) == [3, 4]
    assert xs(await cursor.to_list(None)) == [5]
    assert await cursor.to_list(None) == []


async def test_to_list_none_or_no_argument_returns_all(db: Any, cards: list[Card]) -> None:
    assert sorted(xs(await Card.q(db).find().to_list(None))) == [1, 2, 3, 4, 5]
    assert sorted(xs(await Card.q(db).find().to_list())) == [1, 2, 3, 4, 5]
    assert await Card.q(db).find({"x": 99}).to_list(None) == []


async def test_documents_compare_equal_to_what_was_stored(db: Any, cards: list[Card]) -> None:
    stored = await Card.q(db).find({}).sort("x", ASCENDING).to_list(None)
    assert [card.to_mongo() for card in stored] == [
        card.to_mongo() for card in sorted(cards, key=lambda card: card.x)
    ]


async def test_async_for_yields_documents(db: Any, cards: list[Card]) -> None:
    seen = []
    async for card in Card.q(db).find({"suit": "hearts"}).sort("x"):
        assert isinstance(card, Card)
        seen.append(card.name)
    assert seen == ["a", "b"]


async def test_async_comprehension_yields_documents(db: Any, cards: list[Card]) -> None:
    names = [card.name async for card in Card.q(db).find({}).sort("name", DESCENDING)]
    assert names == ["e", "d", "c", "b", "a"]
    assert [card async for card in Card.q(db).find({"x": 99})] == []


async def test_clone_is_a_rewound_copy_with_the_same_modifiers(db: Any, cards: list[Card]) -> None:
    cursor = Card.q(db).find({"x": {"$gt": 1}}).sort("x", DESCENDING).limit(3)
    assert xs(await cursor.to_list(None)) == [5, 4, 3]
    clone = cursor.clone()
    assert isinstance(clone, MotorQuerySetCursor)
    assert clone is not cursor
    assert clone.doc_class is Card
    assert xs(await clone.to_list(None)) == [5, 4, 3]
    assert await cursor.to_list(None) == []


async def test_modifiers_chain_and_return_the_same_cursor(db: Any, cards: list[Card]) -> None:
    cursor = Card.q(db).find({})
    chained = (
        cursor.sort("x", DESCENDING)
        .skip(1)
        .limit(3)
        .batch_size(2)
        .hint([("x", ASCENDING)])
        .max_time_ms(10_000)
        .collation({"locale": "en"})
        .comment("chained")
        .allow_disk_use(True)
    )
    assert chained is cursor
    assert xs(await chained.to_list(None)) == [4, 3, 2]


async def test_sort_takes_a_key_and_direction_or_a_list(db: Any, cards: list[Card]) -> None:
    assert xs(await Card.q(db).find().sort("x", -1).to_list(None)) == [5, 4, 3, 2, 1]
    assert xs(await Card.q(db).find().sort([("x", 1)]).to_list(None)) == [1, 2, 3, 4, 5]
    by_suit = await Card.q(db).find().sort([("suit", ASCENDING), ("x", DESCENDING)]).to_list(None)
    assert xs(by_suit) == [5, 2, 1, 4, 3]
    by_keywords = Card.q(db).find().sort(key_or_list="x", direction=DESCENDING)
    assert xs(await by_keywords.to_list(None)) == [5, 4, 3, 2, 1]


async def test_modifiers_accept_keyword_arguments(db: Any, cards: list[Card]) -> None:
    cursor = (
        Card.q(db)
        .find()
        .sort(key_or_list="x")
        .skip(skip=1)
        .limit(limit=2)
        .batch_size(batch_size=1)
        .max_time_ms(max_time_ms=10_000)
        .hint(index="x_1")
        .comment(comment="by keyword")
    )
    assert xs(await cursor.to_list(None)) == [2, 3]


async def test_modifiers_reach_the_server_command(db: Any, cards: list[Card]) -> None:
    cursor = (
        Card.q(db)
        .find({"x": {"$gt": 1}})
        .sort("x", -1)
        .skip(1)
        .limit(2)
        .batch_size(3)
        .hint("x_1")
        .max_time_ms(5000)
        .collation({"locale": "en", "strength": 2})
        .comment("traced")
    )
    command = (await cursor.explain())["command"]
    assert command["filter"] == {"x": {"$gt": 1}}
    assert command["sort"] == {"x": -1}
    assert (command["skip"], command["limit"], command["batchSize"]) == (1, 2, 3)
    assert command["hint"] == "x_1"
    assert command["maxTimeMS"] == 5000
    assert command["collation"] == {"locale": "en", "strength": 2}
    assert command["comment"] == "traced"


async def test_collation_changes_matching(db: Any, cards: list[Card]) -> None:
    query = {"suit": "HEARTS"}
    assert await Card.q(db).find(query).to_list(None) == []
    insensitive = Card.q(db).find(query).collation({"locale": "en", "strength": 2})
    assert sorted(xs(await insensitive.to_list(None))) == [1, 2]


async def test_hint_on_a_missing_index_fails_in_the_server(db: Any, cards: list[Card]) -> None:
    with pytest.raises(pymongo.errors.OperationFailure):
        await Card.q(db).find().hint("no_such_index").to_list(None)


async def test_where_min_max_narrow_the_results(db: Any, cards: list[Card]) -> None:
    where = Card.q(db).find().where("this.x % 2 == 0").sort("x")
    assert xs(await where.to_list(None)) == [2, 4]
    bounded = Card.q(db).find().hint("x_1").min([("x", 2)]).max([("x", 4)])
    assert sorted(xs(await bounded.to_list(None))) == [2, 3]


async def test_query_flags_can_be_set_and_unset(db: Any, cards: list[Card]) -> None:
    no_timeout, partial = 16, 128
    cursor = Card.q(db).find().add_option(no_timeout).add_option(partial)
    assert cursor.remove_option(partial).limit(2) is cursor
    command = (await cursor.explain())["command"]
    assert command["noCursorTimeout"] is True
    assert "allowPartialResults" not in command
    assert command["limit"] == 2
    assert len(await cursor.to_list(None)) == 2
    assert len(await cursor.clone().to_list(None)) == 2
    flagged = Card.q(db).find().add_option(no_timeout)
    assert (await flagged.clone().explain())["command"]["noCursorTimeout"] is True
    assert len([card async for card in flagged]) == 5


async def test_max_await_time_ms_chains(db: Any, cards: list[Card]) -> None:
    cursor = Card.q(db).find()
    assert cursor.max_await_time_ms(100) is cursor
    assert len(await cursor.to_list(None)) == 5


async def test_distinct_returns_raw_values_of_the_results(db: Any, cards: list[Card]) -> None:
    assert sorted(await Card.q(db).find({"x": {"$gt": 1}}).distinct("suit")) == [
        "clubs",
        "hearts",
        "spades",
    ]
    assert await Card.q(db).find({"x": {"$lt": 3}}).distinct(key="suit") == ["hearts"]


async def test_explain_returns_the_query_plan(db: Any, cards: list[Card]) -> None:
    plan = await Card.q(db).find({"x": 3}).explain()
    assert isinstance(plan, dict)
    assert plan["queryPlanner"]["namespace"].endswith(".cards")


async def test_close_releases_the_cursor(db: Any, cards: list[Card]) -> None:
    cursor = Card.q(db).find().batch_size(1)
    assert len(await cursor.to_list(1)) == 1
    await cursor.close()
    assert await cursor.to_list(None) == []


# --- other driver methods: chained like the modifiers ------------------------------------


async def test_other_driver_methods_chain_like_modifiers(db: Any, cards: list[Card]) -> None:
    # 0.2 passes any other name to the driver's cursor and returns the queryset cursor.
    cursor = Card.q(db).find({}).sort("x", ASCENDING)
    assert xs(await cursor.to_list(None)) == [1, 2, 3, 4, 5]
    assert await cursor.to_list(None) == []
    assert cursor.rewind() is cursor
    assert xs(await cursor.to_list(2)) == [1, 2]
    assert cursor.rewind().limit(1) is cursor
    assert xs(await cursor.to_list(None)) == [1]


async def test_non_callable_or_missing_attributes_raise_attribute_error(
    db: Any, cards: list[Card]
) -> None:
    cursor = Card.q(db).find({})
    assert hasattr(cursor.cursor, "alive")
    with pytest.raises(AttributeError, match="'alive'"):
        cursor.alive  # noqa: B018
    with pytest.raises(AttributeError, match="'no_such_method'"):
        cursor.no_such_method()
    assert not hasattr(cursor, "no_such_method")
    with pytest.raises(AttributeError, match="'_Cursor__data'"):
        cursor._Cursor__data  # noqa: B018


class FakeDriverCursor:
    """Records calls, as a stand-in for a driver cursor's methods."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.size = 3

    def tweak(self, *args: Any, **kwargs: Any) -> FakeDriverCursor:
        self.calls.append(("tweak", args, kwargs))
        return self

    async def prepare(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("prepare", args, kwargs))

    async def to_list(self, length: int | None) -> list[dict[str, Any]]:
        self.calls.append(("to_list", (length,), {}))
        return [{"name": "a", "x": 1}]


async def test_fallback_passes_positional_and_keyword_arguments() -> None:
    driver = FakeDriverCursor()
    cursor = MotorQuerySetCursor(Card, driver)
    assert cursor.tweak(1, 2, key="value") is cursor
    assert driver.calls == [("tweak", (1, 2), {"key": "value"})]
    with pytest.raises(AttributeError, match="'size'"):
        cursor.size  # noqa: B018


async def test_fallback_defers_coroutine_methods_until_the_first_fetch() -> None:
    driver = FakeDriverCursor()
    cursor = MotorQuerySetCursor(Card, driver)
    assert cursor.prepare(flag=True).tweak(2) is cursor
    assert driver.calls == []
    assert [card.name for card in await cursor.to_list(None)] == ["a"]
    assert driver.calls == [
        ("prepare", (), {"flag": True}),
        ("tweak", (2,), {}),
        ("to_list", (None,), {}),
    ]


MODIFIERS = [
    "sort",
    "skip",
    "limit",
    "batch_size",
    "hint",
    "max_time_ms",
    "max_await_time_ms",
    "collation",
    "comment",
    "where",
    "min",
    "max",
    "allow_disk_use",
    "add_option",
    "remove_option",
]


@pytest.mark.parametrize("name", MODIFIERS)
def test_modifiers_are_documented_methods(name: str) -> None:
    function = getattr(MotorQuerySetCursor, name)
    assert inspect.isfunction(function)
    assert function.__name__ == name
    assert function.__qualname__ == f"MotorQuerySetCursor.{name}"
    assert f"``{name}``" in function.__doc__
    bound = getattr(MotorQuerySetCursor(Card, FakeDriverCursor()), name)
    assert inspect.ismethod(bound)
    assert bound.__doc__ == function.__doc__


@pytest.mark.parametrize("name", MODIFIERS)
def test_modifiers_call_the_driver_with_the_same_arguments(name: str) -> None:
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    class Driver:
        def __getattr__(self, attribute: str) -> Any:
            def method(*args: Any, **kwargs: Any) -> None:
                calls.append((attribute, args, kwargs))

            return method

    cursor = MotorQuerySetCursor(Card, Driver())
    assert getattr(cursor, name)(1, option=2) is cursor
    assert calls == [(name, (1,), {"option": 2})]
