"""``aiomongodel-fields`` installed alone: no documents, no querysets, no Motor.

Runs only in the environment where just ``aiomongodel-fields`` is installed
(``hatch run fields:test``). ``aiomongodel`` is then a PEP 420 namespace package, and
fields, errors and validation work on their own.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

import aiomongodel
from aiomongodel.errors import ValidationError
from aiomongodel.fields import EmbDocField, IntField, ListField, RefField, StrField


class TestEnvironment:
    @pytest.mark.parametrize("module", ["motor", "aiomongodel.document", "aiomongodel.queryset"])
    def test_is_not_installed(self, module: str) -> None:
        assert importlib.util.find_spec(module) is None

    def test_aiomongodel_is_a_namespace_package(self) -> None:
        assert aiomongodel.__file__ is None
        assert type(aiomongodel.__path__).__name__ == "_NamespacePath"
        assert aiomongodel.__spec__ is not None
        assert aiomongodel.__spec__.origin is None
        locations = list(aiomongodel.__path__)
        assert locations
        assert not any(os.path.exists(os.path.join(p, "__init__.py")) for p in locations)

    def test_the_namespace_holds_the_fields_modules(self) -> None:
        assert any(os.path.exists(os.path.join(p, "fields.py")) for p in aiomongodel.__path__)
        assert not hasattr(aiomongodel, "Document")

    def test_importing_fields_imports_no_document_and_no_motor(self) -> None:
        assert "aiomongodel.document" not in sys.modules
        assert not any(name == "motor" or name.startswith("motor.") for name in sys.modules)


class TestFieldsWork:
    def test_str_field_validates(self) -> None:
        field = StrField(max_length=3)
        field.__set_name__(object, "code")
        field.validate("abc")
        with pytest.raises(ValidationError) as info:
            field.validate("abcd")
        assert info.value.as_dict() == "length is greater than 3"
        assert field.s == "code"

    def test_conversion_and_nested_list_errors(self) -> None:
        field = ListField(IntField(gt=0))
        field.__set_name__(object, "numbers")
        values = field.from_data(["1", 2, "-3"])
        assert values == [1, 2, -3]
        with pytest.raises(ValidationError) as info:
            field.validate(values)
        assert info.value.as_dict() == {2: "value should be greater than 0"}

    def test_none_message_and_translation(self) -> None:
        field = StrField()
        field.__set_name__(object, "name")
        with pytest.raises(ValidationError) as info:
            field.validate(None)
        assert info.value.as_dict() == "none value is not allowed"
        translated = info.value.as_dict({"none value is not allowed": "empty!"})
        assert translated == "empty!"

    def test_document_fields_can_be_declared_by_path(self) -> None:
        """Declaring them imports nothing; only resolving the class needs the document package."""
        emb = EmbDocField("myapp.models.Comment", required=False)
        ref = RefField("myapp.models.User")
        assert emb.required is False
        assert ref.required is True
        assert "aiomongodel.document" not in sys.modules
        with pytest.raises(ImportError):
            emb.document_class  # noqa: B018

    def test_a_field_has_its_json_schema(self) -> None:
        from aiomongodel.json_schema import field_schema

        field = ListField(IntField(gte=0), max_length=3, allow_none=True)
        field.__set_name__(object, "scores")
        assert field_schema(field) == {
            "bsonType": ["array", "null"],
            "maxItems": 3,
            "items": {"bsonType": ["int", "long"], "minimum": 0},
        }
        assert "aiomongodel.document" not in sys.modules
