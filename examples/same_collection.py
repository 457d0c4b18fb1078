"""Several models in one collection, told apart by a field and a from_mongo override."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiomongodel import Document
from aiomongodel.fields import BoolField, ListField, StrField, SynonymField


class Mixin:
    is_active = BoolField(default=True)


class User(Mixin, Document):
    _id = StrField()
    role = StrField()
    name = SynonymField(_id)

    class Meta:
        collection = "users"

    @classmethod
    def from_mongo(cls, data: Mapping[str, Any]) -> Any:
        # Build the model that matches the stored role.
        if data["role"] == "customer":
            return super(User, Customer).from_mongo(data)
        if data["role"] == "admin":
            return super(User, Admin).from_mongo(data)
        return super().from_mongo(data)


class Customer(User):
    role = StrField(default="customer", choices=["customer"])
    address = StrField()

    class Meta:
        collection = "users"
        default_query = {User.role.s: "customer"}


class Admin(User):
    role = StrField(default="admin", choices=["admin"])
    rights = ListField(StrField(), default=list)

    class Meta:
        collection = "users"
        default_query = {User.role.s: "admin"}


async def main(db: Any) -> None:
    await Customer.q(db).create(name="ann", address="1 Main St")
    await Admin.q(db).create(name="bob", rights=["delete"])

    everyone = await User.q(db).find({}).sort(User.name.s).to_list(None)
    print(f"  User.q finds: {everyone}")
    assert [type(u) for u in everyone] == [Customer, Admin]

    customers = await Customer.q(db).find({}).to_list(None)
    assert [c.name for c in customers] == ["ann"]
    assert await Admin.q(db).count_documents({}) == 1
    print(f"  Customer.q finds {len(customers)}, Admin.q counts 1")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
