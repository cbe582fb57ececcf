"""The single settings object.

Settings come from, in increasing priority: defaults, ``$RASAD_HOME/rasad.toml``,
environment variables (``RASAD_*``), and explicit overrides (e.g. the CLI's ``--db``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from rasad.errors import ConfigError


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _flag(value: str) -> bool:
    return value.lower() not in ("0", "false", "no")


def _auto_flag(value: object) -> bool | None:
    """true / false, or None for "auto" (decided at run time)."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word == "auto":
        return None
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("use true, false or auto")


@dataclass(frozen=True)
class Settings:
    home: Path = Path(".rasad")
    db: str = ""  # SQLAlchemy URL; empty means SQLite file in home
    # search backend: "auto" = tantivy beside SQLite, PostgreSQL full-text on PostgreSQL
    search_backend: str = "auto"
    # fetching
    user_agent: str = "Rasad/0.1 (+https://github.com/rasad-monitor/rasad; media monitoring)"
    fetch_timeout: float = 20.0
    max_body_bytes: int = 50 * 1024 * 1024
    max_file_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 5
    rate_limit_seconds: float = 1.0  # minimum interval between requests to one host
    respect_robots: bool = True
    # SSRF guard: hosts or networks (CIDR) that may be fetched although private/loopback
    allow_private: tuple[str, ...] = field(default_factory=tuple)
    fetch_articles: bool = True  # follow feed entry links to fetch the full article
    extract_on_ingest: bool = True  # run entity, statement, date, threat and relation extraction
    # web accounts: the key that signs session cookies (empty: generated once and kept in
    # $RASAD_HOME/secret_key); whether anonymous visitors may read the archive (None =
    # "auto": only while no user account exists, so a fresh install and the demo are
    # browsable and creating the first account closes them); whether to believe
    # X-Forwarded-Proto / X-Forwarded-For from a reverse proxy in front of `rasad serve`
    secret_key: str = field(default="", repr=False)
    public_read: bool | None = None
    trust_proxy: bool = False
    # where the web UI is reached from outside: links in alert messages and feeds
    base_url: str = "http://127.0.0.1:8000"
    # alerts: outgoing mail (rasad.alerts.email) and the delivery worker (rasad.alerts.worker)
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_from: str = ""
    alerts_poll_seconds: float = 30.0  # `rasad alerts deliver` looks for due messages this often
    alerts_lease_seconds: float = 300.0  # a claimed message is retried after this if its worker died
    alerts_max_attempts: int = 10
    alerts_retry_seconds: float = 60.0  # first retry; doubled each time ...
    alerts_retry_cap_seconds: float = 6 * 3600.0  # ... up to this
    alerts_daily_hour: int = 6  # daily digests go out at this hour, UTC

    @property
    def db_url(self) -> str:
        return self.db or f"sqlite:///{(self.home / 'rasad.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def sqlite_file(self) -> Path | None:
        """The database file when the database is a SQLite file, else None."""
        from sqlalchemy.engine import make_url

        try:
            url = make_url(self.db_url)
        except Exception:  # noqa: BLE001 - a bad URL is reported when the database opens
            return None
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database)
        return None

    @property
    def index_dir(self) -> Path:
        """The embedded search index lives beside its SQLite file (one index per database)."""
        db_file = self.sqlite_file
        return db_file.with_name(db_file.name + ".index") if db_file else self.home / "index"

    def with_overrides(self, **overrides: object) -> Settings:
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **clean)


_ENV = {
    "home": ("RASAD_HOME", Path),
    "db": ("RASAD_DB", str),
    "search_backend": ("RASAD_SEARCH_BACKEND", str),
    "user_agent": ("RASAD_USER_AGENT", str),
    "fetch_timeout": ("RASAD_FETCH_TIMEOUT", float),
    "max_body_bytes": ("RASAD_MAX_BODY_BYTES", int),
    "max_file_bytes": ("RASAD_MAX_FILE_BYTES", int),
    "max_redirects": ("RASAD_MAX_REDIRECTS", int),
    "rate_limit_seconds": ("RASAD_RATE_LIMIT", float),
    "respect_robots": ("RASAD_RESPECT_ROBOTS", _flag),
    "allow_private": ("RASAD_ALLOW_PRIVATE", _split),
    "fetch_articles": ("RASAD_FETCH_ARTICLES", _flag),
    "extract_on_ingest": ("RASAD_EXTRACT", _flag),
    "secret_key": ("RASAD_SECRET_KEY", str),
    "public_read": ("RASAD_PUBLIC_READ", _auto_flag),
    "trust_proxy": ("RASAD_TRUST_PROXY", _flag),
    "base_url": ("RASAD_BASE_URL", str),
    "smtp_host": ("RASAD_SMTP_HOST", str),
    "smtp_port": ("RASAD_SMTP_PORT", int),
    "smtp_starttls": ("RASAD_SMTP_STARTTLS", _flag),
    "smtp_user": ("RASAD_SMTP_USER", str),
    "smtp_password": ("RASAD_SMTP_PASSWORD", str),
    "smtp_from": ("RASAD_SMTP_FROM", str),
    "alerts_poll_seconds": ("RASAD_ALERTS_POLL", float),
    "alerts_lease_seconds": ("RASAD_ALERTS_LEASE", float),
    "alerts_max_attempts": ("RASAD_ALERTS_MAX_ATTEMPTS", int),
    "alerts_retry_seconds": ("RASAD_ALERTS_RETRY", float),
    "alerts_retry_cap_seconds": ("RASAD_ALERTS_RETRY_CAP", float),
    "alerts_daily_hour": ("RASAD_ALERTS_DAILY_HOUR", int),
}


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("RASAD_HOME", ".rasad"))
    values: dict[str, object] = {}
    toml_path = home / "rasad.toml"
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{toml_path}: not valid TOML ({exc})") from exc
        known = {f.name for f in fields(Settings)}
        for key, value in data.items():
            if key not in known:
                raise ConfigError(f"{toml_path}: unknown setting {key!r}")
            if key == "allow_private" and isinstance(value, list):
                value = tuple(value)
            if key == "home":
                value = Path(value)
            if key == "public_read":
                try:
                    value = _auto_flag(value)
                except ValueError as exc:
                    raise ConfigError(f"{toml_path}: public_read: {exc}") from exc
            values[key] = value
    for name, (var, conv) in _ENV.items():
        if var in env and env[var] != "":
            try:
                values[name] = conv(env[var])
            except ValueError as exc:
                raise ConfigError(f"{var}={env[var]!r} is not valid ({exc})") from exc
    settings = Settings(**values)  # type: ignore[arg-type]
    return settings.with_overrides(**overrides)
