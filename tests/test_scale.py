"""Many machines, one archive: crawl jobs on a real Redis queue (RQ), run by real
`arsip worker` processes, writing one real PostgreSQL archive, per-site locks.

Each test uses a Redis database number of its own (flushed afterwards) and a
fresh PostgreSQL database (dropped afterwards). Skipped with the reason when
the servers cannot be reached, except under CI (.ci/run starts both).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tests.cli_helpers import ROOT, arsip, assert_one_line_error
from tests.e2e_site import E2EServer, Site, _page, _paragraphs

psycopg = pytest.importorskip("psycopg")
redis = pytest.importorskip("redis")

PG_SERVER = os.environ.get("ARSIP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_SERVER = os.environ.get("ARSIP_TEST_REDIS", "redis://127.0.0.1:6379")
FAST = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0")
SHARED = "/2026/01/kabar-bersama-satelit/"


def _unreachable(what: str, exc: Exception) -> None:
    if os.environ.get("CI"):
        raise exc
    pytest.skip(f"no {what}: {exc}")


@pytest.fixture
def pg_url():
    """A fresh, empty database on the server, dropped afterwards."""
    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        _unreachable(f"PostgreSQL server at {PG_SERVER}", exc)
    name = f"arsip_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_SERVER.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def queue_url():
    """An empty Redis database number of our own, flushed afterwards."""
    try:
        probe = redis.Redis.from_url(f"{REDIS_SERVER}/0", socket_connect_timeout=5)
        probe.ping()
        count = int(probe.config_get("databases").get("databases", 16))
    except redis.RedisError as exc:
        _unreachable(f"Redis server at {REDIS_SERVER}", exc)
    numbers = list(range(1, count))
    random.shuffle(numbers)
    for n in numbers:
        conn = redis.Redis.from_url(f"{REDIS_SERVER}/{n}")
        # Claim the number with a key of our own, so a parallel test picks another.
        if conn.set("arsip-test-claim", uuid.uuid4().hex, nx=True) and conn.dbsize() == 1:
            break
    else:
        pytest.skip("no free Redis database number for this test")
    try:
        yield f"{REDIS_SERVER}/{n}"
    finally:
        conn.flushdb()


class NewsSite(Site):
    """A site with articles of its own (text seeded by `offset`) plus one story
    every site carries (syndicated), published on `shared_date`."""

    def __init__(self, offset: int, shared_date: str, n_articles: int = 6) -> None:
        super().__init__(n_articles=n_articles, per_page=3)
        self.offset = offset
        self.shared_date = shared_date
        self.slugs = [f"/2026/01/warta-{offset}-nomor-{i}/" for i in range(1, n_articles + 1)]
        self.slugs.append(SHARED)
        self.gate: tuple[str, threading.Event, threading.Event] | None = None

    def article(self, path: str, index: int) -> bytes:
        if self.gate and path == self.gate[0]:
            self.gate[1].set()  # reached: the crawl is mid-job
            self.gate[2].wait(timeout=600)
        if path != SHARED:
            return super().article(path, index + self.offset)
        title = "Satelit baru memperluas jangkauan internet ke desa terpencil"
        paras = "".join(f"<p>{p}</p>" for p in _paragraphs(7777, 6))
        meta = f'<time datetime="{self.shared_date}">{self.shared_date[:10]}</time>'
        body = f'<main><article><h1>{title}</h1>{meta}<div class="entry-content">{paras}</div></article></main>'
        head = f'<meta property="article:published_time" content="{self.shared_date}">'
        return _page(title, body, og_type="article", head=head)


def _sites_file(tmp_path, servers: dict[str, E2EServer]):
    path = tmp_path / "sites.toml"
    path.write_text(
        "".join(
            f'[sites.{key}]\nname = "{key}"\nstart_urls = ["{s.url}/"]\n'
            for key, s in servers.items()
        )
    )
    return path


def _worker(queue_url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "worker", "--queue", queue_url, *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _export(pg_url: str) -> list[dict]:
    out = arsip("export", "--all", "--format", "jsonl", "--db", pg_url, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _descendants(root: int) -> list[int]:
    """Every live descendant of `root` (Linux /proc)."""
    parents = {int(p): _ppid(int(p)) for p in os.listdir("/proc") if p.isdigit()}
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        kids = [pid for pid, ppid in parents.items() if ppid == parent]
        found += kids
        frontier += kids
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _wait_until(condition, what: str, timeout: float = 300.0):
    """Poll a condition (not a duration): fails only if it never holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _three_sites_by_two_workers(pg_url, queue_url, tmp_path):
    """Three local sites, a job each on the queue, two burst workers: what they left."""
    dates = {
        "alfa": "2026-01-10T09:00:00+07:00",
        "beta": "2026-01-12T09:00:00+07:00",
        "gama": "2026-01-15T09:00:00+07:00",
    }
    servers = {key: E2EServer(NewsSite(i * 100, d)) for i, (key, d) in enumerate(dates.items())}
    for s in servers.values():
        s.__enter__()
    try:
        sites = _sites_file(tmp_path, servers)
        sets = [a for pair in FAST for a in ("--set", pair)]
        put = arsip(
            "enqueue",
            *("--sites", str(sites), "--db", pg_url, "--queue", queue_url),
            *("--retry-wait", "0", *sets),
        )
        assert put.returncode == 0, put.stderr
        assert put.stdout.count(": queued") == 3
        again = arsip("enqueue", "--sites", str(sites), "--db", pg_url, "--queue", queue_url)
        assert again.stdout.count("already queued") == 3, again.stdout  # fixed ids: never twice

        workers = [_worker(queue_url, "--burst") for _ in range(2)]
        outputs = [w.communicate(timeout=600)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
    finally:
        for s in servers.values():
            s.__exit__(None, None, None)
    shown = arsip("queue", "--queue", queue_url, check=True).stdout
    return servers, {r["url"]: r for r in _export(pg_url)}, shown


def test_two_workers_crawl_three_sites_into_one_postgresql_archive(pg_url, queue_url, tmp_path):
    servers, by_url, shown = _three_sites_by_two_workers(pg_url, queue_url, tmp_path)
    finished = [ln for ln in shown.splitlines() if ln.startswith("finished")]
    assert len(finished) == 3, shown
    assert all("pages=" in ln and "dropped=0" in ln for ln in finished), shown
    assert "failed" not in shown
    for key, server in servers.items():
        expected = {server.url + p for p in server.site.article_paths()}
        assert expected <= set(by_url), key
        # Each page fetched once: one crawl of each site, by one worker.
        for path in server.site.article_paths():
            if path != "/2026/01/server-sibuk/":  # answers 503 once, then is retried
                assert server.hits[path] == 1, (key, path, server.hits[path])
    assert len(by_url) == sum(len(s.site.article_paths()) for s in servers.values())


def test_syndicated_copies_crawled_by_two_workers_point_at_the_earliest_original(
    pg_url, queue_url, tmp_path
):
    servers, by_url, _ = _three_sites_by_two_workers(pg_url, queue_url, tmp_path)
    original = servers["alfa"].url + SHARED
    assert not by_url[original]["duplicate_of"]
    for key in ("beta", "gama"):
        assert by_url[servers[key].url + SHARED]["duplicate_of"] == original


def test_a_worker_killed_mid_job_is_retried_by_the_queue_on_another_worker(
    pg_url, queue_url, tmp_path
):
    site = NewsSite(0, "2026-01-10T09:00:00+07:00", n_articles=12)
    reached, release = threading.Event(), threading.Event()
    site.gate = (site.slugs[7], reached, release)
    server = E2EServer(site)
    sets = [a for pair in FAST for a in ("--set", pair)]
    with server:
        sites = _sites_file(tmp_path, {"kabar": server})
        arsip(
            "enqueue",
            *("--sites", str(sites), "--db", pg_url, "--queue", queue_url),
            *("--retry-wait", "0", *sets),
            check=True,
        )
        first = _worker(queue_url, "--heartbeat", "3")
        try:
            assert reached.wait(timeout=300), "the crawl never reached the gated page"
            forked = _descendants(first.pid)  # the job's process, its crawl, RQ's scheduler
            assert len(forked) >= 3, forked
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=60)
            # Nothing it started runs on without it (no orphan crawl or scheduler).
            _wait_until(lambda: not any(_running(p) for p in forked), "its children to die")
        finally:
            release.set()
        # The site's lock went with the killed crawl: nothing stale is left.
        second = _worker(queue_url, "--heartbeat", "3")
        try:
            _wait_until(
                lambda: any(
                    ln.startswith("finished")
                    for ln in arsip("queue", "--queue", queue_url).stdout.splitlines()
                ),
                "the retried job to finish",
            )
        finally:
            second.send_signal(signal.SIGTERM)
            second.communicate(timeout=120)
        retry = arsip("crawl", "--sites", str(sites), "--db", pg_url, *sets)
        assert retry.returncode == 0, retry.stderr  # not 75: no stale lock

    from rq.job import Job

    job = Job.fetch("crawl-kabar", connection=redis.Redis.from_url(queue_url))
    assert job.retries_left == 1  # retried once, by RQ, after its worker died
    records = _export(pg_url)
    urls = [r["url"] for r in records]
    assert sorted(urls) == sorted(server.url + p for p in site.article_paths())
    assert all(r.get("version", 1) == 1 for r in records)


