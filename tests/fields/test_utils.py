"""``snake_case``, ``import_class`` and its ``CLASSES_CACHE``, as aiomongodel 0.2 has them."""

from __future__ import annotations

import string
import sys
import types
from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from aiomongodel import fields, utils
from aiomongodel.errors import ValidationError
from aiomongodel.utils import CLASSES_CACHE, import_class, snake_case

# --- snake_case ----------------------------------------------------------------------------


def reference_snake_case(name: str) -> str:
    """The rule, written out: an underscore goes before an ASCII capital letter that

    - follows an ASCII lowercase letter or digit, or
    - is not the first character and is followed by an ASCII lowercase letter;

    then the whole name is lowercased.
    """
    result = ""
    for i, char in enumerate(name):
        is_capital = char in string.ascii_uppercase
        follows_lower_or_digit = i > 0 and name[i - 1] in string.ascii_lowercase + string.digits
        followed_by_lower = i + 1 < len(name) and name[i + 1] in string.ascii_lowercase
        if is_capital and (follows_lower_or_digit or (i > 0 and followed_by_lower)):
            result += "_"
        result += char
    return result.lower()


# Each checked against aiomongodel 0.2.2's snake_case: collection names of existing data
# come from it.
SNAKE_CASES = [
    ("User", "user"),
    ("BlogPost", "blog_post"),
    ("ActiveUser", "active_user"),
    ("HTTPRequest", "http_request"),
    ("MyHTTPServer", "my_http_server"),
    ("HTTP2Server", "http2_server"),
    ("getHTTPResponseCode", "get_http_response_code"),
    ("Doc2Doc", "doc2_doc"),
    ("ABTest", "ab_test"),
    ("ABCDef", "abc_def"),
    ("Test_Doc", "test__doc"),
    ("Test__Doc", "test___doc"),
    ("X_Y", "x_y"),
    ("_Private", "__private"),
    ("__Dunder", "___dunder"),
    ("UserV2", "user_v2"),
    ("Document2Json", "document2_json"),
    ("A1B", "a1_b"),
    ("a1b", "a1b"),
    ("1T", "1_t"),
    ("1Tt", "1_tt"),
    ("T1", "t1"),
    ("aB", "a_b"),
    ("ABc", "a_bc"),
    ("tT", "t_t"),
    ("TT", "tt"),
    ("Tt", "tt"),
    ("T", "t"),
    ("A", "a"),
    ("already_snake", "already_snake"),
    ("Ab Cd", "ab _cd"),
    ("ÄbcDef", "äbc_def"),
    ("aÄB", "aäb"),
    ("", ""),
]


@pytest.mark.parametrize(("camel", "snake"), SNAKE_CASES)
def test_snake_case(camel: str, snake: str) -> None:
    assert snake_case(camel) == snake


@pytest.mark.parametrize(("camel", "snake"), SNAKE_CASES)
def test_reference_agrees_with_the_examples(camel: str, snake: str) -> None:
    assert reference_snake_case(camel) == snake


NAME_CHARACTERS = string.ascii_letters + string.digits + "_ ÄäÉéßİ"


@given(st.text(alphabet=NAME_CHARACTERS, max_size=20))
@example("HTTPRequest")
@example("getHTTP2ResponseCode_V2")
def test_snake_case_follows_the_rule(name: str) -> None:
    assert snake_case(name) == reference_snake_case(name)


@given(st.from_regex(r"\A[A-Z][A-Za-z0-9_]{0,15}\Z"))
def test_snake_case_of_class_names(name: str) -> None:
    assert snake_case(name) == reference_snake_case(name)


# --- import_class --------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Each test starts and ends with the cache it found."""
    saved = dict(CLASSES_CACHE)
    try:
        yield
    finally:
        CLASSES_CACHE.clear()
        CLASSES_CACHE.update(saved)


def add_module(monkeypatch: pytest.MonkeyPatch, name: str, **attributes: object) -> None:
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)


