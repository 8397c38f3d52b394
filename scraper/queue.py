"""Crawl jobs on a Redis queue (RQ): one job per site, run by `arsip worker`s anywhere.

The unit of work is one site's crawl: a job runs `arsip crawl --site NAME --db
URL` in a child process (Scrapy's reactor cannot restart inside a long-lived
worker) and its result is the crawl's summary line. A crawl that exits non-zero
is a failed job: RQ retries it (`Retry`) and keeps it in its failed registry
with the reason. Each site's job has a fixed id, so a site is never queued
twice. Everything else (job ids, retries, results, registries, abandoned-job
detection) is RQ's own.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scraper.exceptions import ArsipError, UsageError
from scraper.sites import Site

logger = logging.getLogger(__name__)

DEFAULT_QUEUE = "redis://127.0.0.1:6379/0"
QUEUE_NAME = "arsip-crawl"
#: A crawl longer than this is stopped by RQ (and retried): a stuck job must
#: not hold its site for ever.
JOB_TIMEOUT = 6 * 3600
#: Retries of a failed crawl, and the default wait before a retry (seconds).
#: A crawl that failed resumes from its frontier in the archive, so a retry is cheap.
RETRIES = 2
RETRY_WAIT = 60
#: How long finished and failed jobs (and their summary lines) stay visible.
RESULT_TTL = 7 * 24 * 3600


class QueueError(ArsipError):
    """The queue cannot be reached or used."""

    exit_code = 1


class CrawlJobFailed(Exception):
    """A crawl job whose `arsip crawl` exited non-zero; the message is its sentence."""


def queue_url(url: str | None) -> str:
    return url or os.environ.get("ARSIP_QUEUE") or DEFAULT_QUEUE


def connect(url: str) -> Any:
    """A Redis connection that answers, or QueueError naming the URL."""
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        conn = Redis.from_url(url)
        conn.ping()
    except ValueError as exc:
        raise UsageError(f"--queue takes a redis:// URL, got {url!r} ({exc}).") from None
    except RedisError as exc:
        reason = str(exc).rstrip(".")
        raise QueueError(f"Cannot reach the queue at {url} ({reason}).") from None
    return conn


def _queue(conn: Any) -> Any:
    from rq import Queue

    return Queue(QUEUE_NAME, connection=conn)


def job_id(site: str) -> str:
    """The fixed id of a site's crawl job (RQ ids take letters, digits, - and _)."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in site)
    return f"crawl-{safe}"


@dataclass
class Enqueued:
    site: str
    job_id: str
    status: str  # "queued" | "already queued" | "already running"


def enqueue(
    url: str,
    db: str,
    sites: list[Site],
    *,
    sites_file: str | None = None,
    retry_wait: int = RETRY_WAIT,
    overrides: tuple[str, ...] = (),
) -> list[Enqueued]:
    """One crawl job per site, unless that site's job is already waiting or running."""
    from rq import Retry
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    if not sites:
        raise UsageError("No sites to enqueue; check the sites file or --site names.")
    if "://" not in db:
        # Workers on other machines cannot see a local file; a local path works
        # only for workers on this machine, so it is made absolute.
        db = str(Path(db).resolve())
    if sites_file:
        sites_file = str(Path(sites_file).resolve())
    conn = connect(url)
    queue = _queue(conn)
    out = []
    for site in sites:
        jid = job_id(site.key)
        try:
            old = Job.fetch(jid, connection=conn)
            status = old.get_status()
        except NoSuchJobError:
            old, status = None, None
        if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            out.append(Enqueued(site.key, jid, "already queued"))
            continue
        if status == JobStatus.STARTED:
            out.append(Enqueued(site.key, jid, "already running"))
            continue
        if old is not None:
            old.delete()  # a finished or failed run: its id is reused for the next one
        queue.enqueue(
            crawl_job,
            kwargs={
                "db": db,
                "site": site.key,
                "sites_file": sites_file,
                "overrides": list(overrides),
            },
            job_id=jid,
            description=f"arsip crawl --site {site.key}",
            job_timeout=JOB_TIMEOUT,
            result_ttl=RESULT_TTL,
            failure_ttl=RESULT_TTL,
            retry=Retry(max=RETRIES, interval=retry_wait),
        )
        out.append(Enqueued(site.key, jid, "queued"))
    return out


