"""The benchmarks run, bench.py's plain-class reference does the same work as aiomongodel,
and odm.py's models take the documents of the ODM benchmark's data sets."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
import instructions  # noqa: E402
import odm  # noqa: E402


def plain_values(value: Any) -> Any:
    """``value`` with plain objects and documents replaced by their values, recursively."""
    if isinstance(value, (bench.Plain, bench.Document, bench.EmbeddedDocument)):
        return plain_values(value._data)
    if isinstance(value, dict):
        return {key: plain_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_values(item) for item in value]
    return value


@pytest.mark.parametrize("shape", bench.SHAPES)
def test_plain_classes_build_and_load_what_the_documents_hold(shape: str) -> None:
    cls, values_of, build = bench.SHAPES[shape]
    plain = bench.PLAIN[shape]
    values = values_of(7)
    document, by_hand = build(values), plain["construct"](values)
    assert plain_values(by_hand).keys() == plain_values(document).keys()
    assert {k: v for k, v in plain_values(by_hand).items() if k != "_id"} == {
        k: v for k, v in plain_values(document).items() if k != "_id"
    }

    stored = document.to_mongo()
    loaded = plain["from_mongo"](stored)
    assert plain_values(loaded) == plain_values(cls.from_mongo(stored))
    assert plain["to_mongo"](loaded) == stored


def test_benchmark_prints_every_row(run_python: Callable[..., str]) -> None:
    output = run_python(
        "benchmarks/bench.py",
        *("--n", "50", "--repeat", "1", "--lookups", "5", "--memory-n", "100"),
        *("--posts", "40", "--authors", "7"),
    )
    gc_on, _, gc_off = output.partition("The same rows with the cyclic GC off")
    assert gc_off

    def operations(text: str, shape: str) -> list[str]:
        rows = [line for line in text.splitlines() if line.startswith(f"| {shape} ")]
        return [row.split(" | ")[1] for row in rows]

    cpu = ["construct", "validate", "to_mongo", "from_mongo"]
    database = ["insert_many", "find all (to_list)", "find all (async for)"]
    database += ["get by id x5", "save x5"]
    bulk = ["bulk insert x50", "bulk replace x50", "bulk save_changes x50", "bulk delete x50"]
    assert operations(gc_on, "flat") == [*cpu, *database, *bulk, "peak MiB loading 100"]
    for shape in ("nested", "mixed"):
        assert operations(gc_on, shape) == [*cpu, *database, *bulk]
    for shape in ("flat", "nested", "mixed"):
        assert operations(gc_off, shape) == [*cpu, *database[:3]]
    bulk_rows = [line for line in gc_on.splitlines() if "| bulk " in line]
    assert len(bulk_rows) == 12
    for row in bulk_rows:  # a time for each system, and both ratios to raw PyMongo
        cells = row.strip("| ").split(" | ")
        assert all(cell.endswith(" ms") for cell in cells[2:6]), row
        assert all(cell.endswith("x") for cell in cells[6:8]), row
    assert "References: 40 posts by 7 authors" in output
    lines = output.splitlines()
    ways = [line.split(" | ")[0].lstrip("| ") for line in lines if line.count(" | ") == 2]
    ways = [way for way in ways if way not in ("way", "---")]
    assert ways == [
        "raw $in by hand",
        "raw $lookup",
        "prefetch (odm-pymongo)",
        "prefetch (odm-motor)",
        "N+1 (odm-pymongo)",
        "raw find (pymongo)",
        "find (odm-pymongo)",
        "find, track_changes (odm-pymongo)",
        "raw update_one $set (pymongo)",
        "raw replace_one (pymongo)",
        "save_changes (odm-pymongo)",
        "save_changes (odm-motor)",
        "save() (odm-pymongo)",
    ]
    assert "Loading 50 nested documents with and without change tracking (GC on)" in output
    assert "Writing one changed field of 5 nested documents, one by one (GC on)" in output


@pytest.mark.parametrize("shape", instructions.SUBCLASS_SHAPES)
def test_empty_subclass_twins_compile_the_same_code_and_run(shape: str) -> None:
    cls, _ = instructions.SUBCLASS_SHAPES[shape]
    twin = instructions.subclassed(cls)
    assert all(type(f) is not type(cls.meta.fields[n]) for n, f in twin.meta.fields.items())
    assert twin.meta.compiled.source.replace(twin.__name__, cls.__name__) == (
        cls.meta.compiled.source
    )
    for system in ("fields", "subclasses"):
        for operation in instructions.OPERATIONS:
            instructions.run(shape, operation, system, 3)


def test_odm_benchmark_prints_every_task(run_python: Callable[..., str]) -> None:
    output = run_python("benchmarks/odm.py", "--n", "3", "--large-n", "1", "--iterations", "1")
    tables = [block.splitlines()[2:] for block in output.split("\n\n") if block[:2] == "| "]
    main, gc_off, others, percentiles = tables
    names = [task.name for task in odm.TASKS]
    loading = [task.name for task in odm.TASKS if task.loading]
    creation = [name for name in names if name.endswith("creation")]
    assert [row.split(" | ")[1] for row in main] == names
    for row in main:  # MB/s of the four ways, then three ratios to PyMongo
        cells = row.strip("| ").split(" | ")[2:]
        assert len(cells) == 7, row
        assert all(float(cell.replace(",", "")) > 0 for cell in cells[:4]), row
        assert all(cell.endswith("x") for cell in cells[4:]), row
    assert [row.split(" | ")[1] for row in gc_off] == loading
    assert [row.split(" | ")[1:3] for row in others] == [[name, odm.CREATE] for name in creation]
    for name in names:
        ways = [row.split(" | ")[1] for row in percentiles if row.startswith(f"| {name} |")]
        extra = [*odm.GC_OFF] if name in loading else []
        extra += [odm.CREATE] if name in creation else []
        assert ways == [*odm.SYSTEMS, *extra], name


def test_odm_benchmark_percentiles_are_nearest_rank() -> None:
    times = [float(t) for t in (7, 1, 9, 3, 5, 2, 10, 4, 8, 6)]
    assert [odm.percentile(times, p) for p in odm.PERCENTILES] == [1, 2, 5, 7, 9, 9, 9, 9]
    assert odm.percentile([2.0, 1.0], 50) == 1.0
    assert odm.percentile([3.0], 10) == 3.0  # an index below 0 is the first time


@pytest.mark.parametrize("source", ["files", "generated"])
def test_odm_benchmark_models_take_the_data_sets(source: str) -> None:
    folder = odm.data_folder(None) if source == "files" else None
    if folder is not None and not (folder / "small_doc.json").is_file():
        pytest.skip(f"no data files in {folder}")
    data = odm.load_data(folder)
    assert data.origin.startswith("files" if source == "files" else "generated")
    # The sizes of the specification's files, which generated documents imitate.
    for key, size in {"small": 252, "large": 3_226_020, "nested": 7_643}.items():
        assert abs(data.sizes[key] - size) / size < 0.05, (key, data.sizes[key])
    small = odm.SmallFlatModel(**data.small).validate()
    assert small.to_mongo() == {"_id": small._id, **data.small}
    large = odm.LargeFlatModel(**data.large).validate()
    assert large.to_mongo() == {"_id": large._id, **data.large}
    assert isinstance(large.image_field, bytes)
    nested = odm.LargeNestedModel(**odm.nested_fields(data.nested)).validate().to_mongo()
    raw = odm.with_unique_ids(data.nested)
    for stored in (nested, raw):
        assert (
            len(
                {
                    stored["embedded_str_doc_1"]["unique_id"],
                    *(item["unique_id"] for item in stored["embedded_str_doc_array"]),
                }
            )
            == 3
        )
    nested.pop("_id")
    assert nested.keys() == raw.keys() == data.nested.keys()
    for name in odm.STRING_DOCS[1:] + odm.INTEGER_DOCS:
        assert nested[name] == raw[name] == data.nested[name]
