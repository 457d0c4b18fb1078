"""Every example of examples/ runs against the real server, so the docs cannot rot."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
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


def test_examples_entry_point_runs_them_all(mongodb_uri: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "examples"],
        cwd=ROOT,
        env={**os.environ, "MONGODB_URI": mongodb_uri},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"all {len(EXAMPLES)} examples passed" in result.stdout


def test_every_example_module_is_run() -> None:
    modules = {p.stem for p in (ROOT / "examples").glob("*.py")}
    assert modules - {"__init__", "__main__", "connect"} == set(EXAMPLES)
