"""Small helpers shared by the aiomongodel packages."""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any, Final, final

__all__ = ["_Empty", "import_class", "snake_case"]


@final
class _EmptyType:
    """Type of the :data:`_Empty` sentinel: "no value given", as opposed to ``None``."""

    _instance: _EmptyType | None = None

    def __new__(cls) -> _EmptyType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "_Empty"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "_Empty"


_Empty: Final = _EmptyType()
"""Sentinel for "no value": a field without a default, a document attribute never set."""

_FIRST_CAP = re.compile(r"(.)([A-Z][a-z]+)")
_ALL_CAP = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(camel_case: str) -> str:
    """Turn a ``CamelCase`` name into ``snake_case`` (``HTTPRequest`` -> ``http_request``)."""
    partial = _FIRST_CAP.sub(r"\1_\2", camel_case)
    return _ALL_CAP.sub(r"\1_\2", partial).lower()


@functools.cache
def import_class(absolute_import_path: str) -> type[Any]:
    """Import a class by its absolute dotted path, e.g. ``'myapp.models.User'``.

    Results are cached, so resolving a lazy reference costs one dict lookup after the
    first call.

    Raises:
        ImportError: If the path is relative or malformed, the module cannot be imported,
            or the module has no such class.
    """
    if not isinstance(absolute_import_path, str):
        raise ImportError(f"import path must be a string, got {absolute_import_path!r}")
    module_name, _, class_name = absolute_import_path.rpartition(".")
    if not module_name or absolute_import_path.startswith(".") or not class_name:
        raise ImportError(
            f"{absolute_import_path!r} is not an absolute import path of a class "
            "(expected 'package.module.ClassName')"
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(
            f"cannot import {absolute_import_path!r}: module {module_name!r} "
            f"could not be imported ({exc})"
        ) from exc
    try:
        cls = getattr(module, class_name)
    except AttributeError:
        raise ImportError(
            f"cannot import {absolute_import_path!r}: module {module_name!r} "
            f"has no attribute {class_name!r}"
        ) from None
    if not isinstance(cls, type):
        raise ImportError(f"{absolute_import_path!r} is not a class")
    return cls
