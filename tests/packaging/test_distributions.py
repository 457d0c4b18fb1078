"""The four distributions: what each wheel ships, what it requires, one shared version."""

from __future__ import annotations

import email.parser
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bump_version  # noqa: E402

SHIPS = {
    "aiomongodel-fields": {
        "aiomongodel/fields.py",
        "aiomongodel/constraints.py",
        "aiomongodel/errors.py",
        "aiomongodel/expressions.py",
        "aiomongodel/json_schema.py",
        "aiomongodel/utils.py",
        "aiomongodel/py.typed",
    },
    "aiomongodel-document": {
        "aiomongodel/document.py",
        "aiomongodel/_compiler.py",
        "aiomongodel/changes.py",
        "aiomongodel/transaction_state.py",
    },
    "aiomongodel-queryset": {
        "aiomongodel/queryset.py",
        "aiomongodel/_drivers.py",
        "aiomongodel/prefetch.py",
        "aiomongodel/bulk.py",
        "aiomongodel/transactions.py",
        "aiomongodel/changestreams.py",
    },
    "aiomongodel": {"aiomongodel/__init__.py"},
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every distribution's wheel with hatchling, as a release would."""
    out = tmp_path_factory.mktemp("wheels")
    built = {}
    for name in SHIPS:
        subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out / name)],
            cwd=ROOT / "packages" / name,
            check=True,
            capture_output=True,
        )
        (wheel,) = (out / name).glob("*.whl")
        built[name] = wheel
    return built


def _modules(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n for n in archive.namelist() if ".dist-info/" not in n}


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(archive.read(name).decode())


@pytest.mark.parametrize("name", list(SHIPS))
def test_each_wheel_ships_only_its_own_modules(wheels: dict[str, Path], name: str) -> None:
    assert _modules(wheels[name]) == SHIPS[name]


def test_only_the_meta_package_ships_the_package_init(wheels: dict[str, Path]) -> None:
    with_init = [n for n, w in wheels.items() if "aiomongodel/__init__.py" in _modules(w)]
    assert with_init == ["aiomongodel"]


def test_fields_requires_pymongo_and_never_motor(wheels: dict[str, Path]) -> None:
    requires = _metadata(wheels["aiomongodel-fields"]).get_all("Requires-Dist") or []
    assert any(r.startswith("pymongo") for r in requires)
    assert not any("motor" in r for r in requires)


def test_motor_is_an_optional_extra_of_the_queryset(wheels: dict[str, Path]) -> None:
    requires = _metadata(wheels["aiomongodel-queryset"]).get_all("Requires-Dist") or []
    motor = [r for r in requires if r.startswith("motor")]
    assert motor
    assert all("extra ==" in r for r in motor)


def test_all_distributions_share_one_version_and_pin_siblings_exactly(
    wheels: dict[str, Path],
) -> None:
    metadata = {name: _metadata(wheel) for name, wheel in wheels.items()}
    versions = {m["Version"] for m in metadata.values()}
    assert len(versions) == 1
    (version,) = versions
    for m in metadata.values():
        for requirement in m.get_all("Requires-Dist") or []:
            if requirement.startswith("aiomongodel"):
                assert f"=={version}" in requirement, requirement


def test_meta_package_version_matches_the_distributions(wheels: dict[str, Path]) -> None:
    import aiomongodel

    assert aiomongodel.__version__ == _metadata(wheels["aiomongodel"])["Version"]


def test_split_distributions_are_namespace_portions_merged_under_one_package() -> None:
    import aiomongodel

    portions = {Path(p).parent.parent.name for p in aiomongodel.__path__}
    assert portions == set(SHIPS)
    for module in ("aiomongodel.fields", "aiomongodel.document", "aiomongodel.queryset"):
        assert importlib.util.find_spec(module) is not None


def test_bump_sets_versions_and_pins_together() -> None:
    text = (ROOT / "packages/aiomongodel/pyproject.toml").read_text()
    bumped = bump_version._set_pyproject(text, "9.8.7")
    assert 'version = "9.8.7"' in bumped
    assert '"aiomongodel-fields==9.8.7"' in bumped
    assert '"aiomongodel-queryset[motor]==9.8.7"' in bumped
    assert bumped.count("==9.8.7") == text.count("==") == 4


def test_bump_refuses_a_malformed_version() -> None:
    with pytest.raises(ValueError, match="not a release version"):
        bump_version.bump("next")
