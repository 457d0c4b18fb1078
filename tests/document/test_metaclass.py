"""What the document metaclass builds from a class body: fields, synonyms, ``_id``."""

from __future__ import annotations

import pytest
from bson import ObjectId

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import (
    AnyField,
    FloatField,
    IntField,
    ObjectIdField,
    StrField,
    SynonymField,
)

# The README's "Models Inheritance" example.


class Mixin:
    value = IntField()


class Parent(Document):
    name = StrField()


class Child(Mixin, Parent):
    rate = FloatField()


class OtherChild(Child):
    value = FloatField()


class SubDoc(Mixin, EmbeddedDocument):
    pass


class TestFieldsOverTheMro:
    def test_parent_has_its_field_and_an_automatic_id(self) -> None:
        assert list(Parent.meta.fields) == ["name", "_id"]
        assert isinstance(Parent.meta.fields["name"], StrField)

    def test_child_gets_fields_of_its_mixin_and_its_parent(self) -> None:
        assert list(Child.meta.fields) == ["name", "_id", "value", "rate"]
        assert isinstance(Child.meta.fields["value"], IntField)
        assert isinstance(Child.meta.fields["rate"], FloatField)
        assert Child.meta.fields["name"] is Parent.meta.fields["name"]

    def test_a_redefinition_overrides_the_inherited_field(self) -> None:
        assert list(OtherChild.meta.fields) == ["name", "_id", "value", "rate"]
        assert isinstance(OtherChild.meta.fields["value"], FloatField)
        assert OtherChild.value is OtherChild.meta.fields["value"]
        assert isinstance(Child.meta.fields["value"], IntField)

    def test_overridden_field_converts_and_validates_as_redefined(self) -> None:
        assert OtherChild(name="a", value="1.5", rate=1.0).validate().value == 1.5
        assert Child(name="a", value="15", rate=1.0).validate().value == 15

    def test_a_subclass_keeps_the_parent_field_order(self) -> None:
        parent_order = list(Parent.meta.fields)
        assert list(Child.meta.fields)[: len(parent_order)] == parent_order

    def test_embedded_document_gets_mixin_fields_and_no_id(self) -> None:
        assert list(SubDoc.meta.fields) == ["value"]
        assert SubDoc(value=3).to_mongo() == {"value": 3}

    def test_fields_are_in_declaration_order(self) -> None:
        class Ordered(Document):
            zeta = IntField()
            alpha = IntField()
            mid = IntField()

        assert list(Ordered.meta.fields) == ["zeta", "alpha", "mid", "_id"]

    def test_each_class_has_its_own_field_table(self) -> None:
        class Extended(Parent):
            extra = IntField()

        assert "extra" not in Parent.meta.fields
        assert "extra" in Extended.meta.fields

    def test_a_later_mixin_definition_loses_to_an_earlier_base(self) -> None:
        class First:
            value = StrField()

        class Second:
            value = IntField()

        class Both(First, Second, EmbeddedDocument):
            pass

        assert isinstance(Both.meta.fields["value"], StrField)

    def test_class_attribute_is_the_field(self) -> None:
        assert Child.rate is Child.meta.fields["rate"]
        assert Child.rate.name == "rate"


