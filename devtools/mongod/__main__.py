"""``python -m devtools.mongod``: runs :func:`devtools.mongod.cli.main`."""

from __future__ import annotations

import sys

from devtools.mongod.cli import main

if __name__ == "__main__":
    sys.exit(main())
