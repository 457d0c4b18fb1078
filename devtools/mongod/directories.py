"""Temporary data directories of replica sets, and the removal of those killed runs left behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_PREFIX = "aiomongodel-mongod-"
_OWNER_FILE = "owner.pid"
_MEMBER_PREFIX = "member"


def create_directory() -> Path:
    """Remove abandoned directories, then create a new one owned by this process."""
    _remove_abandoned_directories()
    directory = Path(tempfile.mkdtemp(prefix=_PREFIX))
    (directory / _OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
    return directory


def remove_directory(directory: Path) -> None:
    """Remove a directory made by :func:`create_directory`, with everything in it."""
    shutil.rmtree(directory, ignore_errors=True)


def member_directory(directory: Path, index: int) -> Path:
    """The data directory of member ``index`` inside a replica set's ``directory``."""
    return directory / f"{_MEMBER_PREFIX}{index}"


def _remove_abandoned_directories() -> None:
    # A process killed outright cannot remove its data directory; its members stop on
    # their own (see processes._parent_death_prefix). Directories whose owner is gone and
    # whose members all shut down (mongod empties mongod.lock on exit) are removed here.
    for directory in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*"):
        try:
            if directory.stat().st_uid != os.getuid():
                continue
            owner = int((directory / _OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        try:
            os.kill(owner, 0)
            continue
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        if any(lock.stat().st_size for lock in directory.glob(f"{_MEMBER_PREFIX}*/mongod.lock")):
            continue
        shutil.rmtree(directory, ignore_errors=True)
