"""The throwaway MongoDB server used by the test suite, the examples and the benchmarks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from devtools import mongod
from devtools.mongod import MongodUnavailable, ReplicaSet, libraries

ROOT = Path(__file__).resolve().parents[2]

LDD_OUTPUT = """\
\tlinux-vdso.so.1 (0x00007ffd4b5f2000)
\tlibcurl.so.4 => not found
\tlibresolv.so.2 => /lib/x86_64-linux-gnu/libresolv.so.2 (0x00007f0c6b1e0000)
\tlibcrypto.so.3 => not found
\tlibssl.so.3 => not found
\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0c6b1d9000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0c6aff8000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007f0c6b213000)
"""


async def test_fixture_gives_a_writable_replica_set(mongodb_uri: str, pymongo_client: Any) -> None:
    hello = await pymongo_client.admin.command("hello")
    (set_name,) = parse_qs(urlsplit(mongodb_uri).query)["replicaSet"]
    assert hello["setName"] == set_name
    if "MONGODB_URI" not in os.environ:
        assert set_name == "rs0"
    assert hello["isWritablePrimary"] is True


async def test_pymongo_db_is_empty_and_writable(pymongo_db: Any) -> None:
    assert pymongo_db.name.startswith("test_")
    assert await pymongo_db.list_collection_names() == []
    await pymongo_db.things.insert_one({"_id": 1})
    assert await pymongo_db.things.count_documents({}) == 1


def test_ensure_mongod_returns_an_executable_binary() -> None:
    binary = mongod.ensure_mongod()
    assert binary.is_file()
    assert os.access(binary, os.X_OK)
    assert binary.parent == mongod.cache_dir()
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert f"db version v{mongod.MONGOD_VERSION}" in version


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(mongod.CACHE_ENV, str(tmp_path / "cache"))
    assert mongod.cache_dir() == tmp_path / "cache"
    monkeypatch.delenv(mongod.CACHE_ENV)
    assert mongod.cache_dir() == Path.home() / ".cache" / "aiomongodel" / "mongod-6.0.5"


def test_missing_libraries_are_read_from_ldd_output() -> None:
    assert mongod.missing_libraries(LDD_OUTPUT) == [
        "libcurl.so.4",
        "libcrypto.so.3",
        "libssl.so.3",
    ]
    assert mongod.missing_libraries(LDD_OUTPUT.replace("not found", "/usr/lib/x.so (0x1)")) == []


def test_missing_libraries_map_to_debian_packages() -> None:
    libraries = mongod.missing_libraries(LDD_OUTPUT + "\tlibfoo.so.7 => not found\n")
    assert mongod.debian_packages(libraries) == (["libcurl4", "libssl3"], ["libfoo.so.7"])


def test_missing_libraries_message_names_libraries_and_command() -> None:
    message = mongod.missing_libraries_message(
        "/cache/mongod", mongod.missing_libraries(LDD_OUTPUT)
    )
    assert "libcurl.so.4, libcrypto.so.3, libssl.so.3" in message
    assert (
        "apt-get update -qq && apt-get install -y --no-install-recommends libcurl4 libssl3"
        in message
    )


def test_unknown_library_is_named() -> None:
    message = mongod.missing_libraries_message("/cache/mongod", ["libfoo.so.7"])
    assert "libfoo.so.7" in message
    assert "apt-get" not in message


def test_ensure_shared_libraries_raises_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(libraries, "_ldd_missing", lambda binary: ["libcurl.so.4"])
    with pytest.raises(MongodUnavailable) as caught:
        mongod.ensure_shared_libraries(Path("/cache/mongod"))
    assert "libcurl.so.4" in str(caught.value)
    assert "apt-get install -y --no-install-recommends libcurl4" in str(caught.value)


def test_ensure_shared_libraries_accepts_the_installed_binary() -> None:
    mongod.ensure_shared_libraries(mongod.ensure_mongod())


def test_run_passes_an_existing_uri_and_the_exit_code(mongodb_uri: str) -> None:
    script = "import os, sys; print(os.environ['MONGODB_URI']); sys.exit(3)"
    result = subprocess.run(
        [sys.executable, "-m", "devtools.mongod", "run", "--", sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "MONGODB_URI": mongodb_uri},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 3
    assert result.stdout.strip() == mongodb_uri


def test_run_requires_a_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "devtools.mongod", "run", "--"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "command" in result.stderr


@pytest.mark.slow
def test_three_members_survive_the_loss_of_the_primary() -> None:
    import pymongo

    replica_set = ReplicaSet(
        3,
        name="rs-failover",
        settings={"electionTimeoutMillis": 2000, "heartbeatIntervalMillis": 500},
    )
    with replica_set:
        directory = replica_set.directory
        assert len(replica_set.hosts) == 3
        assert replica_set.uri.endswith("/?replicaSet=rs-failover")
        assert replica_set.primary_port() == replica_set.ports[0]
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
            replica_set.uri, w="majority"
        )
        with client:
            client.db.things.insert_one({"_id": 1})
            replica_set.kill(0)
            assert not replica_set.is_running(0)
            # A killed member leaves nothing behind in /tmp (it listens on TCP only).
            assert not Path(f"/tmp/mongodb-{replica_set.ports[0]}.sock").exists()
            new_primary = replica_set.wait_for_primary()
            assert new_primary in replica_set.ports[1:]
            client.db.things.insert_one({"_id": 2})
            replica_set.restart(0)
            assert replica_set.is_running(0)
            replica_set.terminate(replica_set.ports.index(replica_set.wait_for_primary()))
            replica_set.wait_for_primary()
            assert sorted(doc["_id"] for doc in client.db.things.find()) == [1, 2]
    assert not directory.exists()
    assert replica_set.ports == []
    replica_set.stop()
