"""Content-addressed blob store for evidence: bytes are stored once under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from rasad.errors import StoreError


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Files at ``root/ab/cd/abcdef...``; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise StoreError(f"not a blob key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> str:
        key = sha256_hex(data)
        path = self.path_for(key)
        if path.exists() and path.stat().st_size == len(data):
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        path = self.path_for(key)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise StoreError(f"blob {key} is missing from {self.root}") from exc

    def exists(self, key: str) -> bool:
        return self.path_for(key).exists()

    def verify(self, key: str) -> bool:
        """True when the stored bytes still hash to their key (evidence integrity check)."""
        return sha256_hex(self.get(key)) == key
