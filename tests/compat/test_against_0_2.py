"""Differential tests: each scenario of scenarios/ runs under aiomongodel 0.2.2 and under
this project, and the two outputs must agree label by label.

A scenario prints one ``label: value`` line per check (scenarios/scenario_helpers.py). The
two runs must print the same labels, and the same value for each label, except for the
accepted differences below: the documented fixes of 0.2 bugs (design.md, "Where the
contract has moved on"). An accepted entry must still differ, so a stale one fails too.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parent / "scenarios"
SCENARIO_FILES = sorted(p for p in SCENARIOS.glob("*.py") if p.name != "scenario_helpers.py")
TIMEOUT = 120

_POPULATE = "populate_with_data raises AttributeError on a name that is not a field or synonym"
_POPULATE_NOTHING = "populate_with_data sets nothing when a name is not a field or synonym"
_CREATE = "create validates and stores nothing when invalid (raises ValidationError)"
_BSON_INT = "validate(): ints beyond 64 bits are invalid (BSON cannot hold them)"
_BSON_DEC = "validate(): Decimals that Decimal128 cannot hold exactly are invalid"
_ONLY_VE = "validate() raises only ValidationError, whatever the value"
_BOOL = "BoolField.from_data reads 'false', '0', 'no', 'off' (any case, spaces) as False"
_NOT_FOUND = "DocumentNotFoundError names the document class; the filter is not in the message"
_MONGO_NAME = "class creation refuses a mongo name with '$', '.' or NUL (ValueError)"
_SHARED_NAME = "class creation refuses two fields sharing one mongo name (ValueError)"
_KEEP = "from_data keeps a value it cannot convert instead of raising"
_DEFAULT = "the default of a field that is not required is ignored (as the spec says)"
_ONE_NAME = (
    "class creation refuses one field object under two attribute names: both would read "
    "and write one stored name, as two fields sharing a mongo name do (ValueError)"
)
_NEW = "a call that always failed in 0.2 works now (new feature); no 0.2 program relies on it"
_RELOAD = (
    "reload() of a document no longer stored raises DocumentNotFoundError and keeps the "
    "object's values; 0.2 crashed with TypeError after emptying the object (data lost)"
)
_NOT_A_LIST = (
    "to_mongo() stores a ListField value that is not a list as it is (validate() reports it);"
    " 0.2 stored a string as the list of its characters"
)

# {(scenario, label): reason}: the only differences from 0.2.2 this project makes on purpose.
ACCEPTED: dict[tuple[str, str], str] = {
    # populate_with_data
    ("documents", "populate.unknown"): _POPULATE,
    ("documents", "populate.unknown_after"): _POPULATE_NOTHING,
    ("documents", "populate.unknown_attr"): _POPULATE_NOTHING,
    ("documents", "populate.method_name"): _POPULATE,
    ("documents", "populate.method_name_after"): _POPULATE_NOTHING,
    # defaults of fields that are not required
    ("documents", "init.not_required_default"): _DEFAULT,
    ("documents", "init.not_required_default_data"): _DEFAULT,
    # create
    ("queryset", "create.invalid"): _CREATE,
    ("queryset", "create.deprecated_invalid"): _CREATE,
    ("queryset", "stored.strict_after_create"): _CREATE,
    # validate: BSON limits, only ValidationError
    ("fields_validate", "int.validate(9223372036854775808)"): _BSON_INT,
    ("fields_validate", "int.validate(-9223372036854775809)"): _BSON_INT,
    ("fields_validate", "int.validate(1180591620717411303424)"): _BSON_INT,
    ("fields_validate", "decimal.validate(Decimal('1E+6145'))"): _BSON_DEC,
    ("fields_validate", "decimal.validate(Decimal('1E-6177'))"): _BSON_DEC,
    (
        "fields_validate",
        "decimal.validate(Decimal('1.1111111111111111111111111111111111111111'))",
    ): _BSON_DEC,
    # 0.2 raised TypeError (unhashable list) from the choices check
    ("fields_validate", "list_choices.validate([1])"): _ONLY_VE,
    ("fields_validate", "list_choices.validate([2])"): _ONLY_VE,
    # BoolField.from_data
    ("fields_from_data", "bool.from_data(str_false)"): _BOOL,
    ("fields_from_data", "bool.from_data(str_False)"): _BOOL,
    ("fields_from_data", "bool.from_data(str_0)"): _BOOL,
    ("fields_from_data", "bool.from_data(str_no)"): _BOOL,
    ("fields_from_data", "bool.from_data(str_off)"): _BOOL,
    ("fields_from_data", "bool.from_data(str_space_false)"): _BOOL,
    # from_data keeps what it cannot convert (0.2: InvalidOperation, OverflowError)
    ("fields_from_data", "int.from_data(float_inf)"): _KEEP,
    ("fields_from_data", "ref_int.from_data(float_inf)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_true)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_false)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_False)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_no)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_off)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_space_false)"): _KEEP,
    ("fields_from_data", "decimal.from_data(str_empty)"): _KEEP,
    ("fields_from_data", "decimal.from_data(oid_hex)"): _KEEP,
    # DocumentNotFoundError's message
    ("errors", "notfound.find_one"): _NOT_FOUND,
    ("errors", "notfound.get"): _NOT_FOUND,
    ("errors", "notfound.get_oid"): _NOT_FOUND,
    ("queryset", "active.find_one_inactive"): _NOT_FOUND,
    # class creation
    ("classes", "error.mongo_name_dollar"): _MONGO_NAME,
    ("classes", "error.mongo_name_dot"): _MONGO_NAME,
    ("classes", "error.mongo_name_nul"): _MONGO_NAME,
    ("classes", "error.attr_name_dollar"): _MONGO_NAME,
    ("classes", "error.embedded_dollar"): _MONGO_NAME,
    ("classes", "error.shared_mongo_name"): _SHARED_NAME,
    ("classes", "error.mongo_name_is_other_name"): _SHARED_NAME,
    ("classes", "named.field_given_a_name"): _ONE_NAME,
    ("classes", "shared_field"): _ONE_NAME,
    # new: deleting a field's value (0.2: AttributeError: __delete__), inserting a
    # document object (0.2: TypeError from the driver)
    ("documents", "attr.del_field"): _NEW,
    ("documents", "attr.del_synonym"): _NEW,
    ("queryset", "insert_one.invalid_document_type"): _NEW,
    # reload of a deleted document
    ("queryset", "reload.missing"): _RELOAD,
    ("queryset", "reload.missing_after"): _RELOAD,
    ("documents", "to_mongo.invalid_values"): _NOT_A_LIST,
}


def _start(python: str, script: Path, mongodb_uri: str, run: str) -> subprocess.Popen[str]:
    # a fixed hash seed: 0.2 joins sets into some messages (unknown Meta options);
    # a database suffix per run: the runs go at once against one server
    env = dict(os.environ, MONGODB_URI=mongodb_uri, PYTHONHASHSEED="0", COMPAT_DB_SUFFIX=f"_{run}")
    env.pop("PYTHONPATH", None)
    return subprocess.Popen(
        [python, script.name],
        cwd=SCENARIOS,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lines(python: str, script: Path, process: subprocess.Popen[str]) -> dict[str, str]:
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"{script.name} under {python} took more than {TIMEOUT}s", pytrace=False)
    if process.returncode != 0:
        pytest.fail(
            f"{script.name} under {python} exited with {process.returncode}:\n{stderr}",
            pytrace=False,
        )
    lines: dict[str, str] = {}
    for number, line in enumerate(stdout.splitlines(), 1):
        label, sep, value = line.partition(": ")
        if not sep:
            pytest.fail(f"{script.name}:{number} under {python}: not `label: value`: {line!r}")
        if label in lines:
            pytest.fail(f"{script.name} under {python}: label {label!r} printed twice")
        lines[label] = value
    if not lines:
        pytest.fail(f"{script.name} under {python} printed nothing")
    return lines


@pytest.fixture(scope="session")
def started_runs(
    reference_python: str, project_python: str, mongodb_uri: str
) -> Iterator[dict[tuple[str, str], subprocess.Popen[str]]]:
    """Every scenario under both interpreters, all started at once (the suite stays fast);
    each test then waits for its two."""
    runs = {}
    for script in SCENARIO_FILES:
        runs[script.stem, "reference"] = _start(reference_python, script, mongodb_uri, "ref")
        runs[script.stem, "project"] = _start(project_python, script, mongodb_uri, "proj")
    try:
        yield runs
    finally:
        for process in runs.values():
            if process.poll() is None:
                process.kill()
                process.communicate()


def test_accepted_entries_name_scenarios() -> None:
    names = {p.stem for p in SCENARIO_FILES}
    unknown = sorted({scenario for scenario, _ in ACCEPTED} - names)
    assert not unknown, f"ACCEPTED names scenarios that do not exist: {unknown}"


@pytest.mark.parametrize("script", SCENARIO_FILES, ids=lambda p: p.stem)
def test_same_output_as_0_2(
    script: Path,
    reference_python: str,
    project_python: str,
    started_runs: dict[tuple[str, str], subprocess.Popen[str]],
) -> None:
    scenario = script.stem
    reference = _lines(reference_python, script, started_runs[scenario, "reference"])
    project = _lines(project_python, script, started_runs[scenario, "project"])

    problems = []
    for label in reference.keys() - project.keys():
        problems.append(f"{label}: printed by 0.2.2 only")
    for label in project.keys() - reference.keys():
        problems.append(f"{label}: printed by the project only")
    for label, expected in reference.items():
        if label not in project:
            continue
        got = project[label]
        accepted = (scenario, label) in ACCEPTED
        if got != expected and not accepted:
            problems.append(f"{label}:\n    0.2.2:   {expected}\n    project: {got}")
        elif got == expected and accepted:
            problems.append(
                f"{label}: listed in ACCEPTED ({ACCEPTED[(scenario, label)]}) but no longer "
                f"differs: {got}"
            )
    for s, label in ACCEPTED:
        if s == scenario and label not in reference and label not in project:
            problems.append(f"{label}: listed in ACCEPTED but printed by neither run")

    if problems:
        pytest.fail(
            f"{scenario}: {len(problems)} difference(s) from aiomongodel 0.2.2\n"
            + "\n".join(sorted(problems)),
            pytrace=False,
        )
