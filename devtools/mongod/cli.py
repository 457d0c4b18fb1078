"""The command line of ``python -m devtools.mongod``: ``fetch`` the binary, ``run`` a command.

``run`` starts a throwaway replica set, runs the command with ``MONGODB_URI`` pointing at it
and stops the set afterwards; it reuses the server named by ``MONGODB_URI`` when that
variable is already set.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence

from devtools.mongod.binary import ensure_mongod
from devtools.mongod.errors import MongodError
from devtools.mongod.release import MONGOD_VERSION
from devtools.mongod.replica_set import ReplicaSet


def _run_command(command: Sequence[str], environment: Mapping[str, str]) -> int:
    try:
        process = subprocess.Popen(list(command), env=dict(environment))
    except OSError as error:
        print(f"cannot run {shlex.join(command)}: {error}", file=sys.stderr)
        return 127

    def forward(signum: int, frame: object) -> None:
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        while True:
            try:
                returncode = process.wait()
                break
            except KeyboardInterrupt:
                # The terminal sent SIGINT to the command too: let it finish its own way.
                continue
    finally:
        signal.signal(signal.SIGTERM, previous)
    return returncode if returncode >= 0 else 128 - returncode


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m devtools.mongod``."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.mongod",
        description=f"A throwaway MongoDB {MONGOD_VERSION} replica set for development.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("fetch", help="download and cache the mongod binary; print its path")
    run = actions.add_parser(
        "run",
        help="run a command with MONGODB_URI pointing at a throwaway replica set",
        description="Start a replica set (unless MONGODB_URI is set), run COMMAND with "
        "MONGODB_URI set to it, stop the set and exit with the command's exit code.",
    )
    run.add_argument("--members", type=int, default=1, help="number of members (default 1)")
    run.add_argument("--name", default="rs0", help="replica set name (default rs0)")
    run.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    arguments = parser.parse_args(argv)

    try:
        if arguments.action == "fetch":
            print(ensure_mongod())
            return 0
        command = list(arguments.command)
        if command and command[0] == "--":
            command = command[1:]
        if not command:
            run.error("a command is required after --")
        if os.environ.get("MONGODB_URI"):
            return _run_command(command, os.environ)
        with ReplicaSet(arguments.members, arguments.name) as replica_set:
            return _run_command(command, {**os.environ, "MONGODB_URI": replica_set.uri})
    except MongodError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
