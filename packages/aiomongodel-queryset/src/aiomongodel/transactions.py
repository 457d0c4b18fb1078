"""Transactions that retry as MongoDB's drivers specify, and keep documents in step.

:func:`run_transaction` (also ``Post.q(db).transaction(callback)``) runs an async
callback in a transaction and commits it::

    async def transfer(session):
        source = await Account.q(db).get(source_id)
        target = await Account.q(db).get(target_id)
        source.balance -= 10
        target.balance += 10
        await source.save_changes(db)
        await target.save_changes(db)

    await run_transaction(db, transfer)

It follows the drivers' convenient transaction API (``with_transaction``), the same on
PyMongo's async API and on Motor:

* an error labelled ``TransientTransactionError``, raised by the callback or by the
  commit, aborts the attempt and runs the callback again in a new transaction;
* a commit failing with ``UnknownTransactionCommitResult`` (a network error, a primary
  stepping down) is sent again (the server runs a commit once), unless the server's
  ``maxTimeMS`` for it ran out;
* both stop once ``timeout`` seconds (120 by default, as the drivers) have passed since
  the start: the last error is raised;
* any other error aborts the transaction and is raised, after the callback has run once.

Inside the callback, querysets and document methods on databases of the same client use
the transaction's session without being given it (an explicit ``session=`` still wins);
the callback also receives it. A document that records a write made in an attempt that
does not commit (its version under optimistic locking, its copy of the stored form under
``Meta.track_changes``, the ``_id`` the driver assigned) gets back what it recorded
before the attempt, so a retried callback sends its changes again, and after a failed
transaction the objects describe what is stored (see :mod:`aiomongodel.transaction_state`).

The callback should not commit or abort the transaction itself (raise to give up): if it
does, the documents it wrote do not record those writes, since the ODM cannot tell which
it was. A transaction started with the driver's own ``with_transaction`` or
``start_transaction`` gets none of this: an object saved in an attempt that aborts keeps
recording that write; ``reload`` it.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pymongo.errors

from aiomongodel._drivers import check_database, start_session, start_transaction
from aiomongodel.transaction_state import Attempt, active_attempt, enter, leave

if TYPE_CHECKING:
    from aiomongodel.document import Database, Session

__all__ = ["DEFAULT_TIMEOUT", "run_transaction"]

T = TypeVar("T")

#: Seconds after which a transaction is not retried any more (the drivers' 120 s).
DEFAULT_TIMEOUT = 120.0
_TRANSIENT = "TransientTransactionError"
_UNKNOWN_COMMIT = "UnknownTransactionCommitResult"
_MAX_TIME_EXPIRED = 50
#: The longest pause before a retry; the pauses grow from 5 ms, with jitter.
_MAX_BACKOFF = 0.5


class _Retry(Exception):
    """The attempt ended with a transient error: run the callback again."""


async def run_transaction(
    db: Database,
    callback: Callable[[Any], Awaitable[T]],
    *,
    session: Session | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    read_concern: Any = None,
    write_concern: Any = None,
    read_preference: Any = None,
    max_commit_time_ms: int | None = None,
) -> T:
    """Run ``await callback(session)`` in a transaction and commit it; return what the
    callback returned.

    Args:
        db: A database of the client to run the transaction on (either driver).
        callback: An async function of the session. It may run more than once (see the
            module's documentation): it should load what it changes.
        session: A session of ``db``'s client not in a transaction; by default a new
            one, ended afterwards.
        timeout: Seconds after the start past which errors are not retried.
        read_concern, write_concern, read_preference, max_commit_time_ms: Options of
            the transaction, as the driver's ``start_transaction`` takes them.

    Raises:
        RuntimeError: If the task already runs a transaction on this client (MongoDB
            has no nested transactions), or ``session`` is in a transaction.
        TypeError: If ``db`` is not an asynchronous database.
        ValueError: If ``timeout`` is not a positive number.
        pymongo.errors.PyMongoError: The error that ended the transaction.
    """
    check_database(db, "run_transaction(db, ...)")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"run_transaction(): timeout must be a positive number, got {timeout!r}")
    client = db.client
    running = active_attempt()
    if running is not None and running.client is client:
        raise RuntimeError(
            "run_transaction(): this task already runs a transaction on this client, and "
            "MongoDB has no nested transactions: do the work in the running callback"
        )
    options = {
        name: value
        for name, value in (
            ("read_concern", read_concern),
            ("write_concern", write_concern),
            ("read_preference", read_preference),
            ("max_commit_time_ms", max_commit_time_ms),
        )
        if value is not None
    }
    transaction = _Transaction(client, callback, options, time.monotonic() + timeout)
    if session is not None:
        if session.in_transaction:
            raise RuntimeError(
                "run_transaction(): the session is in a transaction already; pass a "
                "session that is not, or none"
            )
        return await transaction.run(session)
    async with await start_session(client) as new_session:
        return await transaction.run(new_session)


class _Transaction(Generic[T]):
    """The retry loop of one :func:`run_transaction` call."""

    def __init__(
        self,
        client: Any,
        callback: Callable[[Any], Awaitable[T]],
        options: dict[str, Any],
        deadline: float,
    ) -> None:
        self.client = client
        self.callback = callback
        self.options = options
        self.deadline = deadline
        self.retries = 0

    def _retrying(self, error: BaseException, label: str) -> bool:
        return (
            isinstance(error, pymongo.errors.PyMongoError)
            and error.has_error_label(label)
            and time.monotonic() < self.deadline
        )

    async def _pause(self) -> None:
        """Wait a little before a retry, longer each time, so that transactions that
        conflict with each other do not retry in step."""
        self.retries += 1
        ceiling = min(_MAX_BACKOFF, 0.005 * 2 ** min(self.retries, 10))
        await asyncio.sleep(random.uniform(0, ceiling))

    async def run(self, session: Any) -> T:
        while True:
            attempt = Attempt(session, self.client)
            try:
                result = await self._attempt(session, attempt)
            except _Retry:
                await self._pause()
                continue
            attempt.forget()
            return result

    async def _attempt(self, session: Any, attempt: Attempt) -> T:
        await start_transaction(session, **self.options)
        token = enter(attempt)
        try:
            result = await self.callback(session)
        except BaseException as error:
            await _abort(session)
            attempt.roll_back()
            if self._retrying(error, _TRANSIENT):
                raise _Retry from error
            raise
        finally:
            leave(token)
        if not session.in_transaction:
            # The callback committed or aborted: which, the ODM cannot tell.
            attempt.roll_back()
            return result
        await self._commit(session, attempt)
        return result

    async def _commit(self, session: Any, attempt: Attempt) -> None:
        while True:
            try:
                await session.commit_transaction()
                return
            except BaseException as error:
                if self._retrying(error, _UNKNOWN_COMMIT) and not _max_time_expired(error):
                    continue
                attempt.roll_back()
                if self._retrying(error, _TRANSIENT):
                    raise _Retry from error
                raise


async def _abort(session: Any) -> None:
    """Abort the session's transaction if it is still open; errors of the abort are
    ignored (the server aborts a transaction it hears no more of)."""
    if session.in_transaction:
        with contextlib.suppress(pymongo.errors.PyMongoError):
            await session.abort_transaction()


def _max_time_expired(error: BaseException) -> bool:
    if not isinstance(error, pymongo.errors.OperationFailure):
        return False
    concern_error = (error.details or {}).get("writeConcernError") or {}
    return error.code == _MAX_TIME_EXPIRED or concern_error.get("code") == _MAX_TIME_EXPIRED