def test_a_site_locked_by_a_live_crawl_exits_75_and_a_dead_holder_leaves_no_lock(pg_url, tmp_path):
    server = E2EServer(Site(n_articles=3))
    with server:
        sites = _sites_file(tmp_path, {"kabar": server})
        holder = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys\n"
                "from scraper.archive.locks import SiteLocks\n"
                f"SiteLocks({pg_url!r}, ['kabar']).acquire()\n"
                "print('held', flush=True)\n"
                "sys.stdin.read()\n",
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout.readline().strip() == "held"
            busy = arsip("crawl", "--sites", str(sites), "--db", pg_url)
            assert_one_line_error(busy, code=75)
            assert "kabar" in busy.stderr and f"pid {holder.pid}" in busy.stderr
            assert server.hits["/"] == 0  # refused before fetching anything
        finally:
            holder.kill()
            holder.wait()
        ok = arsip(
            "crawl",
            "--sites",
            str(sites),
            "--db",
            pg_url,
            *[a for pair in FAST for a in ("--set", pair)],
        )
        assert ok.returncode == 0, ok.stderr


def test_queue_commands_fail_loudly(tmp_path):
    down = "redis://127.0.0.1:9/0"
    for args in (("queue",), ("worker", "--burst"), ("enqueue", "--site", "detikinet")):
        proc = arsip(*args, "--queue", down)
        assert_one_line_error(proc, code=1)
        assert "Cannot reach the queue" in proc.stderr
    bad = arsip("queue", "--queue", "http://example.invalid/")
    assert_one_line_error(bad, code=2)
    unknown = arsip("enqueue", "--site", "tidak-ada", "--queue", down)
    assert_one_line_error(unknown, code=2)


