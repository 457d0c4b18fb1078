"""Run pyright over tests/typing as users see the packages: one ``aiomongodel`` folder.

Installed, the four distributions share one ``site-packages/aiomongodel`` folder. In this
repository they are four ``src`` folders, which pyright cannot merge (it takes the
meta-package's regular ``aiomongodel`` package and looks no further), so this builds that
folder from symbolic links in a temporary directory and points pyright at it.

Usage: ``python -m devtools.pyright [pyright arguments]``; the settings are
``[tool.pyright]`` in pyproject.toml, with ``extraPaths`` replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def merged_package(target: Path) -> Path:
    """``target/aiomongodel`` holding a link to every file of the four packages."""
    package = target / "aiomongodel"
    package.mkdir()
    for source in sorted(ROOT.glob("packages/*/src/aiomongodel/*")):
        if source.is_file():
            (package / source.name).symlink_to(source)
    return target


def main(argv: list[str]) -> int:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pyright"]
    # Two folders: files under the configuration's folder would count as the project's
    # own, and the packages are to be seen as the installed library they are.
    with (
        tempfile.TemporaryDirectory(prefix="aiomongodel-pyright-lib-") as library,
        tempfile.TemporaryDirectory(prefix="aiomongodel-pyright-") as temp,
    ):
        # The repository too, for ``tests.typing`` modules that import each other.
        settings["extraPaths"] = [str(merged_package(Path(library))), str(ROOT)]
        settings["include"] = [
            os.path.relpath(ROOT / path, temp) for path in settings.get("include", [])
        ]
        config = Path(temp) / "pyrightconfig.json"
        config.write_text(json.dumps(settings))
        return subprocess.call(["pyright", "-p", str(config), *argv], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
