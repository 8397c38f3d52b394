"""Helpers for tests that run the real `arsip` command and read a real archive."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scraper.archive import Archive
from scraper.items import Article

ROOT = Path(__file__).resolve().parents[1]


def arsip(
    *args: str, db: Path | None = None, check: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scraper.cli", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}: {proc.stderr}")
    return proc


def write_sites(path: Path, url: str) -> Path:
    """A sites file naming one site by name and start URL only."""
    path.write_text(f'[sites.kabargawai]\nname = "Kabar Gawai"\nstart_urls = ["{url}/"]\n')
    return path


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int = 2) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def make_article(n: int, site: str, title: str, body: str, **kw) -> Article:
    url = f"https://{site}.example/berita/{n}/"
    return Article(
        url=url,
        canonical_url=url,
        site=site,
        title=title,
        body_text=body,
        published_at=kw.pop("published_at", f"2026-01-{n:02d}T10:00:00+07:00"),
        authors=kw.pop("authors", ["Rina Wulandari"]),
        headings=kw.pop("headings", []),
        breadcrumbs=["Home", "Berita Viral"],
        word_count=len(body.split()),
        content_hash=f"hash-{n}",
        fetched_at="2026-11-25T10:00:00+00:00",
        **kw,
    )


def build_archive_db(db: Path) -> Path:
    """An archive of three articles on two sites, one with a formula-like body."""
    articles = [
        make_article(
            1,
            "teknokita",
            "Xiaomi dan Leica Perpanjang Kemitraan",
            "Apa Artinya bagi Pengguna\n\nXiaomi memastikan kerja sama dengan Leica berlanjut.",
            headings=[{"level": 2, "text": "Apa Artinya bagi Pengguna"}],
        ),
        make_article(
            2, "teknokita", "Harga Ponsel Lipat Turun", "=SUM(A1) harga ponsel lipat turun."
        ),
        make_article(
            3, "gawaiku", "Samsung Rilis Tablet Baru", "Samsung merilis tablet untuk pelajar."
        ),
    ]
    with Archive(str(db)) as archive:
        archive.save_batch(articles)
    return db
