"""Replica sets of throwaway ``mongod`` members: start, initiate, fault injection, state."""

from __future__ import annotations

import atexit
import contextlib
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from devtools.mongod import processes
from devtools.mongod.binary import ensure_mongod
from devtools.mongod.directories import create_directory, member_directory, remove_directory
from devtools.mongod.errors import MongodError
from devtools.mongod.processes import Member, free_ports
from devtools.mongod.release import MONGOD_VERSION

#: Seconds allowed for a replica set to start and elect a primary.
START_TIMEOUT = 60.0


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
        self._directory: Path | None = None
        self._members: list[Member] = []

    # -- addresses -------------------------------------------------------------------------

    @property
    def ports(self) -> list[int]:
        """The port of each member, in member order."""
        return [member.port for member in self._members]

    @property
    def hosts(self) -> list[str]:
        """``host:port`` of each member, in member order."""
        return [member.host for member in self._members]

    @property
    def uri(self) -> str:
        """A connection string that names every member and the replica set."""
        if not self._members:
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
        return member_directory(self.directory, index)

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
        binary = ensure_mongod()
        ports = free_ports(self.members)
        self._directory = create_directory()
        self._members = [
            Member(index, port, self.member_directory(index), binary, self.name)
            for index, port in enumerate(ports)
        ]
        atexit.register(self.stop)
        try:
            for member in self._members:
                member.launch()
            deadline = time.monotonic() + START_TIMEOUT
            for member in self._members:
                member.wait_for_ping(deadline)
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
        for member in self._members:
            member.close_client()
        processes.stop([member.process for member in self._members if member.launched])
        self._members = []
        if self._directory is not None:
            remove_directory(self._directory)
            self._directory = None

    # -- fault injection -------------------------------------------------------------------

    def kill(self, index: int) -> None:
        """Kill member ``index`` with SIGKILL, as a crash would."""
        self._member(index).kill()

    def terminate(self, index: int) -> None:
        """Shut member ``index`` down cleanly with SIGTERM and wait until it has exited."""
        self._member(index).terminate()

    def restart(self, index: int) -> None:
        """Start stopped member ``index`` again, on its port and data, and wait for it."""
        member = self._member(index)
        if member.is_running():
            raise MongodError(f"member {index} ({member.host}) is still running")
        member.launch()
        member.wait_for_ping(time.monotonic() + START_TIMEOUT)

    def is_running(self, index: int) -> bool:
        """Whether the process of member ``index`` is alive."""
        return self._member(index).is_running()

    # -- state -----------------------------------------------------------------------------

    def primary_index(self) -> int | None:
        """Ask the running members which of them is primary now; ``None`` if none is."""
        from pymongo.errors import PyMongoError

        candidates: list[tuple[Any, int]] = []
        for index in range(self.members):
            member = self._member(index)
            if not member.is_running():
                continue
            try:
                hello = member.client().admin.command("hello")
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
        return None if index is None else self._members[index].port

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

    def _member(self, index: int) -> Member:
        if not 0 <= index < len(self._members):
            raise IndexError(f"no member {index} in a started set of {self.members}")
        return self._members[index]

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
            self._members[0].client().admin.command("replSetInitiate", config)
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
            asked = self._members[0 if index is None else index]
            status: Mapping[str, Any] = {}
            with contextlib.suppress(PyMongoError):
                status = asked.client().admin.command("replSetGetStatus")
            states = [member.get("state") for member in status.get("members", [])]
            if index is not None and (
                self.members == 1
                or (len(states) == self.members and all(state in (1, 2) for state in states))
            ):
                return
            if index is None and states and states[0] == 2 and time.monotonic() > next_step_up:
                next_step_up = time.monotonic() + 2.0
                with contextlib.suppress(PyMongoError):
                    self._members[0].client().admin.command("replSetStepUp")
            for member in self._members:
                if member.launched and not member.is_running():
                    raise MongodError(
                        self._failure(
                            f"member {member.index} exited with {member.process.returncode}",
                            member.index,
                        )
                    )
            if time.monotonic() > deadline:
                raise MongodError(
                    self._failure(
                        f"replica set {self.name} has no primary after {START_TIMEOUT:.0f} s"
                    )
                )
            time.sleep(0.1)

    def _failure(self, summary: str, index: int | None = None) -> str:
        members = self._members if index is None else [self._members[index]]
        return processes.failure(summary, members)
