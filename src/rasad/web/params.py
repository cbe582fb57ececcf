"""Path parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# a database row id: a positive 64-bit integer. Anything larger cannot name a row (and would
# overflow SQLite's and PostgreSQL's integers): it is refused as bad input, not a server error
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
