"""What every `rasad` command shares: consoles, the --json option, the lazily opened context."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console

from rasad.config import Settings

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


class Context:
    """Settings plus a lazily opened database and search backend."""

    def __init__(self, settings: Settings, debug: bool):
        self.settings = settings
        self.debug = debug
        self._db = None
        self._backend = None

    @property
    def db(self):
        if self._db is None:
            from rasad.store.db import Database

            self._db = Database(self.settings.db_url)
        return self._db

    @property
    def backend(self):
        if self._backend is None:
            from rasad.search.service import open_backend

            self._backend = open_backend(self.settings, self.db)
        return self._backend

    def ingester(self):
        from rasad.pipeline.ingest import Ingester

        return Ingester(self.settings, self.db, self.backend)


def _ctx(ctx: typer.Context) -> Context:
    return ctx.ensure_object(Context)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


