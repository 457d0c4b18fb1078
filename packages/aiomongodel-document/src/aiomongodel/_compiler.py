"""The compiler: a document class's per-document functions, from its fields' descriptions.

A document's per-instance work (building from keywords, loading from and dumping to
MongoDB, validating) is compiled into plain functions the first time the class is used,
as attrs and dataclasses do for ``__init__``. The fields describe themselves as data:
their :attr:`~aiomongodel.fields.Field.constraints`, the type ``from_data`` keeps
(``exact_type``), whether ``to_mongo``/``from_mongo`` change values (``passthrough``),
their items (``ListField``) or document class (``EmbDocField``). This module turns those
descriptions into expressions equal to calling the field's methods, so the common case
costs no Python call per field. A step whose methods a field's class overrides
(:meth:`~aiomongodel.fields.Field.is_standard`) is compiled as a call of that method.

The compiled functions (:class:`CompiledFunctions`, ``DocClass.meta.compiled``):

* ``make(data)``: a document from a stored dict (``from_mongo``);
* ``adopt(data)``: the same from a dict just decoded by the driver, which may become
  the document's storage instead of being copied;
* ``dump(values, reordered)``: the stored dict of a document's values (``to_mongo``);
* ``errors(values)``: ``{field name: ValidationError}``, or ``None`` when valid;
* ``build(kwargs)``: the values of a new document from field-name keywords, or ``None``
  when a keyword is a synonym or unknown and the general path must handle it;
* ``init``: an ``__init__`` taking each field and synonym as a keyword parameter, which
  hands anything but the common case to ``BaseDocument.__init__``.

Their source is registered with :mod:`linecache` under a file name naming the class, so
tracebacks show its lines, ``inspect.getsource`` works and pdb steps through it;
``meta.compiled.source`` is the whole of it. Objects the code uses are bound under names
saying what they are (``title_validate``, ``Comment_errors``).

``__init__``'s parameters are the field and synonym names, and its own locals start with
``__``. A class with a name that cannot be such a parameter (not an identifier, a keyword,
changed by Unicode normalization, or starting with ``__``, as ``type()`` allows) gets an
``init`` that hands every call to ``BaseDocument.__init__``.
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import linecache
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import BuiltinFunctionType
from typing import TYPE_CHECKING, Any

from aiomongodel.constraints import Rest
from aiomongodel.errors import ValidationError
from aiomongodel.fields import EmbDocField, Field, ListField, RefField
from aiomongodel.utils import _Empty

if TYPE_CHECKING:
    from aiomongodel.document import Meta

__all__ = ["CompiledFunctions", "compile_document", "init_signature"]


@dataclass(frozen=True, slots=True)
class CompiledFunctions:
    """The functions compiled for one document class, and their source."""

    make: Callable[[Any], Any]
    adopt: Callable[[dict[str, Any]], Any]
    dump: Callable[..., dict[str, Any]]
    errors: Callable[[Mapping[str, Any]], dict[str, ValidationError] | None]
    build: Callable[[dict[str, Any]], dict[str, Any] | None]
    init: Callable[..., None]
    #: Builds the embedded documents that ``adopt`` left stored (see ``settle``).
    settle: Callable[[Any], None]
    #: The source of all of them, as registered with ``linecache``.
    source: str
    #: The file name of that source in tracebacks and ``linecache``.
    filename: str


#: Classes being compiled: code of a class they embed refers to their functions through
#: ``meta.compiled`` when called (the classes embed each other).
_compiling: set[type[Any]] = set()

#: Locals and parameters of the generated functions, which bound names must not hide.
_LOCALS = frozenset(
    {
        "v",
        "data",
        "values",
        "document",
        "keys",
        "known",
        "moved",
        "result",
        "reordered",
        "found",
        "exc",
        "accepted",
        "kwargs",
        "given",
        "_empty",
    }
)


def compile_document(cls: type[Any], meta: Meta, base: type[Any]) -> CompiledFunctions:
    """Compile the functions of ``cls`` (described by ``meta``).

    ``base`` is ``BaseDocument``: embedded classes that keep its methods are inlined, and
    its ``__init__`` handles what the generated one does not.
    """
    _compiling.add(cls)
    try:
        compiler = _Compiler(cls, meta, base)
        compiler.make()
        compiler.dump()
        compiler.errors()
        compiler.build()
        compiler.init()
        return compiler.finish()
    finally:
        _compiling.discard(cls)


def _can_be_parameter(name: str) -> bool:
    """Whether ``name`` can be a keyword parameter of the generated ``__init__`` as it is."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("__")
        and unicodedata.normalize("NFKC", name) == name
    )


