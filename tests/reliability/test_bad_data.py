"""Writes with bad data fail before anything reaches the collection.

Invalid field values stop ``q(db).create(...)`` at validation. A value BSON cannot encode
(an ``AnyField`` holding any Python object) passes validation, since ``AnyField`` accepts
everything, and is refused by the driver while it encodes the command: the server never
receives the write, so the stored document stays as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from bson.errors import InvalidDocument

from aiomongodel import AnyField, Document, IntField, StrField, ValidationError


class Item(Document):
    name = StrField(max_length=10)
    quantity = IntField(gte=0)
    extra = AnyField(required=False)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        pytest.param(
            {"name": "pen", "quantity": "many"},
            {"quantity": "invalid value type"},
            id="wrong-type",
        ),
        pytest.param({"name": "pen"}, {"quantity": "field is required"}, id="missing"),
        pytest.param(
            {"name": "a name that is too long", "quantity": -1},
            {"name": "length is greater than 10", "quantity": "value is less than 0"},
            id="constraints",
        ),
    ],
)
async def test_create_with_invalid_data_stores_nothing(
    db: Any, values: dict[str, Any], errors: dict[str, str]
) -> None:
    with pytest.raises(ValidationError) as raised:
        await Item.q(db).create(**values)

    assert raised.value.as_dict() == errors
    assert await Item.coll(db).count_documents({}) == 0


async def test_save_of_unencodable_value_keeps_the_stored_document(db: Any) -> None:
    item = Item(name="pen", quantity=3, extra={"colour": "blue", "sizes": [1, 2]})
    await item.save(db)
    stored_before = await Item.coll(db).find_one({"_id": item._id})
    assert stored_before == item.to_mongo()

    item.quantity = 4
    item.extra = {"colour": "red", "sizes": [1, object()]}
    with pytest.raises(InvalidDocument, match="cannot encode object") as raised:
        await item.save(db)

    # The message names the document class, the path of the value and its type.
    assert "Item: cannot store the value at 'extra.sizes.1'" in str(raised.value)
    assert "<class 'object'>" in str(raised.value)
    assert await Item.coll(db).find_one({"_id": item._id}) == stored_before
    assert await Item.coll(db).count_documents({}) == 1
    await item.reload(db)
    assert item.to_mongo() == stored_before
    assert item.quantity == 3
    assert item.extra == {"colour": "blue", "sizes": [1, 2]}


async def test_create_with_unencodable_value_stores_nothing(db: Any) -> None:
    with pytest.raises(InvalidDocument, match=r"value at 'extra'.*cannot encode object"):
        await Item.q(db).create(name="pen", quantity=1, extra=object())

    assert await Item.coll(db).count_documents({}) == 0


async def test_update_with_unencodable_value_keeps_the_stored_document(db: Any) -> None:
    item = await Item.q(db).create(name="pen", quantity=1, extra=[1, 2])
    stored_before = await Item.coll(db).find_one({"_id": item._id})

    with pytest.raises(InvalidDocument, match=r"value at '\$set.extra'.*cannot encode object"):
        await item.update(db, {"$set": {Item.extra.s: object(), Item.quantity.s: 2}})

    assert await Item.coll(db).find_one({"_id": item._id}) == stored_before
    assert item.quantity == 1
