"""The exceptions: hierarchy, ValidationError rendering and translation, DuplicateKeyError."""

from __future__ import annotations

from typing import Any

import pymongo.errors
import pytest

from aiomongodel.errors import (
    AioMongodelException,
    DocumentNotFoundError,
    DuplicateKeyError,
    Error,
    StopValidation,
    ValidationError,
)
from aiomongodel.fields import EmailField, Field, IntField, ListField, StrField
from aiomongodel.utils import _Empty

# The 15 templates of the documented translation table, each with a field and a value
# producing it, and the message rendered without translation.
MESSAGES: list[tuple[str, Field[Any], Any, str]] = [
    ("field is required", StrField(), _Empty, "field is required"),
    ("none value is not allowed", StrField(), None, "none value is not allowed"),
    ("blank value is not allowed", StrField(), "", "blank value is not allowed"),
    ("invalid value type", IntField(), "x", "invalid value type"),
    (
        "value does not match any variant",
        StrField(choices=["a"]),
        "b",
        "value does not match any variant",
    ),
    (
        "value does not match pattern {constraint}",
        StrField(regex=r"^\d+$"),
        "x",
        r"value does not match pattern ^\d+$",
    ),
    ("length is less than {constraint}", StrField(min_length=2), "a", "length is less than 2"),
    (
        "length is greater than {constraint}",
        StrField(max_length=1),
        "ab",
        "length is greater than 1",
    ),
    ("value is less than {constraint}", IntField(gte=3), 2, "value is less than 3"),
    ("value is greater than {constraint}", IntField(lte=3), 4, "value is greater than 3"),
    (
        "value should be greater than {constraint}",
        IntField(gt=3),
        3,
        "value should be greater than 3",
    ),
    ("value should be less than {constraint}", IntField(lt=3), 3, "value should be less than 3"),
    (
        "list length is less than {constraint}",
        ListField(IntField(), min_length=2),
        [1],
        "list length is less than 2",
    ),
    (
        "list length is greater than {constraint}",
        ListField(IntField(), max_length=1),
        [1, 2],
        "list length is greater than 1",
    ),
    (
        "value is not a valid email address",
        EmailField(),
        "not an address",
        "value is not a valid email address",
    ),
]

GERMAN = {
    "field is required": "Pflichtfeld",
    "none value is not allowed": "None ist nicht erlaubt",
    "blank value is not allowed": "leerer Wert ist nicht erlaubt",
    "invalid value type": "ungültiger Typ",
    "value does not match any variant": "keine der Varianten",
    "value does not match pattern {constraint}": "passt nicht zum Muster {constraint}",
    "length is less than {constraint}": "kürzer als {constraint}",
    "length is greater than {constraint}": "länger als {constraint} Zeichen",
    "value is less than {constraint}": "kleiner als {constraint}",
    "value is greater than {constraint}": "größer als {constraint}",
    "value should be greater than {constraint}": "muss größer als {constraint} sein",
    "value should be less than {constraint}": "muss kleiner als {constraint} sein",
    "list length is less than {constraint}": "weniger als {constraint} Einträge",
    "list length is greater than {constraint}": "mehr als {constraint} Einträge",
    "value is not a valid email address": "keine gültige E-Mail-Adresse",
}

GERMAN_RENDERED = {
    "field is required": "Pflichtfeld",
    "none value is not allowed": "None ist nicht erlaubt",
    "blank value is not allowed": "leerer Wert ist nicht erlaubt",
    "invalid value type": "ungültiger Typ",
    "value does not match any variant": "keine der Varianten",
    "value does not match pattern {constraint}": r"passt nicht zum Muster ^\d+$",
    "length is less than {constraint}": "kürzer als 2",
    "length is greater than {constraint}": "länger als 1 Zeichen",
    "value is less than {constraint}": "kleiner als 3",
    "value is greater than {constraint}": "größer als 3",
    "value should be greater than {constraint}": "muss größer als 3 sein",
    "value should be less than {constraint}": "muss kleiner als 3 sein",
    "list length is less than {constraint}": "weniger als 2 Einträge",
    "list length is greater than {constraint}": "mehr als 1 Einträge",
    "value is not a valid email address": "keine gültige E-Mail-Adresse",
}


