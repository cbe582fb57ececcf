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
    """Files at ``root/ab/abcdef...`` (256 folders); writes are atomic (temp file + rename)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._dirs: set[Path] = set()
        self._unsynced = False  # blobs written with sync=False since the last sync()

    def path_for(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise StoreError(f"not a blob key: {key!r}")
        return self.root / key[:2] / key

    def put(self, data: bytes, *, sync: bool = True) -> str:
        """Store bytes under their SHA-256. With ``sync=False`` the caller batches durability
        with ``sync()`` before committing rows that point at the blob."""
        key = sha256_hex(data)
        path = self.path_for(key)
        if path.exists() and path.stat().st_size == len(data):
            return key
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if sync:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.chmod(tmp, 0o444)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if not sync:
            self._unsynced = True
        return key

    def sync(self) -> None:
        """Make blobs written with ``sync=False`` durable (one flush for a whole batch)."""
        if self._unsynced:
            os.sync()
            self._unsynced = False

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
