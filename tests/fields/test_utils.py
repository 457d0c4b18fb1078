"""``snake_case`` and ``import_class``."""

from __future__ import annotations

import sys
import types

import pytest

from aiomongodel import fields
from aiomongodel.errors import ValidationError
from aiomongodel.utils import import_class, snake_case


@pytest.mark.parametrize(
    ("camel", "snake"),
    [
        ("User", "user"),
        ("BlogPost", "blog_post"),
        ("ActiveUser", "active_user"),
        ("HTTPRequest", "http_request"),
        ("MyHTTPServer", "my_http_server"),
        ("UserV2", "user_v2"),
        ("Document2Json", "document2_json"),
        ("already_snake", "already_snake"),
        ("A", "a"),
        ("", ""),
    ],
)
def test_snake_case(camel: str, snake: str) -> None:
    assert snake_case(camel) == snake


class TestImportClass:
    def test_imports_a_class(self) -> None:
        assert import_class("aiomongodel.fields.StrField") is fields.StrField
        assert import_class("aiomongodel.errors.ValidationError") is ValidationError

    def test_stdlib_class(self) -> None:
        import collections

        assert import_class("collections.OrderedDict") is collections.OrderedDict

    def test_class_is_cached(self, monkeypatch: pytest.MonkeyPatch) -> None:
        module = types.ModuleType("aiomongodel_test_cached_models")

        class Model:
            pass

        module.Model = Model  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        assert import_class("aiomongodel_test_cached_models.Model") is Model

        # Neither the module nor the class can be found any more: the cache answers.
        monkeypatch.delitem(sys.modules, module.__name__)
        del module.Model  # type: ignore[attr-defined]
        assert import_class("aiomongodel_test_cached_models.Model") is Model

    def test_failures_are_not_cached(self, monkeypatch: pytest.MonkeyPatch) -> None:
        path = "aiomongodel_test_late_models.Model"
        with pytest.raises(ImportError):
            import_class(path)
        module = types.ModuleType("aiomongodel_test_late_models")

        class Model:
            pass

        module.Model = Model  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        assert import_class(path) is Model

    @pytest.mark.parametrize("path", [".fields.StrField", "..models.User", ".User"])
    def test_relative_path(self, path: str) -> None:
        with pytest.raises(ImportError, match="absolute"):
            import_class(path)

    def test_path_without_module(self) -> None:
        with pytest.raises(ImportError, match="absolute"):
            import_class("StrField")

    def test_missing_module(self) -> None:
        with pytest.raises(ImportError) as info:
            import_class("aiomongodel_no_such_module.models.User")
        message = str(info.value)
        assert "aiomongodel_no_such_module.models" in message
        assert "User" in message

    def test_missing_class(self) -> None:
        with pytest.raises(ImportError) as info:
            import_class("aiomongodel.fields.NoSuchField")
        message = str(info.value)
        assert "aiomongodel.fields" in message
        assert "NoSuchField" in message

    def test_not_a_class(self) -> None:
        with pytest.raises(ImportError, match="not a class"):
            import_class("aiomongodel.utils.snake_case")

    def test_import_error_is_not_module_not_found_only(self) -> None:
        # Callers catch ImportError; a missing class must not raise AttributeError.
        with pytest.raises(ImportError):
            import_class("collections.NoSuchThing")
