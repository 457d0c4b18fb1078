"""Per-class functions generated from a document class's fields.

A document's per-instance work (building from keywords, loading from and dumping to
MongoDB, validating) is compiled into plain functions the first time the class is used,
as attrs and dataclasses do for ``__init__``. Each field contributes expressions that
are equivalent to calling its methods (see ``Field.inline_from_data`` and friends), so
the common case costs no Python call per field. The generated functions:

* ``make(data)``: a document from a stored dict (``from_mongo``);
* ``adopt(data)``: the same from a dict just decoded by the driver, which may become
  the document's storage instead of being copied;
* ``dump(values, reordered)``: the stored dict of a document's values (``to_mongo``);
* ``errors(values)``: ``{field name: ValidationError}``, or ``None`` when valid;
* ``build(kwargs)``: the values of a new document from field-name keywords, or ``None``
  when a keyword is a synonym or unknown and the general path must handle it;
* ``init``: an ``__init__`` taking each field and synonym as a keyword parameter, which
  hands anything but the common case to ``BaseDocument.__init__``.

Generated names start with ``__``, and ``__init__``'s parameters are the field and
synonym names. A class with a name that cannot be such a parameter (not an identifier, a
keyword, changed by Unicode normalization, or starting with ``__``, as ``type()`` allows)
gets an ``init`` that hands every call to ``BaseDocument.__init__``.
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from aiomongodel.errors import ValidationError
from aiomongodel.utils import _Empty

if TYPE_CHECKING:
    from aiomongodel.document import Meta
    from aiomongodel.fields import Field

__all__ = ["GENERATED", "generate"]

#: Names of the functions :func:`generate` returns.
GENERATED = ("make", "adopt", "dump", "errors", "build", "init")


class _Code:
    """Source lines plus the objects they refer to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {}
        self._names: dict[int, str] = {}
        #: The name of ``_Empty``, which stands for "no value" in the generated code.
        self.missing = self.bind(_Empty)

    def bind(self, obj: Any) -> str:
        """Make ``obj`` available to the code; return its name there."""
        name = self._names.get(id(obj))
        if name is None:
            name = self._names[id(obj)] = f"__b{len(self._names)}"
            self.namespace[name] = obj
        return name

    def add(self, indent: int, *lines: str) -> None:
        self.lines.extend("    " * indent + line for line in lines)


def generate(cls: type[Any], meta: Meta) -> dict[str, Callable[..., Any]]:
    """Compile the functions of :data:`GENERATED` for ``cls``."""
    code = _Code()
    _make(code, cls, meta)
    _dump(code, meta)
    _errors(code, meta)
    _build(code, meta)
    _init(code, cls, meta)
    source = "\n".join(code.lines)
    exec(compile(source, f"<aiomongodel generated: {cls.__qualname__}>", "exec"), code.namespace)
    functions = {name: code.namespace[name] for name in GENERATED}
    functions["init"].__name__ = "__init__"
    functions["init"].__qualname__ = f"{cls.__qualname__}.__init__"
    return functions


