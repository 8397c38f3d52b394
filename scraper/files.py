"""Writing files safely: never over the archive or its companions, never half-written.

`check_not_archive(path, db)` refuses an output (export, log file, chart)
that resolves to the archive, its SQLite `-wal`/`-shm`/`-journal`, the crawl
lock or the frontier: writing there would destroy the archive or its
committed transactions. `atomic_write(path)` writes to a temporary file beside
the target and renames it at the end, so a failed write leaves nothing
half-written and an existing file untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from scraper.exceptions import ArsipError, UsageError

#: Files beside `<db>` that belong to the archive (SQLite's, the crawl's).
COMPANION_SUFFIXES = ("", "-wal", "-shm", "-journal")


class WriteFailure(ArsipError):
    """An output file could not be written (disk full, I/O error): a runtime failure."""

    exit_code = 1


def archive_file(db: str) -> Path | None:
    """The archive's file for a path or an sqlite:/// URL; None for other databases."""
    if db.startswith("sqlite:///"):
        db = db[len("sqlite:///") :].split("?", 1)[0]
    elif "://" in db:
        return None
    if db in ("", ":memory:"):
        return None
    return Path(db).expanduser()


def companions(db: str) -> list[Path]:
    """The archive file and every companion file it may have."""
    from scraper.lock import lock_path

    base = archive_file(db)
    paths = [Path(f"{base}{suffix}") for suffix in COMPANION_SUFFIXES] if base else []
    # The crawl's lock, its holder's note and the frontier sit beside the lock
    # (in the temp folder for a server database).
    lock = lock_path(db)
    stem = lock.name.removesuffix(".lock")
    return [
        *paths,
        lock,
        lock.with_name(lock.name + ".info"),
        lock.with_name(stem + ".frontier.json"),
    ]


def check_not_archive(output: str | Path, db: str, *, what: str = "the output") -> None:
    """UsageError when `output` is (a link to, a path through `./` or `..` to) the
    archive or one of its companions."""
    target = Path(output).expanduser()
    real = os.path.realpath(target)
    for path in companions(db):
        same = real == os.path.realpath(path)
        if not same and target.exists() and path.exists():
            with contextlib.suppress(OSError):
                same = os.path.samefile(target, path)  # a hard link
        if same:
            kind = "" if path == archive_file(db) else f" (its {path.name})"
            raise UsageError(
                f"Refusing to write {what} to {output}: that is the archive {db}{kind}; "
                f"choose another file."
            )


def check_folder(path: str | Path) -> None:
    """UsageError when the file's folder does not exist (before any work starts)."""
    parent = Path(path).expanduser().parent
    if not parent.is_dir():
        raise UsageError(f"Cannot write {path}: folder {parent} does not exist.")


def _is_special(path: Path) -> bool:
    """A device, FIFO or socket (/dev/stdout, /dev/full, a named pipe): written in place."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)


@contextlib.contextmanager
def atomic_write(path: str | Path) -> Iterator[IO[bytes]]:
    """A binary stream whose contents replace `path` only when the block succeeds.

    Any error (disk full, an exception from the caller) removes the temporary
    file and leaves `path` as it was. OSError becomes WriteFailure (exit 1).
    """
    target = Path(path).expanduser()
    check_folder(target)
    if _is_special(target):
        try:
            with open(target, "wb") as stream:
                yield stream
        except OSError as exc:
            raise write_failure(path, exc) from None
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise write_failure(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes 0600; give the file what a plain open() would have.
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_failure(path, exc) from None
        raise


def write_failure(path: str | Path, exc: OSError) -> ArsipError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError | FileNotFoundError | IsADirectoryError):
        return UsageError(f"Cannot write {path}: {reason}.")
    return WriteFailure(f"Cannot write {path}: {reason}.")
