"""Values whose own methods misbehave, for tests that feed junk to public entry points."""

from __future__ import annotations

from typing import Any


def raise_error(*args: Any) -> Any:
    raise RuntimeError("hostile value")


class BrokenEq:
    """Hashable (by identity), but every comparison raises."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = raise_error  # type: ignore[assignment]
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "BrokenEq()"


class Hostile:
    """Comparisons, hash, length, iteration and ``__class__`` all raise."""

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = raise_error  # type: ignore[assignment]
    __hash__ = __len__ = __iter__ = raise_error  # type: ignore[assignment]

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        raise RuntimeError("hostile __class__")

    def __repr__(self) -> str:
        return "Hostile()"


class Liar:
    """Claims, through ``__class__``, to be an instance of ``claimed``."""

    def __init__(self, claimed: type) -> None:
        self.claimed = claimed

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # type: ignore[override]
        return self.claimed

    def __repr__(self) -> str:
        return f"Liar({self.claimed.__name__})"
