"""Several writers, one PostgreSQL archive: versions, originals and crawls stay right.

Each test uses a fresh database on this machine's PostgreSQL (dropped
afterwards) and real processes, started together at a barrier; they are
skipped when no server answers, except under CI (.ci/run starts one).
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
import threading
from collections import defaultdict

from sqlalchemy import create_engine, text

from scraper.archive import Archive
from scraper.fingerprint import NEAR_DUPLICATE_BITS, content_hash, hamming, simhash
from scraper.items import Article
from tests.cli_helpers import ROOT, arsip
from tests.e2e_site import E2EServer, Site, _paragraphs
from tests.test_postgres import FAST, pg_url  # noqa: F401 (the fixture)

N_ARTICLES = 12
BATCH = 4
N_STORIES = 60
WAIT = 120  # seconds a process waits at the barrier before the test fails


def _article(n: int, site: str, paragraphs: list[str], published: str) -> Article:
    body = "\n\n".join(paragraphs)
    return Article(
        url=f"https://{site}.example/berita/{n}/",
        site=site,
        title=f"Berita nomor {n} dari {site}",
        body_text=body,
        published_at=published,
        word_count=len(body.split()),
        content_hash=content_hash(body),
        simhash=simhash(body),
    )


def _story(n: int) -> list[str]:
    return _paragraphs(7000 + n, 6)


def _edition(n: int, variant: int) -> Article:
    """Article n as one writer saves it: the same story with its own correction."""
    correction = f"Ralat {variant}: redaksi memperbaiki angka pada paragraf kedua."
    return _article(n, "kabar", [*_story(n), correction], "2026-01-05T09:00:00+07:00")


def _resave(db: str, barrier, variant: int, order: list[int]) -> None:
    with Archive(db) as archive:
        editions = [_edition(n, variant) for n in order]
        barrier.wait(WAIT)
        # Batches of several rows in opposite orders: without one lock for the
        # writers they would deadlock or overwrite each other's version.
        for start in range(0, len(editions), BATCH):
            archive.save_batch(editions[start : start + BATCH])


def _syndicate(db: str, barrier, site: str, copies: list[Article]) -> None:
    with Archive(db) as archive:
        barrier.wait(WAIT)
        for copy in copies:
            archive.save_batch([copy])


def _run_together(target, args_per_process) -> list[int]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(args_per_process))
    procs = [
        ctx.Process(target=target, args=(args[0], barrier, *args[1:])) for args in args_per_process
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(WAIT * 3)
    return [p.exitcode for p in procs]


def test_two_writers_resaving_changed_articles_keep_every_version(pg_url):  # noqa: F811
    with Archive(pg_url) as archive:
        originals = [
            _article(n, "kabar", _story(n), "2026-01-05T09:00:00+07:00") for n in range(N_ARTICLES)
        ]
        assert archive.save_batch(originals) == ["new"] * N_ARTICLES
    ascending = list(range(N_ARTICLES))
    codes = _run_together(_resave, [(pg_url, 1, ascending), (pg_url, 2, ascending[::-1])])
    assert codes == [0, 0]

    with Archive(pg_url) as archive:
        for n in range(N_ARTICLES):
            url = originals[n].url
            record = archive.get(url)
            history = archive.versions(url)
            assert record["version"] == 3, url
            assert [v["version"] for v in history] == [1, 2], url
            texts = {record["body_text"], *(v["record"]["body_text"] for v in history)}
            expected = {originals[n].body_text, _edition(n, 1).body_text, _edition(n, 2).body_text}
            assert texts == expected, url
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        doubled = conn.execute(
            text(
                "SELECT count(*) FROM (SELECT article_id, version FROM article_versions "
                "GROUP BY article_id, version HAVING count(*) > 1) d"
            )
        ).scalar()
    engine.dispose()
    assert doubled == 0


def test_two_writers_saving_one_syndicated_story_store_one_original(pg_url):  # noqa: F811
    alfa, beta = [], []
    for n in range(N_STORIES):
        story = _story(n)
        # Alfa publishes the even stories first, beta the odd ones.
        early, late = "2026-01-05T08:00:00+07:00", "2026-01-05T11:00:00+07:00"
        alfa.append(_article(n, "alfa", story, early if n % 2 == 0 else late))
        # The copy: the same paragraphs in another order, a near (not exact) copy.
        beta.append(_article(n, "beta", story[::-1], late if n % 2 == 0 else early))
        assert alfa[-1].content_hash != beta[-1].content_hash
        assert hamming(alfa[-1].simhash, beta[-1].simhash) <= NEAR_DUPLICATE_BITS
    Archive(pg_url).close()  # the schema, before the writers race for rows
    codes = _run_together(_syndicate, [(pg_url, "alfa", alfa), (pg_url, "beta", beta)])
    assert codes == [0, 0]

    with Archive(pg_url) as archive:
        for n, (a, b) in enumerate(zip(alfa, beta, strict=True)):
            first, second = (a, b) if n % 2 == 0 else (b, a)
            assert archive.get(first.url)["duplicate_of"] is None, n
            assert archive.get(second.url)["duplicate_of"] == first.url, n
        assert archive.stats()["originals"] == len(alfa)


class _GatedSite(Site):
    """The e2e site whose first article answer waits until the other crawl asks too,
    so both crawls are fetching (and writing) at the same time."""

    def __init__(self, gate: threading.Barrier) -> None:
        super().__init__()
        self.gate = gate
        self.waited = False
        self.lock = threading.Lock()

    def route(self, path, query, hits):
        with self.lock:  # one waiter per site, however many requests arrive at once
            first = path in self.slugs and not self.waited
            self.waited = self.waited or first
        if first:
            self.gate.wait(WAIT)
        return super().route(path, query, hits)


def test_two_crawls_of_two_sites_write_one_postgresql_archive(pg_url, tmp_path):  # noqa: F811
    gate = threading.Barrier(2)
    servers = [E2EServer(_GatedSite(gate)), E2EServer(_GatedSite(gate))]
    Archive(pg_url).close()
    procs = []
    with servers[0], servers[1]:
        for i, server in enumerate(servers):
            sites = tmp_path / f"sites{i}.toml"
            sites.write_text(
                f'[sites.kabar{i}]\nname = "Kabar {i}"\nstart_urls = ["{server.url}/"]\n'
            )
            cmd = [
                sys.executable,
                "-m",
                "scraper.cli",
                "crawl",
                "--sites",
                str(sites),
                *FAST,
                "--db",
                pg_url,
            ]
            procs.append(
                subprocess.Popen(
                    cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
            )
        outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("Traceback" not in err for _out, err in outputs)

    records = {}
    for line in arsip(
        "export", "--all", "--format", "jsonl", "--db", pg_url, check=True
    ).stdout.splitlines():
        record = json.loads(line)
        records[record["url"]] = record
    by_path = defaultdict(list)
    for server in servers:
        for path in server.site.article_paths():
            by_path[path].append(records[server.url + path])
    # The two sites carry the same stories: one copy of each is the original.
    for path, pair in by_path.items():
        originals = [r for r in pair if not r["duplicate_of"]]
        assert len(originals) == 1, path
        copy = next(r for r in pair if r["duplicate_of"])
        assert copy["duplicate_of"] == originals[0]["canonical_url"], path