def raised(field: Field[Any], value: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        field.validate(value)
    return info.value


class TestHierarchy:
    def test_bases(self) -> None:
        assert issubclass(AioMongodelException, Exception)
        assert issubclass(Error, AioMongodelException)
        assert issubclass(ValidationError, Error)
        assert issubclass(DocumentNotFoundError, Error)
        assert issubclass(DuplicateKeyError, Error)
        assert issubclass(StopValidation, AioMongodelException)

    def test_stop_validation_is_not_an_error(self) -> None:
        assert not issubclass(StopValidation, Error)

    def test_catch_all_aiomongodel_errors(self) -> None:
        for exc in (
            ValidationError("invalid value type"),
            DocumentNotFoundError(),
            DuplicateKeyError("E11000 duplicate key error"),
        ):
            with pytest.raises(Error):
                raise exc


class TestValidationMessages:
    def test_table_covers_the_documented_template(self) -> None:
        assert [template for template, *_ in MESSAGES] == list(GERMAN)
        assert len(GERMAN) == 15

    @pytest.mark.parametrize(
        ("template", "field", "value", "message"), MESSAGES, ids=[m[0] for m in MESSAGES]
    )
    def test_default_message(self, template: str, field: Field[Any], value: Any, message: str):
        error = raised(field, value)
        assert error.error == template
        assert error.as_dict() == message
        assert error.as_dict(translation=None) == message
        assert error.as_dict(translation={}) == message

    @pytest.mark.parametrize(
        ("template", "field", "value", "message"), MESSAGES, ids=[m[0] for m in MESSAGES]
    )
    def test_translated_message(self, template: str, field: Field[Any], value: Any, message: str):
        assert raised(field, value).as_dict(translation=GERMAN) == GERMAN_RENDERED[template]

    @pytest.mark.parametrize(
        ("template", "field", "value", "message"), MESSAGES, ids=[m[0] for m in MESSAGES]
    )
    def test_partial_translation_keeps_other_messages(
        self, template: str, field: Field[Any], value: Any, message: str
    ) -> None:
        partial = {k: v for k, v in GERMAN.items() if k != template}
        assert raised(field, value).as_dict(translation=partial) == message

    def test_constraint_attribute(self) -> None:
        error = raised(StrField(max_length=7), "too long string")
        assert error.constraint == 7
        assert raised(StrField(), None).constraint is _Empty

    def test_translation_may_drop_or_move_the_constraint(self) -> None:
        error = raised(StrField(max_length=7), "too long string")
        assert error.as_dict({"length is greater than {constraint}": "too long"}) == "too long"
        assert (
            error.as_dict({"length is greater than {constraint}": "{constraint} is the maximum"})
            == "7 is the maximum"
        )

    def test_readme_translation(self) -> None:
        translation = {
            "field is required": "This field is required",
            "length is greater than {constraint}": (
                "Length of the field is greater than {constraint} characters"
            ),
        }
        error = ValidationError(
            {
                "name": raised(StrField(max_length=7), "too long string"),
                "value": raised(IntField(gt=5, lte=13), 0),
                "data": raised(Field(), _Empty),
            }
        )
        assert error.as_dict() == {
            "name": "length is greater than 7",
            "value": "value should be greater than 5",
            "data": "field is required",
        }
        assert error.as_dict(translation=translation) == {
            "name": "Length of the field is greater than 7 characters",
            "value": "value should be greater than 5",
            "data": "This field is required",
        }


class TestValidationError:
    def test_plain_message(self) -> None:
        error = ValidationError("something is wrong")
        assert error.error == "something is wrong"
        assert error.constraint is _Empty
        assert error.as_dict() == "something is wrong"

    def test_message_with_constraint(self) -> None:
        error = ValidationError("length is greater than {constraint}", 10)
        assert error.constraint == 10
        assert error.as_dict() == "length is greater than 10"
        assert error.as_dict({"length is greater than {constraint}": "max {constraint}"}) == (
            "max 10"
        )

    def test_constraint_with_braces_is_not_reformatted(self) -> None:
        error = ValidationError("value does not match pattern {constraint}", r"^\d{3}$")
        assert error.as_dict() == r"value does not match pattern ^\d{3}$"

    def test_str_shows_the_message(self) -> None:
        assert str(ValidationError("length is greater than {constraint}", 10)) == (
            "length is greater than 10"
        )

    def test_nested_errors(self) -> None:
        error = ValidationError(
            {
                "a": ValidationError("field is required"),
                "b": ValidationError(
                    {
                        0: ValidationError("invalid value type"),
                        2: ValidationError("length is less than {constraint}", 3),
                    }
                ),
                "c": ValidationError({"d": ValidationError({"e": ValidationError("x")})}),
            }
        )
        assert error.as_dict() == {
            "a": "field is required",
            "b": {0: "invalid value type", 2: "length is less than 3"},
            "c": {"d": {"e": "x"}},
        }

    def test_nested_errors_are_translated(self) -> None:
        error = ValidationError(
            {
                "a": ValidationError("field is required"),
                "b": ValidationError({0: ValidationError("length is less than {constraint}", 3)}),
            }
        )
        assert error.as_dict(GERMAN) == {"a": "Pflichtfeld", "b": {0: "kürzer als 3"}}

    def test_nested_error_attribute(self) -> None:
        inner = ValidationError("field is required")
        error = ValidationError({"a": inner})
        assert error.error == {"a": inner}

    def test_raised_and_caught(self) -> None:
        with pytest.raises(ValidationError) as info:
            raise ValidationError({"name": ValidationError("field is required")})
        assert info.value.as_dict() == {"name": "field is required"}


class TestValidationErrorText:
    """``str``, ``repr`` and ``args`` exactly as aiomongodel 0.2 has them."""

    def test_str_of_a_message(self) -> None:
        assert str(ValidationError("x")) == "x"
        assert str(ValidationError("value is less than {constraint}", 3)) == (
            "value is less than 3"
        )

    def test_str_of_nested_errors_is_the_str_of_the_dict(self) -> None:
        error = ValidationError({"name": ValidationError("field is required")})
        assert str(error) == "{'name': ValidationError(field is required)}"
        nested = ValidationError(
            {
                "a": ValidationError({0: ValidationError("length is less than {constraint}", 2)}),
                "b": ValidationError("x"),
            }
        )
        assert str(nested) == (
            "{'a': ValidationError({0: ValidationError(length is less than 2)}), "
            "'b': ValidationError(x)}"
        )

    @pytest.mark.parametrize(
        "error",
        [
            ValidationError("x"),
            ValidationError("length is greater than {constraint}", 7),
            ValidationError({"name": ValidationError("field is required")}),
            ValidationError({1: ValidationError({"a": ValidationError("y")})}),
            ValidationError(),
        ],
    )
    def test_repr_wraps_the_str(self, error: ValidationError) -> None:
        assert repr(error) == f"ValidationError({error})"

    def test_repr_examples(self) -> None:
        assert repr(ValidationError("x")) == "ValidationError(x)"
        assert repr(ValidationError({"n": ValidationError("invalid value type")})) == (
            "ValidationError({'n': ValidationError(invalid value type)})"
        )

    def test_without_an_error(self) -> None:
        error = ValidationError()
        assert error.error is None
        assert error.as_dict() is None
        assert str(error) == "None"
        assert repr(error) == "ValidationError(None)"

    def test_args_are_the_positional_arguments(self) -> None:
        assert ValidationError("x").args == ("x",)
        assert ValidationError("x", 3).args == ("x", 3)
        assert ValidationError().args == ()
        assert ValidationError(error="x", constraint=3).args == ()
        errors = {"a": ValidationError("y")}
        assert ValidationError(errors).args == (errors,)

    def test_a_dict_of_errors_is_kept_as_given(self) -> None:
        errors = {"a": ValidationError("y")}
        assert ValidationError(errors).error is errors

    def test_pickles(self) -> None:
        import pickle

        for error in (
            ValidationError("length is greater than {constraint}", 7),
            ValidationError(error="x"),
            ValidationError({"a": ValidationError("field is required")}),
        ):
            copy = pickle.loads(pickle.dumps(error))
            assert (str(copy), repr(copy.args), copy.as_dict()) == (
                str(error),
                repr(error.args),
                error.as_dict(),
            )


class TestDocumentNotFoundError:
    def test_without_arguments(self) -> None:
        error = DocumentNotFoundError()
        assert str(error) == ""
        assert error.args == ()
        assert error.query is None
        assert error.document_class is None
        with pytest.raises(DocumentNotFoundError):
            raise DocumentNotFoundError

    def test_names_the_document_class_not_the_query(self) -> None:
        class User:
            pass

        query = {"email": "secret@example.com"}
        error = DocumentNotFoundError(document_class=User, query=query)
        assert str(error) == "User matching the query was not found"
        assert "secret" not in repr(error)
        assert error.query is query
        assert error.document_class is User

    def test_own_message(self) -> None:
        error = DocumentNotFoundError("no such user", query={"_id": 1})
        assert str(error) == "no such user"
        assert error.args == ("no such user",)
        assert error.query == {"_id": 1}

    def test_pickles(self) -> None:
        import pickle

        error = DocumentNotFoundError(document_class=dict, query={"_id": 1})
        copy = pickle.loads(pickle.dumps(error))
        assert (str(copy), copy.document_class, copy.query) == (
            "dict matching the query was not found",
            dict,
            {"_id": 1},
        )


MODERN = 'E11000 duplicate key error collection: test.users index: name_1 dup key: { name: "x" }'
LEGACY = 'E11000 duplicate key error index: test.users.$name_1 dup key: { : "x" }'


class TestDuplicateKeyError:
    def test_is_a_pymongo_duplicate_key_error(self) -> None:
        error = DuplicateKeyError(MODERN)
        assert isinstance(error, pymongo.errors.DuplicateKeyError)
        assert isinstance(error, pymongo.errors.OperationFailure)
        with pytest.raises(pymongo.errors.DuplicateKeyError):
            raise error

    def test_message_and_code(self) -> None:
        error = DuplicateKeyError(MODERN)
        assert str(error) == MODERN
        assert error.message == MODERN
        assert error.args == (MODERN,)
        assert error.code == 11000

    @pytest.mark.parametrize(
        ("message", "index_name"),
        [
            (MODERN, "name_1"),
            (LEGACY, "name_1"),
            (
                "E11000 duplicate key error collection: app.users index: _id_ "
                "dup key: { _id: ObjectId('5f1d7a3e9d3b2c1a0b4e6f70') }",
                "_id_",
            ),
            (
                "E11000 duplicate key error collection: app.users index: email_1_tenant_1 "
                'dup key: { email: "a@b.c", tenant: 1 }',
                "email_1_tenant_1",
            ),
            (
                "E11000 duplicate key error collection: app.users index: unique_email "
                'collation: { locale: "en", strength: 2 } dup key: { email: "a@b.c" }',
                "unique_email",
            ),
            (
                "E11000 duplicate key error collection: app.my.users index: by name "
                'dup key: { name: "x" }',
                "by name",
            ),
            (
                'E11000 duplicate key error index: app.my.users.$email_1  dup key: { : "x" }',
                "email_1",
            ),
        ],
    )
    def test_index_name(self, message: str, index_name: str) -> None:
        assert DuplicateKeyError(message).index_name == index_name

    @pytest.mark.parametrize(
        "message", ["", "E11000 duplicate key error", 'E11000 dup key: { : "x" }']
    )
    def test_index_name_absent(self, message: str) -> None:
        assert DuplicateKeyError(message).index_name is None

    DETAILS = {
        "index": 0,
        "code": 11000,
        "errmsg": MODERN,
        "keyPattern": {"name": 1},
        "keyValue": {"name": "x"},
    }

    def driver_error(self) -> pymongo.errors.DuplicateKeyError:
        return pymongo.errors.DuplicateKeyError(MODERN, 11000, self.DETAILS)

    def test_from_str_of_a_driver_error(self) -> None:
        error = DuplicateKeyError(str(self.driver_error()))
        assert error.index_name == "name_1"

    def test_from_pymongo(self) -> None:
        driver_error = self.driver_error()
        error = DuplicateKeyError.from_pymongo(driver_error)
        assert error.index_name == "name_1"
        assert error.code == 11000
        assert error.details == self.DETAILS
        assert str(error) == str(driver_error)
        assert error.message == str(driver_error)
