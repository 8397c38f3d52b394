"""Crawl benchmark: bare Scrapy link-following vs the full `arsip crawl` on one local site.

Generates a static site of N article pages (default 3,000) in ten categories
with pagination, serves it from a separate twisted.web process on 127.0.0.1,
then runs, each in its own process: a bare CrawlSpider that follows every link
and does nothing else; the full `arsip crawl` (extraction, pipelines, archive,
FTS) into a fresh archive; and the same `arsip crawl` again (incremental).
Reports pages/s, the full/bare ratio, peak RSS and the incremental time.

    .venv/bin/python bench/crawl.py [--articles 3000] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = 10
PER_PAGE = 20
CONCURRENCY = 16
_VOCABULARY = """
yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ada oleh karena sudah bisa
lebih masih telah harus hanya saat kata menurut tahun baru hari bulan pekan lalu kini nanti
pengguna ponsel baterai kamera layar prosesor jaringan operator sinyal aplikasi data keamanan
server internet harga pasar peluncuran fitur pembaruan sistem perangkat pabrikan konsumen
teknologi kecerdasan buatan satelit kabel serat optik kota desa pemerintah regulasi startup
investor pendanaan layanan digital pembayaran dompet transaksi toko daring gim konsol komputer
laptop tablet jam pintar mobil listrik pengisian daya energi surya riset kampus mahasiswa
peneliti perusahaan direktur menteri kementerian warga masyarakat sekolah guru siswa rumah
kantor jalan tol bandara pelabuhan kereta bus ojek pengemudi mitra pedagang pasar modal saham
rupiah dolar persen juta miliar triliun unit model seri versi generasi pertama kedua ketiga
terbaru terbesar tercepat murah mahal cepat lambat aman rentan bocor diretas dicuri diblokir
diluncurkan diumumkan dijual dibeli dipakai digunakan dikembangkan diproduksi dirakit diimpor
diekspor meningkat menurun naik turun tumbuh anjlok melonjak stabil target rencana strategi
kerja sama kemitraan akuisisi merger investasi ekspansi wilayah provinsi kabupaten pulau
jawa sumatra kalimantan sulawesi papua bali lombok jakarta bandung surabaya medan makassar
"""
WORDS = _VOCABULARY.split()

PAGE = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="{og}">{head}</head><body>
<header><nav>{nav}</nav></header><main>{main}</main>
<footer><p>Situs uji tolok ukur arsip.</p></footer></body></html>"""

BARE_SPIDER = textwrap.dedent(
    """
    import sys
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor
    from scrapy.spiders import CrawlSpider, Rule

    class Bare(CrawlSpider):
        name = "bare"
        allowed_domains = ["127.0.0.1"]
        start_urls = [sys.argv[1]]
        rules = (Rule(LinkExtractor(), callback="parse_item", follow=True),)

        def parse_item(self, response):
            self.crawler.stats.inc_value("bare/pages")

    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": True, "COOKIES_ENABLED": False,
        "CONCURRENT_REQUESTS": %(c)d, "CONCURRENT_REQUESTS_PER_DOMAIN": %(c)d,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    print("pages=%%d" %% crawler.stats.get_value("response_received_count", 0))
    """
)

SERVER = textwrap.dedent(
    """
    import sys
    from twisted.internet import reactor
    from twisted.web.server import Site
    from twisted.web.static import File
    site = Site(File(sys.argv[1]))
    site.log = lambda request: None
    reactor.listenTCP(int(sys.argv[2]), site, interface="127.0.0.1")
    reactor.run()
    """
)


SYLLABLES = [
    "ba",
    "bi",
    "bu",
    "da",
    "di",
    "du",
    "ga",
    "gi",
    "ka",
    "ki",
    "ku",
    "la",
    "li",
    "lu",
    "ma",
    "mi",
    "mu",
    "na",
    "ni",
    "pa",
    "pi",
    "ra",
    "ri",
    "sa",
    "si",
    "ta",
    "ti",
    "tu",
]


def text(rng: random.Random, paragraphs: int = 6) -> str:
    """Paragraphs of common words plus the article's own few names, like news:
    distinct articles are not near-duplicates to a word-count simhash."""
    own = ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(4)]
    out = []
    for _ in range(paragraphs):
        words = [rng.choice(own) if rng.random() < 0.08 else rng.choice(WORDS) for _ in range(30)]
        out.append("<p>" + " ".join(words).capitalize() + ".</p>")
    return "".join(out)


