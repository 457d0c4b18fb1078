"""The README's "Models Inheritance With Same Collection" example, as written there."""

from __future__ import annotations

from typing import Any

import pytest

from aiomongodel.document import Document
from aiomongodel.errors import ValidationError
from aiomongodel.fields import BoolField, ListField, StrField, SynonymField
from tests.documents import assert_same_document

# "Models Inheritance With Same Collection".


class Mixin:
    is_active = BoolField(default=True)


class User(Mixin, Document):
    _id = StrField()
    role = StrField()
    name = SynonymField(_id)

    class Meta:
        collection = "users"

    @classmethod
    def from_mongo(cls, data: Any) -> Any:
        if data["role"] == "customer":
            return super(User, Customer).from_mongo(data)
        if data["role"] == "admin":
            return super(User, Admin).from_mongo(data)
        return None


class Customer(User):
    role = StrField(default="customer", choices=["customer"])
    address = StrField()

    class Meta:
        collection = "users"
        default_query = {User.role.s: "customer"}


class Admin(User):
    role = StrField(default="admin", choices=["admin"])
    rights = ListField(StrField(), default=lambda: list())

    class Meta:
        collection = "users"
        default_query = {User.role.s: "admin"}


class TestSameCollection:
    def test_meta(self) -> None:
        assert User.meta.collection_name == "users"
        assert Customer.meta.collection_name == "users"
        assert Admin.meta.collection_name == "users"
        assert Customer.meta.default_query == {"role": "customer"}
        assert Admin.meta.default_query == {"role": "admin"}
        assert not User.meta.default_query

    def test_fields(self) -> None:
        assert set(Customer.meta.fields) == {"_id", "is_active", "role", "address"}
        assert set(Admin.meta.fields) == {"_id", "is_active", "role", "rights"}
        assert Customer.name.s == "_id"
        assert Admin.role.choices == {"admin"}
        assert User.role.choices is None

    def test_defaults_set_the_role(self) -> None:
        customer = Customer(name="bob", address="Kyiv")
        assert customer.to_mongo() == {
            "_id": "bob",
            "is_active": True,
            "role": "customer",
            "address": "Kyiv",
        }
        assert customer.validate() is customer
        admin = Admin(name="root")
        assert admin.rights == []
        assert admin.role == "admin"

    def test_overridden_role_refuses_the_other_role(self) -> None:
        with pytest.raises(ValidationError) as info:
            Customer(name="bob", address="x", role="admin").validate()
        assert info.value.as_dict() == {"role": "value does not match any variant"}

    def test_loading_dispatches_on_the_role(self) -> None:
        customer = User.from_mongo(
            {"_id": "bob", "role": "customer", "is_active": True, "address": "Kyiv"}
        )
        assert type(customer) is Customer
        assert customer.address == "Kyiv"
        assert customer.name == "bob"

        admin = User.from_mongo(
            {"_id": "root", "role": "admin", "is_active": False, "rights": ["all"]}
        )
        assert type(admin) is Admin
        assert admin.rights == ["all"]
        assert admin.is_active is False

    def test_loading_through_a_subclass_dispatches_too(self) -> None:
        assert type(Customer.from_mongo({"_id": "root", "role": "admin"})) is Admin
        assert type(Admin.from_mongo({"_id": "bob", "role": "customer"})) is Customer

    def test_round_trip_through_the_parent(self) -> None:
        customer = Customer(name="bob", address="Kyiv")
        admin = Admin(name="root", rights=["read"])
        assert_same_document(User.from_mongo(customer.to_mongo()), customer)
        assert_same_document(User.from_mongo(admin.to_mongo()), admin)

    def test_loading_other_roles_gives_none(self) -> None:
        assert User.from_mongo({"_id": "x", "role": "guest"}) is None
