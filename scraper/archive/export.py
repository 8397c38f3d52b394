"""Streaming export to JSONL, CSV and Parquet, compressed by the output's extension."""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, Text, func, type_coerce

from scraper.archive.models import articles
from scraper.archive.reading import STREAM_BATCH, check_fields, records_query
from scraper.archive.records import JSON_FIELDS, row_record
from scraper.exceptions import UsageError
from scraper.files import atomic_write, write_failure
from scraper.safe_text import csv_cell
from scraper.safe_text import neutralise as neutralise  # where tests and users import it from

logger = logging.getLogger(__name__)

FORMATS = ("jsonl", "csv", "parquet")

DATETIME_FIELDS = frozenset({"first_seen", "last_seen"})

Progress = Callable[[int], None]


#: Output suffix -> format (before any .gz/.zst).
SUFFIX_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
}


def infer_format(output: str, fmt: str | None, *, to_terminal: bool = False) -> str:
    """The export format: --format, else the output's suffix (.jsonl, .csv,
    .parquet, each optionally .gz/.zst); a mismatch between the two is an error."""
    inferred = None
    packed = False
    if output != "-":
        name = Path(output).name.lower()
        for suffix in (".gz", ".zst"):
            packed = packed or name.endswith(suffix)
            name = name.removesuffix(suffix)
        inferred = SUFFIX_FORMATS.get(Path(name).suffix)
        if fmt and inferred and fmt != inferred:
            raise UsageError(
                f"--format {fmt} does not match {output} (a .{inferred} name): change one of them."
            )
        if not fmt and not inferred:
            raise UsageError(
                f"Cannot tell the format from the name {output}: use a .jsonl, .csv, "
                f".parquet or .db name, or give --format."
            )
    chosen = fmt or inferred or "jsonl"
    if chosen in ("parquet", "sqlite") and packed:
        raise UsageError(f"{chosen} files are not .gz/.zst compressed: drop that extension.")
    if chosen == "parquet" and output == "-" and to_terminal:
        raise UsageError("Parquet is binary: write it to a file (-o FILE.parquet) or a pipe.")
    return chosen


@contextlib.contextmanager
def open_output(out: IO[bytes] | str | Path) -> Iterator[IO[bytes]]:
    """A binary stream for a path ("-" = stdout; .gz/.zst compress) or a given stream.

    A path is written to a temporary file renamed into place at the end
    (scraper.files.atomic_write): a failed export leaves nothing half-written.
    """
    if not isinstance(out, str | Path):
        yield out
        return
    if str(out) == "-":
        try:
            yield sys.stdout.buffer
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise write_failure("stdout", exc) from None
        return
    path = Path(out)
    compressor = None
    if path.suffix == ".zst":
        try:
            import zstandard
        except ImportError:
            raise UsageError("Writing .zst files needs zstandard: pip install zstandard.") from None
        compressor = zstandard.ZstdCompressor(level=3)
    with atomic_write(path) as raw:
        if path.suffix == ".gz":
            with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as stream:
                yield stream
        elif compressor is not None:
            with compressor.stream_writer(raw, closefd=False) as stream:
                yield stream
        else:
            yield raw


