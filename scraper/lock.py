"""One crawl per archive: an OS file lock beside the archive, and who holds it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from scraper.exceptions import ArchiveError, ArchiveLocked

logger = logging.getLogger(__name__)


def lock_path(db: str) -> Path:
    """`<db>.lock` for an SQLite path or sqlite:/// URL; a per-URL file in the
    temp directory for a server database (its URL has no file to sit beside)."""
    if "://" not in db:
        return Path(f"{db}.lock")
    if db.startswith("sqlite:///") and len(db) > len("sqlite:///"):
        return Path(f"{db[len('sqlite:///') :].split('?', 1)[0]}.lock")
    digest = hashlib.sha1(db.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"arsip-{digest}.lock"


class ArchiveLock:
    """A non-blocking exclusive lock (fcntl/msvcrt via filelock), released by
    the OS on any exit, kill -9 included. The holder's pid and start time go in
    a sidecar file, because a contender cannot read the locked file portably."""

    def __init__(self, db: str) -> None:
        self.path = lock_path(db)
        self.info_path = self.path.with_name(self.path.name + ".info")
        self._lock = FileLock(str(self.path), timeout=0)

    def holder(self) -> dict:
        """What the sidecar says about the current holder ({} if unknown)."""
        try:
            return json.loads(self.info_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def acquire(self) -> ArchiveLock:
        try:
            self._lock.acquire()
        except Timeout:
            info = self.holder()
            since = info.get("started", "an unknown time")
            pid = info.get("pid", "unknown")
            raise ArchiveLocked(
                f"Another crawl (pid {pid}) has held {self.path} since {since}; not starting a second one."
            ) from None
        except OSError as exc:
            raise ArchiveError(
                f"Cannot create the lock file {self.path} ({exc.strerror})."
            ) from None
        info = {"pid": os.getpid(), "started": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            self.info_path.write_text(json.dumps(info), encoding="utf-8")
        except OSError:
            logger.warning(
                "cannot write %s; contenders will not see who holds the lock", self.info_path
            )
        return self

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self.info_path.unlink(missing_ok=True)
            self._lock.release()

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def crawl_running(db: str) -> bool | None:
    """Whether an arsip crawl holds the archive's lock now, from the holder's
    sidecar and whether its process is alive (the sidecar of a crawl killed
    with -9 stays behind). None for a server database: its locks are there."""
    if "://" in db and not db.startswith("sqlite:///"):
        return None
    pid = ArchiveLock(db).holder().get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    except OSError:
        return False
    return True
