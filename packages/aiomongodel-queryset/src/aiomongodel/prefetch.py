"""Loading referenced documents in batches: one query per path and level, never per document.

A path names references to load, from the queried class: a reference field
(``Post.author``), one inside embedded documents or lists of them (``Post.comments.author``),
a list of references (``Post.tags``), or a path that goes on inside the referenced
documents (``Post.author.company``, loaded in a second round). It may also be a dotted
string of attribute names (``'author.company'``).

For each path, the ids of every document in the batch are gathered, and the distinct ones
are read with one query, ``{'_id': {'$in': [...]}}``, through the referenced class's
queryset (so its ``Meta.default_query``, its collection options and the session apply).
Each id is then replaced in place by its document: a ``RefField`` holds either, and stores
the id either way, so saving a prefetched document stores what was loaded. An id with no
document keeps its place, unless ``on_missing="error"`` asks for a
:class:`~aiomongodel.errors.MissingReferenceError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from aiomongodel.document import BaseDocument
from aiomongodel.errors import MissingReferenceError
from aiomongodel.expressions import FieldExpressions, ReferencePath
from aiomongodel.fields import EmbDocField, Field, ListField, RefField

if TYPE_CHECKING:
    from aiomongodel.document import Database, Session

__all__ = ["OnMissing", "Path", "prefetch"]

#: What a path may be given as.
Path = FieldExpressions[Any] | ReferencePath | str
#: What to do with a reference whose document is not found.
OnMissing = Literal["keep", "error"]

#: Ids per ``$in`` query: far below MongoDB's 16 MB command limit for any usual ``_id``.
ID_BATCH = 20_000


@dataclass
class _Level:
    """One reference to load: ``names`` lead to it from the documents of the level above."""

    label: str
    names: tuple[str, ...]
    target: type[Any]
    children: dict[tuple[str, ...], _Level] = field(default_factory=dict)


def plan(document_class: type[Any], paths: Iterable[Path]) -> list[_Level]:
    """The references ``paths`` name, as a tree of levels (shared prefixes once).

    Raises:
        ValueError: If a path does not lead through ``document_class``'s fields to a
            reference.
        TypeError: If a path is not a field, a reference path or a string.
    """
    roots: dict[tuple[str, ...], _Level] = {}
    for path in paths:
        levels = list(_levels(document_class, path))
        children, label = roots, document_class.__name__
        for names, target in levels:
            label = f"{label}.{'.'.join(names)}"
            node = children.get(names)
            if node is None:
                node = children[names] = _Level(label, names, target)
            children = node.children
    return list(roots.values())


def _levels(root: type[Any], path: Path) -> Iterator[tuple[tuple[str, ...], type[Any]]]:
    """``(attribute names, referenced class)`` for each reference along ``path``."""
    if isinstance(path, ReferencePath):
        names = [*_attribute_names(root, path.reference), *path.names]
    elif isinstance(path, FieldExpressions):
        names = _attribute_names(root, path)
    elif isinstance(path, str):
        names = path.split(".")
    else:
        raise TypeError(f"a prefetch path is a field or a dotted name, got {path!r}")
    cls, level, last = root, [], len(names) - 1
    for position, name in enumerate(names):
        inner = _innermost(_field(cls, name, names))
        level.append(cls.meta.synonyms.get(name, name))
        if isinstance(inner, RefField):
            yield tuple(level), inner.document_class
            cls, level = inner.document_class, []
        elif isinstance(inner, EmbDocField) and position < last:
            cls = inner.document_class
        elif isinstance(inner, EmbDocField):
            raise ValueError(
                f"{root.__name__}: cannot prefetch {'.'.join(names)!r}: it ends inside "
                "embedded documents, not at a reference"
            )
        else:
            raise ValueError(
                f"{root.__name__}: cannot prefetch {'.'.join(names)!r}: "
                f"{cls.__name__}.{name} is not a reference or an embedded document"
            )


def _attribute_names(root: type[Any], path: FieldExpressions[Any]) -> list[str]:
    """The attribute names of a field path (``Post.comments.author``) from ``root``, found
    from its MongoDB path, which is all a field reached through embedded documents keeps."""
    names, cls = [], root
    segments = path.s.split(".")
    for position, segment in enumerate(segments):
        by_mongo_name = {f.mongo_name: name for name, f in cls.meta.fields.items()}
        name = by_mongo_name.get(segment)
        if name is None:
            raise ValueError(
                f"{root.__name__}: cannot prefetch {path.s!r}: {cls.__name__} has no field "
                f"stored as {segment!r} (prefetch paths go through whole lists, with no "
                f"positions)"
            )
        names.append(name)
        inner = _innermost(cls.meta.fields[name])
        if isinstance(inner, EmbDocField) and position < len(segments) - 1:
            cls = inner.document_class
    # A field of the class itself must be that very field (not another class's field of
    # the same name); one reached through embedded documents is a copy made by the path.
    if len(segments) == 1 and root.meta.fields[names[0]] is not path:
        raise ValueError(f"{root.__name__}: {path!r} is not a field of {root.__name__}")
    return names


def _field(cls: type[Any], name: str, names: Sequence[str]) -> Field[Any]:
    meta = cls.meta
    found: Field[Any] | None = meta.fields.get(meta.synonyms.get(name, name))
    if found is None:
        raise ValueError(
            f"cannot prefetch {'.'.join(names)!r}: {cls.__name__} has no field {name!r}"
        )
    return found


def _innermost(field_: Any) -> Any:
    """The field of the innermost items of a (nested) ``ListField``, or ``field_``."""
    while isinstance(field_, ListField):
        field_ = field_.item_field
    return field_


async def prefetch(
    documents: Sequence[Any],
    levels: list[_Level],
    *,
    db: Database,
    session: Session | None = None,
    on_missing: OnMissing = "keep",
) -> None:
    """Replace the ids that ``levels`` (see :func:`plan`) name in ``documents`` by the
    referenced documents, one query per level and per :data:`ID_BATCH` ids."""
    if on_missing not in ("keep", "error"):
        raise ValueError(f"on_missing is 'keep' or 'error', got {on_missing!r}")
    if not documents or not levels:
        return
    runs = [_load(documents, level, db, session, on_missing) for level in levels]
    if session is None and len(runs) > 1:
        await asyncio.gather(*runs)
    else:  # one query, or a session, which serves one operation at a time
        for run in runs:
            await run


async def _load(
    documents: Sequence[Any],
    level: _Level,
    db: Database,
    session: Session | None,
    on_missing: OnMissing,
) -> None:
    references: list[tuple[Any, Any, Any]] = []  # (holder, key, id)
    present: dict[int, Any] = {}  # documents already in place, by id()
    for holder, key in _all_slots(documents, level.names):
        value = holder[key]
        if isinstance(value, BaseDocument):
            present[id(value)] = value
        else:
            references.append((holder, key, value))
    wanted = list(dict.fromkeys(value for _, _, value in references))
    found = await _read(level.target, wanted, db, session) if wanted else {}
    missing = []
    get = found.get
    for holder, key, value in references:
        document = get(value)
        if document is None:
            missing.append(value)
        else:
            holder[key] = document
    if missing and on_missing == "error":
        raise MissingReferenceError(level.label, level.target, list(dict.fromkeys(missing)))
    if level.children and (found or present):
        for document in found.values():
            present.setdefault(id(document), document)
        await prefetch(
            list(present.values()),
            list(level.children.values()),
            db=db,
            session=session,
            on_missing=on_missing,
        )


async def _read(
    target: type[Any], ids: list[Any], db: Database, session: Session | None
) -> dict[Any, Any]:
    stored = target.meta.fields["_id"].to_mongo
    queryset = target.q(db, session=session)
    found: dict[Any, Any] = {}
    for start in range(0, len(ids), ID_BATCH):
        chunk = [stored(value) for value in ids[start : start + ID_BATCH]]
        for document in await queryset.find({"_id": {"$in": chunk}}).to_list(None):
            found[document._data.get("_id")] = document
    return found


def _all_slots(documents: Sequence[Any], names: tuple[str, ...]) -> Iterator[tuple[Any, Any]]:
    """:func:`_slots` of every document, with a quick way for a field of their own."""
    if len(names) > 1:
        for document in documents:
            yield from _slots(document, names)
        return
    (name,) = names
    for document in documents:
        data = document._data  # a reference of its own: never left as stored
        value = data.get(name)
        if type(value) is list:
            yield from _references(data, name)
        elif value is not None:
            yield data, name


def _slots(document: Any, names: tuple[str, ...]) -> Iterator[tuple[Any, Any]]:
    """``(holder, key)`` of every reference value at ``names`` in ``document``: a
    document's ``_data`` and a field name, or a list and an index."""
    data = document._values()
    first, rest = names[0], names[1:]
    if first not in data:
        return
    if rest:
        for inner in _documents(data[first]):
            yield from _slots(inner, rest)
    else:
        yield from _references(data, first)


def _documents(value: Any) -> Iterator[Any]:
    if isinstance(value, BaseDocument):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _documents(item)


def _references(holder: Any, key: Any) -> Iterator[tuple[Any, Any]]:
    value = holder[key]
    if isinstance(value, list):
        for index in range(len(value)):
            yield from _references(value, index)
    elif value is not None:
        yield holder, key
