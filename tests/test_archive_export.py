"""Exporting the archive: JSONL, CSV (spreadsheet-safe), Parquet, compression, pandas round trips."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pandas as pd
import pytest
import zstandard

from scraper import Archive
from scraper.exceptions import UsageError
from scraper.fingerprint import content_hash, simhash
from scraper.items import EXPORT_FIELDS, Article

BODY_1 = (
    'Paragraf pertama, dengan koma dan "kutipan".\n\nParagraf kedua:\tsetelah tab; lalu selesai.'
)
BODY_2 = "Samsung mengumumkan peluncuran Galaxy terbaru.\nHarga mulai Rp10 juta."


def rich(url: str, body: str, **kw) -> Article:
    values = {
        "title": '=HYPERLINK("http://jahat.example","klik")',
        "canonical_url": url,
        "site": "teknokita",
        "description": "-10% diskon untuk pembaca, kata @teknokita",
        "breadcrumbs": ["Home", "Berita Viral", "Gadget"],
        "section": "Gadget",
        "tags": ["xiaomi", "kamera"],
        "authors": ["Budi Santoso", "Sari Dewi"],
        "agency": ["Antara"],
        "published_at": "2025-03-04T10:15:00+07:00",
        "modified_at": "2025-03-05T08:00:00+08:00",
        "language": "id",
        "image": "https://teknokita.id/img/a.jpg",
        "headings": [{"level": 2, "text": "Spesifikasi"}, {"level": 3, "text": "Kamera"}],
        "lists": [
            {
                "ordered": True,
                "items": [
                    {"text": "Layar 6,7 inci", "children": []},
                    {"text": "Kamera", "children": [{"text": "Utama 50 MP", "children": []}]},
                ],
            }
        ],
        "links": [{"text": "situs resmi", "url": "https://mi.example/", "internal": False}],
        "related": [
            {
                "title": "Baca juga: Xiaomi 14",
                "url": "https://teknokita.id/x14/",
                "kind": "baca_juga",
            }
        ],
        "word_count": len(body.split()),
        "fetched_at": "2025-03-04T04:00:00+00:00",
    }
    values.update(kw)
    return Article(
        url=url + "?utm_source=x",
        body_text=body,
        content_hash=content_hash(body),
        simhash=simhash(body),
        **values,
    )


ARTICLES = [
    rich("https://teknokita.id/2025/03/xiaomi/", BODY_1),
    rich(
        "https://gadgetin.id/2025/03/samsung/",
        BODY_2,
        title="Samsung Galaxy baru",
        site="gadgetin",
        description=None,
        modified_at=None,
        tags=[],
        lists=[],
        duplicate_of="https://teknokita.id/2025/03/xiaomi/",
        published_at="2025-01-10T09:00:00+09:00",
    ),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    with Archive(tmp_path_factory.mktemp("export") / "archive.db") as arc:
        arc.save_batch(ARTICLES)
        yield arc


def expected():
    return [a.to_dict() for a in ARTICLES]


def test_jsonl_has_every_field_in_order(archive):
    buf = io.BytesIO()
    assert archive.export("jsonl", buf) == 2
    lines = buf.getvalue().decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [list(r) for r in records] == [list(EXPORT_FIELDS)] * 2
    assert records == expected()


def test_jsonl_field_subset_and_filters(archive):
    buf = io.BytesIO()
    assert archive.export("jsonl", buf, fields=["title", "url", "authors"], site="gadgetin") == 1
    [record] = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert list(record) == ["title", "url", "authors"]
    assert record["title"] == "Samsung Galaxy baru"


def test_export_with_a_query(archive):
    buf = io.BytesIO()
    assert archive.export("jsonl", buf, query="luncurkan", fields=["canonical_url"]) == 1
    assert json.loads(buf.getvalue())["canonical_url"] == "https://gadgetin.id/2025/03/samsung/"


def test_csv_neutralises_formulas_by_default(archive):
    buf = io.BytesIO()
    archive.export("csv", buf, fields=["title", "description", "body_text", "word_count"])
    rows = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8"), newline="")))
    assert rows[0] == ["title", "description", "body_text", "word_count"]
    assert rows[1][0] == '\'=HYPERLINK("http://jahat.example","klik")'
    assert rows[1][1] == "'-10% diskon untuk pembaca, kata @teknokita"
    assert rows[1][2] == BODY_1  # multi-line, quoted cell read back whole
    assert rows[2][0] == "Samsung Galaxy baru"


def test_csv_raw_keeps_cells_as_they_are_and_rows_end_in_crlf(archive):
    buf = io.BytesIO()
    archive.export("csv", buf, fields=["title", "description"], raw=True)
    data = buf.getvalue()
    assert data.startswith(b"title,description\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows[1][0].startswith("=HYPERLINK")


def test_csv_excel_adds_a_bom(archive):
    plain, excel = io.BytesIO(), io.BytesIO()
    archive.export("csv", plain, fields=["title"])
    archive.export("csv", excel, fields=["title"], excel=True)
    assert not plain.getvalue().startswith(b"\xef\xbb\xbf")
    assert excel.getvalue() == b"\xef\xbb\xbf" + plain.getvalue()


def test_pandas_reads_jsonl_back_with_every_field(archive, tmp_path):
    path = tmp_path / "out.jsonl"
    archive.export("jsonl", str(path))
    frame = pd.read_json(path, lines=True, dtype=False)
    assert list(frame.columns) == list(EXPORT_FIELDS)
    got = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    assert got == expected()


def test_pandas_reads_csv_back_with_every_field(archive, tmp_path):
    path = tmp_path / "out.csv"
    archive.export("csv", str(path), raw=True)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(EXPORT_FIELDS)
    for row, want in zip(frame.to_dict(orient="records"), expected(), strict=True):
        for name in EXPORT_FIELDS:
            cell = row[name]
            if isinstance(want[name], list):
                assert json.loads(cell) == want[name], name
            elif isinstance(want[name], int):
                assert int(cell) == want[name]
            else:
                assert cell == (want[name] or ""), name


def test_pandas_reads_parquet_back_with_types(archive, tmp_path):
    path = tmp_path / "out.parquet"
    assert archive.export("parquet", str(path)) == 2
    frame = pd.read_parquet(path)
    assert list(frame.columns) == list(EXPORT_FIELDS)
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    for row, want in zip(frame.to_dict(orient="records"), expected(), strict=True):
        for name in EXPORT_FIELDS:
            value = row[name]
            if name in ("published_at", "modified_at", "fetched_at"):
                assert (pd.isna(value) and want[name] is None) or value == pd.Timestamp(want[name])
            elif name == "lists":
                assert [json.loads(block) for block in value] == want[name]
            elif isinstance(want[name], list):
                assert [dict(v) if isinstance(v, dict) else v for v in value] == want[name], name
            elif want[name] is None:
                assert pd.isna(value), name
            else:
                assert value == want[name], name


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".csv.zst"])
def test_compression_follows_the_extension(archive, tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    fmt = "jsonl" if "jsonl" in suffix else "csv"
    assert archive.export(fmt, str(path)) == 2
    data = path.read_bytes()
    if suffix.endswith(".gz"):
        text = gzip.decompress(data).decode()
    else:
        text = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read().decode()
    assert "Samsung Galaxy baru" in text


def test_progress_is_reported_with_the_running_count(archive):
    seen = []
    archive.export("jsonl", io.BytesIO(), progress=seen.append)
    assert seen and seen[-1] == 2


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda a, out: a.export("xml", out), "Unknown export format"),
        (lambda a, out: a.export("csv", out, fields=["title", "nope"]), "Unknown field 'nope'"),
        (lambda a, out: a.export("jsonl", out, since="31-01-2025"), "not a valid date"),
        (lambda a, out: a.export("jsonl", "/nonexistent-dir/out.jsonl"), "Cannot write"),
    ],
)
def test_bad_export_requests_are_usage_errors(archive, call, message):
    with pytest.raises(UsageError, match=message):
        call(archive, io.BytesIO())


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_portable_path_writes_what_the_sqlite_path_writes(archive, fmt):
    # Databases other than SQLite build records in Python; the file must not differ.
    from scraper.archive import export as export_module
    from scraper.archive.records import JSON_FIELDS

    fast, portable = io.BytesIO(), io.BytesIO()
    archive.export(fmt, fast)
    export_module._export_portable(
        archive.engine, fmt, portable, EXPORT_FIELDS, False, False, None, True, None, {}
    )

    def parse(data: bytes) -> list:
        if fmt == "jsonl":
            return [json.loads(line) for line in data.splitlines()]
        header, *rows = csv.reader(io.StringIO(data.decode(), newline=""))
        # JSON cells may differ in spacing only: compare them decoded.
        return [
            [
                json.loads(c) if name in JSON_FIELDS else c
                for name, c in zip(header, row, strict=True)
            ]
            for row in rows
        ]

    assert parse(portable.getvalue()) == parse(fast.getvalue())


@pytest.mark.parametrize("cell", [" =HYPERLINK(1)", "＝1+1", "＋62 812", "－5", "＠user"])
def test_formula_guard_looks_past_spaces_and_full_width_signs(cell):
    from scraper.archive.export import neutralise

    assert neutralise(cell) == "'" + cell
    assert neutralise("Harga turun 5%") == "Harga turun 5%"
