"""The fields that need document classes: EmbDocField, RefField, SynonymField, compound names.

Also field behaviour seen through documents: descriptors, defaults, nested validation errors.
String class paths point at this module (``f"{__name__}.Name"``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from bson import Decimal128, ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    DecimalField,
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
from aiomongodel.utils import _Empty
from tests.documents import assert_same_document


class User(Document):
    _id = StrField(regex=r"^[a-z]{3,20}$")
    quote = StrField(required=False)
    name = SynonymField(_id)


class Address(EmbeddedDocument):
    city = StrField(mongo_name="c")
    zip_code = StrField(mongo_name="zip", required=False)


class Profile(EmbeddedDocument):
    nickname = StrField(max_length=10)
    address = EmbDocField(Address, mongo_name="addr")
    score = DecimalField(required=False)


class Comment(EmbeddedDocument):
    _id = ObjectIdField(default=ObjectId)
    author = RefField(User)
    body = StrField()
    text = SynonymField(body)
    votes = ListField(IntField(gte=0), default=list)
    profile = EmbDocField(Profile, required=False)


class Post(Document):
    title = StrField(max_length=50)
    author = RefField(f"{__name__}.User", mongo_name="user")
    comments = ListField(EmbDocField(f"{__name__}.Comment"), default=lambda: list())
    editor = EmbDocField(Profile, required=False, mongo_name="ed")
    related = ListField(RefField(f"{__name__}.Post"), default=list)


class Blog(Document):
    posts = ListField(EmbDocField(f"{__name__}.BlogPost"), mongo_name="p")


class BlogPost(EmbeddedDocument):
    comments = ListField(EmbDocField(Comment), mongo_name="cs")
    header = EmbDocField(Profile)


class OtherDoc(Document):
    obj_id = SynonymField("_id")
    value = IntField(required=False)


def errors_of(document: Any) -> Any:
    with pytest.raises(ValidationError) as info:
        document.validate()
    return info.value.as_dict()


def field_error(field: Field[Any], value: Any) -> Any:
    with pytest.raises(ValidationError) as info:
        field.validate(value)
    return info.value.as_dict()


def make_post(**kwargs: Any) -> Post:
    values: dict[str, Any] = {"title": "Hello", "author": User(name="alice")}
    values.update(kwargs)
    return Post(**values)


# Compound names and ``s`` ----------------------------------------------------------------


class TestMongoNames:
    def test_simple_names(self) -> None:
        assert Post.title.s == "title"
        assert Post.author.s == "user"
        assert Post._id.s == "_id"

    def test_readme_compound_name(self) -> None:
        assert Post.comments.body.s == "comments.body"

    def test_embedded_document_subfield(self) -> None:
        assert Post.editor.nickname.s == "ed.nickname"
        assert Post.editor.address.s == "ed.addr"

    def test_three_levels(self) -> None:
        assert Post.editor.address.city.s == "ed.addr.c"
        assert Post.comments.profile.nickname.s == "comments.profile.nickname"
        assert Post.comments.profile.address.city.s == "comments.profile.addr.c"
        assert Blog.posts.comments.body.s == "p.cs.body"
        assert Blog.posts.header.address.zip_code.s == "p.header.addr.zip"

    def test_id_and_reference_inside_compound_name(self) -> None:
        assert Post.comments._id.s == "comments._id"
        assert Post.comments.author.s == "comments.author"

    def test_synonym_inside_compound_name(self) -> None:
        assert Post.comments.text.s == "comments.body"

    def test_compound_names_leave_the_fields_alone(self) -> None:
        assert Post.comments.body.s == "comments.body"
        assert Comment.body.s == "body"
        assert Profile.address.city.s == "addr.c"
        assert Address.city.s == "c"

    def test_compound_field_is_a_field_of_the_same_kind(self) -> None:
        assert isinstance(Post.comments.votes, ListField)
        assert isinstance(Post.editor.score, DecimalField)

    def test_unknown_subfield(self) -> None:
        with pytest.raises(AttributeError):
            _ = Post.comments.no_such_field
        with pytest.raises(AttributeError):
            _ = Post.editor.address.no_such_field

    def test_scalar_field_has_no_subfields(self) -> None:
        with pytest.raises(AttributeError):
            _ = Post.title.body
        with pytest.raises(AttributeError):
            _ = Post.related.body  # a list of references, not of embedded documents

    def test_names_usable_in_queries(self) -> None:
        query = {Post.comments.body.s: "hi", Post.author.s: "alice"}
        assert query == {"comments.body": "hi", "user": "alice"}


# Descriptors and defaults ----------------------------------------------------------------


class TestDescriptors:
    def test_class_attribute_is_the_field(self) -> None:
        assert isinstance(Post.title, StrField)
        assert Post.title.name == "title"
        assert isinstance(Post.comments, ListField)
        assert isinstance(Post.editor, EmbDocField)

    def test_unset_instance_attribute_is_none(self) -> None:
        user = User(name="alice")
        assert user.quote is None
        assert make_post().editor is None

    def test_assignment_converts_but_does_not_validate(self) -> None:
        comment = Comment(body="x", author="alice")
        comment.votes = ["1", 2.0]
        assert comment.votes == [1, 2]
        comment.votes = ("1", 2)  # only lists are converted
        assert comment.votes == ("1", 2)
        assert errors_of(comment) == {"votes": "invalid value type"}
        comment.votes = "not a list"
        assert comment.votes == "not a list"
        assert errors_of(comment) == {"votes": "invalid value type"}

    def test_deleting_unsets(self) -> None:
        user = User(name="alice", quote="hi")
        del user.quote
        assert user.quote is None
        user.validate()

    def test_default_callable_called_per_document(self) -> None:
        first, second = make_post(), make_post()
        assert first.comments == []
        assert first.comments is not second.comments
        assert first._id != second._id

    def test_default_ignored_if_not_required(self) -> None:
        class Doc(Document):
            note = StrField(required=False, default="x")
            count = IntField(default=3)

        doc = Doc()
        assert doc.note is None
        assert doc.count == 3
        doc.validate()

    def test_explicit_value_wins_over_default(self) -> None:
        class Doc(Document):
            count = IntField(default=3)

        assert Doc(count=5).count == 5

    def test_allow_none(self) -> None:
        class Doc(Document):
            value = IntField(allow_none=True)
            other = IntField()

        Doc(value=None, other=1).validate()
        assert errors_of(Doc(value=1, other=None)) == {"other": "none value is not allowed"}


# EmbDocField -------------------------------------------------------------------------


class TestEmbDocField:
    def test_from_data_builds_the_document(self) -> None:
        profile = EmbDocField(Profile).from_data({"nickname": "al", "address": {"city": "Kyiv"}})
        assert isinstance(profile, Profile)
        assert profile.nickname == "al"
        assert isinstance(profile.address, Address)
        assert profile.address.city == "Kyiv"

    def test_from_data_keeps_a_document(self) -> None:
        profile = Profile(nickname="al", address=Address(city="Kyiv"))
        assert EmbDocField(Profile).from_data(profile) is profile

    def test_document_built_from_a_dict(self) -> None:
        post = make_post(editor={"nickname": "ed", "address": {"city": "Lviv"}})
        assert isinstance(post.editor, Profile)
        assert post.editor.address.city == "Lviv"
        post.validate()

    def test_to_mongo_uses_mongo_names(self) -> None:
        profile = Profile(nickname="al", address=Address(city="Kyiv"), score=Decimal("1.5"))
        assert EmbDocField(Profile).to_mongo(profile) == {
            "nickname": "al",
            "addr": {"c": "Kyiv"},
            "score": Decimal128("1.5"),
        }

    def test_from_mongo(self) -> None:
        profile = EmbDocField(Profile).from_mongo(
            {"nickname": "al", "addr": {"c": "Kyiv", "zip": "01001"}, "score": Decimal128("2")}
        )
        assert isinstance(profile, Profile)
        assert profile.address.city == "Kyiv"
        assert profile.address.zip_code == "01001"
        assert profile.score == Decimal("2")
        assert isinstance(profile.score, Decimal)

    def test_round_trip(self) -> None:
        field = EmbDocField(Profile)
        profile = Profile(nickname="al", address=Address(city="Kyiv"), score=Decimal("0.10"))
        assert_same_document(field.from_mongo(field.to_mongo(profile)), profile)

    def test_validate(self) -> None:
        field = EmbDocField(Profile)
        field.validate(Profile(nickname="al", address=Address(city="Kyiv")))

    def test_nested_errors(self) -> None:
        field = EmbDocField(Profile)
        profile = Profile(nickname="far too long nick", address=Address(city=""))
        assert field_error(field, profile) == {
            "nickname": "length is greater than 10",
            "address": {"city": "blank value is not allowed"},
        }

    def test_wrong_type(self) -> None:
        field = EmbDocField(Profile)
        assert field_error(field, Address(city="Kyiv")) == "invalid value type"
        assert field_error(field, {"nickname": "al"}) == "invalid value type"
        assert field_error(field, "al") == "invalid value type"

    def test_from_data_keeps_what_it_cannot_convert(self) -> None:
        assert EmbDocField(Profile).from_data("al") == "al"
        assert EmbDocField(Profile).from_data(None) is None

    def test_document_class_by_path(self) -> None:
        field = EmbDocField(f"{__name__}.Profile")
        assert field.document_class is Profile
        assert isinstance(field.from_data({"nickname": "al"}), Profile)

    def test_document_class_must_be_embedded(self) -> None:
        with pytest.raises(TypeError):
            _ = EmbDocField(User).document_class
        with pytest.raises(TypeError):
            _ = EmbDocField(f"{__name__}.Post").document_class
        with pytest.raises(TypeError):
            _ = EmbDocField(dict).document_class

    def test_document_class_argument_type(self) -> None:
        with pytest.raises(TypeError):
            EmbDocField(Profile())  # type: ignore[call-overload]

    def test_unresolvable_path(self) -> None:
        field = EmbDocField(f"{__name__}.NoSuchClass")
        with pytest.raises(ImportError):
            _ = field.document_class

    def test_required_and_none(self) -> None:
        assert field_error(EmbDocField(Profile), _Empty) == "field is required"
        assert field_error(EmbDocField(Profile), None) == "none value is not allowed"
        EmbDocField(Profile, allow_none=True).validate(None)
        EmbDocField(Profile, required=False).validate(_Empty)


# ListField of embedded documents ---------------------------------------------------------


class TestListOfEmbeddedDocuments:
    def test_from_data_builds_documents(self) -> None:
        post = make_post(comments=[{"body": "hi", "author": "bob"}, Comment(body="yo")])
        assert all(isinstance(c, Comment) for c in post.comments)
        assert post.comments[0].body == "hi"

    def test_to_mongo_and_from_mongo(self) -> None:
        comment = Comment(body="hi", author="bob", votes=[1])
        post = make_post(comments=[comment])
        stored = post.to_mongo()
        assert stored["comments"] == [
            {"_id": comment._id, "author": "bob", "body": "hi", "votes": [1]}
        ]
        assert stored["user"] == "alice"
        loaded = Post.from_mongo(stored)
        assert_same_document(loaded.comments, [comment])
        assert loaded.author == "alice"

    def test_nested_errors_keyed_by_index(self) -> None:
        post = make_post(
            comments=[
                Comment(body="ok", author="bob"),
                Comment(author="bob"),
                Comment(body="ok", author="bob", votes=[1, -1]),
            ]
        )
        assert errors_of(post) == {
            "comments": {
                1: {"body": "field is required"},
                2: {"votes": {1: "value is less than 0"}},
            }
        }

    def test_three_levels_of_errors(self) -> None:
        blog = Blog(
            posts=[
                BlogPost(header=Profile(nickname="a", address=Address(city="x")), comments=[]),
                BlogPost(
                    header=Profile(nickname="a", address=Address(city="")),
                    comments=[Comment(body="", author="bob")],
                ),
            ]
        )
        assert errors_of(blog) == {
            "posts": {
                1: {
                    "comments": {0: {"body": "blank value is not allowed"}},
                    "header": {"address": {"city": "blank value is not allowed"}},
                }
            }
        }

    def test_list_item_of_wrong_type(self) -> None:
        post = make_post(comments=[Comment(body="a", author="bob"), "not a comment"])
        assert errors_of(post) == {"comments": {1: "invalid value type"}}

    def test_nested_errors_are_translated(self) -> None:
        post = make_post(comments=[Comment(author="bob")])
        post.title = "x" * 51
        with pytest.raises(ValidationError) as info:
            post.validate()
        assert info.value.as_dict(
            {
                "field is required": "obligatorio",
                "length is greater than {constraint}": "más de {constraint}",
            }
        ) == {"title": "más de 50", "comments": {0: {"body": "obligatorio"}}}


# RefField ----------------------------------------------------------------------------


class TestRefField:
    def test_document_or_id(self) -> None:
        user = User(name="alice")
        field = Post.author
        assert field.from_data(user) is user
        assert field.from_data("alice") == "alice"
        field.validate(user)
        field.validate("alice")

    def test_to_mongo_stores_the_id(self) -> None:
        user = User(name="alice")
        assert Post.author.to_mongo(user) == "alice"
        assert Post.author.to_mongo("alice") == "alice"
        assert make_post(author=user).to_mongo()["user"] == "alice"

    def test_from_mongo_gives_the_id(self) -> None:
        assert Post.author.from_mongo("alice") == "alice"
        assert Post.from_mongo({"_id": ObjectId(), "title": "t", "user": "bob"}).author == "bob"

    def test_id_is_converted_and_validated_by_the_id_field(self) -> None:
        post = Post(title="t", author="alice")
        ref = ObjectId()
        assert Post.related.item_field.from_data(str(ref)) == ref
        post.related = [str(ref)]
        assert post.related == [ref]
        assert field_error(Post.author, "Al1ce") == "value does not match pattern ^[a-z]{3,20}$"
        assert field_error(Post.author, 5) == "invalid value type"
        assert field_error(Post.related.item_field, "not an id") == "invalid value type"

    def test_referenced_document_with_invalid_id(self) -> None:
        assert field_error(Post.author, User(name="A!")) == (
            "value does not match pattern ^[a-z]{3,20}$"
        )

    def test_referenced_document_without_id(self) -> None:
        assert field_error(Post.author, User()) == "none value is not allowed"

    def test_document_errors(self) -> None:
        post = Post(title="t", author=3, related=[Post(title="x"), "zzz"])
        assert post.author == "3"  # converted by User._id, a StrField
        assert errors_of(post) == {
            "author": "value does not match pattern ^[a-z]{3,20}$",
            "related": {1: "invalid value type"},
        }

    def test_object_id_reference_round_trip(self) -> None:
        other = Post(title="other", author="bob")
        post = make_post(related=[other, other._id])
        stored = post.to_mongo()
        assert stored["related"] == [other._id, other._id]
        assert Post.from_mongo(stored).related == [other._id, other._id]

    def test_document_class_by_path(self) -> None:
        assert Post.author.document_class is User
        assert RefField(f"{__name__}.User").document_class is User

    def test_document_class_must_be_a_document(self) -> None:
        with pytest.raises(TypeError):
            _ = RefField(Profile).document_class
        with pytest.raises(TypeError):
            _ = RefField(f"{__name__}.Comment").document_class

    def test_unresolvable_path(self) -> None:
        with pytest.raises(ImportError):
            _ = RefField("aiomongodel_no_such_module.User").document_class


# SynonymField ------------------------------------------------------------------------


class TestSynonymField:
    def test_class_attribute_is_the_original_field(self) -> None:
        assert User.name is User._id
        assert User.name.s == "_id"
        assert Comment.text is Comment.body

    def test_set_and_read_through_the_synonym(self) -> None:
        user = User(name="alice")
        assert user._id == "alice"
        assert user.name == "alice"
        user.name = "bob"
        assert user._id == "bob"
        user._id = "carol"
        assert user.name == "carol"

    def test_synonym_by_name_of_the_automatic_id(self) -> None:
        assert OtherDoc.obj_id is OtherDoc._id
        assert OtherDoc.obj_id.s == "_id"
        doc = OtherDoc()
        assert isinstance(doc.obj_id, ObjectId)
        assert doc.obj_id == doc._id
        oid = ObjectId()
        assert OtherDoc(obj_id=str(oid))._id == oid

    def test_synonym_in_from_data(self) -> None:
        assert User.from_data({"name": "alice"})._id == "alice"

    def test_errors_are_reported_under_the_field_name(self) -> None:
        assert errors_of(User(name="A")) == {"_id": "value does not match pattern ^[a-z]{3,20}$"}

    def test_stored_under_the_field_mongo_name(self) -> None:
        assert User(name="alice").to_mongo() == {"_id": "alice"}
        assert Comment(text="hi").to_mongo()["body"] == "hi"

    def test_original_field_argument(self) -> None:
        with pytest.raises(TypeError):
            SynonymField(5)  # type: ignore[call-overload]

    def test_synonym_of_a_missing_field(self) -> None:
        with pytest.raises(ValueError, match="nothing"):

            class Broken(Document):
                alias = SynonymField("nothing")


# The README's validation example, as written ---------------------------------------------


class Model(Document):
    name = StrField(max_length=7)
    value = IntField(gt=5, lte=13)
    data = FloatField()


class TestReadmeValidation:
    def test_valid(self) -> None:
        m = Model(name="xxx", value=10, data=1.6)
        assert m.validate() is m

    def test_invalid_does_not_raise_until_validated(self) -> None:
        invalid = Model(name="too long string", value=0)
        with pytest.raises(ValidationError) as info:
            invalid.validate()
        e = info.value
        assert e.as_dict() == {
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
        assert e.as_dict(translation=translation) == {
            "name": "Length of the field is greater than 7 characters",
            "value": "value should be greater than 5",
            "data": "This field is required",
        }

    def test_lte_bound(self) -> None:
        assert errors_of(Model(name="x", value=14, data=1.0)) == {
            "value": "value is greater than 13"
        }

    def test_assigning_invalid_data_does_not_raise(self) -> None:
        m = Model(name="xxx", value=10, data=1.6)
        m.value = "not a number"
        m.data = [1]
        assert errors_of(m) == {"value": "invalid value type", "data": "invalid value type"}
