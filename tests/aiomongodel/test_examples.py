"""Every example of examples/ runs against the real server, so the docs cannot rot."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from examples.__main__ import EXAMPLES
from examples.connect import with_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", EXAMPLES)
async def test_example_runs(name: str, mongodb_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONGODB_URI", mongodb_uri)
    module = importlib.import_module(f"examples.{name}")
    await with_database(module.main, mongodb_uri)


def test_examples_entry_point_runs_them_all(run_python: Callable[..., str]) -> None:
    assert f"all {len(EXAMPLES)} examples passed" in run_python("-m", "examples")


def test_every_example_module_is_run() -> None:
    modules = {p.stem for p in (ROOT / "examples").glob("*.py")}
    assert modules - {"__init__", "__main__", "connect"} == set(EXAMPLES)
