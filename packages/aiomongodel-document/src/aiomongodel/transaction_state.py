"""The transaction the current task runs in, when the ODM's transaction helper runs it.

:func:`aiomongodel.transactions.run_transaction` sets an :class:`Attempt` for each run
of its callback. While it is set:

* a queryset made without a session, on a database of the attempt's client, uses the
  attempt's session (:func:`bound_session`), and so do the document methods that make
  one (``save``, ``save_changes``, ``reload``, ``update``, ``delete``);
* a document that records a write made in that session (its version, the ``_id`` the
  driver assigned, its copy of the stored form under ``Meta.track_changes``) or reloads
  in it is remembered as it was before (:meth:`Attempt.remember`), once per attempt.

An attempt that does not commit is rolled back (:meth:`Attempt.roll_back`): the
documents get back what they recorded before it, since the server kept none of its
writes. A retried attempt then sends their changes again.

The state is a :class:`contextvars.ContextVar`: it follows the task that runs the
callback (and tasks it starts), and nothing else.
"""

from __future__ import annotations

import contextvars
from typing import Any

__all__ = ["Attempt", "active_attempt", "bound_session"]

_MISSING = object()


class _Snapshot:
    """What a document recorded of its stored state before an attempt changed it."""

    __slots__ = ("data", "document", "id", "pending", "reordered", "stored", "version")

    def __init__(self, document: Any) -> None:
        self.document = document
        self.data = document._data
        self.id = self.data.get("_id", _MISSING)
        version_field = document.meta.version_field
        self.version = _MISSING if version_field is None else self.data.get(version_field, _MISSING)
        self.stored = document._stored
        self.reordered = document._reordered
        self.pending = document._pending

    def restore(self) -> None:
        document, data = self.document, self.data
        # ``reload`` replaces the values dict; the others change two keys of it.
        document._data = data
        _put(data, "_id", self.id)
        version_field = document.meta.version_field
        if version_field is not None:
            _put(data, version_field, self.version)
        document._stored = self.stored
        document._reordered = self.reordered
        # Building embedded documents again is harmless if they were built since.
        document._pending = self.pending


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is _MISSING:
        data.pop(key, None)
    else:
        data[key] = value


class Attempt:
    """One run of a transaction's callback: its session, and the documents whose record
    of the stored state it changed.

    Args:
        session: The client session of the transaction (either driver).
        client: The session's client: querysets on its databases use the session.
    """

    __slots__ = ("_snapshots", "client", "session")

    def __init__(self, session: Any, client: Any) -> None:
        self.session = session
        self.client = client
        self._snapshots: dict[int, _Snapshot] = {}

    def remember(self, document: Any) -> None:
        """Keep what ``document`` records of its stored state, unless kept already."""
        if id(document) not in self._snapshots:
            self._snapshots[id(document)] = _Snapshot(document)

    def roll_back(self) -> None:
        """Give every remembered document back what it recorded before the attempt."""
        for snapshot in reversed(list(self._snapshots.values())):
            snapshot.restore()
        self._snapshots.clear()

    def forget(self) -> None:
        """Keep the documents as they are: the attempt committed."""
        self._snapshots.clear()


_ACTIVE: contextvars.ContextVar[Attempt | None] = contextvars.ContextVar(
    "aiomongodel_transaction_attempt", default=None
)


def active_attempt() -> Attempt | None:
    """The attempt the current task runs in, or ``None``."""
    return _ACTIVE.get()


def enter(attempt: Attempt) -> contextvars.Token[Attempt | None]:
    """Make ``attempt`` the current task's; pass the token to :func:`leave`."""
    return _ACTIVE.set(attempt)


def leave(token: contextvars.Token[Attempt | None]) -> None:
    """Undo the :func:`enter` that gave ``token``."""
    _ACTIVE.reset(token)


def bound_session(db: Any, session: Any) -> Any:
    """``session``, or when it is ``None``, the session of the transaction the task runs
    in if ``db`` is a database of its client."""
    if session is not None:
        return session
    attempt = _ACTIVE.get()
    if attempt is not None and getattr(db, "client", None) is attempt.client:
        return attempt.session
    return None


def remember_write(document: Any, session: Any) -> None:
    """Remember ``document`` in the current attempt if it is about to record a write
    (or reload) made in the attempt's session."""
    attempt = _ACTIVE.get()
    if attempt is not None and session is not None and session is attempt.session:
        attempt.remember(document)
