"""The exceptions of :mod:`devtools.mongod`, and the trimming of the output their messages quote."""

from __future__ import annotations


class MongodError(RuntimeError):
    """A throwaway ``mongod`` failed to start or to form a replica set."""


class MongodUnavailable(MongodError):
    """The ``mongod`` binary cannot be obtained or cannot run on this machine."""


def last_lines(text: str, count: int = 25) -> str:
    """Return the last ``count`` lines of ``text``, without trailing blank space."""
    return "\n".join(text.rstrip().splitlines()[-count:])
