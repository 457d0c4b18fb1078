"""Instructions per document of the CPU operations, counted by valgrind's callgrind.

Timings on a shared machine drift from run to run; instruction counts do not. For each
shape and CPU operation of ``bench.py``, this runs the operation under callgrind for
``n`` and for ``3 n`` documents and prints the difference per document (start-up and
warm-up cancel out), for aiomongodel and for the same work done by hand with plain
classes, and the cost of the new ``ObjectId`` every construction makes. Needs
``valgrind`` (``apt-get install valgrind``); no database.

    python benchmarks/instructions.py [--n 2000]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bson import ObjectId

sys.path.insert(0, str(Path(__file__).parent))

import bench

OPERATIONS = ("construct", "validate", "to_mongo", "from_mongo")
SAMPLES = 100


def run(shape: str, operation: str, system: str, n: int) -> None:
    """Do ``operation`` on ``n`` documents (the part callgrind counts)."""
    cls, values_of, build = bench.SHAPES[shape]
    values = [values_of(i) for i in range(SAMPLES)]
    documents = [build(v) for v in values]
    stored = [d.to_mongo() for d in documents]
    plain = bench.PLAIN[shape]
    plain_documents = [plain["from_mongo"](s) for s in stored]
    step: Any
    if operation == "ObjectId()":
        step = lambda i: ObjectId()  # noqa: E731
    elif system == "odm":
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000, help="documents per count")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        shape, operation, system, n = args.child
        run(shape, operation, system, int(n))
        return 0
    print("| shape | operation | aiomongodel instructions/doc | plain classes instructions/doc |")
    print("| --- | --- | ---: | ---: |")
    for shape in bench.SHAPES:
        for operation in OPERATIONS:
            cells = []
            for system in ("odm", "plain"):
                if system == "plain" and operation == "validate":
                    cells.append("")
                    continue
                low = count(shape, operation, system, args.n)
                high = count(shape, operation, system, 3 * args.n)
                cells.append(f"{(high - low) / (2 * args.n):,.0f}")
            print(f"| {shape} | {operation} | {cells[0]} | {cells[1]} |", flush=True)
    # Part of every construction: the new ``_id``.
    low = count("flat", "ObjectId()", "plain", args.n)
    high = count("flat", "ObjectId()", "plain", 3 * args.n)
    print(f"| | ObjectId() | | {(high - low) / (2 * args.n):,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
