"""The guides of docs/ whose examples run (those in ``GUIDES``) run as written, on both
drivers: their Python blocks, joined, define ``main(db)``, which checks its own results."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = [
    "change-streams.md",
    "querying.md",
    "references.md",
    "schema-validation.md",
    "transactions.md",
    "writes.md",
]


def guide_source(guide: Path) -> str:
    blocks = re.findall(r"^```python\n(.*?)^```", guide.read_text(), re.MULTILINE | re.DOTALL)
    return "\n".join(blocks)


@pytest.mark.parametrize("name", GUIDES)
async def test_guide_runs(db: Any, name: str) -> None:
    guide = DOCS / name
    namespace: dict[str, Any] = {"__name__": guide.stem}
    exec(compile(guide_source(guide), str(guide), "exec"), namespace)
    await namespace["main"](db)
    if "Post" in namespace:  # the guides about posts leave two of them
        assert await namespace["Post"].q(db).count_documents({}) == 2
