"""Set one version on all four distributions, their exact sibling pins and ``__version__``.

Usage: ``python scripts/bump_version.py 0.4.0``. Prints every file it changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = (
    "aiomongodel-fields",
    "aiomongodel-document",
    "aiomongodel-queryset",
    "aiomongodel",
)
VERSION_MODULE = ROOT / "packages/aiomongodel/src/aiomongodel/__init__.py"
_VERSION = re.compile(r'^version = "[^"]+"$', re.MULTILINE)
_PIN = re.compile(r'"(?P<name>aiomongodel(?:-\w+)?)(?P<extra>\[\w+\])?==[^"]+"')
_DUNDER = re.compile(r'^__version__ = "[^"]+"$', re.MULTILINE)
_PEP440 = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")


def pyproject_files() -> list[Path]:
    """The ``pyproject.toml`` of every distribution."""
    return [ROOT / "packages" / name / "pyproject.toml" for name in DISTRIBUTIONS]


def bump(version: str) -> list[Path]:
    """Write ``version`` everywhere; return the files that changed."""
    if not _PEP440.match(version):
        raise ValueError(f"{version!r} is not a release version such as 1.2.3 or 1.2.3rc1")
    edits = {path: _set_pyproject(path.read_text(), version) for path in pyproject_files()}
    edits[VERSION_MODULE] = _DUNDER.sub(f'__version__ = "{version}"', VERSION_MODULE.read_text())
    changed = []
    for path, text in edits.items():
        if path.read_text() != text:
            path.write_text(text)
            changed.append(path)
    return changed


def _set_pyproject(text: str, version: str) -> str:
    text = _VERSION.sub(f'version = "{version}"', text, count=1)
    return _PIN.sub(lambda m: f'"{m["name"]}{m["extra"] or ""}=={version}"', text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version")
    args = parser.parse_args(argv)
    try:
        changed = bump(args.version)
    except ValueError as exc:
        parser.error(str(exc))
    for path in changed:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
