"""The shared libraries ``mongod`` links against: finding missing ones and installing them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from devtools.mongod.errors import MongodUnavailable
from devtools.mongod.release import MONGOD_VERSION

#: Shared libraries that ``mongod`` needs beyond a base Debian or Ubuntu system, and the
#: Debian package that provides each of them.
LIBRARY_PACKAGES: dict[str, str] = {
    "libcurl.so.4": "libcurl4",
    "libssl.so.3": "libssl3",
    "libcrypto.so.3": "libssl3",
}


def missing_libraries(ldd_output: str) -> list[str]:
    """Return the libraries that ``ldd`` output reports as ``not found``, in order, once each."""
    missing: list[str] = []
    for line in ldd_output.splitlines():
        name, arrow, target = line.partition("=>")
        library = name.strip()
        if arrow and target.strip().startswith("not found") and library not in missing:
            missing.append(library)
    return missing


def debian_packages(libraries: Iterable[str]) -> tuple[list[str], list[str]]:
    """Map shared libraries to Debian packages.

    Returns the packages to install (in order, once each) and the libraries for which no
    package is known.
    """
    packages: list[str] = []
    unknown: list[str] = []
    for library in libraries:
        package = LIBRARY_PACKAGES.get(library)
        if package is None:
            unknown.append(library)
        elif package not in packages:
            packages.append(package)
    return packages, unknown


def apt_get_command(packages: Sequence[str]) -> str:
    """Return the shell command that installs ``packages`` on Debian or Ubuntu."""
    return "apt-get update -qq && apt-get install -y --no-install-recommends " + " ".join(packages)


def missing_libraries_message(binary: Path | str, libraries: Sequence[str]) -> str:
    """Explain which shared libraries ``binary`` lacks and how to install them."""
    packages, unknown = debian_packages(libraries)
    lines = [
        f"mongod {MONGOD_VERSION} ({binary}) cannot start: missing shared libraries: "
        + ", ".join(libraries)
    ]
    if packages:
        lines.append(f"Install them as root with: {apt_get_command(packages)}")
    if unknown:
        lines.append(
            "No Debian package is known for "
            + ", ".join(unknown)
            + "; install the package of your distribution that provides it."
        )
    return "\n".join(lines)


def _ldd_missing(binary: Path) -> list[str]:
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    result = subprocess.run([ldd, str(binary)], capture_output=True, text=True, check=False)
    return missing_libraries(result.stdout + result.stderr)


def ensure_shared_libraries(binary: Path) -> None:
    """Make sure every shared library ``binary`` links against is installed.

    When some are missing and the process runs as root with ``CI`` set, their Debian packages
    are installed with apt-get; otherwise :class:`MongodUnavailable` names the missing
    libraries and the command that installs them.
    """
    missing = _ldd_missing(binary)
    if not missing:
        return
    packages, _ = debian_packages(missing)
    if packages and os.environ.get("CI") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(
            f"mongod needs {', '.join(missing)}; running: {apt_get_command(packages)}",
            file=sys.stderr,
        )
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        ):
            if subprocess.run(command, env=environment, check=False).returncode != 0:
                raise MongodUnavailable(
                    f"`{shlex.join(command)}` failed\n{missing_libraries_message(binary, missing)}"
                )
        missing = _ldd_missing(binary)
        if not missing:
            return
    raise MongodUnavailable(missing_libraries_message(binary, missing))
