"""Fixtures of the meta-package tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run_python(mongodb_uri: str) -> Callable[..., str]:
    """Run ``python *args`` from the repository root against the test server.

    Returns its standard output; fails the test if it exits with an error.
    """

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, "MONGODB_URI": mongodb_uri},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    return run
