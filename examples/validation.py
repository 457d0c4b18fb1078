"""Validation: nested error messages, and translating them."""

from __future__ import annotations

from typing import Any

from aiomongodel import Document
from aiomongodel.errors import ValidationError
from aiomongodel.fields import FloatField, IntField, StrField


class Model(Document):
    name = StrField(max_length=7)
    value = IntField(gt=5, lte=13)
    data = FloatField()


async def main(db: Any = None) -> None:
    """Validate in memory (no database needed)."""
    Model(name="xxx", value=10, data=1.6).validate()
    print("  Model(name='xxx', value=10, data=1.6) is valid")

    # Building or assigning invalid data raises nothing: validate() reports it.
    invalid = Model(name="too long string", value=0)
    try:
        invalid.validate()
    except ValidationError as error:
        errors = error.as_dict()
        print(f"  errors: {errors}")
        assert errors == {
            "name": "length is greater than 7",
            "value": "value should be greater than 5",
            "data": "field is required",
        }
        translation = {
            "field is required": "This field is required",
            "length is greater than {constraint}": (
                "Length of the field is greater than {constraint} characters"
            ),
        }
        translated = error.as_dict(translation=translation)
        print(f"  translated: {translated}")
        assert translated == {
            "name": "Length of the field is greater than 7 characters",
            "value": "value should be greater than 5",
            "data": "This field is required",
        }
    else:
        raise AssertionError("invalid data passed validation")


if __name__ == "__main__":
    from examples.connect import run

    run(main)
