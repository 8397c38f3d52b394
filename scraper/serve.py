"""`arsip serve`: the archive in Datasette, read-only, with search and canned queries."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from scraper.exceptions import UsageError


def datasette_command(db: str, metadata_path: Path, *, host: str, port: int) -> list[str]:
    """The datasette invocation; UsageError when the optional extra is missing."""
    if "://" in db:
        raise UsageError("arsip serve works on an SQLite archive file, not a database URL.")
    if not Path(db).is_file():
        raise UsageError(f"no archive at {db}: crawl first (arsip crawl) or pass --db.")
    exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or shutil.which(
        "datasette"
    )
    if exe is None:
        raise UsageError("Datasette is not installed: pip install 'arsip[serve]'.")
    return [
        exe,
        "serve",
        str(Path(db).resolve()),
        "--metadata",
        str(metadata_path),
        "--host",
        host,
        "--port",
        str(port),
        # No writes from the web UI; SQL is limited to what Datasette allows (SELECT).
        "--setting",
        "allow_download",
        "off",
    ]


def serve(db: str, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette in the foreground until interrupted; its exit code."""
    from scraper.archive import Archive
    from scraper.archive.views import datasette_metadata

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "metadata.json"
        command = datasette_command(db, path, host=host, port=port)  # checks before touching db
        with Archive(db):  # brings views and FTS up to date on an older archive
            pass
        path.write_text(json.dumps(datasette_metadata(Path(db).stem)), encoding="utf-8")
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0
