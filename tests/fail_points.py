"""The server's ``failCommand`` fail point, for tests that inject faults for real.

``failCommand`` is a test command: the server must run with ``enableTestCommands=1``, as
the one of the test session does. Each helper here limits the fault to the connections of
one client (those opened with its ``appName``), so that the test's own setup and checks,
on other clients, are not hit.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from typing import Any

import pymongo
import pymongo.errors
import pytest
from pymongo import monitoring

#: The server closes the connection without running the command.
NETWORK_ERROR: dict[str, Any] = {"closeConnection": True}
#: The ``writeConcernError`` of a primary that is shutting down: the write was applied.
SHUTDOWN_WRITE_CONCERN: dict[str, Any] = {
    "code": 91,
    "codeName": "ShutdownInProgress",
    "errmsg": "Replication is being shut down",
}
#: Code 59: the server does not run with ``enableTestCommands=1``.
COMMAND_NOT_FOUND = 59


def configure(
    command: str, app_name: str, fault: dict[str, Any], mode: Any = None
) -> dict[str, Any]:
    """The ``configureFailPoint`` command failing ``command`` of ``app_name``'s
    connections with ``fault``, once unless ``mode`` says otherwise."""
    return {
        "configureFailPoint": "failCommand",
        "mode": {"times": 1} if mode is None else mode,
        "data": {"failCommands": [command], "appName": app_name, **fault},
    }


OFF: dict[str, Any] = {"configureFailPoint": "failCommand", "mode": "off"}


def skip_unless_available(error: pymongo.errors.OperationFailure) -> None:
    """Skip the test if ``error`` says the server has no test commands; else re-raise."""
    if error.code == COMMAND_NOT_FOUND:
        pytest.skip("the server does not run with enableTestCommands=1")
    raise error


class FailPoint:
    """The fail point for one client's connections, set through an async ``client``."""

    def __init__(self, client: Any, app_name: str) -> None:
        self.client = client
        self.app_name = app_name

    async def arm(self, command: str, fault: dict[str, Any], mode: Any = None) -> None:
        """Fail ``command`` with ``fault``: the next time, or as ``mode`` says
        (``"alwaysOn"``)."""
        await self.client.admin.command(configure(command, self.app_name, fault, mode))

    async def off(self) -> None:
        await self.client.admin.command(OFF)

    async def check_available(self) -> None:
        """Turn it off, skipping the test if the server has no test commands."""
        try:
            await self.off()
        except pymongo.errors.OperationFailure as error:
            skip_unless_available(error)

    @contextlib.asynccontextmanager
    async def once(self, command: str, fault: dict[str, Any]) -> AsyncGenerator[None, None]:
        """Fail the next ``command`` in the body with ``fault``; off again afterwards."""
        await self.arm(command, fault)
        try:
            yield
        finally:
            await self.off()


class FailAfterFirst(monitoring.CommandListener):
    """A command listener arming the fail point for the next ``command`` once the first
    one sent to :attr:`database` has succeeded, so that an operation made of several
    commands (a bulk write) fails in the middle. It sets the fail point through a
    synchronous ``admin`` client, from the listener; :attr:`sent` records the names of
    the commands sent to the database."""

    def __init__(self, admin: pymongo.MongoClient[dict[str, Any]], app_name: str) -> None:
        self.admin = admin
        self.app_name = app_name
        self.database = ""
        self.command = ""
        self.fault: dict[str, Any] | None = None
        self.sent: list[str] = []

    def arm(self, command: str, fault: dict[str, Any]) -> None:
        self.command, self.fault = command, fault

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name == self.database:
            self.sent.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        if (
            self.fault is not None
            and event.database_name == self.database
            and event.command_name == self.command
        ):
            fault, self.fault = self.fault, None
            self.admin.admin.command(configure(self.command, self.app_name, fault))

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def off(self) -> None:
        self.fault = None
        self.admin.admin.command(OFF)
