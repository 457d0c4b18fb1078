"""The compiled per-class code can be read and debugged, and what is inlined follows what
a field class overrides.

* Tracebacks through the compiled ``errors``/``dump``/``__init__`` show their source
  lines; ``inspect.getsource`` works; pdb shows the line it stops at.
* Functions carry the class's module, a qualified name and a docstring; bound objects
  are named after what they are.
* ``inspect.signature`` of a class lists its fields before any instance exists.
* An empty subclass of a field compiles to the same code as the field; a subclass that
  overrides one step gets a call for that step only.
"""

from __future__ import annotations

import inspect
import io
import pdb
import re
import traceback
from typing import Any

import pytest

from aiomongodel.document import Document, EmbeddedDocument
from aiomongodel.fields import (
    DateTimeField,
    DecimalField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    RefField,
    StrField,
)


class Loud(StrField):
    """A field whose methods raise on the value ``'boom'``."""

    def validate(self, value: Any) -> None:
        if value == "boom":
            raise RuntimeError("validate blew up")
        super().validate(value)

    def to_mongo(self, value: Any) -> Any:
        if value == "boom":
            raise RuntimeError("to_mongo blew up")
        return value

    def from_data(self, value: Any) -> Any:
        if value == "boom":
            raise RuntimeError("from_data blew up")
        return super().from_data(value)


class Note(EmbeddedDocument):
    text = StrField(max_length=10)


class Post(Document):
    title = StrField(max_length=100)
    views = IntField(gte=0, default=0)
    shout = Loud(required=False)
    notes = ListField(EmbDocField(Note), default=list)


def compiled_frames(error: BaseException) -> list[traceback.FrameSummary]:
    return [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == Post.meta.compiled.filename
    ]


def booming() -> Post:
    """A post whose ``shout`` holds the value its field's methods raise on."""
    post = Post(title="a")
    post._data["shout"] = "boom"
    return post


@pytest.mark.parametrize(
    ("action", "function", "line"),
    [
        (lambda: Post(title="a", shout="boom"), "__init__", "shout_from_data(shout)"),
        (lambda: booming().validate(), "errors", "shout_validate(v)"),
        (lambda: booming().to_mongo(), "dump", "shout_to_mongo(v)"),
    ],
    ids=["init", "validate", "to_mongo"],
)
def test_tracebacks_show_the_compiled_line(action: Any, function: str, line: str) -> None:
    Post(title="warm")  # the class's __init__ is the compiled one from now on
    with pytest.raises(RuntimeError) as caught:
        action()
    frames = compiled_frames(caught.value)
    assert [frame.name for frame in frames] == [function]
    assert line in str(frames[0].line)
    assert line in "".join(traceback.format_exception(caught.value))


def test_getsource_gives_each_compiled_function() -> None:
    compiled = Post.meta.compiled
    for name in ("make", "adopt", "dump", "errors", "build"):
        source = inspect.getsource(getattr(compiled, name))
        assert source.startswith(f"def {name}(")
        assert source in compiled.source
    assert inspect.getsource(compiled.init).startswith("def __init__(__self, /, *, _empty=False")
    Post(title="x")  # the class's __init__ is then the compiled one
    assert inspect.getsource(Post.__init__) == inspect.getsource(compiled.init)


def test_compiled_functions_say_what_they_are() -> None:
    compiled = Post.meta.compiled
    assert compiled.filename == f"<aiomongodel compiled {__name__}.Post>"
    for name in ("make", "adopt", "dump", "errors", "build", "init"):
        function = getattr(compiled, name)
        assert function.__module__ == __name__
        assert function.__doc__
        assert function.__qualname__.startswith("Post.")
    assert compiled.init.__qualname__ == "Post.__init__"
    assert compiled.errors.__qualname__ == "Post.meta.compiled.errors"


def test_bound_objects_are_named_after_what_they_are() -> None:
    source = Post.meta.compiled.source
    for name in ("title_validate", "shout_validate", "Note_errors", "Note_make", "MISSING"):
        assert re.search(rf"\b{name}\b", source), name
    assert "__b" not in source
    namespace = Post.meta.compiled.errors.__globals__
    assert namespace["shout_validate"] == Post.shout.validate
    assert namespace["Note_errors"] is Note.meta.compiled.errors


