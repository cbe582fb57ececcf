"""The key that signs session cookies: RASAD_SECRET_KEY, or one generated on first use
and kept in $RASAD_HOME/secret_key (mode 0600), so that sessions outlive a restart."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from rasad.config import Settings
from rasad.errors import ConfigError

MIN_LENGTH = 32


def secret_key_file(settings: Settings) -> Path:
    return settings.home / "secret_key"


def load_secret_key(settings: Settings) -> str:
    if settings.secret_key:
        if len(settings.secret_key) < MIN_LENGTH:
            raise ConfigError(f"RASAD_SECRET_KEY is too short: use at least {MIN_LENGTH} "
                              "random characters (e.g. python -c 'import secrets; "
                              "print(secrets.token_urlsafe(48))')")
        return settings.secret_key
    path = secret_key_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create(path)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_LENGTH:
        raise ConfigError(f"{path}: the secret key is empty or too short; delete the file to "
                          "generate a new one (everyone will have to log in again)")
    return key


def _create(path: Path) -> None:
    """Write the key to a private temporary file and link it into place: of two processes
    starting at once, one wins and both read the same complete key."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)
