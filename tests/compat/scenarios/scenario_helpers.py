"""Shared by the scenario scripts: run a check and print it as one stable `label: value` line.

Each scenario runs under aiomongodel 0.2.2 and under this project, and the two outputs are
compared line by line (tests/compat/test_against_0_2.py). This module is imported by
both interpreters (a script's folder is on ``sys.path``), so it uses only the standard
library, bson and what both versions of aiomongodel have.
"""

from __future__ import annotations

import datetime
import decimal
import inspect
import math
import os
import re
import sys
import uuid
import warnings
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from bson import Decimal128, ObjectId

_seen_labels: set[str] = set()

#: ObjectIds made by :func:`oid` have a zero timestamp; any other id was generated at run
#: time (a default), differs between runs and is shown without its value.
_FIXED_PREFIX = "00000000"
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def oid(n: int) -> ObjectId:
    """A fixed ObjectId, the same in every run: ``oid(1)`` is ``000...001``."""
    return ObjectId(f"{n:024x}")


def _show_float(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return repr(value)


def show(value: Any) -> str:
    """Stable one-line text for a value, the same under 0.2.2 and under the project.

    0.2 returns ``OrderedDict`` (documents' data, ``Meta.fields``) and ``SON``
    (``to_mongo``) where the project returns plain ``dict`` by design (design.md,
    "Performance"): every mapping is shown as ``{k: v, ...}`` in its key order, so that
    the comparison sees the keys, their order and the values, not the mapping class.
    """
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, float):
        return _show_float(value)
    if isinstance(value, str):
        # object reprs inside strings (str() of an object) carry a run-dependent address
        return repr(_ADDRESS.sub("", value))
    if isinstance(value, bytes):
        return repr(value)
    if isinstance(value, ObjectId):
        text = str(value)
        if text.startswith(_FIXED_PREFIX):
            return f"ObjectId('{text}')"
        return "ObjectId(<generated>)"
    if isinstance(value, decimal.Decimal):
        return f"Decimal('{value}')"
    if isinstance(value, Decimal128):
        return f"Decimal128('{value}')"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return repr(value)
    if isinstance(value, uuid.UUID):
        return f"UUID('{value}')"
    if isinstance(value, PurePath):
        return f"Path({str(value)!r})"
    if isinstance(value, re.Pattern):
        return f"re.compile({value.pattern!r})"
    if isinstance(value, type):
        return f"<class {value.__name__}>"
    if hasattr(value, "_data") and hasattr(type(value), "meta"):
        return f"<{type(value).__name__} {show(value._data)}>"
    if isinstance(value, Mapping):
        items = ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(show(v) for v in value)
        return "(" + inner + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, (set, frozenset)):
        return "set(" + ", ".join(sorted(show(v) for v in value)) + ")"
    if isinstance(value, BaseException):
        return f"{type(value).__name__}{show(value.args)}"
    if type(value).__name__ == "IndexModel":
        return f"IndexModel({show(value.document)})"
    if hasattr(value, "document_class") or type(value).__name__.endswith("Field"):
        return f"<{type(value).__name__} name={getattr(value, 'name', None)!r}>"
    if inspect.isfunction(value) or inspect.ismethod(value) or inspect.isbuiltin(value):
        return "<function>"
    return _ADDRESS.sub("", repr(value))


def typed(value: Any) -> str:
    """The value with its type: ``int 12``. Every mapping's type is shown as ``dict``."""
    name = "dict" if isinstance(value, Mapping) else type(value).__name__
    return f"{name} {show(value)}"


def one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _emit(label: str, text: str) -> None:
    if ": " in label or "\n" in label:
        raise ValueError(f"bad label {label!r}")
    if label in _seen_labels:
        raise ValueError(f"label {label!r} used twice")
    _seen_labels.add(label)
    for name, base in _database_names.items():
        text = text.replace(name, base)
    print(f"{label}: {one_line(text)}")
    sys.stdout.flush()


def _warnings_text(caught: list[warnings.WarningMessage]) -> str:
    if not caught:
        return ""
    shown = "; ".join(f"{w.category.__name__}: {w.message}" for w in caught)
    return f" [warns {shown}]"


def _raised(exc: BaseException) -> str:
    return f"raises {type(exc).__name__}: {exc}"


def check(label: str, fn: Any, shower: Any = show) -> None:
    """Call ``fn()`` and print ``label: <shown result>`` or ``label: raises Type: message``.

    Warnings raised during the call are recorded and appended as
    ``[warns Category: message]``.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = shower(fn())
        except Exception as exc:
            text = _raised(exc)
    _emit(label, text + _warnings_text(caught))


async def acheck(label: str, fn: Any, shower: Any = show) -> None:
    """As :func:`check` for ``fn()`` returning an awaitable."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            text = shower(await fn())
        except Exception as exc:
            text = _raised(exc)
    _emit(label, text + _warnings_text(caught))


def out(label: str, value: Any) -> None:
    """Print an already computed value."""
    _emit(label, show(value))


def validation(fn: Any) -> Any:
    """Run ``fn()``; on ValidationError return ``as_dict()`` (its detail), else the result."""
    from aiomongodel.errors import ValidationError

    try:
        result = fn()
    except ValidationError as exc:
        return ("ValidationError", exc.as_dict())
    return ("ok", result)


_database_names: dict[str, str] = {}


def database_name(base: str) -> str:
    """A database of the scenario's own: ``base`` plus the run's ``COMPAT_DB_SUFFIX``.

    The two runs of a scenario go at once against one server, so each run has its own
    database; the output shows every database name as ``base`` again.
    """
    name = base + os.environ.get("COMPAT_DB_SUFFIX", "")
    if name != base:
        _database_names[name] = base
    return name


def mongo_uri() -> str:
    uri = os.environ.get("MONGODB_URI")
    if not uri:
        raise SystemExit("MONGODB_URI is not set")
    return uri
