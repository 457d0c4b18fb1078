"""Single ``mongod`` members: free loopback ports, starting, stopping, clients and log tails."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devtools.mongod.errors import MongodError, last_lines

if TYPE_CHECKING:
    from pymongo import MongoClient

#: The loopback address every member listens on.
HOST = "127.0.0.1"

#: Seconds a member is given to shut down cleanly after SIGTERM before it is killed.
STOP_TIMEOUT = 15.0

#: Milliseconds a member waits for a secondary to catch up and then for running operations
#: to finish when it receives SIGTERM (the server's default is 15000).
SHUTDOWN_QUIESCE_MS = 1000

_LOG_FILE = "mongod.log"
#: Anything mongod writes before its log file is open (bad options, missing libraries).
_OUTPUT_FILE = "mongod.out"


def free_ports(count: int) -> list[int]:
    """Return ``count`` distinct loopback ports that are free now."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def stop(processes: Sequence[subprocess.Popen[bytes]]) -> None:
    """Send SIGTERM to the running ``processes``; kill those still alive after STOP_TIMEOUT."""
    running = [process for process in processes if process.poll() is None]
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


def failure(summary: str, members: Iterable[Member]) -> str:
    """``summary`` followed by the last lines of the output and log of each of ``members``."""
    lines = [summary]
    for member in members:
        for name in (_OUTPUT_FILE, _LOG_FILE):
            tail = _tail(member.directory / name)
            if tail:
                lines.append(f"--- last lines of {member.directory / name} ---\n{tail}")
    return "\n".join(lines)


class Member:
    """Member ``index`` of replica set ``replica_set``: a ``mongod`` on a loopback port.

    Once launched, it runs in the foreground as a child of this process, with its data and
    log in ``directory``.
    """

    def __init__(
        self, index: int, port: int, directory: Path, binary: Path, replica_set: str
    ) -> None:
        self.index = index
        self.port = port
        self.directory = directory
        self.binary = binary
        self.replica_set = replica_set
        self._process: subprocess.Popen[bytes] | None = None
        self._client: MongoClient[dict[str, Any]] | None = None

    @property
    def host(self) -> str:
        """``host:port`` of the member."""
        return f"{HOST}:{self.port}"

    @property
    def launched(self) -> bool:
        """Whether the member has been launched at least once."""
        return self._process is not None

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The member's current (or last) process."""
        if self._process is None:
            raise MongodError(f"member {self.index} was never started")
        return self._process

    def is_running(self) -> bool:
        """Whether the member's process is alive."""
        return self.process.poll() is None

    def launch(self) -> None:
        """Start the member's process; it is not answering yet (see :meth:`wait_for_ping`)."""
        self.directory.mkdir(exist_ok=True)
        command = [
            *_parent_death_prefix(),
            str(self.binary),
            "--replSet",
            self.replica_set,
            "--dbpath",
            str(self.directory),
            "--bind_ip",
            HOST,
            "--port",
            str(self.port),
            # TCP only: a killed mongod would leave its /tmp/mongodb-<port>.sock behind.
            "--nounixsocket",
            "--wiredTigerCacheSizeGB",
            "0.25",
            "--oplogSize",
            "128",
            "--logpath",
            str(self.directory / _LOG_FILE),
            "--logappend",
            "--setParameter",
            "diagnosticDataCollectionEnabled=false",
            # SIGTERM still steps a primary down, but the quiet period that follows
            # (15 s by default) is cut short.
            "--setParameter",
            f"shutdownTimeoutMillisForSignaledShutdown={SHUTDOWN_QUIESCE_MS}",
            # Test commands, for the tests that inject faults with the failCommand fail point.
            "--setParameter",
            "enableTestCommands=1",
        ]
        with (self.directory / _OUTPUT_FILE).open("ab") as output:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        process = self.process
        if process.poll() is None:
            process.kill()
        process.wait()

    def terminate(self) -> None:
        """Shut the process down cleanly with SIGTERM and wait until it has exited."""
        stop([self.process])

    def client(self) -> MongoClient[dict[str, Any]]:
        """A client connected directly to this member (kept until :meth:`close_client`)."""
        if self._client is None:
            from pymongo import MongoClient

            self._client = MongoClient(
                HOST,
                self.port,
                directConnection=True,
                serverSelectionTimeoutMS=1000,
                connectTimeoutMS=1000,
                socketTimeoutMS=30000,
                appname="aiomongodel-devtools",
            )
        return self._client

    def close_client(self) -> None:
        """Close the client of :meth:`client`, if there is one."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def wait_for_ping(self, deadline: float) -> None:
        """Wait until the member answers ``ping``; fail once it exits or ``deadline`` passes."""
        from pymongo.errors import PyMongoError

        process = self.process
        while True:
            if process.poll() is not None:
                raise MongodError(
                    failure(
                        f"member {self.index} ({self.host}) exited with {process.returncode}",
                        [self],
                    )
                )
            try:
                self.client().admin.command("ping")
                return
            except PyMongoError:
                pass
            if time.monotonic() > deadline:
                raise MongodError(
                    failure(f"member {self.index} ({self.host}) does not answer", [self])
                )
            time.sleep(0.05)


def _parent_death_prefix() -> list[str]:
    # A member started from the main thread is told to shut down when this process dies,
    # even by SIGKILL, so that an interrupted test run leaves no server behind.
    # (The kernel ties the signal to the starting thread, hence the main-thread condition.)
    setpriv = shutil.which("setpriv")
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return []
    return [setpriv, "--pdeathsig", "TERM", "--"]


def _tail(path: Path, count: int = 25) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 32768))
            data = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return last_lines(data, count)