def export(
    engine: Engine,
    fmt: str,
    out: IO[bytes] | str | Path,
    *,
    fields: Sequence[str] | None = None,
    excel: bool = False,
    raw: bool = False,
    query: str | None = None,
    stemmed: bool = True,
    progress: Progress | None = None,
    **filters: Any,
) -> int:
    """Write the selected records to `out`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    names = check_fields(fields)
    if fmt == "parquet":
        from scraper.archive.parquet import write_parquet

        if isinstance(out, str | Path) and Path(out).suffix in (".gz", ".zst"):
            raise UsageError("Parquet files compress themselves: drop the .gz/.zst extension.")
        q = records_query(names, query=query, stemmed=stemmed, **filters)
        with engine.connect() as conn, open_output(out) as stream:
            rows = conn.execution_options(yield_per=STREAM_BATCH).execute(q)
            return write_parquet(rows.partitions(), names, stream, progress)
    if engine.dialect.name != "sqlite":
        return _export_portable(
            engine, fmt, out, names, excel, raw, query, stemmed, progress, filters
        )
    columns = _jsonl_columns(names) if fmt == "jsonl" else _raw_columns(names)
    q = records_query(names, query=query, stemmed=stemmed, columns=columns, **filters)
    with engine.connect() as conn, open_output(out) as stream:
        rows = conn.execution_options(yield_per=STREAM_BATCH).execute(q)
        if fmt == "jsonl":
            return _write_jsonl(rows.partitions(), stream, progress)
        return _write_csv(rows.partitions(), names, stream, progress, excel=excel, raw=raw)


def _column(name: str) -> Any:
    col = articles.c[name]
    if name in DATETIME_FIELDS:
        # Stored naive UTC; exported like every other date: ISO 8601 with offset.
        return func.strftime("%Y-%m-%dT%H:%M:%S+00:00", col).label(name)
    if name in JSON_FIELDS:
        # JSON columns as their stored text: no parse-and-dump per row.
        return type_coerce(col, Text).label(name)
    return col


def _raw_columns(names: tuple[str, ...]) -> list[Any]:
    return [_column(n) for n in names]


def _jsonl_columns(names: tuple[str, ...]) -> list[Any]:
    # SQLite builds each line itself (json_object, in C): export runs near the
    # speed of the sqlite3 shell instead of paying Python's json per field.
    args: list[Any] = []
    for n in names:
        col = _column(n)
        if n in JSON_FIELDS:
            col = func.json(func.coalesce(col, "[]"))
        args.extend([n, col])
    return [func.json_object(*args).label("line")]


def _export_portable(
    engine: Engine,
    fmt: str,
    out: IO[bytes] | str | Path,
    names: tuple[str, ...],
    excel: bool,
    raw: bool,
    query: str | None,
    stemmed: bool,
    progress: Progress | None,
    filters: dict[str, Any],
) -> int:
    """Any other database: records built in Python (slower, same output)."""
    q = records_query(names, query=query, stemmed=stemmed, **filters)

    def batches(result: Any) -> Iterator[list[Any]]:
        for part in result.partitions():
            records = [row_record(row, names) for row in part]
            if fmt == "jsonl":
                yield [(json.dumps(r, ensure_ascii=False),) for r in records]
            else:
                yield [
                    [
                        json.dumps(v, ensure_ascii=False) if n in JSON_FIELDS else v
                        for n, v in r.items()
                    ]
                    for r in records
                ]

    with engine.connect() as conn, open_output(out) as stream:
        result = conn.execution_options(yield_per=STREAM_BATCH).execute(q)
        if fmt == "jsonl":
            return _write_jsonl(batches(result), stream, progress)
        return _write_csv(batches(result), names, stream, progress, excel=excel, raw=raw)


def _write_jsonl(partitions: Any, stream: IO[bytes], progress: Progress | None) -> int:
    n = 0
    for part in partitions:
        stream.write(("\n".join([row[0] for row in part]) + "\n").encode("utf-8"))
        n += len(part)
        if progress:
            progress(n)
    return n


def _write_csv(
    partitions: Any,
    names: tuple[str, ...],
    stream: IO[bytes],
    progress: Progress | None,
    *,
    excel: bool,
    raw: bool,
) -> int:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig" if excel else "utf-8", newline="")
    try:
        writer = csv.writer(text)  # RFC 4180: CRLF rows, quotes doubled
        writer.writerow(names)
        n = 0
        for part in partitions:
            if raw:
                writer.writerows(part)
            else:
                writer.writerows([[csv_cell(v) for v in row] for row in part])
            n += len(part)
            if progress:
                progress(n)
        text.flush()
    finally:
        text.detach()  # the caller owns (and closes) the binary stream
    return n
