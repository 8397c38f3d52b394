"""Extract saved pages from disk (`arsip extract`): reading, decompressing, base URLs."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from scraper.exceptions import UsageError
from scraper.extract import extract

#: Largest page `arsip extract` unpacks; real pages are well under 5 MB.
MAX_PAGE_BYTES = 64 * 2**20

# The page's own idea of its address, used as the base URL when none is given:
# relative links and "internal" need a real host, not a file path.
_CANONICAL = re.compile(
    rb"""<link[^>]+rel=["']?canonical["']?[^>]*href=["']([^"'>\s]+)"""
    rb"""|<link[^>]+href=["']([^"'>\s]+)["'][^>]*rel=["']?canonical"""
    rb"""|<meta[^>]+property=["']og:url["'][^>]*content=["']([^"'>\s]+)""",
    re.I,
)


def read_page(path: str | Path) -> bytes:
    """The page's bytes, gunzipped when it is a .gz file; UsageError when unreadable."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a saved page.") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}.") from None
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            page = gz.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise UsageError(f"{path} is not a valid gzip file ({exc}).") from None
    if len(page) > MAX_PAGE_BYTES:
        # A page this size is a decompression bomb, not an article.
        raise UsageError(f"{path} unpacks to more than {MAX_PAGE_BYTES // 2**20} MB.")
    return page


def guess_url(data: bytes, path: str | Path) -> str:
    """The page's canonical/og:url when it states one, else its file:// URI."""
    match = _CANONICAL.search(data[:200_000])
    if match:
        found = next(g for g in match.groups() if g)
        url = found.decode("utf-8", "ignore").strip()
        if url.startswith(("http://", "https://")):
            return url
    return Path(path).resolve().as_uri()


def parse_fetched_at(value: str) -> datetime:
    """An ISO 8601 moment with an offset ("2026-01-20T09:00:00+07:00", "...Z")."""
    try:
        when = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise UsageError(
            f"--fetched-at takes an ISO 8601 time such as 2026-01-20T09:00:00+07:00, got {value!r}."
        ) from None
    if when.tzinfo is None:
        raise UsageError(
            f"--fetched-at needs a time zone offset (e.g. {value.strip()}+07:00 or Z), "
            f"got {value!r}."
        )
    return when


def extract_files(
    paths: Iterable[str], *, url: str | None = None, fetched_at: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """One record per file, with `source` = the path as given; `fetched_at`: when the
    pages were fetched (relative dates count from it), else now."""
    paths = list(paths)
    for path in paths:  # fail before printing anything when a file is missing
        if not Path(path).is_file():
            read_page(path)
    for path in paths:
        data = read_page(path)
        result = extract(data, url or guess_url(data, path), fetched_at=fetched_at)
        yield {"source": path, "kind": result.kind, **result.to_dict()}
