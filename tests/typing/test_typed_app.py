"""The typed example application runs as it type-checks, on both drivers."""

from __future__ import annotations

from typing import Any

from tests.typing import typed_app


async def test_typed_application_runs(db: Any) -> None:
    result = await typed_app.querying(db)
    assert result == {
        "author": "ann",
        "titles": ["Second", "Typed"],
        "tagged": ["Typed"],
        "modified": 1,
        "count": 2,
        "rows": [{"_id": None, "n": 2}],
        "views": 11,
        "tags": ["a", "b", "d"],
        "tag": "python",
    }


async def test_typed_change_stream_runs(db: Any) -> None:
    assert await typed_app.watching(db) == ["insert Seen", "None"]


def test_typed_classes_build_and_filter() -> None:
    post = typed_app.building()
    assert post.views == 3
    assert post.comments[0].author is post.author
    typed_app.reading(post)
    typed_app.expressions(typed_app.Author(name="ann"))
