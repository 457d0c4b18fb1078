"""Filters, updates and sort keys built from fields.

On a document class, fields build MongoDB documents with their values converted as a
write would store them::

    Post.views > 5                       # Filter({'views': {'$gt': 5}})
    (Post.views > 5) & (Post.title == 'x')
    Post.views.inc(1) & Post.title.set('x')
    Post.created.desc()                  # SortKey(('created', -1))

:class:`Filter` and :class:`Update` are ``dict`` subclasses, so the driver and every
queryset method take them as they take hand-written dicts, and they mix with those
dicts. Building one checks each value: a value its field cannot store raises
:class:`~aiomongodel.errors.QueryValueError` naming the field.

The methods are on every field through :class:`FieldExpressions`; they rely on the
field's ``s`` (the dotted MongoDB path) and ``query_value`` (the conversion).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from pymongo import ASCENDING, DESCENDING

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "FieldExpressions",
    "Filter",
    "ReferencePath",
    "SortKey",
    "Update",
    "combine_updates",
]

T = TypeVar("T")


def _as_mapping(other: object, operation: str) -> Mapping[str, Any]:
    if not isinstance(other, Mapping):
        raise TypeError(f"cannot combine a filter with {type(other).__name__!r} by {operation}")
    return other


class Filter(dict[str, Any]):
    """A MongoDB filter document built from fields.

    ``a & b`` is ``{'$and': [a, b]}``, ``a | b`` is ``{'$or': [a, b]}`` (either side may
    be a plain dict) and ``~a`` negates: ``{path: {'$not': ...}}`` for a condition on
    one path, ``{'$nor': [a]}`` otherwise. Chains of the same operator stay flat.
    """

    __slots__ = ()

    def _joined(self, operator: str, left: Mapping[str, Any], right: Mapping[str, Any]) -> Filter:
        parts: list[Mapping[str, Any]] = []
        for part in (left, right):
            if isinstance(part, Filter) and list(part) == [operator]:
                parts.extend(part[operator])
            else:
                parts.append(part)
        return Filter({operator: parts})

    def __and__(self, other: Mapping[str, Any]) -> Filter:
        return self._joined("$and", self, _as_mapping(other, "&"))

    def __rand__(self, other: Mapping[str, Any]) -> Filter:
        return self._joined("$and", _as_mapping(other, "&"), self)

    def __or__(self, other: Mapping[str, Any]) -> Filter:  # type: ignore[override]
        return self._joined("$or", self, _as_mapping(other, "|"))

    def __ror__(self, other: Mapping[str, Any]) -> Filter:  # type: ignore[override]
        return self._joined("$or", _as_mapping(other, "|"), self)

    def __ior__(self, other: Mapping[str, Any]) -> Filter:  # type: ignore[override]
        return self | other  # a new filter, as for ``&=``: not dict's in-place merge

    def __invert__(self) -> Filter:
        if list(self) == ["$nor"] and len(self["$nor"]) == 1:
            return Filter(self["$nor"][0])
        if len(self) == 1:
            ((path, condition),) = self.items()
            if not path.startswith("$") and _is_operator_document(condition):
                if list(condition) == ["$not"]:
                    return Filter({path: condition["$not"]})
                return Filter({path: {"$not": condition}})
        return Filter({"$nor": [self]})

    def __repr__(self) -> str:
        return f"Filter({dict.__repr__(self)})"


def _is_operator_document(condition: Any) -> bool:
    return (
        isinstance(condition, Mapping)
        and bool(condition)
        and all(isinstance(key, str) and key.startswith("$") for key in condition)
    )


class Update(dict[str, dict[str, Any]]):
    """A MongoDB update document built from fields: ``{'$inc': {'views': 1}}``.

    ``a & b`` merges two updates (either may be a plain dict) into one document;
    updating one path twice, or a path and a path inside it, is refused with
    ``ValueError``, as MongoDB would refuse it.
    """

    __slots__ = ()

    def __and__(self, other: Mapping[str, Any]) -> Update:
        return combine_updates([self, other])

    def __rand__(self, other: Mapping[str, Any]) -> Update:
        return combine_updates([other, self])

    def __repr__(self) -> str:
        return f"Update({dict.__repr__(self)})"


def combine_updates(updates: Iterable[Mapping[str, Any]]) -> Update:
    """One update document doing everything ``updates`` do.

    Raises:
        ValueError: If two of them update one path (or a path and a path inside it).
        TypeError: If one of them is not an update document (``{'$op': {...}}``).
    """
    combined = Update()
    touched: dict[str, str] = {}
    for update in updates:
        if not isinstance(update, Mapping):
            raise TypeError(f"an update document must be a mapping, got {update!r}")
        for operator, paths in update.items():
            if not (isinstance(operator, str) and operator.startswith("$")):
                raise TypeError(
                    f"an update document's keys are operators ('$set', '$inc', ...), "
                    f"got {operator!r}"
                )
            if not isinstance(paths, Mapping):
                raise TypeError(f"{operator} needs a document of paths, got {paths!r}")
            target = combined.setdefault(operator, {})
            for path, value in paths.items():
                for written in _paths_written(operator, path, value):
                    _claim(touched, written, operator)
                target[path] = value
    return combined


def _paths_written(operator: str, path: str, value: Any) -> tuple[str, ...]:
    return (path, value) if operator == "$rename" and isinstance(value, str) else (path,)


def _claim(touched: dict[str, str], path: str, operator: str) -> None:
    for other, other_operator in touched.items():
        if other == path or other.startswith(f"{path}.") or path.startswith(f"{other}."):
            raise ValueError(
                f"the update changes {other!r} ({other_operator}) and {path!r} "
                f"({operator}); MongoDB refuses an update that changes a path twice"
            )
    touched[path] = operator


class SortKey(tuple[str, int]):
    """A ``(path, direction)`` pair, as the driver's ``sort`` takes in a list.

    Querysets also take one alone: ``find(sort=Post.created.desc())``.
    """

    __slots__ = ()

    def __new__(cls, path: str, direction: int) -> Self:
        return super().__new__(cls, (path, direction))

    def __repr__(self) -> str:
        return f"SortKey({tuple.__repr__(self)})"


class ReferencePath:
    """A path that goes on inside referenced documents, for prefetching:
    ``Post.author.company`` is the ``company`` reference of each post's author.

    MongoDB cannot filter through a reference, so a reference path builds no filters;
    querysets' ``prefetch`` loads each level in turn (see ``aiomongodel.prefetch``).

    Attributes:
        reference: The reference field the path starts from (on the queried class, or
            a path to it through embedded documents).
        names: The attribute names after it, inside the referenced documents.
    """

    __slots__ = ("names", "reference")

    def __init__(self, reference: FieldExpressions[Any], names: tuple[str, ...]) -> None:
        self.reference = reference
        self.names = names

    def __getattr__(self, name: str) -> ReferencePath:
        if name.startswith("__"):
            raise AttributeError(name)
        return ReferencePath(self.reference, (*self.names, name))

    def __repr__(self) -> str:
        return f"<ReferencePath {'.'.join((self.reference.s, *self.names))}>"


class FieldExpressions(Generic[T]):
    """The filter, update and sort methods of fields (mixed into ``Field``).

    Values are converted by the field as a write would store them (``query_value``);
    for a list field a single item is converted by the item field, so that
    ``Post.tags == 'a'`` matches the lists holding ``'a'``.

    Field objects stay hashable by identity, and comparing two fields with ``==``
    tells whether they are the same object, so that fields work as dict keys and in
    lists and sets.
    """

    __hash__ = object.__hash__

    if TYPE_CHECKING:

        @property
        def s(self) -> str: ...

        def query_value(self, value: Any) -> Any: ...

        def item_query_value(self, item: Any) -> Any: ...

    def _condition(self, operator: str, value: Any) -> Filter:
        return Filter({self.s: {operator: self.query_value(value)}})

    def _values(self, values: Iterable[Any], *, items: bool = False) -> list[Any]:
        if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
            raise TypeError(f"{self.s}: needs an iterable of values, got {values!r}")
        convert = self.item_query_value if items else self.query_value
        return [convert(value) for value in values]

    # Filters ------------------------------------------------------------------------

    # ``==`` with another field is identity (a bool), for containers of fields.
    def __eq__(self, value: T | None) -> Filter:  # type: ignore[override]
        if isinstance(value, FieldExpressions):
            return cast(Filter, self is value)
        return Filter({self.s: self.query_value(value)})

    def __ne__(self, value: T | None) -> Filter:  # type: ignore[override]
        if isinstance(value, FieldExpressions):
            return cast(Filter, self is not value)
        return self._condition("$ne", value)

    def __lt__(self, value: T) -> Filter:
        return self._condition("$lt", value)

    def __le__(self, value: T) -> Filter:
        return self._condition("$lte", value)

    def __gt__(self, value: T) -> Filter:
        return self._condition("$gt", value)

    def __ge__(self, value: T) -> Filter:
        return self._condition("$gte", value)

    def in_(self, values: Iterable[T]) -> Filter:
        """``{path: {'$in': [...]}}``: the value is one of ``values``."""
        return Filter({self.s: {"$in": self._values(values)}})

    def not_in(self, values: Iterable[T]) -> Filter:
        """``{path: {'$nin': [...]}}``: the value is none of ``values`` (or missing)."""
        return Filter({self.s: {"$nin": self._values(values)}})

    def exists(self, exists: bool = True) -> Filter:
        """``{path: {'$exists': exists}}``: the document has the field (or not)."""
        return Filter({self.s: {"$exists": bool(exists)}})

    def is_none(self) -> Filter:
        """The stored value is ``null`` (``== None`` also matches a missing field)."""
        return Filter({self.s: {"$type": "null"}})

    def is_type(self, *bson_types: str | int) -> Filter:
        """``{path: {'$type': ...}}``: the stored value has one of these BSON types
        (``'string'``, ``'int'``, ``'array'``, ... or their numbers)."""
        if not bson_types:
            raise TypeError(f"{self.s}: is_type() needs at least one BSON type")
        types: Any = bson_types[0] if len(bson_types) == 1 else list(bson_types)
        return Filter({self.s: {"$type": types}})

    def matches(self, pattern: str | re.Pattern[str], options: str = "") -> Filter:
        """``{path: {'$regex': pattern}}``: the string matches ``pattern`` (MongoDB's
        regular expressions; ``options`` such as ``'i'``). A compiled pattern keeps its
        flags. (``regex`` is the option of ``StrField``, so the query is ``matches``.)"""
        if isinstance(pattern, re.Pattern):
            if options:
                raise TypeError(f"{self.s}: options go with a pattern string, not a compiled one")
            return Filter({self.s: pattern})
        if not isinstance(pattern, str):
            raise TypeError(f"{self.s}: a pattern is a string or re.Pattern, got {pattern!r}")
        condition: dict[str, Any] = {"$regex": pattern}
        if options:
            condition["$options"] = options
        return Filter({self.s: condition})

    def size(self, length: int) -> Filter:
        """``{path: {'$size': length}}``: the list has exactly ``length`` items."""
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise TypeError(f"{self.s}: size() needs a non-negative int, got {length!r}")
        return Filter({self.s: {"$size": length}})

    def all(self, values: Iterable[Any]) -> Filter:
        """``{path: {'$all': [...]}}``: the list holds every one of ``values``."""
        return Filter({self.s: {"$all": self._values(values, items=True)}})

    def elem_match(self, *conditions: Mapping[str, Any]) -> Filter:
        """``{path: {'$elemMatch': ...}}``: one item of the list meets every condition.

        For embedded documents, build the conditions from the item class's fields
        (``Post.comments.elem_match(Comment.votes > 3, Comment.author == ann)``); for
        other items, pass operator dicts (``{'$gt': 3}``).
        """
        if not conditions:
            raise TypeError(f"{self.s}: elem_match() needs at least one condition")
        parts = [_as_mapping(condition, "elem_match") for condition in conditions]
        keys = [key for part in parts for key in part]
        if len(set(keys)) == len(keys):
            merged: dict[str, Any] = {key: part[key] for part in parts for key in part}
        else:
            merged = {"$and": parts}
        return Filter({self.s: {"$elemMatch": merged}})

    # Updates ------------------------------------------------------------------------

    def _update(self, operator: str, value: Any) -> Update:
        return Update({operator: {self.s: value}})

    def set(self, value: T) -> Update:
        """``{'$set': {path: value}}``."""
        return self._update("$set", self.query_value(value))

    def unset(self) -> Update:
        """``{'$unset': {path: ''}}``: remove the field."""
        return self._update("$unset", "")

    def inc(self, amount: T) -> Update:
        """``{'$inc': {path: amount}}``."""
        return self._update("$inc", self.query_value(amount))

    def mul(self, factor: T) -> Update:
        """``{'$mul': {path: factor}}``."""
        return self._update("$mul", self.query_value(factor))

    def min(self, value: T) -> Update:
        """``{'$min': {path: value}}``: set the value if ``value`` is less."""
        return self._update("$min", self.query_value(value))

    def max(self, value: T) -> Update:
        """``{'$max': {path: value}}``: set the value if ``value`` is greater."""
        return self._update("$max", self.query_value(value))

    def rename(self, new_name: str | FieldExpressions[Any]) -> Update:
        """``{'$rename': {path: new path}}`` (a path, or a field for its ``s``)."""
        target = new_name.s if isinstance(new_name, FieldExpressions) else new_name
        if not isinstance(target, str):
            raise TypeError(f"{self.s}: rename() needs a path or a field, got {new_name!r}")
        return self._update("$rename", target)

    def push(self, item: Any) -> Update:
        """``{'$push': {path: item}}``: append an item to the list."""
        return self._update("$push", self.item_query_value(item))

    def push_all(
        self,
        items: Iterable[Any],
        *,
        position: int | None = None,
        slice: int | None = None,
        sort: Any = None,
    ) -> Update:
        """``{'$push': {path: {'$each': [...]}}}``, with ``$position``, ``$slice`` and
        ``$sort`` when given."""
        each: dict[str, Any] = {"$each": self._values(items, items=True)}
        for key, value in (("$position", position), ("$slice", slice), ("$sort", sort)):
            if value is not None:
                each[key] = value
        return self._update("$push", each)

    each = push_all

    def add_to_set(self, item: Any) -> Update:
        """``{'$addToSet': {path: item}}``: append the item unless the list has it."""
        return self._update("$addToSet", self.item_query_value(item))

    def add_to_set_all(self, items: Iterable[Any]) -> Update:
        """``{'$addToSet': {path: {'$each': [...]}}}``."""
        return self._update("$addToSet", {"$each": self._values(items, items=True)})

    def pull(self, item_or_condition: Any) -> Update:
        """``{'$pull': {path: ...}}``: remove the items equal to a value, or those that
        meet a condition (a filter built from the item class's fields, or a dict)."""
        if isinstance(item_or_condition, Filter):
            return self._update("$pull", item_or_condition)
        return self._update("$pull", self.item_query_value(item_or_condition))

    def pull_all(self, items: Iterable[Any]) -> Update:
        """``{'$pullAll': {path: [...]}}``: remove every item equal to one of ``items``."""
        return self._update("$pullAll", self._values(items, items=True))

    def pop_first(self) -> Update:
        """``{'$pop': {path: -1}}``: remove the first item."""
        return self._update("$pop", -1)

    def pop_last(self) -> Update:
        """``{'$pop': {path: 1}}``: remove the last item."""
        return self._update("$pop", 1)

    # Sorting ------------------------------------------------------------------------

    def asc(self) -> SortKey:
        """Sort by this field, ascending: ``('path', 1)``."""
        return SortKey(self.s, ASCENDING)

    def desc(self) -> SortKey:
        """Sort by this field, descending: ``('path', -1)``."""
        return SortKey(self.s, DESCENDING)