def write(root: Path, path: str, html: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def build_site(root: Path, n: int) -> list[str]:
    """Write the site; return the article paths."""
    rng = random.Random(7)
    nav = " ".join(f'<a href="/kategori/k{c}/">Kategori {c}</a>' for c in range(CATEGORIES))
    articles = [f"/2026/{i % 12 + 1:02d}/berita-uji-nomor-{i}/" for i in range(n)]
    for i, path in enumerate(articles):
        title = f"Berita uji nomor {i} tentang jaringan dan perangkat"
        head = (
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            f'"headline":"{title}","datePublished":"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}T08:00:00+07:00",'
            '"author":{"@type":"Person","name":"Penulis Uji"}}</script>'
        )
        main = (
            f'<article><h1>{title}</h1><time datetime="2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}">'
            f'</time><div class="entry-content">{text(rng)}<h2>Rincian</h2>{text(rng, 3)}</div></article>'
        )
        write(root, path, PAGE.format(title=title, og="article", head=head, nav=nav, main=main))
    per_cat = -(-n // CATEGORIES)
    for c in range(CATEGORIES):
        chunk = articles[c * per_cat : (c + 1) * per_cat]
        pages = -(-len(chunk) // PER_PAGE)
        for p in range(1, pages + 1):
            items = "".join(
                f'<h2><a href="{a}">Judul {a.rsplit("-", 1)[-1]}</a></h2>'
                for a in chunk[(p - 1) * PER_PAGE : p * PER_PAGE]
            )
            nxt = (
                f'<a rel="next" href="/kategori/k{c}/page/{p + 1}/">Berikutnya</a>'
                if p < pages
                else ""
            )
            path = f"/kategori/k{c}/" if p == 1 else f"/kategori/k{c}/page/{p}/"
            write(
                root,
                path,
                PAGE.format(
                    title=f"Kategori {c}", og="website", head="", nav=nav, main=items + nxt
                ),
            )
    write(
        root,
        "/",
        PAGE.format(title="Beranda", og="website", head="", nav=nav, main="<h1>Beranda</h1>"),
    )
    write(root, "/robots.txt", "User-agent: *\nDisallow: /rahasia/\n")
    return articles


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(stat[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total / 2**20


def timed(cmd: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall time, peak RSS of the whole process tree (MB, sampled every 0.2 s)
    and stdout of one command."""
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, tree_rss_mb(proc.pid))
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    out, err = proc.communicate()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[2:4]} failed ({proc.returncode}):\n{err[-2000:]}")
    return elapsed, round(peak), out.strip()


def pages_of(summary: str) -> int:
    match = re.search(r"pages=(\d+)", summary)
    return int(match.group(1)) if match else 0


def run(n: int, extra: list[str] = ()) -> dict:
    with tempfile.TemporaryDirectory(prefix="arsip-bench-") as tmp:
        tmpdir = Path(tmp)
        site_dir = tmpdir / "site"
        build_site(site_dir, n)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(site_dir), str(port)])
        try:
            time.sleep(1.0)
            url = f"http://127.0.0.1:{port}/"
            bare_py = tmpdir / "bare.py"
            bare_py.write_text(BARE_SPIDER % {"c": CONCURRENCY})
            bare_t, bare_rss, bare_out = timed([sys.executable, str(bare_py), url], tmpdir)
            sites = tmpdir / "sites.toml"
            sites.write_text(f'[sites.uji]\nname = "Situs Uji"\nstart_urls = ["{url}"]\n')
            db = tmpdir / "archive.db"
            cmd = [
                sys.executable, "-m", "scraper.cli", "crawl", "--sites", str(sites), "--db", str(db),
                "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0",
                "--set", f"CONCURRENT_REQUESTS={CONCURRENCY}",
                "--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
            ]  # fmt: skip
            cmd += [arg for pair in extra for arg in ("--set", pair)]
            full_t, full_rss, full_out = timed(cmd, ROOT)
            incr_t, incr_rss, incr_out = timed(cmd, ROOT)
            # The same first crawl into an archive that already holds a few
            # articles: every new record is then checked for an archived original.
            seeded = [
                *cmd[: cmd.index("--db") + 1],
                str(tmpdir / "seeded.db"),
                *cmd[cmd.index("--db") + 2 :],
            ]
            timed([*seeded, "--max-pages", "5"], ROOT)
            seed_t, seed_rss, seed_out = timed(seeded, ROOT)
            # And with the archive written in the crawler process (less memory).
            inline = [*cmd[: cmd.index("--db") + 1], str(tmpdir / "inline.db")]
            inline += [*cmd[cmd.index("--db") + 2 :], "--set", "ARSIP_ARCHIVE_WRITER=inline"]
            inl_t, inl_rss, inl_out = timed(inline, ROOT)
        finally:
            server.terminate()
            server.wait()
    bare_pages, full_pages = pages_of(bare_out), pages_of(full_out)
    return {
        "articles": n,
        "bare": (bare_pages, bare_t, bare_pages / bare_t, bare_rss),
        "full": (full_pages, full_t, full_pages / full_t, full_rss, full_out),
        "incremental": (pages_of(incr_out), incr_t, incr_rss, incr_out),
        "seeded": (pages_of(seed_out), seed_t, pages_of(seed_out) / seed_t, seed_rss),
        "inline": (pages_of(inl_out), inl_t, pages_of(inl_out) / inl_t, inl_rss),
    }


def report(r: dict) -> str:
    bp, bt, brate, brss = r["bare"]
    fp, ft, frate, frss, fout = r["full"]
    ip, it, irss, iout = r["incremental"]
    sp, st, srate, srss = r["seeded"]
    np_, nt, nrate, nrss = r["inline"]
    return "\n".join(
        [
            f"Local static site: {r['articles']:,} article pages in {CATEGORIES} paginated categories, "
            f"twisted.web in its own process on 127.0.0.1; concurrency {CONCURRENCY}, no delay, "
            f"AutoThrottle off, robots.txt obeyed; each crawl in a fresh process (`bench/crawl.py`).",
            "",
            "| run | pages | seconds | pages/s | peak RSS, all processes (MB) |",
            "|---|---:|---:|---:|---:|",
            f"| bare Scrapy CrawlSpider (follow every link, no processing) | {bp} | {bt:.1f} | {brate:.0f} | {brss} |",
            f"| `arsip crawl`, first run (extract, clean, dedupe, archive, FTS) | {fp} | {ft:.1f} | {frate:.0f} | {frss} |",
            f"| `arsip crawl`, second run (incremental, nothing new) | {ip} | {it:.1f} | - | {irss} |",
            f"| `arsip crawl`, first run into an archive already holding a few articles | {sp} | {st:.1f} | {srate:.0f} | {srss} |",
            f"| `arsip crawl`, first run, archive written inline (`ARSIP_ARCHIVE_WRITER=inline`) | {np_} | {nt:.1f} | {nrate:.0f} | {nrss} |",
            "",
            f"- full / bare throughput: **{frate / brate:.2f}x** (target >= 0.8x)",
            f"- incremental run time / first run time: **{it / ft:.1%}** (target <= 10%)",
            f"- peak RSS of the full crawl, crawler and page workers together: **{frss} MB** (target <= 300 MB)",
            f"- first run summary: `{fout}`",
            f"- second run summary: `{iout}`",
        ]
    )


NOTES = """
Where the time goes (cProfile of `arsip crawl` on 1,500 pages): Scrapy itself
about 2.5 ms a page; extraction about 1 ms, cleaning 1.8 ms (simhash most of
it), link finding 0.5 ms, the archive's cross-run duplicate lookup about 2 ms;
and in the archive write, stemming every word for the full-text index: on
this site about 3.4 ms an article, most of the crawler process's time when it
ran there. What the crawl does about it:

- Extraction, cleaning, link finding and the cross-run duplicate lookup run in
  page-worker processes (`ARSIP_WORKERS`, two by default on a multi-core
  machine, started after the first 30 pages so small incremental runs never
  pay for them); the reactor thread keeps downloading meanwhile.
- Archive batches are written by one writer process (`ARSIP_ARCHIVE_WRITER`,
  "process" by default on a multi-core machine), in order, one transaction
  each. It costs about 90 MB; `ARSIP_ARCHIVE_WRITER=inline` trades that
  memory for speed (last row).
- No cross-run duplicate lookup when the archive was empty when the run began
  (an original can then only come from this run, which the dedupe pipeline
  tracks in memory).
- `CONCURRENT_ITEMS = 8`: Scrapy's default of 100 starts 100 asyncio tasks per
  response; that alone was more than half the crawler process's time.
- Known-URL answers are cached per run (menus repeat on every page) and URL
  canonicalisation is memoised.

Peak memory at the default settings (sampled per process during a 3,000-page
crawl): crawler 121 MB, writer 95 MB, page workers 31 MB each, multiprocessing's
resource tracker 12 MB. On a shared machine the ratios move from run to run;
run the benchmark more than once. The incremental run is ~0.8 s, mostly
interpreter start-up and imports, so the faster the first run, the higher its
share. Changes outside the crawl code that would help: a simhash that counts
bit columns with `zip(*[format(h, "064b") ...])` instead of 64 shifts per
word (measured 2.0x faster, identical values), `find_duplicate` answering the
exact-hash and band lookups in one query, and cheaper stemming of words the
stemmer does not know (names: each costs a full Sastrawi pass).
""".strip()


def write_section(doc: Path, body: str) -> None:
    """Replace (or add) the "## Crawl" section, leaving the others alone."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    section = f"## Crawl\n\n{body}\n"
    pattern = re.compile(r"^## Crawl\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--write", type=Path, help="update the Crawl section of this markdown file")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="arsip setting"
    )
    args = parser.parse_args()
    body = report(run(args.articles, args.set)) + "\n\n" + NOTES
    print(body)
    if args.write:
        write_section(args.write, body)


if __name__ == "__main__":
    main()
