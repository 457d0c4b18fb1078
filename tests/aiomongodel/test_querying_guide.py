"""docs/querying.md runs as written, on both drivers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "querying.md"


def guide_source() -> str:
    blocks = re.findall(r"^```python\n(.*?)^```", GUIDE.read_text(), re.MULTILINE | re.DOTALL)
    return "\n".join(blocks)


async def test_querying_guide_runs(db: Any) -> None:
    namespace: dict[str, Any] = {"__name__": "querying_guide"}
    exec(compile(guide_source(), str(GUIDE), "exec"), namespace)
    await namespace["main"](db)
    assert await namespace["Post"].q(db).count_documents({}) == 2
