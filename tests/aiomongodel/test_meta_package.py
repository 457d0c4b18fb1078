"""The meta-package re-exports the split packages' names without changing them."""

from __future__ import annotations

import importlib
import importlib.metadata
import types

import aiomongodel
import aiomongodel.errors
import aiomongodel.fields

SPLIT_MODULES = {
    "aiomongodel.bulk",
    "aiomongodel.changestreams",
    "aiomongodel.document",
    "aiomongodel.errors",
    "aiomongodel.expressions",
    "aiomongodel.fields",
    "aiomongodel.json_schema",
    "aiomongodel.queryset",
    "aiomongodel.transactions",
}


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(aiomongodel).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(aiomongodel.__all__) == public | {"__version__"}


def test_reexports_are_the_split_packages_own_objects() -> None:
    for name in set(aiomongodel.__all__) - {"__version__"}:
        obj = getattr(aiomongodel, name)
        assert obj.__module__ in SPLIT_MODULES
        assert getattr(importlib.import_module(obj.__module__), name) is obj


def test_every_field_and_error_is_exported() -> None:
    for module in (aiomongodel.fields, aiomongodel.errors):
        for name in module.__all__:
            assert getattr(aiomongodel, name) is getattr(module, name)


def test_version_is_the_installed_distribution_version() -> None:
    assert aiomongodel.__version__ == importlib.metadata.version("aiomongodel")
    assert aiomongodel.__version__ == importlib.metadata.version("aiomongodel-fields")