class TestSynonyms:
    def test_synonym_of_a_declared_field(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        assert User.name is User._id
        assert User.name.s == "_id"
        assert User.meta.fields_synonyms == {"_id": "name"}
        assert "name" not in User.meta.fields

    def test_synonym_of_the_automatic_id_by_name(self) -> None:
        class OtherDoc(Document):
            obj_id = SynonymField("_id")

        assert OtherDoc.obj_id is OtherDoc.meta.fields["_id"]
        assert OtherDoc.obj_id.s == "_id"
        doc = OtherDoc()
        assert isinstance(doc.obj_id, ObjectId)
        assert doc.obj_id == doc._id

    def test_reading_and_writing_through_the_synonym(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        user = User(name="alexandro")
        assert user._id == "alexandro"
        assert user.name == "alexandro"
        user.name = "ihor"
        assert user._id == "ihor"
        user._id = "taras"
        assert user.name == "taras"
        assert user.to_mongo() == {"_id": "taras"}

    def test_writing_through_the_synonym_converts_like_the_field(self) -> None:
        class Counter(EmbeddedDocument):
            count = IntField()
            n = SynonymField(count)

        counter = Counter()
        counter.n = "12"
        assert counter.count == 12

    def test_constructor_and_populate_accept_the_synonym_name(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        assert User(name="a").to_data() == {"_id": "a"}
        assert User(_empty=True).populate_with_data({"name": "b"})._id == "b"
        assert User.from_data({"name": "c"})._id == "c"

    def test_a_field_given_by_name_and_by_synonym_takes_the_names_value(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        assert User(_id="a", name="b")._id == "a"
        assert User(name="b", _id="a")._id == "a"
        assert User.from_data({"name": "b", "_id": "a"})._id == "a"
        # populate_with_data sets one name after the other: the last one wins.
        assert User(_empty=True).populate_with_data({"_id": "a", "name": "b"})._id == "b"

    def test_synonym_is_inherited(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        class Admin(User):
            rights = IntField()

        assert Admin.name.s == "_id"
        assert Admin(name="root")._id == "root"

    def test_synonym_follows_an_overridden_field(self) -> None:
        class User(Document):
            _id = StrField()
            name = SynonymField(_id)

        class ShortUser(User):
            _id = StrField(max_length=3)

        assert ShortUser.name is ShortUser.meta.fields["_id"]
        assert ShortUser.name.max_length == 3
        assert ShortUser(name="abc")._id == "abc"

    def test_synonym_of_an_unknown_field_is_refused(self) -> None:
        with pytest.raises(ValueError, match="alias"):

            class Broken(Document):
                alias = SynonymField("missing")

    def test_synonym_of_a_field_of_another_class_is_refused(self) -> None:
        class Elsewhere:
            x = IntField()

        with pytest.raises(ValueError, match="y"):

            class Broken(Document):
                x = IntField()
                y = SynonymField(Elsewhere.x)

    def test_synonym_named_like_a_document_attribute_is_refused(self) -> None:
        with pytest.raises(ValueError, match="save"):

            class Broken(Document):
                save = SynonymField("_id")


class TestIdField:
    def test_a_document_without_id_gets_an_object_id_field(self) -> None:
        class Post(Document):
            title = StrField()

        id_field = Post.meta.fields["_id"]
        assert isinstance(id_field, ObjectIdField)
        assert id_field.required
        assert Post._id is id_field
        assert Post._id.s == "_id"

    def test_each_instance_gets_a_fresh_object_id(self) -> None:
        class Post(Document):
            title = StrField()

        first, second = Post(), Post()
        assert isinstance(first._id, ObjectId)
        assert isinstance(second._id, ObjectId)
        assert first._id != second._id
        assert Post(title="x").validate()._id is not None

    def test_a_given_id_is_kept(self) -> None:
        class Post(Document):
            title = StrField()

        oid = ObjectId()
        assert Post(_id=oid)._id == oid
        assert Post(_id=str(oid))._id == oid

    def test_declared_id_replaces_the_automatic_one(self) -> None:
        class Tag(Document):
            _id = StrField()

        assert isinstance(Tag.meta.fields["_id"], StrField)
        assert Tag(_id="python").to_mongo() == {"_id": "python"}
        assert Tag().to_data() == {}

    def test_declared_id_must_be_required(self) -> None:
        with pytest.raises(ValueError, match="_id"):

            class Loose(Document):
                _id = StrField(required=False)

    def test_declared_id_cannot_be_renamed(self) -> None:
        with pytest.raises(ValueError, match="_id"):

            class Renamed(Document):
                _id = StrField(mongo_name="id")

    def test_subclass_inherits_the_automatic_id(self) -> None:
        assert Child.meta.fields["_id"] is Parent.meta.fields["_id"]
        assert isinstance(Child()._id, ObjectId)

    def test_embedded_documents_get_no_id(self) -> None:
        class Point(EmbeddedDocument):
            x = IntField()

        assert "_id" not in Point.meta.fields
        assert Point(x=1).to_mongo() == {"x": 1}


class TestRefusedDeclarations:
    @pytest.mark.parametrize(
        "attribute",
        ["save", "meta", "q", "to_mongo", "validate", "query_id", "delete", "_data"],
    )
    def test_field_named_like_a_document_attribute(self, attribute: str) -> None:
        with pytest.raises(ValueError, match=attribute):
            type(attribute.title() + "Doc", (Document,), {attribute: IntField()})

    def test_embedded_field_named_like_an_embedded_document_attribute(self) -> None:
        with pytest.raises(ValueError, match="to_data"):

            class Broken(EmbeddedDocument):
                to_data = AnyField()

    def test_embedded_document_may_have_fields_named_like_persistence_methods(self) -> None:
        class Action(EmbeddedDocument):
            save = IntField()

        assert Action(save=1).to_mongo() == {"save": 1}

    @pytest.mark.parametrize("mongo_name", ["$set", "a.b", "nul\0byte", ""])
    def test_invalid_mongo_names(self, mongo_name: str) -> None:
        with pytest.raises(ValueError, match="mongo_name"):
            type("Broken", (Document,), {"value": IntField(mongo_name=mongo_name)})

    def test_invalid_attribute_name_used_as_mongo_name(self) -> None:
        with pytest.raises(ValueError, match="mongo_name"):
            type("Broken", (EmbeddedDocument,), {"$weird": IntField()})

    def test_invalid_mongo_name_in_an_embedded_document(self) -> None:
        with pytest.raises(ValueError, match=r"\$inc"):

            class Broken(EmbeddedDocument):
                value = IntField(mongo_name="$inc")

    def test_a_dollar_inside_a_name_is_allowed(self) -> None:
        class Price(EmbeddedDocument):
            amount = IntField(mongo_name="amount$usd")

        assert Price(amount=1).to_mongo() == {"amount$usd": 1}

    def test_two_fields_with_one_mongo_name(self) -> None:
        with pytest.raises(ValueError, match="'v'"):

            class Broken(Document):
                value = IntField(mongo_name="v")
                v = IntField()

    def test_a_renamed_field_taking_the_id_name(self) -> None:
        with pytest.raises(ValueError, match="_id"):

            class Broken(Document):
                key = StrField(mongo_name="_id")

    def test_inherited_fields_clash_on_mongo_name(self) -> None:
        class Base(EmbeddedDocument):
            value = IntField()

        with pytest.raises(ValueError, match="'value'"):

            class Broken(Base):
                other = IntField(mongo_name="value")

    def test_one_field_object_under_two_names(self) -> None:
        shared = IntField()
        with pytest.raises(ValueError, match="field"):

            class Broken(Document):
                a = shared
                b = shared
