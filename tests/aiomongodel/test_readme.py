"""The README's tour runs as written against the real server."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

README = Path(__file__).resolve().parents[2] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README.read_text(), re.MULTILINE | re.DOTALL)


def shell_block() -> list[str]:
    block = re.search(r"^```sh\n(.*?)^```", README.read_text(), re.MULTILINE | re.DOTALL)
    assert block is not None, "README.md has no shell block"
    return block.group(1).strip().splitlines()


def test_first_shell_block_holds_the_example_and_test_commands() -> None:
    assert shell_block() == [
        "pip install hatch && hatch run example",
        "pip install hatch && hatch run check",
    ]


async def test_tour_runs(mongodb_uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    (tour,) = python_blocks()
    database = f"readme_{uuid.uuid4().hex[:8]}"
    source = tour.replace('"mongodb://localhost:27017"', repr(mongodb_uri)).replace(
        "client.blog", f"client[{database!r}]"
    )
    assert source != tour
    namespace: dict[str, Any] = {"__name__": "readme_tour"}
    exec(compile(source, str(README), "exec"), namespace)
    try:
        await namespace["main"]()
    finally:
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongodb_uri)
        await client.drop_database(database)
        await client.close()
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "{'title': 'length is greater than 100', 'views': 'value is less than 0'}",
        "Hello",
    ]