def _as_dict(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    def as_dict(data: Any) -> dict[str, Any]:
        if not issubclass(type(data), Mapping):  # not isinstance: __class__ may lie or raise
            raise TypeError(
                f"{cls.__name__}.from_mongo() needs a mapping, got {type(data).__name__}"
            )
        return dict(data)

    return as_dict


def _set_if_given(
    code: _Code, indent: int, source: str, key: str, target: str, target_key: str, value: str
) -> None:
    """``target[target_key] = value`` (an expression over ``v``) if ``source`` has ``key``."""
    code.add(
        indent,
        f"v = {source}.get({key!r}, {code.missing})",
        f"if v is not {code.missing}:",
        f"    {target}[{target_key!r}] = {value}",
    )


def _default(code: _Code, field: Field[Any]) -> str:
    """Expression for a new default value of ``field`` (its callable called)."""
    default = field._default
    return f"{code.bind(default)}()" if callable(default) else code.bind(default)


def _make(code: _Code, cls: type[Any], meta: Meta) -> None:
    """``make``, and ``adopt``: ``make`` for a dict the caller hands over.

    A stored document holding exactly the fields, in declaration order or as the server
    returns it (``_id`` first), is copied as a whole, in C, or kept as it is by ``adopt``
    (the common case, unless fields are renamed); ``_id`` and the fields declared after
    it are then moved back behind the others, and only the fields that convert are
    replaced. Anything else is built field by field, in declaration order.
    """
    is_dict = f"{code.bind(type)}(data) is {code.bind(dict)}"
    names = list(meta.fields)
    # The server stores ``_id`` first; the document keeps declaration order.
    stored = sorted(names, key=lambda name: name != "_id")
    moved = names[names.index("_id") :] if stored != names else []
    in_order = f"keys == {code.bind(tuple(names))}"
    # As the server returns it (``_id`` first), or as ``to_mongo`` wrote it.
    check = [f"moved = keys == {code.bind(tuple(stored))}", f"known = moved or {in_order}"]
    if not moved:
        check = [f"known = {in_order}"]
    new_document = f"document = {code.bind(cls.__new__)}({code.bind(cls)})"

    def whole(copy: bool) -> None:
        """The fast path: ``data`` holds exactly the fields and becomes the storage, as
        it is if the caller hands it over, else copied."""
        if not meta.stored_under_field_names:
            return
        values, storage = ("values", "values = data.copy()") if copy else ("data", "data")
        code.add(
            1,
            f"if {is_dict}:",
            "    try:",
            f"        keys = {code.bind(tuple)}(data)",
            *(f"        {line}" for line in check),
            "    except Exception:  # a key whose __eq__ raises: not one of ours",
            "        known = False",
            "    if known:",
            f"        {new_document}",
            f"        document._data = {storage}",
        )
        if moved:
            code.add(3, "if moved:")
            for name in moved:
                code.add(4, f"{values}[{name!r}] = {values}.pop({name!r})")
        for _, name, _ in meta.load_steps:
            load = meta.fields[name].inline_load("v", code.bind, owned=not copy)
            code.add(3, f"v = {values}[{name!r}]", f"{values}[{name!r}] = {load}")
        code.add(3, "return document")

    code.add(0, "def make(data):")
    whole(copy=True)
    as_dict = f"data = {code.bind(_as_dict(cls))}(data)"
    code.add(1, f"if not {is_dict}:", f"    {as_dict}", new_document, "values = {}")
    for name, field in meta.fields.items():
        load = field.inline_load("v", code.bind, owned=False)
        _set_if_given(code, 1, "data", str(field.mongo_name), "values", name, load)
    code.add(1, "document._data = values", "return document")

    code.add(0, "def adopt(data):")
    whole(copy=False)
    code.add(1, "return make(data)")


def _dump(code: _Code, meta: Meta) -> None:
    """``dump(data, reordered)``: the stored dict, its keys in declaration order whatever
    order the values were set in, as 0.2 stored them.

    Values still in declaration order (``reordered`` false: no value was added after the
    document was built or loaded) are copied as a whole, in C, unless fields are renamed,
    and only the fields that convert are replaced; anything else is built field by field.
    """
    code.add(0, "def dump(data, reordered=False):")
    if meta.stored_under_field_names:
        code.add(1, "if not reordered:", "    result = data.copy()")
        for name in meta.dump_steps:
            dump = meta.fields[name].inline_to_mongo("v", code.bind)
            _set_if_given(code, 2, "result", name, "result", name, dump)
        code.add(2, "return result")
    code.add(1, "result = {}")
    for name, field in meta.fields.items():
        dump = field.inline_to_mongo("v", code.bind)
        _set_if_given(code, 1, "data", name, "result", str(field.mongo_name), dump)
    code.add(1, "return result")


def _errors(code: _Code, meta: Meta) -> None:
    """``errors``: the fast check of each field, then ``validate`` unless it passed.

    A fast check that raises (odd values, user code inside embedded documents) counts as
    not passed: ``validate`` then decides, as it would without the fast check.
    """
    missing = code.missing
    error = code.bind(ValidationError)
    code.add(0, "def errors(data):", "    found = None")
    for name, field in meta.fields.items():
        accept = field.inline_accept("v", code.bind)
        code.add(1, f"v = data.get({name!r}, {missing})")
        indent = 1
        if accept is not None:
            code.add(
                1,
                "try:",
                f"    accepted = {accept}",
                "except Exception:",
                "    accepted = False",
                "if not accepted:",
            )
            indent = 2
        code.add(
            indent,
            "try:",
            f"    {code.bind(field.validate)}(v)",
            f"except {error} as exc:",
            "    if found is None:",
            "        found = {}",
            f"    found[{name!r}] = exc",
        )
    code.add(1, "return found")


def _build(code: _Code, meta: Meta) -> None:
    """``build``: ``None`` before converting anything if a name is not a field's."""
    missing = code.missing
    code.add(
        0,
        "def build(kwargs):",
        f"    if not kwargs.keys() <= {code.bind(frozenset(meta.fields))}:",
        "        return None",
        "    values = {}",
        "    given = 0",
    )
    defaults = dict(meta.defaults)
    for name, field in meta.fields.items():
        convert = field.inline_from_data("v", code.bind)
        code.add(1, f"v = kwargs.get({name!r}, {missing})")
        if name in defaults:
            code.add(
                1,
                f"if v is {missing}:",
                f"    v = {_default(code, field)}",
                "else:",
                "    given += 1",
                f"values[{name!r}] = {convert}",
            )
        else:
            code.add(
                1,
                f"if v is not {missing}:",
                "    given += 1",
                f"    values[{name!r}] = {convert}",
            )
    code.add(1, "if given != len(kwargs):", "    return None", "return values")


def _can_be_parameter(name: str) -> bool:
    """Whether ``name`` can be a keyword parameter of the generated ``__init__`` as it is."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("__")
        and unicodedata.normalize("NFKC", name) == name
    )


def _init(code: _Code, cls: type[Any], meta: Meta) -> None:
    from aiomongodel.document import BaseDocument

    missing = code.missing
    names = [*meta.fields, *meta.synonyms]
    if not all(map(_can_be_parameter, names)):
        code.add(
            0,
            "def init(__self, /, *, _empty=False, **__kw):",
            f"    return {code.bind(BaseDocument.__init__)}(__self, _empty=_empty, **__kw)",
        )
        return
    parameters = "".join(f", {name}={missing}" for name in names)
    given = ", ".join(f"({name!r}, {name})" for name in names)
    other_class = f"{code.bind(type)}(__self) is not {code.bind(cls)}"
    # Names that are not fields or synonyms land in ``__unknown`` and are ignored.
    code.add(
        0,
        f"def init(__self, /, *, _empty=False{parameters}, **__unknown):",
        f"    if _empty or {other_class}:",
        f"        __kw = {{k: v for k, v in ({given}{',' if len(names) == 1 else ''}) "
        f"if v is not {missing}}}",
        "        __kw.update(__unknown)",
        f"        return {code.bind(BaseDocument.__init__)}(__self, _empty=_empty, **__kw)",
    )
    for synonym, target in meta.synonyms.items():
        code.add(1, f"if {target} is {missing}:", f"    {target} = {synonym}")
    defaults = dict(meta.defaults)
    for name, field in defaults.items():
        code.add(1, f"if {name} is {missing}:", f"    {name} = {_default(code, field)}")
    # The common case, every field given (or defaulted) with a value its field keeps as
    # it is (a ``str`` for a ``StrField``...), builds the values in one dict display.
    checks, display = [], []
    for name, field in meta.fields.items():
        kept = field.inline_kept_by_from_data(name, code.bind)
        if kept is not None:
            checks.append(kept)  # false for the missing marker too
            display.append(f"{name!r}: {name}")
        else:
            if name not in defaults:
                checks.append(f"{name} is not {missing}")
            display.append(f"{name!r}: {field.inline_from_data(name, code.bind)}")
    values = f"{{{', '.join(display)}}}"
    if not checks:
        code.add(1, f"__self._data = {values}")
        return
    code.add(1, f"if {' and '.join(checks)}:", f"    __self._data = {values}", "    return")
    code.add(1, "__data = {}")
    for name, field in meta.fields.items():
        convert = field.inline_from_data("__v", code.bind)
        if name in defaults:
            code.add(1, f"__v = {name}", f"__data[{name!r}] = {convert}")
        else:
            code.add(
                1,
                f"if {name} is not {missing}:",
                f"    __v = {name}",
                f"    __data[{name!r}] = {convert}",
            )
    code.add(1, "__self._data = __data")