class _Factory:
    """Default of a parameter whose field has a callable default."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def init_signature(meta: Meta) -> inspect.Signature:
    """The signature of the generated ``__init__``: each field and synonym by keyword."""
    kind = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter("__self", inspect.Parameter.POSITIONAL_ONLY),
        inspect.Parameter("_empty", kind, default=False),
    ]
    names = [*meta.fields, *meta.synonyms]
    if all(map(_can_be_parameter, names)):
        for name in names:
            field = meta.defaults_by_name.get(meta.synonyms.get(name, name))
            default = _Empty if field is None else field._default
            if callable(default):
                default = _FACTORY
            parameters.append(inspect.Parameter(name, kind, default=default))
    unknown = "kwargs" if "kwargs" not in names else "__kwargs"
    parameters.append(inspect.Parameter(unknown, inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(parameters)


def _identifier(name: str) -> str:
    """``name`` made an ASCII identifier not ending with ``_`` (comprehension variables
    do)."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", name).strip("_") or "value"
    return f"n{name}" if name[0].isdigit() else name


def _as_dict(cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    def as_dict(data: Any) -> dict[str, Any]:
        if not issubclass(type(data), Mapping):  # not isinstance: __class__ may lie or raise
            raise TypeError(
                f"{cls.__name__}.from_mongo() needs a mapping, got {type(data).__name__}"
            )
        return dict(data)

    return as_dict


def _register(cls: type[Any], source: str) -> str:
    """Put ``source`` in ``linecache`` under a file name naming ``cls``; return the name."""
    lines = source.splitlines(keepends=True)
    base = f"<aiomongodel compiled {cls.__module__}.{cls.__qualname__}>"
    filename, number = base, 1
    while filename in linecache.cache and linecache.getlines(filename) != lines:
        number += 1
        filename = f"{base[:-1]} #{number}>"
    # No modification time: ``linecache.checkcache`` keeps entries without one.
    linecache.cache[filename] = (len(source), None, lines, filename)
    return filename


def _shared(obj: Any) -> bool:
    """Whether ``obj`` is not one field's (a class, a builtin), so is named as itself."""
    kind = type(obj)  # not isinstance: a default value's __class__ may lie or raise
    if issubclass(kind, BuiltinFunctionType):
        return obj.__self__ is builtins
    return issubclass(kind, type)


class _FieldContext:
    """What constraints of one field see while giving their inline form."""

    def __init__(self, compiler: _Compiler, prefix: str) -> None:
        self.compiler = compiler
        self.prefix = prefix

    def bind(self, obj: Any, name: str) -> str:
        return self.compiler.bind(obj, f"{self.prefix}_{name}")

    def accepts(self, field: Field[Any], var: str) -> str | None:
        return self.compiler.accepts(field, var, f"{self.prefix}_item")

    def document_valid(self, document_class: type[Any], var: str) -> str | None:
        return self.compiler.document_valid(document_class, var)


class _Compiler:
    """The source of one class's functions, and the objects it refers to by name."""

    def __init__(self, cls: type[Any], meta: Meta, base: type[Any]) -> None:
        self.cls = cls
        self.meta = meta
        self.base = base
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {"__name__": cls.__module__}
        self._names: dict[int, str] = {}
        self._methods: dict[tuple[int, str], str] = {}
        self._taken = set(_LOCALS) | set(meta.fields) | set(meta.synonyms) | {"__name__"}
        self.missing = self.bind(_Empty, "MISSING")
        self.type = self.bind(type, "type")

    # Names and lines -----------------------------------------------------------------

    def bind(self, obj: Any, name: str) -> str:
        """Make ``obj`` available to the code as ``name`` (made unique); return the name."""
        found = self._names.get(id(obj))
        if found is not None:
            return found
        base = candidate = _identifier(obj.__name__ if _shared(obj) else name)
        number = 1
        while candidate in self._taken or keyword.iskeyword(candidate):
            number += 1
            candidate = f"{base}{number}"
        self._taken.add(candidate)
        self._names[id(obj)] = candidate
        self.namespace[candidate] = obj
        return candidate

    def add(self, indent: int, *lines: str) -> None:
        self.lines.extend("    " * indent + line for line in lines)

    def function(self, signature: str, doc: str) -> None:
        self.add(0, "", f"def {signature}:", f'    """{doc}"""')

    def finish(self) -> CompiledFunctions:
        source = "\n".join(self.lines).lstrip("\n") + "\n"
        filename = _register(self.cls, source)
        exec(compile(source, filename, "exec"), self.namespace)
        functions = {
            name: self.namespace[name]
            for name in ("make", "adopt", "dump", "errors", "build", "settle")
        }
        functions["init"] = init = self.namespace["__init__"]
        for name, function in functions.items():
            function.__qualname__ = f"{self.cls.__qualname__}.meta.compiled.{name}"
        init.__qualname__ = f"{self.cls.__qualname__}.__init__"
        return CompiledFunctions(**functions, source=source, filename=filename)

    def exactly(self, var: str, cls: type[Any]) -> str:
        """True when the type of ``var`` is exactly ``cls`` (asking ``type()``, not
        ``__class__``, which an object can override to claim another class or to raise)."""
        return f"{self.type}({var}) is {self.bind(cls, cls.__name__)}"

    def method(self, field: Field[Any], name: str, prefix: str | None = None) -> str:
        """The name of ``field``'s method ``name`` (one binding for all its uses)."""
        key = (id(field), name)
        if key not in self._methods:
            method = getattr(field, name)
            self._methods[key] = self.bind(method, f"{prefix or field.name}_{name}")
        return self._methods[key]

    # Expressions for one field's steps ----------------------------------------------

    def from_data(self, field: Field[Any], var: str, prefix: str | None = None) -> str:
        """Expression equal to ``field.from_data(var)``."""
        call = f"{self.method(field, 'from_data', prefix)}({var})"
        if not field.is_standard("from_data"):
            return call
        if field.keeps_every_value:
            return var
        if isinstance(field, ListField) and field.item_field.is_standard("from_data"):
            # Only a standard from_data never raises, as the comprehension must not.
            items = self.from_data(field.item_field, f"{var}_", f"{prefix or field.name}_item")
            return self.each(var, items, call)
        kept = self.kept_by_from_data(field, var)
        return call if kept is None else f"({var} if {kept} else {call})"

    def kept_by_from_data(self, field: Field[Any], var: str) -> str | None:
        """Expression true only if ``field.from_data(var)`` is ``var`` itself (false for
        the missing marker), or ``None``."""
        if not field.is_standard("from_data") or field.keeps_every_value:
            return None
        kept = field.exact_type
        if isinstance(field, EmbDocField):
            kept = field.resolved_document_class()
        return None if kept is None else self.exactly(var, kept)

    def to_mongo(self, field: Field[Any], var: str, prefix: str | None = None) -> str:
        """Expression equal to ``field.to_mongo(var)``."""
        if field.passthrough:
            return var
        call = f"{self.method(field, 'to_mongo', prefix)}({var})"
        if not field.is_standard("to_mongo"):
            return call
        if isinstance(field, ListField):
            items = self.to_mongo(field.item_field, f"{var}_", f"{prefix or field.name}_item")
            return self.each(var, items, call)
        if isinstance(field, EmbDocField):
            cls = self.embedded(field, "to_mongo")
            if cls is not None:
                return f"({self.dump_document(cls, var)} if {self.exactly(var, cls)} else {call})"
        id_field = self.stored_id(field)
        if id_field is not None and id_field.exact_type is not None:
            # An id of the exact type is stored as it is; a document takes the call.
            return f"({var} if {self.exactly(var, id_field.exact_type)} else {call})"
        return call

    def from_mongo(
        self, field: Field[Any], var: str, *, owned: bool, prefix: str | None = None
    ) -> str:
        """Expression equal to ``field.from_mongo(var)``.

        ``owned``: ``var`` was just decoded by the driver and nothing else refers to it,
        so its dicts may become the storage of the documents built from them.
        """
        if field.passthrough:
            return var
        call = f"{self.method(field, 'from_mongo', prefix)}({var})"
        if not field.is_standard("from_mongo"):
            return call
        if isinstance(field, ListField):
            item_prefix = f"{prefix or field.name}_item"
            items = self.from_mongo(field.item_field, f"{var}_", owned=owned, prefix=item_prefix)
            return self.each(var, items, call)
        if isinstance(field, EmbDocField):
            cls = self.embedded(field, "from_mongo")
            if cls is not None:
                make = self.document_function(cls, "adopt" if owned else "make")
                return f"({make}({var}) if {self.exactly(var, dict)} else {call})"
        if self.stored_id(field) is not None:
            return var  # a reference loads as the stored id, unchanged
        return call

    def stored_id(self, field: Field[Any]) -> Field[Any] | None:
        """For a reference whose class can be imported now, its ``_id`` field, when that
        stores values unchanged (so that the reference's own conversions are too, for
        ids); otherwise ``None``."""
        if not isinstance(field, RefField):
            return None
        cls = field.resolved_document_class()
        id_field = None if cls is None else cls.meta.fields.get("_id")
        if id_field is None or not id_field.passthrough or not id_field.is_standard("to_mongo"):
            return None
        return id_field if id_field.is_standard("from_mongo") else None

    def accepts(self, field: Field[Any], var: str, prefix: str | None = None) -> str | None:
        """Expression true only if ``field.validate(var)`` passes, or ``None``.

        It is the constraints' inline forms, folded from the last; it may be false, or
        raise, for some valid values: callers then call ``validate``.
        """
        if not field.is_standard("validate"):
            return None
        context = _FieldContext(self, prefix or str(field.name))
        expression, rejects = "True", False
        for constraint in reversed(field.constraints):
            inline = constraint.inline(field, var, context, Rest(expression, rejects))
            if inline is None:
                return None
            expression = inline
            rejects = rejects or constraint.rejects_none_and_missing
        return expression

    def each(self, var: str, item: str, call: str) -> str:
        """A comprehension of ``item`` over ``var`` if it is exactly a list, else ``call``."""
        return f"([{item} for {var}_ in {var}] if {self.exactly(var, list)} else {call})"

    # Other document classes ----------------------------------------------------------

    def deferrable(self, field: Field[Any]) -> bool:
        """Whether ``adopt`` may leave the field's stored value for :meth:`settle` to
        convert when the field is first read: embedded documents (and lists of them) of
        classes that load through their compiled ``adopt``, whose building runs no code
        of the application's."""
        if not field.is_standard("from_mongo"):
            return False
        if isinstance(field, ListField):
            return self.deferrable(field.item_field)
        return isinstance(field, EmbDocField) and self.embedded(field, "from_mongo") is not None

    def embedded(self, field: EmbDocField[Any], *methods: str) -> type[Any] | None:
        """The field's document class, if it resolves and keeps ``base``'s ``methods``."""
        cls = field.resolved_document_class()
        return cls if cls is not None and self.keeps(cls, *methods) else None

    def keeps(self, cls: type[Any], *methods: str) -> bool:
        """Whether ``cls`` has ``base``'s ``methods`` (so its compiled code stands for them)."""
        for name in methods:
            own, base = getattr(cls, name), getattr(self.base, name)
            if getattr(own, "__func__", own) is not getattr(base, "__func__", base):
                return False
        return True

    def document_function(self, cls: type[Any], name: str) -> str:
        """Expression for the compiled function ``name`` of ``cls``: the function itself,
        or, while ``cls`` is being compiled, a lookup when called."""
        if cls in _compiling:
            return f"{self.bind(cls.meta, f'{cls.__name__}_meta')}.compiled.{name}"
        return self.bind(getattr(cls.meta.compiled, name), f"{cls.__name__}_{name}")

    def document_valid(self, cls: type[Any], var: str) -> str | None:
        if self.keeps(cls, "validate", "validate_document"):
            return f"{self.document_function(cls, 'errors')}({var}._data) is None"
        return None

    def dump_document(self, cls: type[Any], document: str) -> str:
        """Source of ``document.to_mongo()`` for a document of exactly ``cls``."""
        dump = self.document_function(cls, "dump")
        call = f"{dump}({document}._data, {document}._reordered)"
        if cls.meta.dump_steps:
            return call
        return f"({document}._data.copy() if not {document}._reordered else {call})"

    # The functions -------------------------------------------------------------------

    def set_if_given(
        self, indent: int, source: str, key: str, target: str, target_key: str, value: str
    ) -> None:
        """``target[target_key] = value`` (an expression over ``v``) if ``source`` has
        ``key``."""
        self.add(
            indent,
            f"v = {source}.get({key!r}, {self.missing})",
            f"if v is not {self.missing}:",
            f"    {target}[{target_key!r}] = {value}",
        )

    def default(self, field: Field[Any]) -> str:
        """Expression for a new default value of ``field`` (its callable called)."""
        default = field._default
        name = self.bind(default, f"{field.name}_default")
        return f"{name}()" if callable(default) else name

    def make(self) -> None:
        """``make``, and ``adopt``: ``make`` for a dict the caller hands over.

        A stored document holding exactly the fields, in declaration order or as the
        server returns it (``_id`` first), is copied as a whole, in C, or kept as it is
        by ``adopt`` (the common case, unless fields are renamed); ``_id`` and the fields
        declared after it are then moved back behind the others, and only the fields
        that convert are replaced. Anything else is built field by field, in
        declaration order.
        """
        meta, cls = self.meta, self.cls
        is_dict = self.exactly("data", dict)
        names = list(meta.fields)
        # The server stores ``_id`` first; the document keeps declaration order.
        stored = sorted(names, key=lambda name: name != "_id")
        moved = names[names.index("_id") :] if stored != names else []
        in_order = f"keys == {self.bind(tuple(names), 'declared_order')}"
        check = [f"known = {in_order}"]
        if moved:  # as the server returns it (``_id`` first), or as ``to_mongo`` wrote it
            server_order = self.bind(tuple(stored), "server_order")
            check = [f"moved = keys == {server_order}", f"known = moved or {in_order}"]
        new = f"{self.bind(cls.__new__, f'{cls.__name__}_new')}({self.bind(cls, cls.__name__)})"
        new_document = f"document = {new}"
        # A document (never embedded itself) just decoded by the driver keeps its
        # embedded documents stored until one of them is read: ``settle`` builds them.
        # Not when the class tracks changes: it dumps every document it loads.
        lazy = (
            getattr(cls, "_has_collection", False)
            and meta.stored_under_field_names
            and not meta.track_changes
        )
        deferred = [
            name for _, name, _ in meta.load_steps if lazy and self.deferrable(meta.fields[name])
        ]

        def whole(copy: bool) -> None:
            """The fast path: ``data`` holds exactly the fields and becomes the storage,
            as it is if the caller hands it over, else copied."""
            if not meta.stored_under_field_names:
                return
            values, storage = ("values", "values = data.copy()") if copy else ("data", "data")
            self.add(
                1,
                f"if {is_dict}:",
                "    try:",
                f"        keys = {self.bind(tuple, 'tuple')}(data)",
                *(f"        {line}" for line in check),
                "    except Exception:  # a key whose __eq__ raises: not one of ours",
                "        known = False",
                "    if known:",
                f"        {new_document}",
                f"        document._data = {storage}",
            )
            if moved:
                self.add(3, "if moved:")
                for name in moved:
                    self.add(4, f"{values}[{name!r}] = {values}.pop({name!r})")
            for _, name, _ in meta.load_steps:
                if not copy and name in deferred:
                    continue
                load = self.from_mongo(meta.fields[name], "v", owned=not copy)
                if load != "v":  # a reference to an ObjectId ``_id`` (say) loads unchanged
                    self.add(3, f"v = {values}[{name!r}]", f"{values}[{name!r}] = {load}")
            if deferred and not copy:
                self.add(3, "document._pending = True")
            self.add(3, "return document")

        self.function("make(data)", f"A {cls.__name__} from a stored mapping (from_mongo).")
        whole(copy=True)
        as_dict = f"data = {self.bind(_as_dict(cls), 'as_dict')}(data)"
        self.add(1, f"if not {is_dict}:", f"    {as_dict}", new_document, "values = {}")
        for name, field in meta.fields.items():
            load = self.from_mongo(field, "v", owned=False)
            self.set_if_given(1, "data", str(field.mongo_name), "values", name, load)
        self.add(1, "document._data = values", "return document")

        self.function(
            "adopt(data)",
            f"A {cls.__name__} from a dict just decoded by the driver, which it may keep.",
        )
        whole(copy=False)
        self.add(1, "return make(data)")

        self.function(
            "settle(document)",
            f"Build the embedded documents a {cls.__name__} from adopt() still holds as stored.",
        )
        self.add(1, "document._pending = False")
        if deferred:
            self.add(1, "data = document._data")
        for name in deferred:
            load = self.from_mongo(meta.fields[name], "v", owned=True)
            self.set_if_given(1, "data", name, "data", name, load)

    def dump(self) -> None:
        """``dump(data, reordered)``: the stored dict, its keys in declaration order
        whatever order the values were set in, as 0.2 stored them.

        Values still in declaration order (``reordered`` false: no value was added after
        the document was built or loaded) are copied as a whole, in C, unless fields are
        renamed, and only the fields that convert are replaced; anything else is built
        field by field.
        """
        meta = self.meta
        self.function(
            "dump(data, reordered=False)",
            f"The stored dict of a {self.cls.__name__}'s values (to_mongo).",
        )
        if meta.stored_under_field_names:
            self.add(1, "if not reordered:", "    result = data.copy()")
            for name in meta.dump_steps:
                dump = self.to_mongo(meta.fields[name], "v")
                self.set_if_given(2, "result", name, "result", name, dump)
            self.add(2, "return result")
        self.add(1, "result = {}")
        for name, field in meta.fields.items():
            dump = self.to_mongo(field, "v")
            self.set_if_given(1, "data", name, "result", str(field.mongo_name), dump)
        self.add(1, "return result")

    def errors(self) -> None:
        """``errors``: the inline check of each field, then ``validate`` unless it passed.

        An inline check that raises (odd values, user code inside embedded documents)
        counts as not passed: ``validate`` then decides, as it would without it.
        """
        error = self.bind(ValidationError, "ValidationError")
        self.function(
            "errors(data)",
            f"{{field name: ValidationError}} of a {self.cls.__name__}'s values, or None.",
        )
        self.add(1, "found = None")
        for name, field in self.meta.fields.items():
            accept = self.accepts(field, "v")
            self.add(1, f"v = data.get({name!r}, {self.missing})")
            indent = 1
            if accept is not None:
                self.add(
                    1,
                    "try:",
                    f"    accepted = {accept}",
                    "except Exception:",
                    "    accepted = False",
                    "if not accepted:",
                )
                indent = 2
            self.add(
                indent,
                "try:",
                f"    {self.method(field, 'validate')}(v)",
                f"except {error} as exc:",
                "    if found is None:",
                "        found = {}",
                f"    found[{name!r}] = exc",
            )
        self.add(1, "return found")

    def build(self) -> None:
        """``build``: ``None`` before converting anything if a name is not a field's."""
        meta, missing = self.meta, self.missing
        self.function(
            "build(kwargs)",
            f"A new {self.cls.__name__}'s values from field-name keywords, or None.",
        )
        self.add(
            1,
            f"if not kwargs.keys() <= {self.bind(frozenset(meta.fields), 'field_names')}:",
            "    return None",
            "values = {}",
            "given = 0",
        )
        for name, field in meta.fields.items():
            convert = self.from_data(field, "v")
            self.add(1, f"v = kwargs.get({name!r}, {missing})")
            if name in meta.defaults_by_name:
                self.add(
                    1,
                    f"if v is {missing}:",
                    f"    v = {self.default(field)}",
                    "else:",
                    "    given += 1",
                    f"values[{name!r}] = {convert}",
                )
            else:
                self.add(
                    1,
                    f"if v is not {missing}:",
                    "    given += 1",
                    f"    values[{name!r}] = {convert}",
                )
        self.add(1, "if given != len(kwargs):", "    return None", "return values")

    def init(self) -> None:
        meta, cls, missing = self.meta, self.cls, self.missing
        general = self.bind(self.base.__init__, "general_init")
        doc = f"Set a new {cls.__name__}'s fields from keywords (unknown names are ignored)."
        names = [*meta.fields, *meta.synonyms]
        if not all(map(_can_be_parameter, names)):
            self.function("__init__(__self, /, *, _empty=False, **__kw)", doc)
            self.add(1, f"return {general}(__self, _empty=_empty, **__kw)")
            return
        parameters = "".join(f", {name}={missing}" for name in names)
        given = ", ".join(f"({name!r}, {name})" for name in names)
        # Names that are not fields or synonyms land in ``__unknown`` and are ignored.
        self.function(f"__init__(__self, /, *, _empty=False{parameters}, **__unknown)", doc)
        self.add(
            1,
            f"if _empty or {self.type}(__self) is not {self.bind(cls, cls.__name__)}:",
            f"    __kw = {{k: v for k, v in ({given}{',' if len(names) == 1 else ''}) "
            f"if v is not {missing}}}",
            "    __kw.update(__unknown)",
            f"    return {general}(__self, _empty=_empty, **__kw)",
        )
        for synonym, target in meta.synonyms.items():
            self.add(1, f"if {target} is {missing}:", f"    {target} = {synonym}")
        defaults = meta.defaults_by_name
        for name, field in defaults.items():
            self.add(1, f"if {name} is {missing}:", f"    {name} = {self.default(field)}")
        # The common case, every field given (or defaulted) with a value its field keeps
        # as it is (a ``str`` for a ``StrField``...), builds the values in one display.
        checks, display = [], []
        for name, field in meta.fields.items():
            kept = self.kept_by_from_data(field, name)
            if kept is not None:
                checks.append(kept)  # false for the missing marker too
                display.append(f"{name!r}: {name}")
            else:
                if name not in defaults:
                    checks.append(f"{name} is not {missing}")
                display.append(f"{name!r}: {self.from_data(field, name)}")
        values = f"{{{', '.join(display)}}}"
        if not checks:
            self.add(1, f"__self._data = {values}")
            return
        self.add(1, f"if {' and '.join(checks)}:", f"    __self._data = {values}", "    return")
        self.add(1, "__data = {}")
        for name, field in meta.fields.items():
            convert = self.from_data(field, "__v")
            if name in defaults:
                self.add(1, f"__v = {name}", f"__data[{name!r}] = {convert}")
            else:
                self.add(
                    1,
                    f"if {name} is not {missing}:",
                    f"    __v = {name}",
                    f"    __data[{name!r}] = {convert}",
                )
        self.add(1, "__self._data = __data")
