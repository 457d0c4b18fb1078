"""Fixtures of the queryset tests; ``db`` (a database on each driver) is in tests/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def is_motor(db: Any) -> bool:
    """Whether ``db`` is a Motor database (for assertions on driver-specific types)."""
    return type(db).__module__.startswith("motor.")
