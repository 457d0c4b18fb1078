"""Comparing documents by value in tests.

Documents compare and hash by identity (as in aiomongodel 0.2), so tests that check a
document's contents turn documents into plain values first: ``plain`` replaces each
document, recursively inside lists, tuples and dicts, with ``(class, {field: value})``,
where the fields are those set on the document (an unset field differs from ``None``).
"""

from __future__ import annotations

from typing import Any

from aiomongodel.document import BaseDocument


def plain(value: Any) -> Any:
    """``value`` with every document in it replaced by ``(class, {field: plain(value)})``."""
    if isinstance(value, BaseDocument):
        return (type(value), {name: plain(item) for name, item in value._data.items()})
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, tuple):
        return tuple(plain(item) for item in value)
    return value


def same_document(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` hold equal values, documents compared by class and fields."""
    return bool(plain(a) == plain(b))


def assert_same_document(a: Any, b: Any) -> None:
    """Assert ``same_document(a, b)``, showing both plain forms on failure."""
    plain_a, plain_b = plain(a), plain(b)
    assert plain_a == plain_b, f"{plain_a!r} != {plain_b!r}"