def test_a_crawl_that_fails_is_a_failed_job_with_its_reason_after_rqs_retries(
    pg_url, queue_url, tmp_path
):
    sites = tmp_path / "sites.toml"
    # A start URL nobody answers: every fetch fails, the crawl exits non-zero.
    sites.write_text('[sites.mati]\nname = "Mati"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    arsip(
        "enqueue",
        *("--sites", str(sites), "--db", pg_url, "--queue", queue_url, "--retry-wait", "0"),
        check=True,
    )
    worker = _worker(queue_url, "--burst")
    out = worker.communicate(timeout=600)[0]
    assert worker.returncode == 0, out
    assert out.count("arsip crawl --site mati (crawl-mati)") == 3  # first run + 2 retries by RQ
    shown = arsip("queue", "--queue", queue_url, check=True).stdout
    failed = [ln for ln in shown.splitlines() if ln.startswith("failed")]
    assert len(failed) == 1, shown
    assert "mati" in failed[0] and "exited 1" in failed[0], shown
    assert "Traceback" not in shown


def test_the_schedule_line_for_a_queue_enqueues_the_jobs(queue_url, tmp_path):
    line = arsip(
        "schedule",
        *("--every", "1h", "--db", "postgresql+psycopg://arsip@db.example/arsip"),
        *("--queue", queue_url, "--site", "detikinet", "--log-file", str(tmp_path / "a.log")),
        check=True,
    ).stdout.strip()
    command = line.split(" ", 5)[5].replace("\\%", "%")  # what cron hands the shell
    subprocess.run(["bash", "-c", command], check=True, timeout=120)
    shown = arsip("queue", "--queue", queue_url, check=True).stdout
    assert [ln.split()[:2] for ln in shown.splitlines()[1:]] == [["queued", "detikinet"]]
