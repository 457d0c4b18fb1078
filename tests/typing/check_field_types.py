"""Static typing of fields, checked by ``mypy --strict`` (pytest does not collect this module).

Fields are generic descriptors: on a document instance an attribute has the field's value
type or ``None`` (unset), on the document class it is the field itself.

Each claim is made three ways: ``assert_type`` (exact, checked when mypy targets Python
3.11+), an annotated assignment that must type-check, and an assignment that must NOT
type-check, marked ``# type: ignore[assignment]``. Under ``--strict`` an ignore that is
not needed is itself an error, so the last kind proves that the inferred type is neither
``Any`` nor wider or narrower than claimed, whatever Python version mypy targets.
"""

from __future__ import annotations

import sys
from datetime import datetime
from decimal import Decimal
from typing import Any

from bson import ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
    SynonymField,
)

if sys.version_info >= (3, 11):
    from typing import assert_type
else:

    def assert_type(value: object, expected_type: object, /) -> object:
        """Stand-in: ``typing.assert_type`` exists from Python 3.11 on."""
        return value


class Address(EmbeddedDocument):
    city = StrField()


class Other(EmbeddedDocument):
    text = StrField()


class User(Document):
    _id = StrField()
    name = SynonymField(_id)
    email = EmailField(required=False)
    age = IntField(gte=0)
    rate = FloatField()
    balance = DecimalField()
    is_active = BoolField(default=True)
    created = DateTimeField()
    token = ObjectIdField()
    extra = AnyField(required=False)
    address = EmbDocField(Address)
    lazy_address = EmbDocField("tests.typing.check_field_types.Address")
    scores = ListField(IntField())
    addresses = ListField(EmbDocField(Address))
    matrix = ListField(ListField(FloatField()))
    best_friend = RefField("tests.typing.check_field_types.User", required=False)


def instance_attributes(user: User) -> None:
    assert_type(user.email, str | None)
    assert_type(user.age, int | None)
    assert_type(user.rate, float | None)
    assert_type(user.balance, Decimal | None)
    assert_type(user.is_active, bool | None)
    assert_type(user.created, datetime | None)
    assert_type(user.token, ObjectId | None)
    assert_type(user.address, Address | None)
    assert_type(user.scores, list[int] | None)
    assert_type(user.addresses, list[Address] | None)
    assert_type(user.matrix, list[list[float]] | None)
    assert_type(user.name, str | None)

    email: str | None = user.email
    age: int | None = user.age
    rate: float | None = user.rate
    balance: Decimal | None = user.balance
    is_active: bool | None = user.is_active
    created: datetime | None = user.created
    token: ObjectId | None = user.token
    address: Address | None = user.address
    scores: list[int] | None = user.scores
    addresses: list[Address] | None = user.addresses
    matrix: list[list[float]] | None = user.matrix
    name: str | None = user.name

    email_not_int: int | None = user.email  # type: ignore[assignment]
    email_may_be_none: str = user.email  # type: ignore[assignment]
    age_not_str: str | None = user.age  # type: ignore[assignment]
    age_may_be_none: int = user.age  # type: ignore[assignment]
    rate_not_str: str | None = user.rate  # type: ignore[assignment]
    balance_not_float: float | None = user.balance  # type: ignore[assignment]
    is_active_not_str: str | None = user.is_active  # type: ignore[assignment]
    created_not_str: str | None = user.created  # type: ignore[assignment]
    token_not_str: str | None = user.token  # type: ignore[assignment]
    address_not_other: Other | None = user.address  # type: ignore[assignment]
    address_may_be_none: Address = user.address  # type: ignore[assignment]
    scores_not_str: list[str] | None = user.scores  # type: ignore[assignment]
    scores_may_be_none: list[int] = user.scores  # type: ignore[assignment]
    addresses_not_other: list[Other] | None = user.addresses  # type: ignore[assignment]
    matrix_not_flat: list[float] | None = user.matrix  # type: ignore[assignment]
    name_not_int: int | None = user.name  # type: ignore[assignment]

    del email, age, rate, balance, is_active, created, token, address, scores, addresses
    del matrix, name, email_not_int, email_may_be_none, age_not_str, age_may_be_none
    del rate_not_str, balance_not_float, is_active_not_str, created_not_str, token_not_str
    del address_not_other, address_may_be_none, scores_not_str, scores_may_be_none
    del addresses_not_other, matrix_not_flat, name_not_int


def values_of_typed_fields(user: User) -> None:
    if user.age is not None:
        next_year: int = user.age + 1
        del next_year
    if user.address is not None:
        city: str | None = user.address.city
        del city
    if user.addresses is not None:
        cities: list[str | None] = [a.city for a in user.addresses]
        del cities


def untyped_fields(user: User) -> None:
    # AnyField holds anything; lazily resolved classes and references are not known
    # statically.
    extra: Any = user.extra
    lazy: Any = user.lazy_address
    friend: Any = user.best_friend
    del extra, lazy, friend


def class_attributes() -> None:
    assert_type(User.email, EmailField)
    assert_type(User.age, IntField)
    assert_type(User.address, EmbDocField[Address])
    assert_type(User.scores, ListField[int])
    assert_type(User.name, Field[str])

    email: EmailField = User.email
    age: IntField = User.age
    rate: FloatField = User.rate
    balance: DecimalField = User.balance
    is_active: BoolField = User.is_active
    created: DateTimeField = User.created
    token: ObjectIdField = User.token
    extra: AnyField = User.extra
    address: EmbDocField[Address] = User.address
    scores: ListField[int] = User.scores
    best_friend: RefField = User.best_friend
    name: Field[str] = User.name

    age_not_str_field: StrField = User.age  # type: ignore[assignment]
    scores_not_str_list: ListField[str] = User.scores  # type: ignore[assignment]
    address_not_other: EmbDocField[Other] = User.address  # type: ignore[assignment]

    del email, age, rate, balance, is_active, created, token, extra, address, scores
    del best_friend, name, age_not_str_field, scores_not_str_list, address_not_other


def mongo_names() -> None:
    assert_type(User.age.s, str)
    query: dict[str, Any] = {User.age.s: 1, User.name.s: "ann", User.addresses.city.s: "Kyiv"}
    del query


def assignment_takes_user_data(user: User) -> None:
    # Fields convert on assignment (``from_data``); validation comes later.
    user.age = 42
    user.age = None
    user.scores = [1, 2]
    user.address = Address(city="Kyiv")


def errors(error: ValidationError) -> None:
    rendered = error.as_dict({"field is required": "required!"})
    if isinstance(rendered, dict):
        for key, message in rendered.items():
            del key, message
