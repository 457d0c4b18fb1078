"""Static typing of fields, checked by ``mypy --strict`` (pytest does not collect this module).

Fields are generic descriptors: on a document instance a required field (without
``allow_none``) has the field's value type, an optional one that type or ``None``; on the
document class it is the field itself.

Each claim is made three ways: ``assert_type`` (exact), an annotated assignment that
must type-check, and an assignment that must NOT type-check, marked ``# type:
ignore[assignment]`` for mypy and ``# pyright: ignore[reportAssignmentType]`` for
pyright. Both are set to report an ignore that is not needed, so the last kind proves
that the inferred type is neither ``Any`` nor wider or narrower than claimed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from bson import ObjectId
from typing_extensions import assert_type

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


class Address(EmbeddedDocument):
    city = StrField()


class Other(EmbeddedDocument):
    text = StrField()


class User(Document[str]):
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
    assert_type(user.age, int)
    assert_type(user.rate, float)
    assert_type(user.balance, Decimal)
    assert_type(user.is_active, bool)
    assert_type(user.created, datetime)
    assert_type(user.token, ObjectId)
    assert_type(user.address, Address)
    assert_type(user.scores, list[int])
    assert_type(user.addresses, list[Address])
    assert_type(user.matrix, list[list[float]])
    assert_type(user.name, str)
    assert_type(user.best_friend, Any)

    email: str | None = user.email
    age: int = user.age
    rate: float = user.rate
    balance: Decimal = user.balance
    is_active: bool = user.is_active
    created: datetime = user.created
    token: ObjectId = user.token
    address: Address = user.address
    scores: list[int] = user.scores
    addresses: list[Address] = user.addresses
    matrix: list[list[float]] = user.matrix
    name: str = user.name

    email_not_int: int | None = user.email  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    email_may_be_none: str = user.email  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    age_not_str: str = user.age  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    rate_not_str: str = user.rate  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    balance_not_float: float = user.balance  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    is_active_not_str: str = user.is_active  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    created_not_str: str = user.created  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    token_not_str: str = user.token  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    address_not_other: Other = user.address  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    scores_not_str: list[str] = user.scores  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    addresses_not_other: list[Other] = user.addresses  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    matrix_not_flat: list[float] = user.matrix  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    name_not_int: int = user.name  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]

    del email, age, rate, balance, is_active, created, token, address, scores, addresses
    del matrix, name, email_not_int, email_may_be_none, age_not_str
    del rate_not_str, balance_not_float, is_active_not_str, created_not_str, token_not_str
    del address_not_other, scores_not_str, addresses_not_other, matrix_not_flat, name_not_int


def values_of_typed_fields(user: User) -> None:
    next_year: int = user.age + 1
    city: str = user.address.city
    cities: list[str] = [a.city for a in user.addresses]
    del next_year, city, cities


def untyped_fields(user: User) -> None:
    # AnyField holds anything; classes named by a dotted path are not known statically.
    extra: Any = user.extra
    lazy: Any = user.lazy_address
    friend: Any = user.best_friend
    del extra, lazy, friend


def class_attributes() -> None:
    assert_type(User.email, EmailField[str | None])
    assert_type(User.age, IntField)
    assert_type(User.address, EmbDocField[Address])
    assert_type(User.scores, ListField[int])
    assert_type(User.name, Field[str])

    email: EmailField[str | None] = User.email
    age: IntField = User.age
    rate: FloatField = User.rate
    balance: DecimalField = User.balance
    is_active: BoolField = User.is_active
    created: DateTimeField = User.created
    token: ObjectIdField = User.token
    extra: AnyField = User.extra
    address: EmbDocField[Address] = User.address
    scores: ListField[int] = User.scores
    best_friend: RefField[Any, Any] = User.best_friend
    name: Field[str] = User.name

    age_not_str_field: StrField = User.age  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    scores_not_str_list: ListField[str] = User.scores  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    address_not_other: EmbDocField[Other] = User.address  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]

    del email, age, rate, balance, is_active, created, token, extra, address, scores
    del best_friend, name, age_not_str_field, scores_not_str_list, address_not_other


def mongo_names() -> None:
    assert_type(User.age.s, str)
    query: dict[str, Any] = {User.age.s: 1, User.name.s: "ann", User.addresses.city.s: "Kyiv"}
    del query


def assignment_takes_user_data(user: User) -> None:
    # Fields convert on assignment (``from_data``); validation comes later.
    user.age = 42
    user.email = None
    user.scores = [1, 2]
    user.address = Address(city="Kyiv")


def errors(error: ValidationError) -> None:
    rendered = error.as_dict({"field is required": "required!"})
    if isinstance(rendered, dict):
        for key, message in rendered.items():
            del key, message