def test_signature_lists_the_fields_before_any_instance() -> None:
    class Fresh(Document):
        name = StrField()
        rank = IntField(default=3)
        tags = ListField(StrField(), default=list)

    assert "compiled" not in vars(Fresh.meta)  # nothing compiled yet
    signature = inspect.signature(Fresh)
    assert list(signature.parameters) == ["_empty", "name", "rank", "tags", "_id", "kwargs"]
    assert signature.parameters["rank"].default == 3
    assert signature.parameters["name"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["kwargs"].kind is inspect.Parameter.VAR_KEYWORD
    Fresh(name="x")
    assert inspect.signature(Fresh) == signature


def test_pdb_shows_the_compiled_lines() -> None:
    output = io.StringIO()
    debugger = pdb.Pdb(stdin=io.StringIO("step\nstep\nlist\ncontinue\n"), stdout=output)
    debugger.use_rawinput = False
    Post(title="warm")  # the class's __init__ is the compiled one from now on
    debugger.runcall(Post, title="t")
    shown = output.getvalue()
    assert "aiomongodel compiled" in shown
    assert "-> if _empty or type(__self) is not Post:" in shown


# What is inlined --------------------------------------------------------------------


def source_without_class_name(cls: type[Document]) -> str:
    return cls.meta.compiled.source.replace(cls.__name__, "Model")


SCALARS = [StrField, IntField, FloatField, DecimalField, DateTimeField]


@pytest.mark.parametrize("field_class", SCALARS)
def test_an_empty_subclass_compiles_to_the_same_code(field_class: type[Any]) -> None:
    subclass = type(f"My{field_class.__name__}", (field_class,), {})
    plain = type("Plain", (Document,), {"value": field_class(required=False)})
    derived = type("Derived", (Document,), {"value": subclass(required=False)})
    assert source_without_class_name(derived) == source_without_class_name(plain)


class EvenInt(IntField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if type(value) is int and value % 2:
            self.fail("type")


def test_a_subclass_overriding_validate_falls_back_for_that_step_only() -> None:
    class Counter(Document):
        count = EvenInt()

    source = Counter.meta.compiled.source
    errors = inspect.getsource(Counter.meta.compiled.errors)
    assert "accepted = " not in errors.split("v = data.get('count'")[1].split("v = data.get")[0]
    assert "count_validate(v)" in errors
    build = inspect.getsource(Counter.meta.compiled.build)
    assert "(v if type(v) is int else count_from_data(v))" in build
    assert "count_validate" in source
    assert Counter(count=2).validate().count == 2
    with pytest.raises(Exception, match="count"):
        Counter(count=3).validate()


class Target(Document):
    name = StrField()


class SubTarget(Target):
    pass


class Keyed(Document[str]):
    _id = StrField()


class Priced(Document):
    _id = DecimalField()


class Holder(Document):
    target = RefField(Target)
    keyed = RefField(Keyed)
    priced = RefField(Priced, required=False)


def test_references_to_ids_stored_as_they_are_need_no_call() -> None:
    source = Holder.meta.compiled.source
    assert "target_from_mongo" not in source
    assert "keyed_from_mongo" not in source
    assert "priced_from_mongo" in source  # a Decimal _id converts (Decimal128)
    # Storing: an id of the exact type is kept, anything else (a document) takes the call.
    target, keyed = SubTarget(name="sub"), Keyed(_id="k")
    holder = Holder(target=target, keyed=keyed)
    assert holder.to_mongo() == {"target": target._id, "keyed": "k", "_id": holder._id}
    holder = Holder(target=target._id, keyed="k")
    assert holder.to_mongo() == {"target": target._id, "keyed": "k", "_id": holder._id}
    loaded = Holder.from_mongo({"_id": holder._id, "target": target._id, "keyed": "k"})
    assert loaded.target == target._id
    assert loaded.keyed == "k"
