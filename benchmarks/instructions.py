"""Instructions per document of the CPU operations, counted by valgrind's callgrind.

Timings on a shared machine drift from run to run; instruction counts do not. For each
shape and CPU operation of ``bench.py``, this runs the operation under callgrind for
``n`` and for ``3 n`` documents and prints the difference per document (start-up and
warm-up cancel out), for aiomongodel and for the same work done by hand with plain
classes, and the cost of the new ``ObjectId`` every construction makes. A second
table compares classes using the field classes with twins using empty subclasses of
them (which compile to the same code, so should cost the same), on the flat shape and
on a shape with one field of every type. Needs ``valgrind`` (``apt-get install
valgrind``); no database.

    python benchmarks/instructions.py [--n 2000] [--shapes flat mixed ...]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from bson import ObjectId

sys.path.insert(0, str(Path(__file__).parent))

import bench

from aiomongodel import Document
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    Field,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
)

OPERATIONS = ("construct", "validate", "to_mongo", "from_mongo")
SAMPLES = 100


class EveryType(Document):
    """One field of every type."""

    any = AnyField()
    text = StrField(max_length=50)
    email = EmailField()
    count = IntField(gte=0)
    ratio = FloatField(lt=1.0)
    price = DecimalField(gt=0)
    flag = BoolField()
    when = DateTimeField()
    other = ObjectIdField()
    tags = ListField(StrField(), max_length=5)
    address = EmbDocField(bench.Address)
    owner = RefField(bench.Flat)


def every_type_values(i: int) -> dict[str, Any]:
    return {
        "any": i,
        "text": f"text {i}",
        "email": f"user{i}@example.com",
        "count": i,
        "ratio": 1 / (i + 2),
        "price": Decimal(i + 1) / 4,
        "flag": i % 2 == 0,
        "when": bench.CREATED + dt.timedelta(seconds=i),
        "other": ObjectId(),
        "tags": ["a", "b", f"t{i}"],
        "address": bench.Address(street=f"{i} Main St", city="Porto", zip="4000"),
        "owner": ObjectId(),
    }


#: Shapes of the second table, all built with ``cls(**values)``.
SUBCLASS_SHAPES: dict[str, tuple[type[Document], Any]] = {
    "flat": (bench.Flat, bench.flat_values),
    "every type": (EveryType, every_type_values),
}
_EMPTY_SUBCLASSES: dict[type[Any], type[Any]] = {}


def with_empty_subclass(field: Field[Any]) -> Field[Any]:
    """The same field (same options), of an empty subclass of its class."""
    twin = copy.copy(field)
    cls = type(field)
    if cls not in _EMPTY_SUBCLASSES:
        _EMPTY_SUBCLASSES[cls] = type(f"Empty{cls.__name__}", (cls,), {})
    twin.__class__ = _EMPTY_SUBCLASSES[cls]
    if isinstance(twin, ListField):
        twin.item_field = with_empty_subclass(twin.item_field)
    return twin


def subclassed(cls: type[Document]) -> type[Document]:
    """A twin of ``cls`` whose fields are of empty subclasses of the field classes."""
    namespace: dict[str, Any] = {
        name: with_empty_subclass(field) for name, field in cls.meta.fields.items()
    }
    namespace["Meta"] = type("Meta", (), {"collection": cls.meta.collection_name})
    return type(f"{cls.__name__}Subclassed", (Document,), namespace)


def subject(shape: str, system: str) -> tuple[type[Any], Any, Any]:
    """``(document class, values of the i-th document, build from values)``."""
    if system in ("fields", "subclasses"):
        cls, values_of = SUBCLASS_SHAPES[shape]
        if system == "subclasses":
            cls = subclassed(cls)
        return cls, values_of, lambda values: cls(**values)
    return bench.SHAPES[shape]


def run(shape: str, operation: str, system: str, n: int) -> None:
    """Do ``operation`` on ``n`` documents (the part callgrind counts)."""
    cls, values_of, build = subject(shape, system)
    values = [values_of(i) for i in range(SAMPLES)]
    documents = [build(v) for v in values]
    stored = [d.to_mongo() for d in documents]
    plain = bench.PLAIN.get(shape, bench.PLAIN["flat"])
    plain_documents = [plain["from_mongo"](s) for s in stored]
    step: Any
    if operation == "ObjectId()":
        step = lambda i: ObjectId()  # noqa: E731
    elif system != "plain":
        step = {
            "construct": lambda i: build(values[i]),
            "validate": lambda i: documents[i].validate(),
            "to_mongo": lambda i: documents[i].to_mongo(),
            "from_mongo": lambda i: cls.from_mongo(stored[i]),
        }[operation]
    else:
        step = {
            "construct": lambda i: plain["construct"](values[i]),
            "to_mongo": lambda i: plain["to_mongo"](plain_documents[i]),
            "from_mongo": lambda i: plain["from_mongo"](stored[i]),
        }[operation]
    for i in range(SAMPLES):  # warm-up: compiles the generated functions
        step(i)
    for i in range(n):
        step(i % SAMPLES)


def count(shape: str, operation: str, system: str, n: int) -> int:
    """Instructions callgrind counts for a whole process doing ``n`` documents."""
    output = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            __file__,
            "--child",
            shape,
            operation,
            system,
            str(n),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    match = re.search(r"Collected : (\d+)", output)
    if match is None:
        raise RuntimeError(f"no instruction count in callgrind's output:\n{output}")
    return int(match.group(1))


def per_document(shape: str, operation: str, system: str, n: int) -> str:
    """Instructions per document: the difference between ``n`` and ``3 n`` documents."""
    low = count(shape, operation, system, n)
    high = count(shape, operation, system, 3 * n)
    return f"{(high - low) / (2 * n):,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000, help="documents per count")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=[*bench.SHAPES, *SUBCLASS_SHAPES],
        help="count only these shapes (default: all of both tables)",
    )
    args = parser.parse_args(argv)
    if args.child:
        shape, operation, system, n = args.child
        run(shape, operation, system, int(n))
        return 0
    shapes = [shape for shape in bench.SHAPES if not args.shapes or shape in args.shapes]
    print("| shape | operation | aiomongodel instructions/doc | plain classes instructions/doc |")
    print("| --- | --- | ---: | ---: |")
    for shape in shapes:
        for operation in OPERATIONS:
            cells = []
            for system in ("odm", "plain"):
                if system == "plain" and operation == "validate":
                    cells.append("")
                    continue
                cells.append(per_document(shape, operation, system, args.n))
            print(f"| {shape} | {operation} | {cells[0]} | {cells[1]} |", flush=True)
    # Part of every construction: the new ``_id``.
    print(f"| | ObjectId() | | {per_document('flat', 'ObjectId()', 'plain', args.n)} |")
    twins = [shape for shape in SUBCLASS_SHAPES if not args.shapes or shape in args.shapes]
    if not twins:
        return 0
    print()
    print("| shape | operation | field classes instructions/doc | empty subclasses |")
    print("| --- | --- | ---: | ---: |")
    for shape in twins:
        for operation in OPERATIONS:
            cells = [per_document(shape, operation, s, args.n) for s in ("fields", "subclasses")]
            print(f"| {shape} | {operation} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
