"""Small helpers shared by the aiomongodel packages."""

from __future__ import annotations

import contextlib
import importlib
from typing import Any, Final, final

__all__ = ["CLASSES_CACHE", "_Empty", "import_class", "snake_case"]


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

CLASSES_CACHE: dict[str, Any] = {}
"""What :func:`import_class` has imported, by path. Clear it (or set items) to re-import."""


def snake_case(camel_case: str) -> str:
    """Turn a ``CamelCase`` name into ``snake_case`` (``HTTPRequest`` -> ``http_request``).

    An underscore goes before each ASCII capital that follows an ASCII lowercase letter or
    digit (``UserV2`` -> ``user_v2``), and before each capital other than the first
    character that a lowercase letter follows (``ABTest`` -> ``ab_test``); then the
    whole name is lowercased. Collection names derive from this: it must not change.
    """
    if not isinstance(camel_case, str):
        raise TypeError(f"expected string or bytes-like object, got '{type(camel_case).__name__}'")
    pieces: list[str] = []
    previous = ""
    for index, char in enumerate(camel_case):
        if "A" <= char <= "Z" and index:
            after = camel_case[index + 1 : index + 2]
            if previous in _LOWER_OR_DIGIT or after in _LOWER:
                pieces.append("_")
        pieces.append(char)
        previous = char
    return "".join(pieces).lower()


_LOWER: Final = frozenset("abcdefghijklmnopqrstuvwxyz")
_LOWER_OR_DIGIT: Final = _LOWER | frozenset("0123456789")


def import_class(absolute_import_path: str) -> Any:
    """Import a class by its absolute dotted path, e.g. ``'myapp.models.User'``.

    What is found is kept in :data:`CLASSES_CACHE`, so resolving a lazy reference costs
    one dict lookup after the first call; failures are not cached.

    Raises:
        ImportError: ``Import path should be absolute string, not '...'`` for a value
            that is not a string or has no dot, ``No class named '...'`` when the module
            has no such name, and the import system's own ``ImportError``
            (``ModuleNotFoundError``) when the module cannot be imported.
        ValueError: For a path starting with a dot (``Empty module name``), from the
            import system.
    """
    with contextlib.suppress(KeyError, TypeError):
        return CLASSES_CACHE[absolute_import_path]
    if not isinstance(absolute_import_path, str):
        raise ImportError(f"Import path should be absolute string, not '{absolute_import_path}'")
    module_name, dot, class_name = absolute_import_path.rpartition(".")
    if not dot:
        raise ImportError(f"Import path should be absolute string, not '{absolute_import_path}'")
    module = importlib.import_module(module_name)
    try:
        found = getattr(module, class_name)
    except AttributeError:
        raise ImportError(f"No class named '{absolute_import_path}'") from None
    CLASSES_CACHE[absolute_import_path] = found
    return found
