"""A command listener recording what a client sends to one database, for tests that
assert the exact commands the ODM builds (filters, updates, how many commands)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pymongo import monitoring

from tests.drivers import close, open_client


class CommandRecorder(monitoring.CommandListener):
    """Records the commands sent to :attr:`database` (``{'update': 'post', ...}``)."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.commands: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name == self.database:
            self.commands.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def named(self, name: str) -> list[dict[str, Any]]:
        """The commands ``name`` (``'update'``, ``'find'``, ...) in the order sent."""
        return [command for command in self.commands if next(iter(command)) == name]

    def finds(self, collection: str | None = None) -> list[dict[str, Any]]:
        """The ``find`` commands in the order sent, of ``collection`` only if named."""
        return [
            command
            for command in self.named("find")
            if collection is None or command["find"] == collection
        ]

    def writes(self) -> list[dict[str, Any]]:
        """The ``insert``, ``update`` and ``delete`` commands in the order sent."""
        return [c for c in self.commands if next(iter(c)) in ("insert", "update", "delete")]

    def clear(self) -> None:
        self.commands.clear()


@asynccontextmanager
async def recorded_database(
    driver: str, uri: str, **options: Any
) -> AsyncIterator[tuple[Any, CommandRecorder]]:
    """A fresh database on a new client of ``driver`` whose commands are recorded;
    dropped afterwards."""
    recorder = CommandRecorder(f"test_{uuid.uuid4().hex}")
    client = open_client(driver, uri, event_listeners=[recorder], **options)
    try:
        yield client[recorder.database], recorder
    finally:
        await client.drop_database(recorder.database)
        await close(client)
