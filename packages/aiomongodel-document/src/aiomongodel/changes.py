"""Minimal updates: what changed in a stored dict, as a MongoDB update document.

A document that tracks changes keeps a copy of its stored form (``to_mongo()``) as of
its loading or last write; :func:`update_between` compares that copy with the current
``to_mongo()`` and returns the ``$set`` / ``$unset`` / ``$push`` update that turns the
one into the other, touching only the paths that differ:

* embedded documents are compared key by key, so a changed subfield is one dotted
  ``$set`` (a removed one an ``$unset``) - unless their keys are no longer in an order
  that dotted updates can produce, or a key cannot be part of a dotted path; then the
  embedded document is set whole;
* arrays of the same length are compared item by item (``tags.2``); items appended to
  an unchanged prefix are one ``$push`` with ``$each``; an array cut to a prefix of
  itself is a ``$push`` of nothing with ``$slice``; any other change sets it whole.

Values are compared as BSON would store them: ``1``, ``1.0`` and ``True`` differ, and
so do ``0.0`` and ``-0.0``; ``NaN`` equals ``NaN``. The order of top-level fields is
not kept: a field set again after it was missing is added after the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bson import Decimal128, Int64, ObjectId

__all__ = ["stored_copy", "update_between"]


#: Types whose values are stored the same exactly when they are equal and of one type
#: (not floats: here NaN is NaN, and 0.0 is not -0.0).
_EQUAL_WHEN_EQ = frozenset(
    {str, int, bool, type(None), bytes, ObjectId, datetime, Int64, Decimal128}
)
#: Immutable types of stored values, copied by sharing them without a call.
_SCALARS = _EQUAL_WHEN_EQ | {float}


def stored_copy(value: Any) -> Any:
    """A copy of a stored value sharing no dict or list with it (scalars are shared:
    the BSON scalar types are immutable). Mappings become dicts, tuples lists."""
    kind = type(value)
    # Plain dicts and lists of scalars, as the driver decodes them, without a call
    # per scalar; anything else through the general case.
    if kind is dict:
        return {
            key: item if type(item) in _SCALARS else stored_copy(item)
            for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in _SCALARS else stored_copy(item) for item in value]
    if isinstance(value, Mapping):
        return {key: stored_copy(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [stored_copy(item) for item in value]
    return value


def update_between(
    stored: Mapping[str, Any], current: Mapping[str, Any], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The update turning the document ``stored`` into ``current`` (``{}``: none).

    Top-level keys in ``skip`` are left out (the ODM writes them itself).
    """
    changes = _Changes()
    for key, value in current.items():
        if key in skip:
            continue
        if key in stored:
            changes.compare(key, stored[key], value)
        else:
            changes.sets[key] = value
    for key in stored:
        if key not in current and key not in skip:
            changes.unsets[key] = ""
    return changes.update()


class _Changes:
    """The operators of the update being built."""

    def __init__(self) -> None:
        self.sets: dict[str, Any] = {}
        self.unsets: dict[str, str] = {}
        self.pushes: dict[str, dict[str, Any]] = {}

    def update(self) -> dict[str, Any]:
        update: dict[str, Any] = {}
        if self.sets:
            update["$set"] = self.sets
        if self.unsets:
            update["$unset"] = self.unsets
        if self.pushes:
            update["$push"] = self.pushes
        return update

    def compare(self, path: str, old: Any, new: Any) -> None:
        if same(old, new):
            return
        if _is_document(old) and _is_document(new):
            if _dotted_keys_keep_order(old, new):
                for key, value in new.items():
                    if key in old:
                        self.compare(f"{path}.{key}", old[key], value)
                    else:
                        self.sets[f"{path}.{key}"] = value
                for key in old:
                    if key not in new:
                        self.unsets[f"{path}.{key}"] = ""
                return
        elif _is_array(old) and _is_array(new):
            if len(old) == len(new):
                for index, (before, after) in enumerate(zip(old, new, strict=True)):
                    self.compare(f"{path}.{index}", before, after)
                return
            if all(map(same, old, new)):  # one is a prefix of the other
                if len(new) > len(old):
                    self.pushes[path] = {"$each": list(new[len(old) :])}
                else:
                    self.pushes[path] = {"$each": [], "$slice": len(new)}
                return
        self.sets[path] = new


def _same_items(a: Iterable[Any], b: Iterable[Any]) -> bool:
    """Whether the values of ``a`` and ``b`` (of one length) are pairwise :func:`same`;
    scalars compared here, without a call each."""
    for x, y in zip(a, b, strict=False):  # the callers checked the lengths
        if x is y:
            continue
        kind = type(x)
        if kind in _EQUAL_WHEN_EQ:
            if kind is not type(y) or x != y:
                return False
        elif not same(x, y):
            return False
    return True


def _is_document(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_array(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _dotted_keys_keep_order(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether dotted ``$set``/``$unset`` of the keys of ``new`` give its key order:
    the keys it keeps are in their old order, before the keys it adds, which are in
    lexicographic order, and every key can be a part of a dotted path."""
    if not all(map(_can_be_dotted, new)) or not all(map(_can_be_dotted, old)):
        return False
    kept = [key for key in new if key in old]
    keys = list(new)
    added = keys[len(kept) :]
    # The server adds new fields in lexicographic order of their names (MongoDB 5.0+).
    return (
        kept == [key for key in old if key in new]
        and keys[: len(kept)] == kept
        and (added == sorted(added))
    )


def _can_be_dotted(key: Any) -> bool:
    return type(key) is str and key != "" and "." not in key and key[0] != "$"


def same(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are stored as the same BSON value."""
    if a is b:
        return True
    kind = type(a)
    if kind in _EQUAL_WHEN_EQ:
        return kind is type(b) and bool(a == b)
    if kind is dict and type(b) is dict:  # as decoded and dumped, without the ABC check
        return len(a) == len(b) and list(a) == list(b) and _same_items(a.values(), b.values())
    if kind is list and type(b) is list:
        return len(a) == len(b) and _same_items(a, b)
    if _is_document(a):
        return (
            _is_document(b)
            and len(a) == len(b)
            and list(a) == list(b)
            and all(same(a[key], b[key]) for key in a)
        )
    if _is_array(a):
        return _is_array(b) and len(a) == len(b) and all(map(same, a, b))
    if type(a) is not type(b):
        return False
    if type(a) is float:
        if a != a:
            return bool(b != b)
        return bool(a == b) and math.copysign(1.0, a) == math.copysign(1.0, b)
    try:
        return bool(a == b)
    except Exception:  # a value whose comparison fails: treat it as changed
        return False