def _die_with_parent() -> None:
    """In the crawl's child process: be killed when the job's process dies
    (Linux), so a worker killed with -9 leaves no crawl running without it and
    the site's lock goes with it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def crawl_command(
    db: str, site: str, sites_file: str | None, overrides: Iterable[str] = ()
) -> list[str]:
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--site", site, "--db", db]
    if sites_file:
        cmd += ["--sites", sites_file]
    for pair in overrides:
        cmd += ["--set", pair]
    return cmd


def crawl_job(
    db: str, site: str, sites_file: str | None = None, overrides: Iterable[str] = ()
) -> str:
    """Run by the worker: crawl one site; return its summary line or raise."""
    proc = subprocess.Popen(
        crawl_command(db, site, sites_file, overrides),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_die_with_parent,  # the job process runs no threads of its own
    )
    stdout, stderr = proc.communicate()
    for line in stderr.splitlines():
        logger.warning("%s: %s", site, line)
    summary = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    if proc.returncode != 0:
        lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        # The crawl's own sentence starts with "arsip:"; log lines may follow it.
        ours = [ln for ln in lines if ln.startswith("arsip: ") and " WARNING " not in ln]
        reason = (ours or lines or [summary or "no output"])[-1].removeprefix("arsip: ")
        raise CrawlJobFailed(f"arsip crawl --site {site} exited {proc.returncode}: {reason}")
    return summary


def _worker_class() -> Any:
    from rq import Worker

    class ArsipWorker(Worker):
        """RQ's forking worker whose heartbeat grace follows the monitoring
        interval, so a job whose worker died is retried within about three
        heartbeats, not minutes later."""

        def get_heartbeat_ttl(self, job: Any, working_time: float = 0.0) -> int:
            return int(self.job_monitoring_interval) * 3 + 5

    return ArsipWorker


def work(url: str, *, burst: bool = False, heartbeat: int = 30) -> bool:
    """Run a worker on the crawl queue until stopped (or, with burst, until it is empty)."""
    conn = connect(url)
    # Every process the worker forks (the job's work horse, RQ's scheduler)
    # dies with it: a worker killed with -9 leaves no crawl and no scheduler
    # running on without it (see _die_with_parent).
    os.register_at_fork(after_in_child=_die_with_parent)
    worker = _worker_class()(
        [_queue(conn)],
        connection=conn,
        job_monitoring_interval=heartbeat,
        # Abandoned jobs (their worker died) are found by this maintenance pass.
        maintenance_interval=max(heartbeat * 2, 10),
        # The pass runs between dequeues, which wait up to worker_ttl - 15 s: a
        # short wait lets an idle worker take over a dead worker's job soon.
        worker_ttl=max(heartbeat * 2, 10) + 15,
    )
    return worker.work(burst=burst, logging_level="INFO", with_scheduler=True)


@dataclass
class JobView:
    id: str
    site: str
    state: str  # queued | running | scheduled | failed | finished
    when: str
    summary: str


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def jobs(url: str) -> list[JobView]:
    """Every crawl job RQ knows: queued, running, scheduled for a retry, failed, finished."""
    from rq.job import Job

    conn = connect(url)
    queue = _queue(conn)
    groups: list[tuple[str, Iterable[str]]] = [
        # Reading the started registry also hands abandoned jobs back to RQ's
        # retry (its cleanup runs on read).
        ("running", queue.started_job_registry.get_job_ids()),
        ("queued", queue.get_job_ids()),
        ("scheduled", queue.scheduled_job_registry.get_job_ids()),
        ("failed", queue.failed_job_registry.get_job_ids()),
        ("finished", queue.finished_job_registry.get_job_ids()),
    ]
    out = []
    seen = set()
    for state, ids in groups:
        for jid in ids:
            jid = jid.split(":", 1)[0]  # started entries are job_id:execution_id
            if jid in seen:
                continue
            seen.add(jid)
            job = Job.fetch_many([jid], connection=conn)[0]
            if job is None:
                continue
            site = (job.kwargs or {}).get("site", jid)
            if state == "finished":
                summary = str(job.return_value() or "")
                when = _when(job.ended_at)
            elif state == "failed":
                summary = _failure_line(job)
                when = _when(job.ended_at)
            elif state == "running":
                summary = f"on {job.worker_name or 'a worker'}"
                when = _when(job.started_at)
            else:
                retries = job.retries_left
                summary = f"{retries} retries left" if retries is not None else ""
                when = _when(job.enqueued_at)
            out.append(JobView(jid, site, state, when, summary))
    return out


def _failure_line(job: Any) -> str:
    text = ""
    result = job.latest_result()
    if result is not None and result.exc_string:
        text = result.exc_string
    elif job.exc_info:
        text = job.exc_info
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    if not lines:
        return "failed"
    last = lines[-1]
    # RQ stores the traceback; its last line is "module.Class: message".
    for prefix in ("scraper.queue.CrawlJobFailed: ", "CrawlJobFailed: "):
        last = last.removeprefix(prefix)
    return last


def format_jobs(views: list[JobView]) -> str:
    """The `arsip queue` table: one line per job, summary last."""
    if not views:
        return "no crawl jobs on the queue"
    width = max(len(v.site) for v in views)
    lines = [f"{'state':<9}  {'site':<{width}}  {'when (UTC)':<20}  summary"]
    lines += [f"{v.state:<9}  {v.site:<{width}}  {v.when:<20}  {v.summary}" for v in views]
    return "\n".join(lines)