class TestImportClass:
    def test_imports_a_class(self) -> None:
        assert import_class("aiomongodel.fields.StrField") is fields.StrField
        assert import_class("aiomongodel.errors.ValidationError") is ValidationError

    def test_stdlib_class(self) -> None:
        import collections

        assert import_class("collections.OrderedDict") is collections.OrderedDict

    def test_classes_cache_is_the_module_level_dict(self) -> None:
        assert utils.CLASSES_CACHE is CLASSES_CACHE
        assert isinstance(CLASSES_CACHE, dict)
        import_class("aiomongodel.fields.IntField")
        assert CLASSES_CACHE["aiomongodel.fields.IntField"] is fields.IntField

    def test_class_is_cached(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class Model:
            pass

        add_module(monkeypatch, "aiomongodel_test_cached_models", Model=Model)
        assert import_class("aiomongodel_test_cached_models.Model") is Model

        # Neither the module nor the class can be found any more: the cache answers.
        monkeypatch.delitem(sys.modules, "aiomongodel_test_cached_models")
        assert import_class("aiomongodel_test_cached_models.Model") is Model

    def test_clearing_the_cache_imports_again(self, monkeypatch: pytest.MonkeyPatch) -> None:
        class First:
            pass

        class Second:
            pass

        add_module(monkeypatch, "aiomongodel_test_reloaded", Model=First)
        assert import_class("aiomongodel_test_reloaded.Model") is First
        add_module(monkeypatch, "aiomongodel_test_reloaded", Model=Second)
        assert import_class("aiomongodel_test_reloaded.Model") is First
        CLASSES_CACHE.clear()
        assert import_class("aiomongodel_test_reloaded.Model") is Second

    def test_items_set_in_the_cache_are_used(self) -> None:
        class StandIn:
            pass

        CLASSES_CACHE["aiomongodel_test_nowhere.Model"] = StandIn
        assert import_class("aiomongodel_test_nowhere.Model") is StandIn

    def test_failures_are_not_cached(self, monkeypatch: pytest.MonkeyPatch) -> None:
        path = "aiomongodel_test_late_models.Model"
        with pytest.raises(ImportError):
            import_class(path)
        assert path not in CLASSES_CACHE

        class Model:
            pass

        add_module(monkeypatch, "aiomongodel_test_late_models", Model=Model)
        assert import_class(path) is Model

    @pytest.mark.parametrize("path", ["Wrong", "StrField", ""])
    def test_path_without_a_dot(self, path: str) -> None:
        with pytest.raises(ImportError) as info:
            import_class(path)
        assert type(info.value) is ImportError
        assert str(info.value) == f"Import path should be absolute string, not '{path}'"

    @pytest.mark.parametrize(
        ("path", "error"), [(".User", ValueError), (".fields.StrField", TypeError)]
    )
    def test_relative_path_is_refused_by_the_import_system(
        self, path: str, error: type[Exception]
    ) -> None:
        with pytest.raises(error):  # as in 0.2: "Empty module name", "package required"
            import_class(path)
        assert path not in CLASSES_CACHE

    @pytest.mark.parametrize(("path", "shown"), [(None, "None"), (1, "1"), (["a.b"], "['a.b']")])
    def test_not_a_string(self, path: object, shown: str) -> None:
        with pytest.raises(ImportError) as info:
            import_class(path)  # type: ignore[arg-type]
        assert str(info.value) == f"Import path should be absolute string, not '{shown}'"

    def test_missing_module_raises_the_import_systems_error(self) -> None:
        with pytest.raises(ModuleNotFoundError) as info:
            import_class("wrong.Name")
        assert str(info.value) == "No module named 'wrong'"
        with pytest.raises(ModuleNotFoundError) as info:
            import_class("aiomongodel_no_such_module.models.User")
        assert str(info.value) == "No module named 'aiomongodel_no_such_module'"

    @pytest.mark.parametrize(
        "path", ["aiomongodel.WrongNameClass", "aiomongodel.fields.NoSuch", "collections.Nope"]
    )
    def test_missing_class(self, path: str) -> None:
        with pytest.raises(ImportError) as info:
            import_class(path)
        assert type(info.value) is ImportError
        assert str(info.value) == f"No class named '{path}'"

    def test_other_objects_are_returned_as_found(self) -> None:
        # As in 0.2: whatever the module holds under the name.
        assert import_class("aiomongodel.utils.snake_case") is snake_case
