"""Fixtures of the differential tests: the interpreter of aiomongodel 0.2.2 and this one.

The reference interpreter is the one named by ``AIOMONGODEL_REFERENCE_PYTHON`` or, when that
is unset, the Python of the Hatch environment ``reference`` (``hatch run compat:test``
creates it first). Without it the tests fail, never skip: a differential suite that
quietly runs nothing would look green while checking nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REFERENCE_VERSION = "0.2.2"
REPO_ROOT = Path(__file__).resolve().parents[2]

_VERSION_PROBE = "import aiomongodel, sys; sys.stdout.write(aiomongodel.__version__)"


def _hatch_reference_python() -> tuple[Path | None, str]:
    """The reference environment's interpreter from `hatch env find`, or why there is none."""
    hatch = shutil.which("hatch")
    if hatch is None:
        return None, "`hatch` is not on PATH"
    try:
        found = subprocess.run(
            [hatch, "env", "find", "reference"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"`hatch env find reference` failed: {exc}"
    if found.returncode != 0 or not found.stdout.strip():
        return None, f"`hatch env find reference` failed: {found.stderr.strip()}"
    python = Path(found.stdout.strip().splitlines()[-1]) / "bin" / "python"
    if not python.exists():
        return None, (
            f"the reference environment is not created ({python} does not exist); "
            "run `hatch env create reference`"
        )
    return python, ""


def _version_of(python: str) -> str:
    probe = subprocess.run(
        [python, "-c", _VERSION_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode != 0:
        pytest.fail(f"{python} cannot import aiomongodel:\n{probe.stderr}", pytrace=False)
    return probe.stdout.strip()


@pytest.fixture(scope="session")
def reference_python() -> str:
    """Path of a Python that imports aiomongodel 0.2.2 (with Motor)."""
    configured = os.environ.get("AIOMONGODEL_REFERENCE_PYTHON")
    if configured:
        python = configured
    else:
        found, why = _hatch_reference_python()
        if found is None:
            pytest.fail(
                "no interpreter with aiomongodel 0.2.2: set AIOMONGODEL_REFERENCE_PYTHON or "
                f"run through `hatch run compat:test` ({why})",
                pytrace=False,
            )
        python = str(found)
    version = _version_of(python)
    if version != REFERENCE_VERSION:
        pytest.fail(
            f"{python} imports aiomongodel {version}, not the reference {REFERENCE_VERSION}",
            pytrace=False,
        )
    return python


@pytest.fixture(scope="session")
def project_python() -> str:
    """This interpreter, after checking that it imports the project (0.3.x), not 0.2."""
    version = _version_of(sys.executable)
    if not version.startswith("0.3."):
        pytest.fail(
            f"{sys.executable} imports aiomongodel {version}, not this project (0.3.x)",
            pytrace=False,
        )
    return sys.executable
