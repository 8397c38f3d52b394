"""Scale-out benchmark: total pages/s with 1, 2 and 4 `arsip worker`s on one machine.

N local sites (tests/e2e_site.py servers, one per port), each answering every
request after a per-host delay (default 50 ms, like a real portal), crawled
with arsip's shipped politeness (DOWNLOAD_DELAY, AutoThrottle, robots.txt):
the work is bound by each site's politeness, not by CPU, so more workers
should crawl more sites at once. For each worker count: a fresh PostgreSQL
database, a fresh Redis database number, one job per site (`arsip enqueue`),
W `arsip worker --burst` processes; the clock runs from the workers' start to
the last one's exit. Pages come from the jobs' summary lines.

    .venv/bin/python bench/scale.py [--sites 6] [--articles 24] [--delay 0.05] [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e_site import E2EServer, Site  # noqa: E402

PG = os.environ.get("ARSIP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("ARSIP_TEST_REDIS", "redis://127.0.0.1:6379")


def arsip(*args: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "scraper.cli", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:2])} failed: {proc.stderr.strip()}")
    return proc


def free_redis_db() -> str:
    import redis

    for n in range(15, 0, -1):
        conn = redis.Redis.from_url(f"{REDIS}/{n}")
        if conn.set("arsip-bench-claim", "1", nx=True) and conn.dbsize() == 1:
            return f"{REDIS}/{n}"
    raise SystemExit("no free Redis database number")


def one_run(workers: int, sites_file: Path) -> tuple[float, int]:
    import psycopg
    import redis

    name = f"arsip_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(PG, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    db = PG.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"
    queue = free_redis_db()
    try:
        arsip("enqueue", "--sites", str(sites_file), "--db", db, "--queue", queue)
        started = time.monotonic()
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "scraper.cli", "worker", "--burst", "--queue", queue],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        for p in procs:
            p.wait()
        elapsed = time.monotonic() - started
        shown = arsip("queue", "--queue", queue).stdout
        if "failed" in shown:
            raise SystemExit(f"a crawl job failed:\n{shown}")
        pages = sum(int(m) for m in re.findall(r"pages=(\d+)", shown))
        return elapsed, pages
    finally:
        redis.Redis.from_url(queue).flushdb()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--articles", type=int, default=24, help="articles per site")
    parser.add_argument("--delay", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()

    servers = [E2EServer(Site(n_articles=args.articles)) for _ in range(args.sites)]
    for s in servers:
        s.delay = args.delay
        s.__enter__()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sites_file = Path(tmp) / "sites.toml"
            sites_file.write_text(
                "".join(
                    f'[sites.situs{i}]\nname = "Situs {i}"\nstart_urls = ["{s.url}/"]\n'
                    for i, s in enumerate(servers)
                )
            )
            results = {}
            for w in [int(x) for x in args.workers.split(",")]:
                elapsed, pages = one_run(w, sites_file)
                results[w] = pages / elapsed
                print(
                    f"workers={w}: {pages} pages in {elapsed:.1f}s = {pages / elapsed:.2f} pages/s"
                    + (f" ({results[w] / results[1]:.2f}x one worker)" if 1 in results else ""),
                    flush=True,
                )
    finally:
        for s in servers:
            s.__exit__(None, None, None)


if __name__ == "__main__":
    main()
