"""Parquet export with real types (tz-aware timestamps, list columns), one row group per batch."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import IO, Any

from scraper.archive.records import JSON_FIELDS, parse_iso
from scraper.exceptions import UsageError

TIMESTAMP_FIELDS = frozenset(
    {"published_at", "modified_at", "fetched_at", "first_seen", "last_seen"}
)


def _schema(pa: Any, names: Sequence[str]) -> Any:
    text = pa.string()
    types = {
        "breadcrumbs": pa.list_(text),
        "tags": pa.list_(text),
        "authors": pa.list_(text),
        "agency": pa.list_(text),
        "headings": pa.list_(pa.struct([("level", pa.int16()), ("text", text)])),
        # Arrow has no recursive types: each list block (with nested children)
        # is kept whole as one JSON string.
        "lists": pa.list_(text),
        "links": pa.list_(pa.struct([("text", text), ("url", text), ("internal", pa.bool_())])),
        "related": pa.list_(pa.struct([("title", text), ("url", text), ("kind", text)])),
        "word_count": pa.int32(),
        "id": pa.int64(),
        "version": pa.int32(),
    }
    fields = []
    for name in names:
        if name in TIMESTAMP_FIELDS:
            fields.append(pa.field(name, pa.timestamp("us", tz="UTC")))
        else:
            fields.append(pa.field(name, types.get(name, text)))
    return pa.schema(fields)


def _convert(name: str, value: Any) -> Any:
    if name in TIMESTAMP_FIELDS:
        if value is None:
            return None
        if isinstance(value, str):
            parsed = parse_iso(value)
            return parsed.astimezone(UTC) if parsed else None
        return value.replace(tzinfo=UTC)  # stored naive UTC
    if name in JSON_FIELDS:
        items = value or []
        if name == "lists":
            return [json.dumps(block, ensure_ascii=False) for block in items]
        return items
    return value


def write_parquet(
    partitions: Iterable[Sequence[Any]], names: Sequence[str], stream: IO[bytes], progress: Any
) -> int:
    """Write row batches as row groups; memory holds one batch at a time."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError("Parquet export needs pyarrow: pip install 'arsip[parquet]'.") from None
    schema = _schema(pa, names)
    n = 0
    with pq.ParquetWriter(stream, schema, compression="zstd") as writer:
        for part in partitions:
            columns = {
                name: [_convert(name, row[i]) for row in part] for i, name in enumerate(names)
            }
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            n += len(part)
            if progress:
                progress(n)
    return n
